//! The image GAN's training loop: the same objectives, schedule, step modes and loss layout as the
//! 2-D playground ([`crate::points::train`]), on DCGAN or StyleGAN-lite networks and real MNIST digits.

use std::sync::Arc;

use burn::optim::ModuleOptimizer;
use burn::prelude::*;

use super::dcgan::{DcganDiscriminator, DcganShape, one_hot};
use super::generator::{ImageGenerator, StyleInputs, StyleMix};
use super::mnist::{CLASSES, Mnist, PIXELS, SIDE};
use super::stylegan::{STYLE_SLOTS, StyleShape};
use crate::averaging::{self, AVERAGE_PART};
use crate::checkpoint::{Checkpoint, Part, gan_parts, load_gan};
use crate::config::{GanConfig, Rebuild};
use crate::game::{
    StepMode, Updates, discriminator_loss_and_value, iteration, optimizer, optimizers_to_rebuild,
    r1_penalty, r1_weight, step_discriminator, step_generator, stream, train_until,
    wgan_gp_penalty,
};
use crate::objective::{Objective, ObjectiveKind};
use crate::rng::Rng;
use crate::run::GanRun;

/// Digits in the live sample grid (8×8), generated from fixed noise.
pub const GRID_SAMPLES: usize = 64;

/// The gradient penalties a digit D's loss adds, in order (none, one or both): WGAN-GP's λ·E[(‖∇D(x̂)‖ − 1)²] at
/// x̂ = εx + (1 − ε)x̃, ε ~ U(0, 1) per digit (with the real digits' labels), and R1's
/// γ/2·E‖∇D(x)‖² on the real digits. `real` and `fake` are `[n, 1, 28, 28]`.
pub(crate) fn gradient_penalties(
    d: &DcganDiscriminator,
    real: Tensor<4>,
    fake: Tensor<4>,
    real_labels: Option<Tensor<2>>,
    config: &GanConfig,
    rng: &mut Rng,
) -> Vec<Tensor<1>> {
    let mut terms = Vec::new();
    if config.objective.kind == ObjectiveKind::WganGp {
        let n = real.dims()[0];
        let eps: Vec<f32> = (0..n).map(|_| rng.uniform() as f32).collect();
        let eps = Tensor::<4>::from_data(TensorData::new(eps, [n, 1, 1, 1]), &real.device());
        let between = real.clone() * eps.clone() + fake * eps.neg().add_scalar(1.0);
        let g = d.input_gradient(between, real_labels.clone()); // [n, 1, 28, 28]
        terms.push(wgan_gp_penalty(g.flatten(1, 3), config.objective.gp_weight));
    }
    let gamma = r1_weight(config);
    if gamma > 0.0 {
        let g = d.input_gradient(real, real_labels); // [n, 1, 28, 28]
        terms.push(r1_penalty(g.flatten(1, 3), gamma));
    }
    terms
}

/// The state of one image GAN run.
/// Clone is cheap (tensors are shared), which the divergence guard's snapshots rely on.
#[derive(Clone)]
pub struct ImageTrainer {
    pub(super) config: GanConfig,
    pub(super) device: Device,
    data: Arc<Mnist>,
    pub(super) generator: ImageGenerator,
    /// The moving average of G's weights and batch statistics (without autodiff) while
    /// generator averaging is on: what every view, score and sample shows.
    pub(super) generator_avg: Option<ImageGenerator>,
    pub(super) discriminator: DcganDiscriminator,
    pub(super) opt_g: ModuleOptimizer,
    pub(super) opt_d: ModuleOptimizer,
    data_rng: Rng,
    noise_rng: Rng,
    stabilizer_rng: Rng,
    /// Fixed noise of the sample grid `[GRID_SAMPLES, noise_dim]`.
    pub(super) grid_noise: Vec<f32>,
    /// Two fixed directions in z for the latent walk, each `[noise_dim]` of unit length.
    pub(super) walk_directions: [Vec<f32>; 2],
    /// StyleGAN: the fixed per-layer noise of every view `[noise_len]` (empty for DCGAN).
    pub(super) view_noise: Vec<f32>,
    /// StyleGAN's truncation ψ for views (1 = none).
    pub(super) truncation: f32,
    pub(super) step: u64,
}

