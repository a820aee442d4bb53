//! The 2-D run (`Trainer`), a [`GanRun`]. The GAN training loop: two networks, two optimizers, k D-steps per G-step, and the
//! stabilizers. Written by hand because burn-train's Learner does not run in the browser.
//!
//! Nothing here reads tensors back: losses stay on the device and callers read a whole chunk of
//! steps at once (asynchronously in the browser), so the GPU is never stalled once per step.

use burn::optim::ModuleOptimizer;
use burn::prelude::*;

use crate::averaging;
use crate::checkpoint::{Checkpoint, Part, gan_parts, load_gan};
use crate::config::{GanConfig, Rebuild};
use crate::objective::{Objective, ObjectiveKind};
use crate::points::model::{Discriminator, Mlp, discriminator, generator};
use crate::rng::Rng;
use crate::run::GanRun;
use crate::theory::Grid;

pub(super) use crate::game::stream;
pub use crate::game::{LOSS_STRIDE, StepMode, matrix, optimizer};
use crate::game::{
    Updates, discriminator_loss_and_value, iteration, optimizers_to_rebuild, r1_penalty, r1_weight,
    step_discriminator, step_generator, train_until, wgan_gp_penalty,
};

/// Points drawn in the views (real and generated).
pub const VIEW_POINTS: usize = 512;
/// Generated points behind the density estimate of p_g and the mode metrics.
pub const EVAL_POINTS: usize = 10_000;

/// The state of one training run.
/// Clone is cheap (tensors are shared), which the divergence guard's snapshots rely on.
#[derive(Clone)]
pub struct Trainer {
    pub(super) config: GanConfig,
    pub(super) device: Device,
    pub(super) generator: Mlp,
    /// The moving average of G's weights (without autodiff) while generator averaging is on.
    pub(super) generator_avg: Option<Mlp>,
    pub(super) discriminator: Discriminator,
    pub(super) opt_g: ModuleOptimizer,
    pub(super) opt_d: ModuleOptimizer,
    pub(super) data_rng: Rng,
    pub(super) noise_rng: Rng,
    pub(super) samples_rng: Rng,
    pub(super) stabilizer_rng: Rng,
    /// Fixed noise `[VIEW_POINTS, noise_dim]`, so the drawn generated points move smoothly.
    pub(super) view_noise: Tensor<2>,
    /// Fixed noise `[EVAL_POINTS, noise_dim]`, so the metrics are comparable over time.
    pub(super) eval_noise: Tensor<2>,
    /// Fixed real points for the views, x,y interleaved.
    pub(super) view_real: Vec<f32>,
    /// p_data on the last analysis grid (cell masses and how they were obtained).
    pub(super) data_masses: Option<(Grid, Vec<f64>, &'static str)>,
    pub(super) step: u64,
}

impl Trainer {
    /// New models on `device` (autodiff is enabled on it here), initialised from the config's
    /// seed.
    pub fn new(config: GanConfig, device: &Device) -> Self {
        let device = device.clone().autodiff();
        let seed = u64::from(config.seed);
        let mut model_rng = Rng::stream(seed, stream::MODEL);
        let generator = generator(&config.generator, config.noise.dim, &mut model_rng, &device);
        let discriminator = discriminator(&config, &mut model_rng, &device);
        let mut view_rng = Rng::stream(seed, stream::VIEW);
        let (dim, noise) = (config.noise.dim, config.noise.distribution);
        let view_noise = matrix(noise.sample(&mut view_rng, VIEW_POINTS, dim), dim, &device);
        let view_real = config.data.sample(&mut view_rng, VIEW_POINTS);
        let mut eval_rng = Rng::stream(seed, stream::EVAL);
        let eval_noise = matrix(noise.sample(&mut eval_rng, EVAL_POINTS, dim), dim, &device);
        let generator_avg = (config.stabilizers.generator_ema > 0.0).then(|| generator.valid());
        Self {
            opt_g: optimizer(&config.optimizer_g),
            opt_d: optimizer(&config.optimizer_d),
            data_rng: Rng::stream(seed, stream::DATA),
            noise_rng: Rng::stream(seed, stream::NOISE),
            samples_rng: Rng::stream(seed, stream::SAMPLES),
            stabilizer_rng: Rng::stream(seed, stream::STABILIZERS),
            generator,
            generator_avg,
            discriminator,
            view_noise: view_noise.without_autodiff(),
            eval_noise: eval_noise.without_autodiff(),
            view_real,
            data_masses: None,
            device,
            config,
            step: 0,
        }
    }

