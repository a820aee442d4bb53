//! StyleGAN-lite's views of an image run: w_avg and the truncation trick, the style-mixing
//! grid, and interpolation in w (beside the z interpolation of [`super::train`]).

use burn::prelude::*;

use super::generator::ImageGenerator;
use super::stylegan::{STYLE_SLOTS, truncate};
use super::train::ImageTrainer;
use crate::game::stream;
use crate::rng::Rng;
use crate::run::GanRun;

/// z samples behind StyleGAN's w_avg (the centre the truncation trick pulls toward).
const W_AVG_SAMPLES: usize = 1024;

impl ImageTrainer {
    /// StyleGAN's w_avg `[1, dim]`: the mean of w over fixed z (the same for the same seed).
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
        g.mapping.forward(z).mean_dim(0) // [1, dim]
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
    /// `[R + C + R·C, 1, 28, 28]`.
    pub fn style_mix(
        &self,
        rows: &[usize],
        cols: &[usize],
        slots_from_b: [bool; STYLE_SLOTS],
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
        let cells = rows.len() * cols.len();
        let plain = self.generate(sources, &[]);
        if cells == 0 {
            return Ok(plain);
        }
        let mixed = self.generate_mixed(a, Some((b, vec![slots_from_b; cells])), &[]);
        Ok(Tensor::cat(vec![plain, mixed], 0))
    }

    /// `steps` digits from grid sample `a` to `b`, linear in w (StyleGAN): `[steps, 1, 28, 28]`.
    /// Compare with [`Self::interpolate`], linear in z.
    pub fn interpolate_w(&self, a: usize, b: usize, steps: usize) -> Result<Tensor<4>, String> {
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
        let w_avg = (self.truncation != 1.0).then(|| self.w_avg(&generator)); // [1, dim], once
        let w = |z: Vec<f32>| {
            let w = g
                .mapping
                .forward(Tensor::from_data(TensorData::new(z, [steps, dim]), &device));
            match &w_avg {
                Some(avg) => truncate(w, avg.clone(), self.truncation),
                None => w,
            }
        };
        let (wa, wb) = (w(z), w(z2)); // [steps, dim] each
        let t: Vec<f32> = (0..steps).map(|k| k as f32 / (steps - 1) as f32).collect();
        let t = Tensor::<2>::from_data(TensorData::new(t, [steps, 1]), &device);
        let ws = wa.clone() + (wb - wa) * t; // [steps, dim]
        let noise = self.view_noise_rows(steps, &device);
        Ok(g.synthesize([ws.clone(), ws.clone(), ws], noise))
    }
}