impl ImageTrainer {
    /// New DCGAN networks on `device` (autodiff enabled here) for the training digits `data`.
    pub fn new(config: GanConfig, data: Arc<Mnist>, device: &Device) -> Self {
        let device = device.clone().autodiff();
        let seed = u64::from(config.seed);
        let shape = DcganShape::of(&config);
        let mut model_rng = Rng::stream(seed, stream::MODEL);
        let generator = ImageGenerator::new(&config, &mut model_rng, &device);
        let discriminator = DcganDiscriminator::new(&shape, &mut model_rng, &device);
        let mut view_rng = Rng::stream(seed, stream::VIEW);
        let dim = config.noise.dim;
        let grid_noise = config
            .noise
            .distribution
            .sample(&mut view_rng, GRID_SAMPLES, dim);
        let mut direction = || {
            let v: Vec<f64> = (0..dim).map(|_| view_rng.normal()).collect();
            let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-12);
            v.iter().map(|x| (x / norm) as f32).collect::<Vec<f32>>()
        };
        let walk_directions = [direction(), direction()];
        let view_noise = match generator {
            ImageGenerator::Style(_) => {
                let mut rng = Rng::stream(seed, stream::STYLE_VIEW);
                (0..StyleShape::of(&config).noise_len())
                    .map(|_| rng.normal() as f32)
                    .collect()
            }
            ImageGenerator::Dcgan(_) => Vec::new(),
        };
        let generator_avg = (config.stabilizers.generator_ema > 0.0).then(|| generator.valid());
        Self {
            opt_g: optimizer(&config.optimizer_g),
            opt_d: optimizer(&config.optimizer_d),
            data_rng: Rng::stream(seed, stream::DATA),
            noise_rng: Rng::stream(seed, stream::NOISE),
            stabilizer_rng: Rng::stream(seed, stream::STABILIZERS),
            generator,
            generator_avg,
            discriminator,
            grid_noise,
            walk_directions,
            view_noise,
            truncation: 1.0,
            data,
            device,
            config,
            step: 0,
        }
    }

    /// The training digits.
    pub fn data(&self) -> &Arc<Mnist> {
        &self.data
    }

    /// One iteration; `[LOSS_STRIDE]` as in the 2-D trainer.
    pub fn iteration(&mut self, mode: StepMode) -> Tensor<1> {
        iteration(self, mode)
    }

    pub(super) fn conditional(&self) -> bool {
        self.config.data.conditional
    }

    /// `[n, 1, 28, 28]` plus instance noise when it is on.
    fn noisy(&mut self, x: Tensor<4>) -> Tensor<4> {
        let sigma = self.config.stabilizers.instance_noise;
        if sigma <= 0.0 {
            return x;
        }
        let n = x.dims()[0];
        let noise: Vec<f32> = (0..n * PIXELS)
            .map(|_| (sigma * self.stabilizer_rng.normal()) as f32)
            .collect();
        x + Tensor::from_data(TensorData::new(noise, [n, 1, SIDE, SIDE]), &self.device)
    }

    /// Noise `[n, noise_dim]` and, for a conditional G, uniformly drawn labels `[n, 10]`.
    fn noise_batch(&mut self, n: usize) -> (Tensor<2>, Option<Tensor<2>>) {
        let dim = self.config.noise.dim;
        let z = self
            .config
            .noise
            .distribution
            .sample(&mut self.noise_rng, n, dim);
        let z = Tensor::from_data(TensorData::new(z, [n, dim]), &self.device);
        let labels = self.conditional().then(|| {
            let labels: Vec<u8> = (0..n)
                .map(|_| self.noise_rng.below(CLASSES) as u8)
                .collect();
            one_hot(&labels, &self.device)
        });
        (z, labels)
    }

    /// A training batch of G's input: z, labels, and (StyleGAN) fresh per-layer noise and
    /// mixing regularisation: with probability `style_mixing` a digit takes its styles from a
    /// second z from a random slot on (1 or 2). DCGAN draws nothing more.
    fn generator_input(&mut self, n: usize) -> (Tensor<2>, Option<Tensor<2>>, Option<StyleInputs>) {
        let (z, labels) = self.noise_batch(n);
        let ImageGenerator::Style(_) = self.generator else {
            return (z, labels, None);
        };
        let len = StyleShape::of(&self.config).noise_len();
        let noise: Vec<f32> = (0..n * len)
            .map(|_| self.noise_rng.normal() as f32)
            .collect();
        let noise = Tensor::from_data(TensorData::new(noise, [n, len]), &self.device);
        let p = self.config.generator.style_mixing;
        let mix = (p > 0.0).then(|| {
            let (z2, _) = self.noise_batch(n);
            let from_second: Vec<[bool; STYLE_SLOTS]> = (0..n)
                .map(|_| {
                    let crossover = if self.noise_rng.uniform() < p {
                        1 + self.noise_rng.below(STYLE_SLOTS - 1)
                    } else {
                        STYLE_SLOTS
                    };
                    std::array::from_fn(|slot| slot >= crossover)
                })
                .collect();
            StyleMix {
                z: z2,
                labels: None, // the same class in every slot, as StyleGAN2-ADA trains
                slots: from_second,
            }
        });
        let style = StyleInputs {
            noise,
            mix,
            truncation: None,
        };
        (z, labels, Some(style))
    }

    fn real_batch(&mut self, n: usize) -> (Tensor<4>, Option<Tensor<2>>) {
        let (x, labels) = self.data.batch(&mut self.data_rng, n, &self.device);
        let labels = self.conditional().then(|| one_hot(&labels, &self.device));
        (self.noisy(x), labels)
    }

    fn discriminator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>) {
        let batch = self.config.train.batch_size;
        let (real, real_labels) = self.real_batch(batch); // [batch, 1, 28, 28]
        let (z, fake_labels, style) = self.generator_input(batch);
        let fake = self
            .generator
            .forward(z, fake_labels.clone(), style)
            .detach();
        let fake = self.noisy(fake); // [batch, 1, 28, 28]
        let d = &self.discriminator;
        let real_out = d.forward(real.clone(), real_labels.clone()); // [batch, 1]
        let fake_out = d.forward(fake.clone(), fake_labels); // [batch, 1]
        let s = &self.config.stabilizers;
        let (mut loss, value) =
            discriminator_loss_and_value(objective, s.label_smoothing, real_out, fake_out);
        let penalties = gradient_penalties(
            d,
            real,
            fake,
            real_labels,
            &self.config,
            &mut self.stabilizer_rng,
        );
        for penalty in penalties {
            loss = loss + penalty;
        }
        let d = self.discriminator.clone();
        self.discriminator = step_discriminator(&mut self.opt_d, &self.config, d, &loss, self.step);
        (loss.detach(), value)
    }

    fn generator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>) {
        let batch = self.config.train.batch_size;
        let (z, labels, style) = self.generator_input(batch);
        let fake = self.generator.forward(z, labels.clone(), style); // [batch, 1, 28, 28]
        let fake = self.noisy(fake);
        let loss = objective.g_loss(self.discriminator.forward(fake, labels)); // [1]
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

    /// A checkpoint of everything (natively, or on the CPU backend).
    pub fn checkpoint(&self, history: Vec<f32>) -> Checkpoint {
        self.checkpoint_of((&self.generator, &self.discriminator), history, true)
    }

    /// The run a checkpoint describes, on `device`; optimizer states as [`load_gan`] says.
    pub fn from_checkpoint(
        checkpoint: &Checkpoint,
        data: Arc<Mnist>,
        device: &Device,
        optimizers: bool,
    ) -> Result<Self, String> {
        if !checkpoint.config.data.dataset.is_image() {
            return Err("checkpoint: this is a 2-D point GAN, not an image GAN".into());
        }
        if checkpoint.config.is_digit_cycle() {
            return Err(
                "checkpoint: this is a CycleGAN digit translator, not a GAN from noise".into(),
            );
        }
        let mut run = Self::new(checkpoint.config.clone(), data, device);
        (run.generator, run.discriminator, run.opt_g, run.opt_d) = load_gan(
            checkpoint,
            (run.generator, run.discriminator),
            (run.opt_g, run.opt_d),
            optimizers,
        )?;
        if run.generator_avg.is_some() {
            run.generator_avg = Some(averaging::load_average(checkpoint, &run.generator)?);
        }
        if let [data, noise, stabilizer] = checkpoint.rngs.as_slice() {
            run.data_rng = data.clone();
            run.noise_rng = noise.clone();
            run.stabilizer_rng = stabilizer.clone();
        }
        run.step = checkpoint.step;
        Ok(run)
    }

    /// Only G from a checkpoint (a pretrained generator): the run continues with this G and a
    /// fresh D. A file trained with generator averaging shows its average: as this run's average
    /// when this run averages too, otherwise as G itself (the G its trainer shipped).
    pub fn load_generator(&mut self, checkpoint: &Checkpoint) -> Result<(), String> {
        if checkpoint.config.generator.kind != self.config.generator.kind {
            return Err("checkpoint: its generator is of another kind than this run's".into());
        }
        let has_average = checkpoint.part(AVERAGE_PART).is_ok();
        let part = if has_average && self.generator_avg.is_none() {
            AVERAGE_PART
        } else {
            "generator"
        };
        let g = self
            .generator
            .clone()
            .load_part(checkpoint.part(part)?, part)?;
        self.generator = g;
        if self.generator_avg.is_some() {
            self.generator_avg = Some(averaging::load_average(checkpoint, &self.generator)?);
        }
        Ok(())
    }

    /// Parameter counts of G and D.
    pub fn parameter_counts(&self) -> (usize, usize) {
        (self.generator.num_params(), self.discriminator.num_params())
    }
}