    /// A checkpoint of everything (natively, or on the CPU backend).
    pub fn checkpoint(&self, history: Vec<f32>) -> Checkpoint {
        self.checkpoint_of((&self.generator, &self.discriminator), history, true)
    }

    /// The run a checkpoint describes, on `device`; optimizer states as [`load_gan`] says.
    pub fn from_checkpoint(
        checkpoint: &Checkpoint,
        device: &Device,
        optimizers: bool,
    ) -> Result<Self, String> {
        if checkpoint.config.data.dataset.is_image() {
            return Err("checkpoint: this is an image GAN, not a 2-D point GAN".into());
        }
        if !checkpoint.config.cycle.is_off() {
            return Err(
                "checkpoint: this is a CycleGAN translation run, not a GAN from noise".into(),
            );
        }
        let mut run = Self::new(checkpoint.config.clone(), device);
        (run.generator, run.discriminator, run.opt_g, run.opt_d) = load_gan(
            checkpoint,
            (run.generator, run.discriminator),
            (run.opt_g, run.opt_d),
            optimizers,
        )?;
        if run.generator_avg.is_some() {
            run.generator_avg = Some(averaging::load_average(checkpoint, &run.generator)?);
        }
        if let [data, noise, samples, stabilizer] = checkpoint.rngs.as_slice() {
            run.data_rng = data.clone();
            run.noise_rng = noise.clone();
            run.samples_rng = samples.clone();
            run.stabilizer_rng = stabilizer.clone();
        }
        run.step = checkpoint.step;
        Ok(run)
    }

    /// Changes the learning rates; models and optimizer state are kept.
    pub fn set_learning_rates(&mut self, lr_d: f64, lr_g: f64) {
        self.config.optimizer_d.lr = lr_d;
        self.config.optimizer_g.lr = lr_g;
    }

    /// `n` real points `[n, 2]`, with instance noise when it is on.
    fn real_points(&mut self, n: usize) -> Tensor<2> {
        let mut points = self.config.data.sample(&mut self.data_rng, n);
        let sigma = self.config.stabilizers.instance_noise;
        if sigma > 0.0 {
            for v in &mut points {
                *v += (sigma * self.stabilizer_rng.normal()) as f32;
            }
        }
        matrix(points, 2, &self.device)
    }

    /// `fake` `[n, 2]` with instance noise when it is on.
    fn noisy(&mut self, fake: Tensor<2>) -> Tensor<2> {
        let sigma = self.config.stabilizers.instance_noise;
        if sigma <= 0.0 {
            return fake;
        }
        let n = fake.dims()[0];
        let noise: Vec<f32> = (0..2 * n)
            .map(|_| (sigma * self.stabilizer_rng.normal()) as f32)
            .collect();
        fake + matrix(noise, 2, &self.device)
    }

    fn noise_batch(&mut self, n: usize) -> Tensor<2> {
        let dim = self.config.noise.dim;
        let z = self
            .config
            .noise
            .distribution
            .sample(&mut self.noise_rng, n, dim);
        matrix(z, dim, &self.device) // [n, noise_dim]
    }

    /// m consecutive points per row: `[n·m, 2]` → `[n, 2m]` (PacGAN).
    pub(super) fn pack(&self, points: Tensor<2>) -> Tensor<2> {
        let m = self.discriminator.packing;
        if m == 1 {
            return points; // no reshape node for the common case
        }
        let n = points.dims()[0] / m;
        points.reshape([n, 2 * m])
    }

