//! The views of an image run: the generator they show, the live sample grid, interpolation in
//! z, the latent walk and the evaluation samples (StyleGAN's own views are in
//! [`super::style_views`]).

use burn::prelude::*;

use super::dcgan::one_hot;
use super::generator::{ImageGenerator, StyleInputs, StyleMix};
use super::mnist::CLASSES;
use super::stylegan::STYLE_SLOTS;
use super::train::{GRID_SAMPLES, ImageTrainer};
use crate::game::stream;
use crate::rng::Rng;

/// Style mixing in a view (StyleGAN): the second noise `[n·noise_dim]`, its labels (conditional
/// G; one per row, missing rows as the grid draws them) and, per digit, the slots taking its w.
pub(super) struct MixRows<'a> {
    pub z: Vec<f32>,
    pub labels: &'a [u8],
    pub slots: Vec<[bool; STYLE_SLOTS]>,
}
impl ImageTrainer {
    /// The generator every view, score and sample shows (inference mode, no autodiff): G's
    /// moving average while generator averaging is on, otherwise G.
    pub fn shown_generator(&self) -> ImageGenerator {
        match &self.generator_avg {
            Some(avg) => avg.clone(),
            None => self.generator.valid(),
        }
    }

    /// G (inference mode: batch norm uses its running statistics) on noise `z` (`n` rows of
    /// `noise_dim`) and `labels` (conditional G; one per row): `[n, 1, 28, 28]`. StyleGAN uses
    /// the fixed view noise and the truncation ψ set by [`Self::set_truncation`].
    pub fn generate(&self, z: Vec<f32>, labels: &[u8]) -> Tensor<4> {
        self.generate_mixed(z, None, labels)
    }

    /// As [`Self::generate`]; with `mix` (StyleGAN), row i takes the w of the mix noise's row i
    /// (drawn as its label's digit) in the slots it marks.
    pub(super) fn generate_mixed(
        &self,
        z: Vec<f32>,
        mix: Option<MixRows<'_>>,
        labels: &[u8],
    ) -> Tensor<4> {
        let dim = self.config.noise.dim;
        let n = z.len() / dim;
        let device = self.device.clone().without_autodiff();
        let label_rows = |labels: &[u8]| {
            self.conditional().then(|| {
                let cycle: Vec<u8> = (0..n)
                    .map(|i| labels.get(i).copied().unwrap_or((i % CLASSES) as u8))
                    .collect();
                one_hot(&cycle, &device)
            })
        };
        let mix = mix.map(|m| StyleMix {
            z: Tensor::from_data(TensorData::new(m.z, [n, dim]), &device),
            labels: label_rows(m.labels),
            slots: m.slots,
        });
        self.generate_rows(z, mix, label_rows(labels))
    }

    /// G (as [`Self::generate_mixed`]) on noise `z` with the label rows `[n, 10]` a conditional
    /// G reads (one-hot, or blends of two classes).
    fn generate_rows(
        &self,
        z: Vec<f32>,
        mix: Option<StyleMix>,
        labels: Option<Tensor<2>>,
    ) -> Tensor<4> {
        let dim = self.config.noise.dim;
        let n = z.len() / dim;
        let device = self.device.clone().without_autodiff();
        let z = Tensor::from_data(TensorData::new(z, [n, dim]), &device);
        let generator = self.shown_generator();
        let style = generator.style().map(|_| StyleInputs {
            noise: self.view_noise_rows(n, &device),
            mix,
            truncation: (self.truncation != 1.0).then(|| (self.w_avg(&generator), self.truncation)),
        });
        generator.forward(z, labels, style) // [n, 1, 28, 28]
    }

    /// The live sample grid: G on the fixed grid noise `[64, 1, 28, 28]`; a conditional G draws
    /// `digit` everywhere, or the classes 0..9 in turn when `digit` is `None`.
    pub fn grid_samples(&self, digit: Option<u8>) -> Tensor<4> {
        let labels: Vec<u8> = (0..GRID_SAMPLES)
            .map(|i| digit.unwrap_or((i % CLASSES) as u8))
            .collect();
        self.generate(self.grid_noise.clone(), &labels)
    }

    /// The noise of grid sample `i`.
    pub fn grid_noise(&self, i: usize) -> Vec<f32> {
        let dim = self.config.noise.dim;
        let i = i % GRID_SAMPLES;
        self.grid_noise[i * dim..(i + 1) * dim].to_vec()
    }

    /// `steps` digits on the line from grid sample `a`'s noise to `b`'s (linear in z):
    /// `[steps, 1, 28, 28]`. A conditional G draws `digit` all along, or, with no digit picked,
    /// also moves linearly from `a`'s class to `b`'s (the classes the grid shows them with), so
    /// the strip ends at both samples as the grid draws them.
    pub fn interpolate(&self, a: usize, b: usize, steps: usize, digit: Option<u8>) -> Tensor<4> {
        let (za, zb) = (self.grid_noise(a), self.grid_noise(b));
        let steps = steps.max(2);
        let z: Vec<f32> = (0..steps)
            .flat_map(|k| {
                let t = k as f32 / (steps - 1) as f32;
                za.iter()
                    .zip(&zb)
                    .map(move |(x, y)| x + t * (y - x))
                    .collect::<Vec<_>>()
            })
            .collect();
        if let (true, None) = (self.conditional(), digit) {
            let (from, to) = (a % CLASSES, b % CLASSES);
            let rows: Vec<f32> = (0..steps)
                .flat_map(|k| {
                    let t = k as f32 / (steps - 1) as f32;
                    (0..CLASSES).map(move |c| {
                        f32::from(u8::from(c == from)) * (1.0 - t)
                            + f32::from(u8::from(c == to)) * t
                    })
                })
                .collect();
            let device = self.device.clone().without_autodiff();
            let rows = Tensor::from_data(TensorData::new(rows, [steps, CLASSES]), &device);
            return self.generate_rows(z, None, Some(rows));
        }
        let label = digit.unwrap_or((a % CLASSES) as u8);
        self.generate(z, &vec![label; steps])
    }

    /// The latent walk: G at grid sample `i`'s noise moved by `u` and `v` along two fixed random
    /// unit directions of z: `[1, 1, 28, 28]`.
    pub fn walk(&self, i: usize, u: f32, v: f32, digit: Option<u8>) -> Tensor<4> {
        let [d1, d2] = &self.walk_directions;
        let z: Vec<f32> = self
            .grid_noise(i)
            .iter()
            .zip(d1.iter().zip(d2))
            .map(|(z, (a, b))| z + u * a + v * b)
            .collect();
        self.generate(z, &[digit.unwrap_or((i % CLASSES) as u8)])
    }

    /// `n` generated digits from noise of the evaluation stream (same digits for the same `n`
    /// and seed), classes in turn for a conditional G: `[n, 1, 28, 28]`.
    pub fn eval_samples(&self, n: usize) -> Tensor<4> {
        let dim = self.config.noise.dim;
        let mut rng = Rng::stream(u64::from(self.config.seed), stream::EVAL);
        let z = self.config.noise.distribution.sample(&mut rng, n, dim);
        let labels: Vec<u8> = (0..n).map(|i| (i % CLASSES) as u8).collect();
        self.generate(z, &labels)
    }
}
