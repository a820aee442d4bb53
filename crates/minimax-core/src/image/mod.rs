//! Image GANs on real MNIST digits: the asset, DCGAN and StyleGAN-lite, their training loop and views, the classifier behind
//! the quality scores, and checkpoints.

pub mod augment;
pub mod classifier;
pub mod dcgan;
pub mod generator;
pub mod mnist;
pub mod quality;
pub mod style_views;
pub mod stylegan;
pub mod train;
pub mod translator;
pub mod views;