    /// One update of D; returns its loss and the game's value, `[1]` each.
    fn discriminator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>) {
        let (batch, m) = (self.config.train.batch_size, self.discriminator.packing);
        let real = self.real_points(batch * m);
        let real = self.pack(real); // [batch, 2m]
        let z = self.noise_batch(batch * m);
        // G's points as constants, computed off the autodiff graph: D's update never reaches
        // into G, and the small steps pay for every graph node.
        let fake = self.generator.valid().forward(z.inner()).autodiff(); // [batch·m, 2]
        let fake = self.noisy(fake);
        let fake = self.pack(fake); // [batch, 2m]
        let d = &self.discriminator;
        let (real_out, fake_out) = d.forward_pair(real.clone(), fake.clone()); // [batch, 1] each
        let s = &self.config.stabilizers;
        let (mut loss, value) =
            discriminator_loss_and_value(objective, s.label_smoothing, real_out, fake_out);
        if let Some(penalty) =
            gradient_penalties(d, real, fake, &self.config, &mut self.stabilizer_rng)
        {
            loss = loss + penalty;
        }
        let d = self.discriminator.clone();
        self.discriminator = step_discriminator(&mut self.opt_d, &self.config, d, &loss, self.step);
        (loss.detach(), value)
    }

    /// One update of G; returns its loss and ‖∂L_G/∂θ_G‖, `[1]` each.
    fn generator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>) {
        let (batch, m) = (self.config.train.batch_size, self.discriminator.packing);
        let z = self.noise_batch(batch * m);
        let fake = self.generator.forward(z); // [batch·m, 2]
        let fake = self.noisy(fake);
        let fake = self.pack(fake); // [batch, 2m]
        // D's weights as constants: the backward pass then skips their gradients, which G's
        // update never reads.
        let judge = self.discriminator.clone().set_require_grad(false);
        let loss = objective.g_loss(judge.forward(fake));
        let g = self.generator.clone();
        let (g, norm) = step_generator(
            &mut self.opt_g,
            &self.config,
            g,
            &loss,
            &self.device,
            self.step,
        );
        self.generator = g;
        if let Some(avg) = self.generator_avg.take() {
            let beta = self.config.stabilizers.generator_ema;
            self.generator_avg = Some(averaging::averaged_toward(avg, &self.generator, beta));
        }
        (loss.detach(), norm)
    }

    /// One iteration. Returns `[LOSS_STRIDE]`: the last D loss, the last G loss, the game's
    /// value at the last D step and ‖∂L_G/∂θ_G‖ at the last G step (NaN for a part the mode skips).
    pub fn iteration(&mut self, mode: StepMode) -> Tensor<1> {
        iteration(self, mode)
    }

    /// Runs `steps` iterations (at least one); returns their losses `[steps · LOSS_STRIDE]`,
    /// unread.
    pub fn train(&mut self, steps: usize) -> Tensor<1> {
        train_until(self, steps, StepMode::Both, &mut || false)
    }
}

/// The gradient penalties on a D of points that the config asks for, `[1]`, or `None`:
/// WGAN-GP's λ·E[(‖∇D(x̂)‖ − 1)²] at x̂ = εx + (1 − ε)x̃, ε ~ U(0, 1) per row (from `rng`), and
/// R1's (γ/2)·E[‖∇D(x)‖²] on the `real` rows `[batch, width]` (`fake` the same shape).
pub(crate) fn gradient_penalties(
    d: &Discriminator,
    real: Tensor<2>,
    fake: Tensor<2>,
    config: &GanConfig,
    rng: &mut Rng,
) -> Option<Tensor<1>> {
    let mut terms = Vec::new();
    if config.objective.kind == ObjectiveKind::WganGp {
        let batch = real.dims()[0];
        let eps: Vec<f32> = (0..batch).map(|_| rng.uniform() as f32).collect();
        let eps = matrix(eps, 1, &real.device()); // [batch, 1]
        let between = real.clone() * eps.clone() + fake * eps.neg().add_scalar(1.0);
        let g = d.input_gradient(between); // [batch, width]
        terms.push(wgan_gp_penalty(g, config.objective.gp_weight));
    }
    let gamma = r1_weight(config);
    if gamma > 0.0 {
        let g = d.input_gradient(real); // [batch, width]
        terms.push(r1_penalty(g, gamma));
    }
    terms.into_iter().reduce(|a, b| a + b)
}