impl GanRun for ImageTrainer {
    type Generator = ImageGenerator;
    type Discriminator = DcganDiscriminator;

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
    fn models(&self) -> (&ImageGenerator, &DcganDiscriminator) {
        (&self.generator, &self.discriminator)
    }

    /// A checkpoint of the run with the loss `history`, from `models` (this run's G and D, or
    /// copies of them on the CPU) and, when `optimizers`, the optimizer states (read
    /// synchronously: not in the browser on WebGPU).
    fn checkpoint_of(
        &self,
        models: (&ImageGenerator, &DcganDiscriminator),
        history: Vec<f32>,
        optimizers: bool,
    ) -> Checkpoint {
        let optimizers = optimizers.then_some((&self.opt_g, &self.opt_d));
        let mut parts = gan_parts(models.0, models.1, optimizers);
        // Read synchronously like the optimizers, so only saved where they are.
        if let Some(avg) = self.generator_avg.as_ref().filter(|_| optimizers.is_some()) {
            parts.push((AVERAGE_PART.into(), avg.part_bytes()));
        }
        Checkpoint {
            config: self.config.clone(),
            step: self.step,
            rngs: vec![
                self.data_rng.clone(),
                self.noise_rng.clone(),
                self.stabilizer_rng.clone(),
            ],
            history,
            parts,
        }
    }

