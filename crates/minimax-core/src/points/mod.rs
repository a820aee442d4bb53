//! The 2-D family: GANs on points in the plane.
//!
//! - `model`: the MLP generator and discriminator (spectral norm, minibatch std, packing) and
//!   what D knows of a row's batch (`BatchContext`);
//! - `minibatch`: minibatch discrimination's layer and its closed-form input gradient;
//! - `train`: `Trainer`, the 2-D run (a [`crate::run::GanRun`]);
//! - `views`: what the page draws of a 2-D run (samples, D's heat map, G's arrows and mesh) and
//!   the analysis on a grid (densities, JSD/KL, modes).
//!
//! CycleGAN between two 2-D datasets reuses these networks (`crate::cycle::points`).

pub mod minibatch;
pub mod model;
pub mod train;
pub mod views;
