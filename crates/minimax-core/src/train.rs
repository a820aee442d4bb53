//! The GAN training loop: two networks, two optimizers, k D-steps per G-step. Written by hand
//! because burn-train's Learner does not run in the browser.
//!
//! Nothing here reads tensors back: losses stay on the device and callers read a whole chunk of
//! steps at once (asynchronously in the browser), so the GPU is never stalled once per step.

use burn::optim::{
    AdamConfig, GradientsParams, ModuleOptimizer, RmsPropConfig, SgdConfig,
    momentum::MomentumConfig,
};
use burn::prelude::*;

use crate::config::{GanConfig, OptimizerConfig, OptimizerKind};
use crate::model::{Mlp, discriminator, generator};
use crate::objective::{Objective, minimax_value};
use crate::rng::Rng;

/// Points drawn in the views (real and generated).
pub const VIEW_POINTS: usize = 512;

/// Independent random streams of one seed.
mod stream {
    pub const DATA: u64 = 1;
    pub const NOISE: u64 = 2;
    pub const VIEW: u64 = 3;
    pub const SAMPLES: u64 = 4;
    pub const MODEL: u64 = 5;
}

/// Builds the optimizer a config names.
pub fn optimizer(config: &OptimizerConfig) -> ModuleOptimizer {
    match config.kind {
        OptimizerKind::Sgd => {
            let momentum = (config.momentum > 0.0).then(|| {
                MomentumConfig::new()
                    .with_momentum(config.momentum)
                    .with_dampening(0.0)
            });
            SgdConfig::new().with_momentum(momentum).init()
        }
        OptimizerKind::Adam => AdamConfig::new()
            .with_beta_1(config.beta1 as f32)
            .with_beta_2(config.beta2 as f32)
            .init(),
        OptimizerKind::Rmsprop => RmsPropConfig::new()
            .with_alpha(config.alpha as f32)
            .with_momentum(config.momentum as f32)
            .init(),
    }
}

/// One update of D on a batch of real and generated points; returns D and its loss `[1]`.
pub fn discriminator_update(
    d: Mlp,
    opt: &mut ModuleOptimizer,
    lr: f64,
    objective: &dyn Objective,
    real: Tensor<2>, // [batch, 2]
    fake: Tensor<2>, // [batch, 2], outside G's graph
) -> (Mlp, Tensor<1>, Tensor<1>) {
    let real_logits = d.forward(real); // [batch, 1]
    let fake_logits = d.forward(fake); // [batch, 1]
    let value = minimax_value(real_logits.clone().detach(), fake_logits.clone().detach());
    let loss = objective.d_loss(real_logits, fake_logits);
    let grads = GradientsParams::from_grads(loss.backward(), &d);
    (opt.step(lr, d, grads), loss.detach(), value)
}

/// The state of one training run.
pub struct Trainer {
    config: GanConfig,
    device: Device,
    generator: Mlp,
    discriminator: Mlp,
    opt_g: ModuleOptimizer,
    opt_d: ModuleOptimizer,
    data_rng: Rng,
    noise_rng: Rng,
    samples_rng: Rng,
    /// Fixed noise `[VIEW_POINTS, noise_dim]`, so the drawn generated points move smoothly.
    view_noise: Tensor<2>,
    /// Fixed real points for the views, x,y interleaved.
    view_real: Vec<f32>,
    step: u64,
}

impl Trainer {
    /// New models on `device` (autodiff is enabled on it here), initialised from the config's
    /// seed.
    pub fn new(config: GanConfig, device: &Device) -> Self {
        let device = device.clone().autodiff();
        let seed = u64::from(config.seed);
        let mut model_rng = Rng::stream(seed, stream::MODEL);
        let generator = generator(&config.generator, config.noise.dim, &mut model_rng, &device);
        let discriminator = discriminator(&config.discriminator, &mut model_rng, &device);
        let mut view_rng = Rng::stream(seed, stream::VIEW);
        let view_noise =
            config
                .noise
                .distribution
                .sample(&mut view_rng, VIEW_POINTS, config.noise.dim);
        let view_real = config.data.dataset.sample(&mut view_rng, VIEW_POINTS);
        let view_noise = matrix(view_noise, config.noise.dim, &device).without_autodiff();
        Self {
            opt_g: optimizer(&config.optimizer_g),
            opt_d: optimizer(&config.optimizer_d),
            data_rng: Rng::stream(seed, stream::DATA),
            noise_rng: Rng::stream(seed, stream::NOISE),
            samples_rng: Rng::stream(seed, stream::SAMPLES),
            generator,
            discriminator,
            view_noise,
            view_real,
            device,
            config,
            step: 0,
        }
    }

    /// The configuration (learning rates as last set).
    pub fn config(&self) -> &GanConfig {
        &self.config
    }

    /// Iterations done since the models were built.
    pub fn step(&self) -> u64 {
        self.step
    }

    /// The training device (autodiff enabled).
    pub fn device(&self) -> &Device {
        &self.device
    }

