//! How good and how diverse generated digits are, judged by the MNIST classifier: the classifier
//! score (the Inception score's analogue), the class histogram and the Fréchet distance between
//! the classifier's penultimate features of real and generated digits. Computed on the host from
//! read-back probabilities and features, so the page and the command line share it.

use serde::Serialize;

use super::classifier::FEATURES;
use super::mnist::CLASSES;

/// The quality numbers of a set of generated digits.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Quality {
    /// exp(E_x KL(p(y|x) ‖ p(y))): 1 for one class or no confident digit, up to 10 for confident
    /// digits spread evenly over the classes.
    pub classifier_score: f64,
    /// Generated digits per predicted class.
    pub class_histogram: [usize; CLASSES],
    /// Classes predicted for at least 1 % of the digits.
    pub classes_covered: usize,
    /// Fréchet distance to the real held-out features (`None` without real statistics).
    pub frechet_distance: Option<f64>,
}

/// exp(E_x KL(p(y|x) ‖ p(y))) from `probs` (`n` rows of 10, each summing to 1).
pub fn classifier_score(probs: &[f32]) -> f64 {
    let n = probs.len() / CLASSES;
    let mut marginal = [0f64; CLASSES];
    for row in probs.chunks(CLASSES) {
        for (m, &p) in marginal.iter_mut().zip(row) {
            *m += f64::from(p) / n as f64;
        }
    }
    let mut kl = 0.0;
    for row in probs.chunks(CLASSES) {
        for (&m, &p) in marginal.iter().zip(row) {
            let p = f64::from(p);
            if p > 0.0 {
                kl += p * (p.ln() - m.max(1e-30).ln());
            }
        }
    }
    (kl / n as f64).exp()
}

/// Predicted classes (argmax) per class.
pub fn class_histogram(probs: &[f32]) -> [usize; CLASSES] {
    let mut hist = [0; CLASSES];
    for row in probs.chunks(CLASSES) {
        let best = (0..CLASSES)
            .max_by(|&a, &b| row[a].total_cmp(&row[b]))
            .unwrap_or(0);
        hist[best] += 1;
    }
    hist
}

/// Mean and covariance of feature rows: a Gaussian summary of one set of digits.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureStats {
    /// Mean `[d]`.
    pub mean: Vec<f64>,
    /// Covariance `[d·d]`, row-major (divided by n − 1).
    pub cov: Vec<f64>,
}

impl FeatureStats {
    /// The statistics of `features` (rows of `d`).
    pub fn of(features: &[f32], d: usize) -> Self {
        let n = features.len() / d;
        let mut mean = vec![0.0; d];
        for row in features.chunks(d) {
            for (m, &v) in mean.iter_mut().zip(row) {
                *m += f64::from(v) / n as f64;
            }
        }
        let mut cov = vec![0.0; d * d];
        for row in features.chunks(d) {
            for i in 0..d {
                let a = f64::from(row[i]) - mean[i];
                for j in i..d {
                    cov[i * d + j] += a * (f64::from(row[j]) - mean[j]);
                }
            }
        }
        let denom = (n.max(2) - 1) as f64;
        for i in 0..d {
            for j in i..d {
                let v = cov[i * d + j] / denom;
                cov[i * d + j] = v;
                cov[j * d + i] = v;
            }
        }
        Self { mean, cov }
    }

    /// ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½) (Heusel et al. 2017). tr (Σ₁Σ₂)^½ is taken as
    /// tr (Σ₁^½ Σ₂ Σ₁^½)^½, a symmetric matrix with the same eigenvalues as Σ₁Σ₂.
    pub fn frechet_distance(&self, other: &Self) -> f64 {
        let d = self.mean.len();
        let mean_term: f64 = self
            .mean
            .iter()
            .zip(&other.mean)
            .map(|(a, b)| (a - b).powi(2))
            .sum();
        let trace = |m: &[f64]| (0..d).map(|i| m[i * d + i]).sum::<f64>();
        let root = sqrt_psd(&self.cov, d);
        let middle = matmul(&matmul(&root, &other.cov, d), &root, d);
        let (values, _) = symmetric_eigen(&middle, d);
        let cross: f64 = values.iter().map(|v| v.max(0.0).sqrt()).sum();
        (mean_term + trace(&self.cov) + trace(&other.cov) - 2.0 * cross).max(0.0)
    }
}

/// The quality of generated digits from their class `probs` and `features`, against the real
/// statistics `real` when given.
pub fn quality(probs: &[f32], features: &[f32], real: Option<&FeatureStats>) -> Quality {
    let class_histogram = class_histogram(probs);
    let n: usize = class_histogram.iter().sum();
    Quality {
        classifier_score: classifier_score(probs),
        classes_covered: class_histogram
            .iter()
            .filter(|&&c| c * 100 >= n.max(1))
            .count(),
        class_histogram,
        frechet_distance: real.map(|r| FeatureStats::of(features, FEATURES).frechet_distance(r)),
    }
}

fn matmul(a: &[f64], b: &[f64], d: usize) -> Vec<f64> {
    let mut out = vec![0.0; d * d];
    for i in 0..d {
        for k in 0..d {
            let a_ik = a[i * d + k];
            if a_ik != 0.0 {
                for j in 0..d {
                    out[i * d + j] += a_ik * b[k * d + j];
                }
            }
        }
    }
    out
}