    /// Up to `max_steps` iterations in `mode`, stopping once `done()`; losses unread.
    fn train_until(
        &mut self,
        max_steps: usize,
        mode: StepMode,
        done: &mut dyn FnMut() -> bool,
    ) -> Tensor<1> {
        train_until(self, max_steps, mode, done)
    }

    /// Applies a (validated, image) configuration, as [`crate::points::train::Trainer::reconfigure`]
    /// does: a new seed, noise, G or conditioning restarts; a new D architecture or minibatch
    /// std gives D fresh weights; everything else changes on the running models.
    fn reconfigure(&mut self, config: GanConfig) -> Rebuild {
        let rebuild = self.config.rebuild(&config);
        if rebuild.generator {
            let psi = self.truncation;
            *self = Self::new(config, self.data.clone(), &self.device);
            if self.is_style() {
                self.truncation = psi; // a view setting: it outlives the run
            }
            return rebuild;
        }
        if rebuild.discriminator {
            let mut rng = Rng::stream(u64::from(config.seed), stream::NEW_D + self.step);
            self.discriminator =
                DcganDiscriminator::new(&DcganShape::of(&config), &mut rng, &self.device);
        }
        let (new_opt_d, new_opt_g) =
            optimizers_to_rebuild(&self.config, &config, rebuild.discriminator);
        if new_opt_d {
            self.opt_d = optimizer(&config.optimizer_d);
        }
        if new_opt_g {
            self.opt_g = optimizer(&config.optimizer_g);
        }
        self.generator_avg = averaging::follow_config(
            self.generator_avg.take(),
            config.stabilizers.generator_ema,
            &self.generator,
        );
        self.config = config;
        rebuild
    }
}

impl Updates for ImageTrainer {
    fn config(&self) -> &GanConfig {
        &self.config
    }
    fn device(&self) -> &Device {
        &self.device
    }
    fn discriminator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>) {
        ImageTrainer::discriminator_update(self, objective)
    }
    fn generator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>) {
        ImageTrainer::generator_update(self, objective)
    }
    fn count_step(&mut self) {
        self.step += 1;
    }
}