    /// Changes the learning rates; models and optimizer state are kept.
    pub fn set_learning_rates(&mut self, lr_d: f64, lr_g: f64) {
        self.config.optimizer_d.lr = lr_d;
        self.config.optimizer_g.lr = lr_g;
    }

    fn real_batch(&mut self) -> Tensor<2> {
        let n = self.config.train.batch_size;
        matrix(
            self.config.data.dataset.sample(&mut self.data_rng, n),
            2,
            &self.device,
        )
    }

    fn noise_batch(&mut self) -> Tensor<2> {
        let (n, dim) = (self.config.train.batch_size, self.config.noise.dim);
        matrix(
            self.config
                .noise
                .distribution
                .sample(&mut self.noise_rng, n, dim),
            dim,
            &self.device,
        )
    }

    /// One iteration: `d_steps` updates of D, then `g_steps` updates of G.
    /// Returns `[3]`: the last D loss, the last G loss, and V(D, G) at the last D step.
    pub fn iteration(&mut self) -> Tensor<1> {
        let objective = self.config.objective.kind.objective();
        let (lr_d, lr_g) = (self.config.optimizer_d.lr, self.config.optimizer_g.lr);
        let mut d_stats = None;
        for _ in 0..self.config.train.d_steps {
            let real = self.real_batch();
            let z = self.noise_batch(); // [batch, noise_dim]
            let fake = self.generator.forward(z).detach(); // [batch, 2]
            let d = self.discriminator.clone();
            let (d, loss, value) =
                discriminator_update(d, &mut self.opt_d, lr_d, objective, real, fake);
            self.discriminator = d;
            d_stats = Some((loss, value));
        }
        let mut g_loss = None;
        for _ in 0..self.config.train.g_steps {
            let z = self.noise_batch(); // [batch, noise_dim]
            let fake = self.generator.forward(z); // [batch, 2]
            let loss = objective.g_loss(self.discriminator.forward(fake));
            let grads = GradientsParams::from_grads(loss.backward(), &self.generator);
            self.generator = self.opt_g.step(lr_g, self.generator.clone(), grads);
            g_loss = Some(loss.detach());
        }
        self.step += 1;
        let (d_loss, value) = d_stats.expect("validated: d_steps >= 1");
        Tensor::cat(
            vec![d_loss, g_loss.expect("validated: g_steps >= 1"), value],
            0,
        )
    }

    /// Runs `steps` iterations (at least one); returns their losses `[steps * 3]` (D loss,
    /// G loss, V(D, G) per iteration), unread.
    pub fn train(&mut self, steps: usize) -> Tensor<1> {
        self.train_until(steps, || false)
    }

    /// Like [`Self::train`], but stops early once `done()` says so after an iteration (the page
    /// passes a time budget, so a chunk never holds the main thread for long).
    pub fn train_until(&mut self, max_steps: usize, mut done: impl FnMut() -> bool) -> Tensor<1> {
        let mut losses = Vec::new();
        while losses.len() < max_steps.max(1) {
            losses.push(self.iteration());
            if done() {
                break;
            }
        }
        Tensor::cat(losses, 0).without_autodiff()
    }

    /// The fixed real points drawn in the views, x,y interleaved.
    pub fn view_real(&self) -> &[f32] {
        &self.view_real
    }

    /// G on the fixed view noise: `[VIEW_POINTS, 2]`.
    pub fn view_fake(&self) -> Tensor<2> {
        self.generator.valid().forward(self.view_noise.clone())
    }

    /// `n` generated points from fresh noise: `[n, 2]`.
    pub fn samples(&mut self, n: usize) -> Tensor<2> {
        let dim = self.config.noise.dim;
        let z = self
            .config
            .noise
            .distribution
            .sample(&mut self.samples_rng, n, dim);
        self.generator
            .valid()
            .forward(matrix(z, dim, &self.device).without_autodiff())
    }

    /// D(x) = σ(logit) on a `res × res` grid over [`Self::bounds`]: `[res * res]`, row 0 at the top
    /// (largest y), column 0 at the smallest x.
    pub fn discriminator_grid(&self, res: usize) -> Tensor<1> {
        let (lo, hi) = self.bounds();
        let cell = (hi - lo) / res as f32;
        let mut points = Vec::with_capacity(2 * res * res);
        for row in 0..res {
            let y = hi - (row as f32 + 0.5) * cell;
            for col in 0..res {
                points.extend([lo + (col as f32 + 0.5) * cell, y]);
            }
        }
        let grid = matrix(points, 2, &self.device).without_autodiff(); // [res², 2]
        let logits = self.discriminator.valid().forward(grid); // [res², 1]
        burn::tensor::activation::sigmoid(logits).reshape([res * res])
    }

    /// The square `[lo, hi]²` the views draw.
    pub fn bounds(&self) -> (f32, f32) {
        self.config.data.dataset.bounds()
    }
}

/// Row-major `values` as a `[len / cols, cols]` tensor.
pub fn matrix(values: Vec<f32>, cols: usize, device: &Device) -> Tensor<2> {
    let rows = values.len() / cols;
    Tensor::from_data(TensorData::new(values, [rows, cols]), device)
}