impl GanRun for Trainer {
    type Generator = Mlp;
    type Discriminator = Discriminator;

    /// The configuration in use.
    fn config(&self) -> &GanConfig {
        &self.config
    }

    /// Iterations done since the models were built.
    fn step(&self) -> u64 {
        self.step
    }

    /// The training device (autodiff enabled).
    fn device(&self) -> &Device {
        &self.device
    }

    /// G and D, e.g. to copy them to the CPU before a checkpoint in the browser.
    fn models(&self) -> (&Mlp, &Discriminator) {
        (&self.generator, &self.discriminator)
    }

    /// Like [`Self::train`] in `mode`, but stops early once `done()` says so after an iteration
    /// (the page passes a time budget, so a chunk never holds its worker for long).
    fn train_until(
        &mut self,
        max_steps: usize,
        mode: StepMode,
        done: &mut dyn FnMut() -> bool,
    ) -> Tensor<1> {
        train_until(self, max_steps, mode, done)
    }

    /// Applies a (validated) configuration to the running training and says what it rebuilt:
    /// a new seed, noise or G restarts the run; a new D architecture, packing or minibatch std
    /// gives D fresh weights; everything else changes on the running models.
    fn reconfigure(&mut self, config: GanConfig) -> Rebuild {
        let rebuild = self.config.rebuild(&config);
        if rebuild.generator {
            *self = Self::new(config, &self.device);
            return rebuild;
        }
        if rebuild.discriminator {
            let mut rng = Rng::stream(u64::from(config.seed), stream::NEW_D + self.step);
            self.discriminator = discriminator(&config, &mut rng, &self.device);
        } else {
            let sn = config.stabilizers.spectral_norm;
            self.discriminator = self.discriminator.clone().with_spectral_norm(sn);
        }
        let (new_opt_d, new_opt_g) =
            optimizers_to_rebuild(&self.config, &config, rebuild.discriminator);
        if new_opt_d {
            self.opt_d = optimizer(&config.optimizer_d);
        }
        if new_opt_g {
            self.opt_g = optimizer(&config.optimizer_g);
        }
        if self.config.data != config.data {
            let mut rng = Rng::stream(u64::from(config.seed), stream::VIEW);
            self.view_real = config.data.sample(&mut rng, VIEW_POINTS);
            self.data_masses = None;
        }
        self.generator_avg = averaging::follow_config(
            self.generator_avg.take(),
            config.stabilizers.generator_ema,
            &self.generator,
        );
        self.config = config;
        rebuild
    }

    /// A checkpoint of the run with the loss `history`, from `models` (this run's G and D, or
    /// copies of them on the CPU) and, when `optimizers`, the optimizer states (read
    /// synchronously: not in the browser on WebGPU).
    fn checkpoint_of(
        &self,
        models: (&Mlp, &Discriminator),
        history: Vec<f32>,
        optimizers: bool,
    ) -> Checkpoint {
        let optimizers = optimizers.then_some((&self.opt_g, &self.opt_d));
        let mut parts = gan_parts(models.0, models.1, optimizers);
        // Read synchronously like the optimizers, so only saved where they are.
        if let Some(avg) = self.generator_avg.as_ref().filter(|_| optimizers.is_some()) {
            parts.push((averaging::AVERAGE_PART.into(), avg.part_bytes()));
        }
        let rngs = [
            &self.data_rng,
            &self.noise_rng,
            &self.samples_rng,
            &self.stabilizer_rng,
        ];
        Checkpoint {
            config: self.config.clone(),
            step: self.step,
            rngs: rngs.into_iter().cloned().collect(),
            history,
            parts,
        }
    }
}

impl Updates for Trainer {
    fn config(&self) -> &GanConfig {
        &self.config
    }
    fn device(&self) -> &Device {
        &self.device
    }
    fn discriminator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>) {
        Trainer::discriminator_update(self, objective)
    }
    fn generator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>) {
        Trainer::generator_update(self, objective)
    }
    fn count_step(&mut self) {
        self.step += 1;
    }
}
