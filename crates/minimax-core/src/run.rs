//! One abstraction for a GAN run, whatever its networks: the 2-D trainer (`train::Trainer`, MLPs
//! on points) and the image trainer (`image::train::ImageTrainer`, DCGAN or StyleGAN-lite on
//! MNIST) both implement [`GanRun`], and everything that drives a run — the page's chunked
//! training under the divergence guard (`guard`), checkpoints, the CLI — is written once against
//! it. Sized for this project's GANs and for CycleGAN's four networks to come: a run exposes its
//! networks as checkpoint parts, not as a fixed (G, D) pair of types in its callers.

use burn::prelude::*;

use crate::checkpoint::{Checkpoint, Part};
use crate::config::{GanConfig, Rebuild};
use crate::game::StepMode;

/// A training run of one GAN: its config, device, step counter, the iterations, live changes
/// and its checkpoint. Clone is cheap (Burn tensors are shared until training moves on), which
/// the divergence guard's kept states rely on.
pub trait GanRun: Clone + 'static {
    /// The generator's network (a checkpoint part).
    type Generator: Module + Part;
    /// The discriminator's (or critic's) network.
    type Discriminator: Module + Part;

    /// The config the run trains with.
    fn config(&self) -> &GanConfig;
    /// The device it trains on.
    fn device(&self) -> &Device;
    /// Iterations done so far.
    fn step(&self) -> u64;
    /// Up to `max_steps` iterations in `mode` (at least one), stopping early once `done()` says
    /// so after an iteration; their losses `[steps · LOSS_STRIDE]`, unread.
    fn train_until(
        &mut self,
        max_steps: usize,
        mode: StepMode,
        done: &mut dyn FnMut() -> bool,
    ) -> Tensor<1>;
    /// Applies a valid config to the running networks; says which were rebuilt.
    fn reconfigure(&mut self, config: GanConfig) -> Rebuild;
    /// The networks as trained (for views and checkpoints).
    fn models(&self) -> (&Self::Generator, &Self::Discriminator);
    /// The run as a checkpoint, with `models` (the run's own, or copies of them, e.g. read back
    /// to the CPU) and the loss `history`; the optimizers' states too when `optimizers`.
    fn checkpoint_of(
        &self,
        models: (&Self::Generator, &Self::Discriminator),
        history: Vec<f32>,
        optimizers: bool,
    ) -> Checkpoint;
}
