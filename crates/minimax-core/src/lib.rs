//! Minimax core: GAN data, models, objectives, the training loop and metrics, in pure Burn.
//! No web code: the wasm crate and the command line are thin layers over this crate.

pub mod adam;
pub mod averaging;
pub mod checkpoint;
pub mod config;
pub mod cycle;
pub mod data;
pub mod dirac;
pub mod game;
pub mod guard;
pub mod image;
pub mod likelihood;
pub mod metrics;
pub mod objective;
pub mod points;
pub mod presets;
pub mod rng;
pub mod run;
pub mod stabilizers;
pub mod theory;
