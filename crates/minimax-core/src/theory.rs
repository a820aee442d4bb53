//! What the theory views measure, on the host from points read back: p_data and p_g on a grid,
//! the optimal discriminator D* = p_data/(p_data + p_g), the Jensen–Shannon and KL divergences,
//! and mode coverage as in VEEGAN and PacGAN.
//!
//! Both densities live on the same res × res cells of the view plus one cell for everything
//! outside it, so the divergences are those of two discrete distributions over res² + 1 cells
//! (and JSD ∈ [0, log 2] holds exactly). p_data's cell masses are exact for Gaussian mixtures
//! (products of normal CDFs), a histogram of many samples otherwise; p_g is a histogram.

use core::f64::consts::{LN_2, SQRT_2};

use serde::Serialize;

use crate::config::DataConfig;
use crate::data::GaussianMixture;
use crate::rng::Rng;

/// Samples behind p_data's histogram when the data is not a mixture.
pub const DATA_HISTOGRAM_SAMPLES: usize = 200_000;
/// Mass spread uniformly over all cells before taking logs, so KL stays finite where one
/// histogram is empty: p̃ = (1 − ε)·p + ε/cells.
pub const SMOOTHING: f64 = 1e-3;
/// Generated samples of the mode metrics (PacGAN's protocol).
pub const MODE_SAMPLES: usize = 2500;

/// A square grid of `res × res` cells over `[lo, hi]²`; cell 0 is at the top left (largest y,
/// smallest x), as the heat maps are drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    /// Lower bound of x and y.
    pub lo: f64,
    /// Upper bound of x and y.
    pub hi: f64,
    /// Cells per side.
    pub res: usize,
}

impl Grid {
    fn cell(&self) -> f64 {
        (self.hi - self.lo) / self.res as f64
    }

    /// Cell centres, x,y interleaved, in cell order.
    pub fn centres(&self) -> Vec<f32> {
        let h = self.cell();
        let mut out = Vec::with_capacity(2 * self.res * self.res);
        for row in 0..self.res {
            let y = self.hi - (row as f64 + 0.5) * h;
            for col in 0..self.res {
                out.extend([(self.lo + (col as f64 + 0.5) * h) as f32, y as f32]);
            }
        }
        out
    }

    /// The cell holding `(x, y)`, or `None` outside the grid.
    pub fn index(&self, x: f64, y: f64) -> Option<usize> {
        let h = self.cell();
        let col = ((x - self.lo) / h).floor();
        let row = ((self.hi - y) / h).floor();
        let n = self.res as f64;
        ((0.0..n).contains(&col) && (0.0..n).contains(&row))
            .then(|| row as usize * self.res + col as usize)
    }

    /// Normalised histogram of x,y points over the cells plus a last "outside" cell.
    pub fn histogram(&self, points: &[f32]) -> Vec<f64> {
        let cells = self.res * self.res;
        let mut counts = vec![0.0; cells + 1];
        let n = (points.len() / 2).max(1) as f64;
        for p in points.chunks_exact(2) {
            let i = self
                .index(f64::from(p[0]), f64::from(p[1]))
                .unwrap_or(cells);
            counts[i] += 1.0 / n;
        }
        counts
    }

