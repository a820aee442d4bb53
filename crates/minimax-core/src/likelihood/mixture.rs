//! A Gaussian mixture fitted to the 2-D data by EM (Dempster, Laird and Rubin 1977).
//!
//! Plain f64 arithmetic, not Burn: EM on 2-D points is a few hundred multiply-adds per point
//! and has closed-form updates, so there is nothing to differentiate.

use std::f64::consts::TAU;

use serde::Serialize;

use crate::rng::Rng;

/// Added to each covariance's diagonal: a component that collapses onto one point would
/// otherwise have an infinite likelihood (the classic degenerate maximum of a mixture).
const COVARIANCE_FLOOR: f64 = 1e-6;

/// A mixture of full-covariance Gaussians in the plane.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FittedMixture {
    /// Mixing weights, summing to 1.
    pub weights: Vec<f64>,
    /// Component means.
    pub means: Vec<[f64; 2]>,
    /// Component covariances as `[σ_xx, σ_xy, σ_yy]`.
    pub covariances: Vec<[f64; 3]>,
}

/// One component's log density at `p`: log N(p; mean, cov).
fn log_gaussian(p: [f64; 2], mean: [f64; 2], cov: [f64; 3]) -> f64 {
    let [a, b, c] = cov;
    let det = a * c - b * b;
    let (dx, dy) = (p[0] - mean[0], p[1] - mean[1]);
    // (dx, dy) Σ⁻¹ (dx, dy)ᵀ with Σ⁻¹ = [[c, −b], [−b, a]] / det
    let mahalanobis = (c * dx * dx - 2.0 * b * dx * dy + a * dy * dy) / det;
    -0.5 * mahalanobis - 0.5 * det.ln() - TAU.ln()
}

/// log Σᵢ exp(xᵢ), without overflow.
fn log_sum_exp(xs: &[f64]) -> f64 {
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + xs.iter().map(|x| (x - max).exp()).sum::<f64>().ln()
}

impl FittedMixture {
    /// Fits `components` Gaussians to x,y `points` by `iterations` EM steps, started from
    /// k-means++ means (each next mean drawn with probability ∝ squared distance to the nearest
    /// chosen one), equal weights and the data's covariance shrunk by the number of components.
    /// Returns the mixture and the mean log-likelihood per point before each step and after the
    /// last (EM never lowers it).
    pub fn fit(
        points: &[f32],
        components: usize,
        iterations: usize,
        rng: &mut Rng,
    ) -> (Self, Vec<f64>) {
        let xs: Vec<[f64; 2]> = points
            .chunks_exact(2)
            .map(|p| [f64::from(p[0]), f64::from(p[1])])
            .collect();
        assert!(
            !xs.is_empty() && components >= 1,
            "EM needs points and a component"
        );
        let mut mixture = Self::initial(&xs, components, rng);
        let mut history = Vec::with_capacity(iterations + 1);
        let mut resp = vec![0.0; xs.len() * components];
        for _ in 0..iterations {
            history.push(mixture.e_step(&xs, &mut resp));
            mixture.m_step(&xs, &resp);
        }
        history.push(mixture.e_step(&xs, &mut resp));
        (mixture, history)
    }

    fn initial(xs: &[[f64; 2]], k: usize, rng: &mut Rng) -> Self {
        let n = xs.len() as f64;
        let mean = xs
            .iter()
            .fold([0.0, 0.0], |s, p| [s[0] + p[0] / n, s[1] + p[1] / n]);
        let cov = xs.iter().fold([0.0; 3], |s, p| {
            let (dx, dy) = (p[0] - mean[0], p[1] - mean[1]);
            [s[0] + dx * dx / n, s[1] + dx * dy / n, s[2] + dy * dy / n]
        });
        let shrink = 1.0 / k as f64;
        let mut means = vec![xs[rng.below(xs.len())]];
        while means.len() < k {
            let d2: Vec<f64> = xs
                .iter()
                .map(|p| {
                    means
                        .iter()
                        .map(|m| (p[0] - m[0]).powi(2) + (p[1] - m[1]).powi(2))
                        .fold(f64::INFINITY, f64::min)
                })
                .collect();
            let total: f64 = d2.iter().sum();
            let mut target = rng.uniform() * total;
            let chosen = d2.iter().position(|d| {
                target -= d;
                target <= 0.0
            });
            means.push(xs[chosen.unwrap_or(xs.len() - 1)]);
        }
        Self {
            weights: vec![1.0 / k as f64; k],
            means,
            covariances: vec![
                [
                    cov[0] * shrink + COVARIANCE_FLOOR,
                    cov[1] * shrink,
                    cov[2] * shrink + COVARIANCE_FLOOR
                ];
                k
            ],
        }
    }

