//! CycleGAN (Zhu et al. 2017): translation between two domains without pairs. Two generators,
//! G: X → Y and F: Y → X, each judged by a discriminator of its target domain (D_Y, D_X), play
//! the playground's objective twice, and the cycle-consistency loss
//! λ·(‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁) asks each point to come back where it started, which is
//! what ties a translated point to its source when no pair says where it should go.
//!
//! `points` trains MLPs between two 2-D datasets; the losses and the metrics here are written for
//! any shape of sample, so digits can follow.

pub mod digits;
pub mod points;

use burn::prelude::*;
use serde::Serialize;

use crate::theory::ModeCoverage;

/// The mean absolute difference per coordinate, `[1]`: the ‖·‖₁ of the cycle and identity
/// losses as the paper's code computes it (an L1 loss averaged over the batch and coordinates).
pub fn l1<const D: usize>(a: Tensor<D>, b: Tensor<D>) -> Tensor<1> {
    (a - b).abs().mean()
}

/// λ·(‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁), `[1]`: `x` and its round trip `back_x`, `y` and
/// `back_y`.
pub fn cycle_loss<const D: usize>(
    x: Tensor<D>,
    back_x: Tensor<D>,
    y: Tensor<D>,
    back_y: Tensor<D>,
    weight: f64,
) -> Tensor<1> {
    (l1(back_x, x) + l1(back_y, y)).mul_scalar(weight)
}

/// What a translator achieves, measured on fixed evaluation samples of both domains.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CycleMetrics {
    /// Coverage of Y's modes by G(X) (PacGAN's protocol), where Y is a mixture.
    pub coverage_y: Option<ModeCoverage>,
    /// Coverage of X's modes by F(Y), where X is a mixture.
    pub coverage_x: Option<ModeCoverage>,
    /// Mean |F(G(x)) − x| per coordinate: how far a point of X lands from home after the round trip.
    pub cycle_error_x: f64,
    /// Mean |G(F(y)) − y| per coordinate.
    pub cycle_error_y: f64,
    /// Samples of each domain behind the numbers.
    pub samples: usize,
}

impl CycleMetrics {
    /// Both directions' cycle error, averaged: the cycle loss on these samples is 2λ times it.
    pub fn cycle_error(&self) -> f64 {
        (self.cycle_error_x + self.cycle_error_y) / 2.0
    }
}

/// Mean absolute difference per value of two equally long slices.
pub fn mean_abs_difference(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(
        a.len(),
        b.len(),
        "a sample and its round trip have the same size"
    );
    let sum: f64 = a.iter().zip(b).map(|(a, b)| f64::from((a - b).abs())).sum();
    sum / a.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(values: &[f32], rows: usize) -> Tensor<2> {
        let cols = values.len() / rows;
        Tensor::from_data(
            TensorData::new(values.to_vec(), [rows, cols]),
            &Device::flex(),
        )
    }

    #[test]
    fn cycle_loss_by_hand() {
        // x = (0, 0), (1, 2); back_x = (0.5, 0), (1, 1): |Δ| = 0.5, 0, 0, 1 → mean 0.375.
        // y = (2, 2); back_y = (2, 4): |Δ| = 0, 2 → mean 1. λ = 10: 10·(0.375 + 1) = 13.75.
        let loss = cycle_loss(
            t(&[0.0, 0.0, 1.0, 2.0], 2),
            t(&[0.5, 0.0, 1.0, 1.0], 2),
            t(&[2.0, 2.0], 1),
            t(&[2.0, 4.0], 1),
            10.0,
        );
        let v = loss.into_data().try_into_vec::<f32>().unwrap();
        assert!((v[0] - 13.75).abs() < 1e-5, "{v:?}");
        assert_eq!(
            mean_abs_difference(&[0.0, 0.0, 1.0, 2.0], &[0.5, 0.0, 1.0, 1.0]),
            0.375
        );
    }

    #[test]
    fn a_perfect_round_trip_costs_nothing() {
        let x = t(&[0.3, -1.0, 2.0, 0.5], 2);
        let y = t(&[4.0, 1.0], 1);
        let loss = cycle_loss(x.clone(), x, y.clone(), y, 10.0);
        assert_eq!(loss.into_data().try_into_vec::<f32>().unwrap(), vec![0.0]);
    }
}
