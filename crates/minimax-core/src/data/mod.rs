//! The 2-D target distributions and the generator's noise, sampled on the host from a seeded
//! [`Rng`] so that every backend sees the same batches.

mod noise;

pub use noise::NoiseDistribution;

use core::f64::consts::{PI, TAU};

pub use crate::config::kinds::{DRAWN_EXTENT, Dataset};

use crate::config::DataConfig;
use crate::rng::Rng;

/// A mixture of isotropic Gaussians: the datasets whose density is known in closed form.
#[derive(Clone, Debug, PartialEq)]
pub struct GaussianMixture {
    /// Component means (equal weights).
    pub means: Vec<[f64; 2]>,
    /// Common standard deviation.
    pub std: f64,
}

impl GaussianMixture {
    /// Probability density at `p`.
    pub fn density(&self, p: [f64; 2]) -> f64 {
        let var = self.std * self.std;
        let norm = 1.0 / (TAU * var * self.means.len() as f64);
        self.means
            .iter()
            .map(|m| (-((p[0] - m[0]).powi(2) + (p[1] - m[1]).powi(2)) / (2.0 * var)).exp())
            .sum::<f64>()
            * norm
    }

    fn sample(&self, rng: &mut Rng) -> [f64; 2] {
        let m = self.means[rng.below(self.means.len())];
        [
            m[0] + self.std * rng.normal(),
            m[1] + self.std * rng.normal(),
        ]
    }
}

impl Dataset {
    /// Every dataset, in the order the UI lists them.
    pub const ALL: [Self; 10] = [
        Self::Ring8,
        Self::Grid25,
        Self::WideRing,
        Self::Spiral,
        Self::TwoMoons,
        Self::Gaussian,
        Self::Line,
        Self::Drawn,
        Self::Mnist,
        Self::MnistThick,
    ];

    /// Whether samples are images (trained by [`crate::image`]) rather than 2-D points.
    pub fn is_image(self) -> bool {
        matches!(self, Self::Mnist | Self::MnistThick)
    }

    /// The mixture behind a built-in dataset, where it is one (its density is then exact).
    /// (Drawn data is a mixture too, built from the configuration: see [`DataConfig::mixture`].)
    pub fn mixture(self) -> Option<GaussianMixture> {
        match self {
            Self::Ring8 => Some(GaussianMixture {
                means: (0..8)
                    .map(|i| (TAU * i as f64 / 8.0).sin_cos())
                    .map(|(s, c)| [c, s])
                    .collect(),
                std: 0.01,
            }),
            Self::Grid25 => Some(GaussianMixture {
                means: (0..25)
                    .map(|i| [-4.0 + 2.0 * (i % 5) as f64, -4.0 + 2.0 * (i / 5) as f64])
                    .collect(),
                std: 0.05,
            }),
            Self::Gaussian => Some(GaussianMixture {
                means: vec![[1.0, 1.0]],
                std: 0.5,
            }),
            _ => None,
        }
    }

    /// The std of the Gaussian noise around a curve (radial for the wide ring); `None` for
    /// mixtures and digits.
    fn curve_std(self) -> Option<f64> {
        match self {
            Self::WideRing => Some(0.1),
            Self::Spiral | Self::TwoMoons => Some(0.05),
            Self::Line => Some(0.02),
            _ => None,
        }
    }

    /// One point of a dataset that is not a mixture.
    fn sample_curve(self, rng: &mut Rng) -> [f64; 2] {
        // Mixtures and digits never come here (their arms below say where they are sampled).
        let s = self.curve_std().unwrap_or(0.0);
        match self {
            Self::WideRing => {
                let (r, a) = (1.5 + s * rng.normal(), rng.uniform_in(0.0, TAU));
                [r * a.cos(), r * a.sin()]
            }
            Self::Spiral => {
                // Radius grows linearly with the angle: two turns out to radius 2.
                let t = rng.uniform_in(0.25, 1.0);
                let (r, a) = (2.0 * t, 4.0 * PI * t);
                [
                    r * a.cos() + s * rng.normal(),
                    r * a.sin() + s * rng.normal(),
                ]
            }
            Self::TwoMoons => {
                let a = rng.uniform_in(0.0, PI);
                let (x, y) = if rng.below(2) == 0 {
                    (a.cos(), a.sin())
                } else {
                    (1.0 - a.cos(), 0.5 - a.sin())
                };
                // Centred on the origin.
                [x - 0.5 + s * rng.normal(), y - 0.25 + s * rng.normal()]
            }
            Self::Line => {
                let t = rng.uniform_in(-1.0, 1.0);
                [1.5 * t + s * rng.normal(), t + s * rng.normal()]
            }
            Self::Ring8 | Self::Grid25 | Self::Gaussian | Self::Drawn => {
                unreachable!("mixtures are sampled by DataConfig::sample")
            }
            Self::Mnist | Self::MnistThick => {
                unreachable!("digits are sampled by image::mnist, not as points")
            }
        }
    }
}

impl DataConfig {
    /// The mixture behind the data, where it is one: its density is then known exactly.
    pub fn mixture(&self) -> Option<GaussianMixture> {
        match self.dataset {
            Dataset::Drawn => Some(GaussianMixture {
                means: self.points.clone(),
                std: self.std,
            }),
            d => d.mixture(),
        }
    }