/// The square root of a symmetric positive semi-definite matrix (negative eigenvalues, from
/// rounding, count as 0).
fn sqrt_psd(m: &[f64], d: usize) -> Vec<f64> {
    let (values, vectors) = symmetric_eigen(m, d);
    let mut out = vec![0.0; d * d];
    for (k, v) in values.iter().enumerate() {
        let s = v.max(0.0).sqrt();
        for i in 0..d {
            let a = vectors[i * d + k] * s;
            for j in 0..d {
                out[i * d + j] += a * vectors[j * d + k];
            }
        }
    }
    out
}

/// Eigenvalues and eigenvectors (columns) of a symmetric matrix by cyclic Jacobi rotations.
fn symmetric_eigen(m: &[f64], d: usize) -> (Vec<f64>, Vec<f64>) {
    let mut a = m.to_vec();
    let mut v = vec![0.0; d * d];
    for i in 0..d {
        v[i * d + i] = 1.0;
    }
    let scale: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-300);
    for _sweep in 0..100 {
        let off: f64 = (0..d)
            .flat_map(|i| (0..d).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i * d + j].powi(2))
            .sum::<f64>()
            .sqrt();
        if off <= 1e-13 * scale {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                let apq = a[p * d + q];
                if apq.abs() <= 1e-300 {
                    continue;
                }
                let theta = (a[q * d + q] - a[p * d + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..d {
                    let (akp, akq) = (a[k * d + p], a[k * d + q]);
                    a[k * d + p] = c * akp - s * akq;
                    a[k * d + q] = s * akp + c * akq;
                }
                for k in 0..d {
                    let (apk, aqk) = (a[p * d + k], a[q * d + k]);
                    a[p * d + k] = c * apk - s * aqk;
                    a[q * d + k] = s * apk + c * aqk;
                }
                for k in 0..d {
                    let (vkp, vkq) = (v[k * d + p], v[k * d + q]);
                    v[k * d + p] = c * vkp - s * vkq;
                    v[k * d + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    ((0..d).map(|i| a[i * d + i]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_is_ten_for_confident_even_digits_and_one_for_a_single_class() {
        let confident: Vec<f32> = (0..100)
            .flat_map(|i| (0..CLASSES).map(move |c| if c == i % CLASSES { 1.0 } else { 0.0 }))
            .collect();
        assert!((classifier_score(&confident) - 10.0).abs() < 1e-9);
        assert_eq!(class_histogram(&confident), [10; CLASSES]);
        let one_class: Vec<f32> = (0..100)
            .flat_map(|_| (0..CLASSES).map(|c| if c == 3 { 0.9 } else { 0.1 / 9.0 }))
            .collect();
        assert!((classifier_score(&one_class) - 1.0).abs() < 1e-9);
        let q = quality(&one_class, &[], None);
        assert_eq!((q.classes_covered, q.class_histogram[3]), (1, 100));
    }

    #[test]
    fn frechet_distance_of_gaussians_matches_the_closed_form() {
        // Diagonal covariances: FD = ‖μ₁ − μ₂‖² + Σ (√a − √b)².
        let d = 3;
        let a = FeatureStats {
            mean: vec![0.0, 1.0, 2.0],
            cov: diag(&[1.0, 4.0, 9.0]),
        };
        let b = FeatureStats {
            mean: vec![1.0, 1.0, 0.0],
            cov: diag(&[4.0, 4.0, 1.0]),
        };
        let expected = 1.0 + 4.0 + (1.0f64 - 2.0).powi(2) + 0.0 + (3.0f64 - 1.0).powi(2);
        assert!(
            (a.frechet_distance(&b) - expected).abs() < 1e-9,
            "{}",
            a.frechet_distance(&b)
        );
        assert!(a.frechet_distance(&a).abs() < 1e-9);
        // A rotated covariance: the eigen route must not depend on the basis.
        let (c, s) = (0.6f64, 0.8f64);
        let r = [c, -s, 0.0, s, c, 0.0, 0.0, 0.0, 1.0];
        let rt = [c, s, 0.0, -s, c, 0.0, 0.0, 0.0, 1.0];
        let rot = |m: &[f64]| matmul(&matmul(&r, m, d), &rt, d);
        let (ra, rb) = (
            FeatureStats {
                mean: a.mean.clone(),
                cov: rot(&a.cov),
            },
            FeatureStats {
                mean: b.mean.clone(),
                cov: rot(&b.cov),
            },
        );
        let fd = ra.frechet_distance(&rb);
        assert!((fd - expected).abs() < 1e-8, "{fd}");
    }

    #[test]
    fn stats_of_rows() {
        let s = FeatureStats::of(&[1.0, 2.0, 3.0, 6.0], 2);
        assert_eq!(s.mean, vec![2.0, 4.0]);
        assert_eq!(s.cov, vec![2.0, 4.0, 4.0, 8.0]);
    }

    fn diag(v: &[f64]) -> Vec<f64> {
        let d = v.len();
        let mut m = vec![0.0; d * d];
        for (i, x) in v.iter().enumerate() {
            m[i * d + i] = *x;
        }
        m
    }
}
