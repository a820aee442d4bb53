//! Image GANs on real MNIST digits: the asset, DCGAN, its training loop, the classifier behind
//! the quality scores, and checkpoints.

pub mod classifier;
pub mod dcgan;
pub mod mnist;
pub mod quality;
pub mod train;