    /// The std σ of the noise that blurs the data's shape (each Gaussian of a mixture, the width
    /// of a curve): the scale R1's γ is measured in under `gradient_penalty_units`
    /// "data_variance". `None` for digits.
    pub fn noise_std(&self) -> Option<f64> {
        match self.dataset {
            // Not through mixture(), which copies the drawing's points.
            Dataset::Drawn => Some(self.std),
            d => d.mixture().map(|m| m.std).or_else(|| d.curve_std()),
        }
    }

    /// `n` points as interleaved x, y.
    pub fn sample(&self, rng: &mut Rng, n: usize) -> Vec<f32> {
        let mixture = self.mixture();
        let mut out = Vec::with_capacity(2 * n);
        for _ in 0..n {
            let p = match &mixture {
                Some(m) => m.sample(rng),
                None => self.dataset.sample_curve(rng),
            };
            out.extend([p[0] as f32, p[1] as f32]);
        }
        out
    }

    /// The square `[lo, hi]²` the views draw: the data with a margin.
    pub fn bounds(&self) -> (f32, f32) {
        match self.dataset {
            Dataset::Grid25 => (-6.0, 6.0),
            Dataset::Gaussian => (-1.5, 3.5),
            Dataset::Ring8
            | Dataset::TwoMoons
            | Dataset::Line
            | Dataset::Mnist
            | Dataset::MnistThick => (-2.0, 2.0),
            Dataset::WideRing | Dataset::Spiral => (-3.0, 3.0),
            Dataset::Drawn => {
                // The drawing with room for its Gaussians, in steps of 0.5, at least [−2, 2].
                let reach = self
                    .points
                    .iter()
                    .map(|p| p[0].abs().max(p[1].abs()))
                    .fold(0.0, f64::max)
                    + 3.0 * self.std
                    + 0.25;
                let half = ((reach * 2.0).ceil() / 2.0).clamp(2.0, DRAWN_EXTENT + 1.0);
                (-half as f32, half as f32)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(dataset: Dataset) -> DataConfig {
        DataConfig {
            dataset,
            ..DataConfig::default()
        }
    }

    #[test]
    fn ring_points_lie_near_the_unit_circle() {
        let xs = data(Dataset::Ring8).sample(&mut Rng::new(3), 1000);
        for p in xs.chunks(2) {
            let r = (p[0] * p[0] + p[1] * p[1]).sqrt();
            assert!((r - 1.0).abs() < 0.06, "radius {r}");
        }
    }

    #[test]
    fn grid_uses_every_mode_with_pacgan_means() {
        let mixture = Dataset::Grid25.mixture().unwrap();
        assert_eq!(mixture.means.len(), 25);
        assert!(mixture.means.contains(&[-4.0, 4.0]) && mixture.means.contains(&[0.0, 0.0]));
        let xs = data(Dataset::Grid25).sample(&mut Rng::new(4), 2500);
        let mut seen = [false; 25];
        for p in xs.chunks(2) {
            let i =
                ((p[0] + 5.0) / 2.0).floor() as usize + 5 * ((p[1] + 5.0) / 2.0).floor() as usize;
            seen[i] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn mixture_density_integrates_to_one() {
        let m = Dataset::Gaussian.mixture().unwrap();
        let h = 0.02;
        let mut total = 0.0;
        for i in 0..400 {
            for j in 0..400 {
                total += m.density([-3.0 + i as f64 * h, -3.0 + j as f64 * h]) * h * h;
            }
        }
        assert!((total - 1.0).abs() < 1e-3, "{total}");
    }

    #[test]
    fn every_2d_dataset_has_the_noise_std_it_is_sampled_with() {
        let std = |dataset| data(dataset).noise_std();
        assert_eq!(std(Dataset::Ring8), Some(0.01));
        assert_eq!(std(Dataset::Grid25), Some(0.05));
        assert_eq!(std(Dataset::Line), Some(0.02));
        assert_eq!(std(Dataset::Drawn), Some(DataConfig::default().std));
        assert_eq!(std(Dataset::Mnist), None);
        for dataset in Dataset::ALL.into_iter().filter(|d| !d.is_image()) {
            assert!(std(dataset).is_some_and(|s| s > 0.0), "{dataset:?}");
        }
    }

    #[test]
    fn every_dataset_stays_inside_its_bounds_and_is_seeded() {
        for dataset in Dataset::ALL.into_iter().filter(|d| !d.is_image()) {
            let d = DataConfig {
                dataset,
                points: vec![[0.5, -1.0], [3.0, 2.0]],
                std: 0.1,
                ..DataConfig::default()
            };
            let a = d.sample(&mut Rng::new(9), 500);
            assert_eq!(a, d.sample(&mut Rng::new(9), 500), "{d:?} reproducible");
            let (lo, hi) = d.bounds();
            let inside = a.iter().filter(|v| (lo..=hi).contains(*v)).count();
            assert!(inside as f64 >= 0.99 * a.len() as f64, "{d:?}");
        }
    }
}