    /// Exact cell masses of a Gaussian mixture, plus the mass outside as the last cell.
    pub fn mixture_masses(&self, mixture: &GaussianMixture) -> Vec<f64> {
        let (res, h) = (self.res, self.cell());
        let cdf = |v: f64| 0.5 * (1.0 + libm::erf(v / SQRT_2));
        let weight = 1.0 / mixture.means.len().max(1) as f64;
        let mut masses = vec![0.0; res * res + 1];
        let mut col_mass = vec![0.0; res];
        let mut row_mass = vec![0.0; res];
        for m in &mixture.means {
            // The 2-D mass of a cell is the product of its x and y interval masses.
            for (k, (cm, rm)) in col_mass.iter_mut().zip(&mut row_mass).enumerate() {
                let (a, b) = (self.lo + k as f64 * h, self.lo + (k + 1) as f64 * h);
                *cm = cdf((b - m[0]) / mixture.std) - cdf((a - m[0]) / mixture.std);
                let (top, bottom) = (self.hi - k as f64 * h, self.hi - (k + 1) as f64 * h);
                *rm = cdf((top - m[1]) / mixture.std) - cdf((bottom - m[1]) / mixture.std);
            }
            for (row, rm) in row_mass.iter().enumerate().filter(|(_, r)| **r > 1e-12) {
                for (col, cm) in col_mass.iter().enumerate() {
                    masses[row * res + col] += weight * rm * cm;
                }
            }
        }
        let inside: f64 = masses[..res * res].iter().sum();
        masses[res * res] = (1.0 - inside).max(0.0);
        masses
    }

    /// p_data over the cells (+ outside), and how it was obtained.
    pub fn data_masses(&self, data: &DataConfig, rng: &mut Rng) -> (Vec<f64>, &'static str) {
        match data.mixture() {
            Some(m) => (self.mixture_masses(&m), "exact (Gaussian mixture)"),
            None => (
                self.histogram(&data.sample(rng, DATA_HISTOGRAM_SAMPLES)),
                "a histogram of 200,000 data samples",
            ),
        }
    }
}

fn smooth(p: &[f64]) -> impl Iterator<Item = f64> + '_ {
    let uniform = SMOOTHING / p.len() as f64;
    p.iter().map(move |v| (1.0 - SMOOTHING) * v + uniform)
}

/// KL(p‖q) of two distributions over the same cells (smoothed, in nats).
pub fn kl(p: &[f64], q: &[f64]) -> f64 {
    smooth(p)
        .zip(smooth(q))
        .map(|(a, b)| if a > 0.0 { a * (a / b).ln() } else { 0.0 })
        .sum::<f64>()
        .max(0.0)
}

/// Jensen–Shannon divergence, in nats: in [0, log 2].
pub fn jsd(p: &[f64], q: &[f64]) -> f64 {
    let m: Vec<f64> = p.iter().zip(q).map(|(a, b)| 0.5 * (a + b)).collect();
    (0.5 * kl(p, &m) + 0.5 * kl(q, &m)).clamp(0.0, LN_2)
}

/// D*(x) = p_data/(p_data + p_g) per cell (the outside cell dropped); 1/2 where both vanish.
pub fn optimal_discriminator(p_data: &[f64], p_g: &[f64]) -> Vec<f32> {
    let cells = p_data.len() - 1;
    smooth(&p_data[..cells])
        .zip(smooth(&p_g[..cells]))
        .map(|(a, b)| (a / (a + b)) as f32)
        .collect()
}

/// The mode of `mixture` nearest to the x,y point `p`, with the squared distance to its centre.
fn nearest_mode(p: &[f32], mixture: &GaussianMixture) -> Option<(usize, f64)> {
    let (x, y) = (f64::from(p[0]), f64::from(p[1]));
    mixture
        .means
        .iter()
        .map(|m| (x - m[0]).powi(2) + (y - m[1]).powi(2))
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// Mode coverage of generated points (VEEGAN §5.1, PacGAN §5): a sample is high quality when
/// its nearest mode centre is within 3 standard deviations; a mode is covered when at least one
/// high-quality sample is nearest to it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ModeCoverage {
    /// Modes with at least one high-quality sample.
    pub covered: usize,
    /// Modes of the mixture.
    pub total: usize,
    /// Fraction of samples within 3 std of their nearest mode.
    pub high_quality: f64,
}