    /// Responsibilities `resp[i·k + j]` = P(component j | point i); returns the mean
    /// log-likelihood per point under the current parameters.
    fn e_step(&self, xs: &[[f64; 2]], resp: &mut [f64]) -> f64 {
        let k = self.weights.len();
        let mut total = 0.0;
        let mut logs = vec![0.0; k];
        for (i, p) in xs.iter().enumerate() {
            for (j, log) in logs.iter_mut().enumerate() {
                *log = self.weights[j].ln() + log_gaussian(*p, self.means[j], self.covariances[j]);
            }
            let norm = log_sum_exp(&logs);
            total += norm;
            for (j, log) in logs.iter().enumerate() {
                resp[i * k + j] = (log - norm).exp();
            }
        }
        total / xs.len() as f64
    }

    /// The closed-form maximisation: weighted counts, means and covariances.
    fn m_step(&mut self, xs: &[[f64; 2]], resp: &[f64]) {
        let k = self.weights.len();
        for j in 0..k {
            let r = |i: usize| resp[i * k + j];
            let count: f64 = (0..xs.len()).map(r).sum();
            if count < 1e-9 {
                continue; // an empty component keeps its parameters (its weight is ~0)
            }
            let mean = xs.iter().enumerate().fold([0.0, 0.0], |s, (i, p)| {
                [s[0] + r(i) * p[0] / count, s[1] + r(i) * p[1] / count]
            });
            let cov = xs.iter().enumerate().fold([0.0; 3], |s, (i, p)| {
                let (dx, dy) = (p[0] - mean[0], p[1] - mean[1]);
                let w = r(i) / count;
                [s[0] + w * dx * dx, s[1] + w * dx * dy, s[2] + w * dy * dy]
            });
            self.weights[j] = count / xs.len() as f64;
            self.means[j] = mean;
            self.covariances[j] = [cov[0] + COVARIANCE_FLOOR, cov[1], cov[2] + COVARIANCE_FLOOR];
        }
    }

    /// log p(p) under the mixture.
    pub fn log_density(&self, p: [f64; 2]) -> f64 {
        let logs: Vec<f64> = (0..self.weights.len())
            .map(|j| self.weights[j].ln() + log_gaussian(p, self.means[j], self.covariances[j]))
            .collect();
        log_sum_exp(&logs)
    }

    /// Mean log-likelihood per point of x,y `points` (nats).
    pub fn mean_log_likelihood(&self, points: &[f32]) -> f64 {
        let n = (points.len() / 2).max(1) as f64;
        points
            .chunks_exact(2)
            .map(|p| self.log_density([f64::from(p[0]), f64::from(p[1])]))
            .sum::<f64>()
            / n
    }

