//! StyleGAN-lite's views of an image run: w_avg and the truncation trick, the style-mixing
//! grid, and interpolation in w (beside the z interpolation of [`super::train`]).

use burn::prelude::*;

use super::dcgan::one_hot;
use super::generator::ImageGenerator;
use super::mnist::CLASSES;
use super::stylegan::{STYLE_SLOTS, truncate};
use super::train::ImageTrainer;
use super::views::MixRows;
use crate::game::stream;
use crate::rng::Rng;
use crate::run::GanRun;

/// z samples behind StyleGAN's w_avg (the centre the truncation trick pulls toward); a
/// multiple of the 10 classes.
const W_AVG_SAMPLES: usize = 1020;

impl ImageTrainer {
    /// StyleGAN's w_avg: the mean of w over fixed z (the same for the same seed), `[1, dim]`;
    /// for a conditional G one mean per class `[10, dim]`, so truncation keeps the digit.
    pub(super) fn w_avg(&self, generator: &ImageGenerator) -> Tensor<2> {
        let g = generator.style().expect("StyleGAN only");
        let dim = self.config.noise.dim;
        let mut rng = Rng::stream(u64::from(self.config.seed), stream::STYLE_VIEW + 1);
        let z = self
            .config
            .noise
            .distribution
            .sample(&mut rng, W_AVG_SAMPLES, dim);
        let device = self.device().clone().without_autodiff();
        let z = Tensor::from_data(TensorData::new(z, [W_AVG_SAMPLES, dim]), &device);
        if !self.conditional() {
            return g.mapping.forward(z, None).mean_dim(0); // [1, dim]
        }
        // Row i is drawn as class i mod 10: [per class, 10, dim] averaged over its first axis.
        let labels: Vec<u8> = (0..W_AVG_SAMPLES).map(|i| (i % CLASSES) as u8).collect();
        let w = g.mapping.forward(z, Some(one_hot(&labels, &device))); // [samples, dim]
        w.reshape([W_AVG_SAMPLES / CLASSES, CLASSES, dim])
            .mean_dim(0)
            .reshape([CLASSES, dim])
    }

    /// The fixed view noise for `n` digits `[n, noise_len]` (every digit gets the same maps,
    /// as StyleGAN's "const" noise mode does).
    pub(super) fn view_noise_rows(&self, n: usize, device: &Device) -> Tensor<2> {
        let len = self.view_noise.len();
        let noise: Vec<f32> = (0..n)
            .flat_map(|_| self.view_noise.iter().copied())
            .collect();
        Tensor::from_data(TensorData::new(noise, [n, len]), device)
    }

    /// Whether G is StyleGAN-lite (style mixing, truncation and w-space views apply).
    pub fn is_style(&self) -> bool {
        self.generator.style().is_some()
    }

    /// The truncation ψ of every view (StyleGAN; 1 = none): w ← w_avg + ψ·(w − w_avg).
    pub fn set_truncation(&mut self, psi: f32) -> Result<(), String> {
        if !self.is_style() {
            return Err("truncation applies to StyleGAN generators only".into());
        }
        if !(0.0..=1.5).contains(&psi) {
            return Err(format!("truncation ψ must be from 0 to 1.5, got {psi}"));
        }
        self.truncation = psi;
        Ok(())
    }

    /// The truncation ψ of views.
    pub fn truncation(&self) -> f32 {
        self.truncation
    }

    /// The style-mixing grid (StyleGAN): the digits of grid samples `rows` (source A) and
    /// `cols` (source B), then each A with B's styles in `slots_from_b`, row-major:
    /// `[R + C + R·C, 1, 28, 28]`. A conditional G draws every sample as `digit`, or grid sample i
    /// as class i mod 10 (as the grid does) when `digit` is `None`; B's styles come from B's w,
    /// class included.
    pub fn style_mix(
        &self,
        rows: &[usize],
        cols: &[usize],
        slots_from_b: [bool; STYLE_SLOTS],
        digit: Option<u8>,
    ) -> Result<Tensor<4>, String> {
        if !self.is_style() {
            return Err("style mixing needs a StyleGAN generator".into());
        }
        let sources: Vec<f32> = rows
            .iter()
            .chain(cols)
            .flat_map(|&i| self.grid_noise(i))
            .collect();
        let a: Vec<f32> = rows
            .iter()
            .flat_map(|&i| cols.iter().flat_map(move |_| self.grid_noise(i)))
            .collect();
        let b: Vec<f32> = rows
            .iter()
            .flat_map(|_| cols.iter().flat_map(|&j| self.grid_noise(j)))
            .collect();
        let class = |i: &usize| digit.unwrap_or((i % CLASSES) as u8);
        let source_labels: Vec<u8> = rows.iter().chain(cols).map(class).collect();
        let a_labels: Vec<u8> = rows
            .iter()
            .flat_map(|i| cols.iter().map(move |_| class(i)))
            .collect();
        let b_labels: Vec<u8> = rows.iter().flat_map(|_| cols.iter().map(class)).collect();
        let cells = rows.len() * cols.len();
        let plain = self.generate(sources, &source_labels);
        if cells == 0 {
            return Ok(plain);
        }
        let mix = MixRows {
            z: b,
            labels: &b_labels,
            slots: vec![slots_from_b; cells],
        };
        let mixed = self.generate_mixed(a, Some(mix), &a_labels);
        Ok(Tensor::cat(vec![plain, mixed], 0))
    }

    /// `steps` digits from grid sample `a` to `b`, linear in w (StyleGAN): `[steps, 1, 28, 28]`.
    /// Compare with [`Self::interpolate`], linear in z. A conditional G draws `digit` at both
    /// ends, or each end as the grid does (class i mod 10): then the digit morphs too.
    pub fn interpolate_w(
        &self,
        a: usize,
        b: usize,
        steps: usize,
        digit: Option<u8>,
    ) -> Result<Tensor<4>, String> {
        if !self.is_style() {
            return Err("interpolation in w needs a StyleGAN generator".into());
        }
        let steps = steps.max(2);
        let z: Vec<f32> = (0..steps).flat_map(|_| self.grid_noise(a)).collect();
        let z2: Vec<f32> = (0..steps).flat_map(|_| self.grid_noise(b)).collect();
        // Blending w per row: the mask form of mixing takes all or nothing, so blend the two
        // w batches directly.
        let device = self.device().clone().without_autodiff();
        let generator = self.shown_generator();
        let g = generator.style().expect("checked above");
        let dim = self.config.noise.dim;
        let w_avg = (self.truncation != 1.0).then(|| self.w_avg(&generator)); // [1 or 10, dim], once
        let w = |z: Vec<f32>, sample: usize| {
            let class = digit.unwrap_or((sample % CLASSES) as u8);
            let labels = self
                .conditional()
                .then(|| one_hot(&vec![class; steps], &device));
            let z = Tensor::from_data(TensorData::new(z, [steps, dim]), &device);
            let w = g.mapping.forward(z, labels.clone());
            match &w_avg {
                Some(avg) => truncate(w, avg.clone(), labels, self.truncation),
                None => w,
            }
        };
        let (wa, wb) = (w(z, a), w(z2, b)); // [steps, dim] each
        let t: Vec<f32> = (0..steps).map(|k| k as f32 / (steps - 1) as f32).collect();
        let t = Tensor::<2>::from_data(TensorData::new(t, [steps, 1]), &device);
        let ws = wa.clone() + (wb - wa) * t; // [steps, dim]
        let noise = self.view_noise_rows(steps, &device);
        Ok(g.synthesize([ws.clone(), ws.clone(), ws], noise))
    }
}