impl ModeCoverage {
    /// Coverage of x,y `points` for `mixture`.
    pub fn of(points: &[f32], mixture: &GaussianMixture) -> Self {
        let mut covered = vec![false; mixture.means.len()];
        let mut good = 0usize;
        let n = points.len() / 2;
        let limit = (3.0 * mixture.std).powi(2);
        for p in points.chunks_exact(2) {
            if let Some((i, _)) = nearest_mode(p, mixture).filter(|(_, d2)| *d2 <= limit) {
                covered[i] = true;
                good += 1;
            }
        }
        Self {
            covered: covered.iter().filter(|c| **c).count(),
            total: covered.len(),
            high_quality: good as f64 / n.max(1) as f64,
        }
    }
}

/// How G's samples miss the 3-std circles of [`ModeCoverage`]: by width (each mode's samples
/// spread wider than the data's) or by mass between the modes. A perfect G scores 98.9 % high
/// quality in 2-D (1 − e^(−9/2)), and one whose modes are k times too wide 1 − e^(−4.5/k²).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModeSpread {
    /// Per mode, the spread of the samples nearest to it (within 6 std) over the data's std:
    /// √(mean squared distance / 2) / std, 1 for the data itself; `None` for a mode no sample
    /// is near.
    pub spread: Vec<Option<f64>>,
    /// Share of samples with no mode within 6 std (mass between the modes).
    pub between: f64,
}

impl ModeSpread {
    /// Spread of x,y `points` around the modes of `mixture`.
    pub fn of(points: &[f32], mixture: &GaussianMixture) -> Self {
        let modes = mixture.means.len();
        let (mut sum, mut count) = (vec![0.0f64; modes], vec![0usize; modes]);
        let mut between = 0usize;
        let limit = (6.0 * mixture.std).powi(2);
        for p in points.chunks_exact(2) {
            match nearest_mode(p, mixture).filter(|(_, d2)| *d2 <= limit) {
                Some((i, d2)) => {
                    sum[i] += d2;
                    count[i] += 1;
                }
                None => between += 1,
            }
        }
        Self {
            spread: sum
                .iter()
                .zip(&count)
                .map(|(s, &n)| (n > 0).then(|| (s / n as f64 / 2.0).sqrt() / mixture.std))
                .collect(),
            between: between as f64 / (points.len() / 2).max(1) as f64,
        }
    }
}

/// Everything the theory views report about one moment of training.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    /// JSD(p_data‖p_g) on the grid, in nats.
    pub jsd: f64,
    /// KL(p_data‖p_g): large where G misses data (mode dropping).
    pub kl_data_g: f64,
    /// KL(p_g‖p_data): large where G puts mass off the data.
    pub kl_g_data: f64,
    /// 2·JSD − log 4: the value of the original game against the optimal D (C(G) in the paper).
    pub value_at_optimum: f64,
    /// D* per cell, row 0 at the top.
    #[serde(skip)]
    pub d_star: Vec<f32>,
    /// Mean |D* − D| over the cells, where D is a probability.
    pub d_star_gap: Option<f64>,
    /// Mode coverage of the first [`MODE_SAMPLES`] generated points, for mixtures.
    pub modes: Option<ModeCoverage>,
    /// Generated points behind p_g.
    pub samples: usize,
    /// How the densities were estimated, for the UI.
    pub density_note: String,
}