    /// `n` points drawn from the mixture, x,y interleaved.
    pub fn sample(&self, n: usize, rng: &mut Rng) -> Vec<f32> {
        let mut out = Vec::with_capacity(2 * n);
        for _ in 0..n {
            let mut u = rng.uniform();
            let j = self
                .weights
                .iter()
                .position(|w| {
                    u -= w;
                    u <= 0.0
                })
                .unwrap_or(self.weights.len() - 1);
            // x = μ + L·z with L the Cholesky factor of Σ = [[a, b], [b, c]].
            let [a, b, c] = self.covariances[j];
            let l11 = a.sqrt();
            let l21 = b / l11;
            let l22 = (c - l21 * l21).max(0.0).sqrt();
            let (z1, z2) = (rng.normal(), rng.normal());
            let m = self.means[j];
            out.push((m[0] + l11 * z1) as f32);
            out.push((m[1] + l21 * z1 + l22 * z2) as f32);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 4,000 points from weights 0.5 / 0.3 / 0.2 at (−2, 0), (2, 0), (0, 2.5), std 0.3.
    fn known_mixture_points(rng: &mut Rng) -> Vec<f32> {
        let truth = FittedMixture {
            weights: vec![0.5, 0.3, 0.2],
            means: vec![[-2.0, 0.0], [2.0, 0.0], [0.0, 2.5]],
            covariances: vec![[0.09, 0.0, 0.09]; 3],
        };
        truth.sample(4000, rng)
    }

    #[test]
    fn em_recovers_a_known_mixture() {
        let mut rng = Rng::new(3);
        let points = known_mixture_points(&mut rng);
        let (fit, history) = FittedMixture::fit(&points, 3, 60, &mut rng);
        for (mean, weight) in [([-2.0, 0.0], 0.5), ([2.0, 0.0], 0.3), ([0.0, 2.5], 0.2)] {
            let j = (0..3)
                .min_by(|&a, &b| {
                    let d = |j: usize| {
                        (fit.means[j][0] - mean[0]).powi(2) + (fit.means[j][1] - mean[1]).powi(2)
                    };
                    d(a).total_cmp(&d(b))
                })
                .unwrap_or(0);
            let off =
                ((fit.means[j][0] - mean[0]).powi(2) + (fit.means[j][1] - mean[1]).powi(2)).sqrt();
            assert!(off < 0.05, "mean {mean:?}: fitted {:?}", fit.means[j]);
            assert!(
                (fit.weights[j] - weight).abs() < 0.03,
                "weight {weight}: fitted {}",
                fit.weights[j]
            );
            assert!(
                (fit.covariances[j][0] - 0.09).abs() < 0.02,
                "variance: {:?}",
                fit.covariances[j]
            );
        }
        // The true mixture's own log-likelihood on these points, for scale: the fit reaches it.
        let last = *history.last().unwrap_or(&f64::NAN);
        assert!((last - fit.mean_log_likelihood(&points)).abs() < 1e-9);
    }

    #[test]
    fn em_never_lowers_the_likelihood() {
        let mut rng = Rng::new(11);
        let points = known_mixture_points(&mut rng);
        // Too many components on purpose: the likelihood still only goes up.
        let (_, history) = FittedMixture::fit(&points, 6, 40, &mut rng);
        assert!(
            history.windows(2).all(|w| w[1] >= w[0] - 1e-9),
            "{history:?}"
        );
        assert!(history[history.len() - 1] > history[0] + 0.1, "{history:?}");
    }

    #[test]
    fn samples_follow_the_weights_and_covariance() {
        let mut rng = Rng::new(5);
        let m = FittedMixture {
            weights: vec![0.25, 0.75],
            means: vec![[-5.0, 0.0], [5.0, 1.0]],
            covariances: vec![[1.0, 0.0, 1.0], [0.5, 0.3, 0.4]],
        };
        let s = m.sample(20_000, &mut rng);
        let right: Vec<&[f32]> = s.chunks_exact(2).filter(|p| p[0] > 0.0).collect();
        let share = right.len() as f64 / 20_000.0;
        assert!((share - 0.75).abs() < 0.02, "{share}");
        let n = right.len() as f64;
        let (mx, my) = right.iter().fold((0.0, 0.0), |s, p| {
            (s.0 + f64::from(p[0]) / n, s.1 + f64::from(p[1]) / n)
        });
        let cxy = right
            .iter()
            .map(|p| (f64::from(p[0]) - mx) * (f64::from(p[1]) - my))
            .sum::<f64>()
            / n;
        assert!(
            (mx - 5.0).abs() < 0.03 && (my - 1.0).abs() < 0.03,
            "{mx} {my}"
        );
        assert!((cxy - 0.3).abs() < 0.03, "σ_xy {cxy}");
    }

    #[test]
    fn enough_components_cover_the_ring_and_too_few_smear_between_modes() {
        use crate::config::GanConfig;
        use crate::likelihood::{Baseline, fit_baseline};

        let config = GanConfig::default(); // ring8
        let eight = fit_baseline(&config, 8, 100, 4000);
        let two = fit_baseline(&config, 2, 100, 4000);
        let modes = |b: &Baseline| {
            b.measures
                .modes
                .map_or((0, 0.0), |m| (m.covered, m.high_quality))
        };
        assert_eq!(modes(&eight).0, 8, "{:?}", eight.measures.modes);
        assert!(modes(&eight).1 > 0.9, "{:?}", eight.measures.modes);
        // Two Gaussians for eight modes: every mode still gets mass (KL(p‖q) punishes a miss),
        // but much of it lands between them.
        assert!(modes(&two).1 < 0.5, "{:?}", two.measures.modes);
        assert!(
            two.measures.jsd > eight.measures.jsd
                && two.measures.kl_data_model > eight.measures.kl_data_model
        );
        assert!(eight.held_out_log_likelihood > two.held_out_log_likelihood);
    }
}