impl Analysis {
    /// Compares generated `points` with the data on `grid`; `p_data` from
    /// [`Grid::data_masses`]; `heat` is D(x) per cell when D is a probability.
    pub fn new(
        grid: &Grid,
        data: &DataConfig,
        p_data: &[f64],
        data_method: &str,
        points: &[f32],
        heat: Option<&[f32]>,
    ) -> Self {
        let p_g = grid.histogram(points);
        let d_star = optimal_discriminator(p_data, &p_g);
        let d_star_gap = heat.map(|h| {
            h.iter()
                .zip(&d_star)
                .map(|(a, b)| f64::from((a - b).abs()))
                .sum::<f64>()
                / d_star.len() as f64
        });
        let modes = data.mixture().map(|m| {
            let n = (2 * MODE_SAMPLES).min(points.len());
            ModeCoverage::of(&points[..n], &m)
        });
        let jsd = jsd(p_data, &p_g);
        let samples = points.len() / 2;
        Self {
            jsd,
            kl_data_g: kl(p_data, &p_g),
            kl_g_data: kl(&p_g, p_data),
            value_at_optimum: 2.0 * jsd - 4f64.ln(),
            d_star,
            d_star_gap,
            modes,
            samples,
            density_note: format!(
                "On {res}×{res} cells: p_data {data_method}, p_g a histogram of {samples} \
                 generated points.",
                res = grid.res
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;

    fn ring() -> DataConfig {
        DataConfig {
            dataset: Dataset::Ring8,
            ..DataConfig::default()
        }
    }

    #[test]
    fn divergences_of_equal_and_disjoint_distributions() {
        let grid = Grid {
            lo: -2.0,
            hi: 2.0,
            res: 32,
        };
        let (p, _) = grid.data_masses(&ring(), &mut Rng::new(1));
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(jsd(&p, &p) < 1e-12 && kl(&p, &p) < 1e-12);
        // All generated mass in one empty corner cell: JSD near its bound log 2.
        let corner = grid.histogram(&[-1.99, 1.99]);
        assert!(
            (jsd(&p, &corner) - LN_2).abs() < 0.01,
            "{}",
            jsd(&p, &corner)
        );
        // D* is 1 on the data and 1/2 where both are empty.
        let d = optimal_discriminator(&p, &corner);
        let at = |x: f64, y: f64| d[grid.index(x, y).unwrap()];
        assert!(at(1.0, 0.0) > 0.99 && (at(0.0, 0.0) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn histogram_of_data_samples_approaches_the_exact_masses() {
        let grid = Grid {
            lo: -6.0,
            hi: 6.0,
            res: 24,
        };
        let data = DataConfig {
            dataset: Dataset::Grid25,
            ..DataConfig::default()
        };
        let (exact, _) = grid.data_masses(&data, &mut Rng::new(1));
        let sampled = grid.histogram(&data.sample(&mut Rng::new(2), 100_000));
        assert!(jsd(&exact, &sampled) < 1e-3, "{}", jsd(&exact, &sampled));
    }

    #[test]
    fn mode_coverage_counts_modes_and_quality() {
        let m = ring().mixture().unwrap();
        // Two points on mode 0 (one 2σ off), one on mode 2, one far from every mode.
        let points = [1.0, 0.0, 1.02, 0.0, 0.0, 1.0, 0.5, 0.5];
        let c = ModeCoverage::of(&points, &m);
        assert_eq!((c.covered, c.total), (2, 8));
        assert!((c.high_quality - 0.75).abs() < 1e-12);
    }

    #[test]
    fn mode_spread_is_one_for_the_data_and_counts_mass_between_modes() {
        let m = ring().mixture().unwrap();
        let data = ring().sample(&mut Rng::new(3), 40_000);
        let s = ModeSpread::of(&data, &m);
        assert!(s.between < 1e-3, "{s:?}");
        for spread in &s.spread {
            let spread = spread.expect("every mode has data");
            assert!((spread - 1.0).abs() < 0.03, "{s:?}");
        }
        // Four points 1σ off mode 0 in x and in y (spread exactly 1), one far from every mode.
        let sigma = m.std as f32;
        let [cx, cy] = [m.means[0][0] as f32, m.means[0][1] as f32];
        let mut points = Vec::new();
        for (dx, dy) in [(1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)] {
            points.extend([cx + dx * sigma, cy + dy * sigma]);
        }
        points.extend([0.0, 0.0]);
        let s = ModeSpread::of(&points, &m);
        assert!((s.spread[0].unwrap() - 1.0).abs() < 1e-3, "{s:?}");
        assert!(s.spread[1..].iter().all(Option::is_none));
        assert!((s.between - 0.2).abs() < 1e-12);
    }
}
