//! CycleGAN (Zhu et al. 2017): translation between two domains without pairs. Two generators,
//! G: X → Y and F: Y → X, each judged by a discriminator of its target domain (D_Y, D_X), play
//! the playground's objective twice, and the cycle-consistency loss
//! λ·(‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁) asks each point to come back where it started, which is
//! what ties a translated point to its source when no pair says where it should go.
//!
//! `points` trains MLPs between two 2-D datasets, `digits` convolutional translators between
//! MNIST and thick-stroke MNIST; the losses, both players' objectives and the metrics here are
//! written once for any shape of sample (`D` is the rank of a batch).

pub mod digits;
pub mod points;

use burn::prelude::*;
use serde::Serialize;

use crate::config::{CycleConfig, GanConfig};
use crate::objective::Objective;
use crate::rng::Rng;
use crate::theory::ModeCoverage;

/// G or F: a batch of one domain's samples `[n, …]` to the other domain's.
pub trait Translate<const D: usize> {
    /// The translation, same shape as `x`.
    fn translate(&self, x: Tensor<D>) -> Tensor<D>;
}

/// D_X or D_Y: a batch of its domain's samples `[n, …]` to scores `[n, 1]`.
pub trait Judge<const D: usize> {
    /// Scores of a real and a fake batch, `[n, 1]` each (one pass where the critic's layers
    /// allow it).
    fn judge_pair(&self, real: Tensor<D>, fake: Tensor<D>) -> (Tensor<2>, Tensor<2>);
    /// Scores of one batch `[n, 1]`.
    fn judge(&self, x: Tensor<D>) -> Tensor<2>;
    /// The gradient penalties of this critic's loss at `real` and `fake` (WGAN-GP, R1), in the
    /// order they are added.
    fn penalties(
        &self,
        real: Tensor<D>,
        fake: Tensor<D>,
        config: &GanConfig,
        rng: &mut Rng,
    ) -> Vec<Tensor<1>>;
}

/// Both critics' loss, summed, and both games' values, summed, `[1]` each: D_Y on real `y`
/// against G(x), D_X on real `x` against F(y) (the translations as constants).
pub(crate) fn critics_loss<const D: usize, C: Judge<D>>(
    objective: &dyn Objective,
    (d_x, d_y): (&C, &C),
    (x, y): (Tensor<D>, Tensor<D>),
    (fake_x, fake_y): (Tensor<D>, Tensor<D>),
    config: &GanConfig,
    rng: &mut Rng,
) -> (Tensor<1>, Tensor<1>) {
    let smoothing = config.stabilizers.label_smoothing;
    let mut total: Option<(Tensor<1>, Tensor<1>)> = None;
    for (d, real, fake) in [(d_y, y, fake_y), (d_x, x, fake_x)] {
        let (real_out, fake_out) = d.judge_pair(real.clone(), fake.clone()); // [n, 1] each
        let (mut loss, value) =
            crate::game::discriminator_loss_and_value(objective, smoothing, real_out, fake_out);
        for penalty in d.penalties(real, fake, config, rng) {
            loss = loss + penalty;
        }
        total = Some(match total {
            Some((l, v)) => (l + loss, v + value),
            None => (loss, value),
        });
    }
    total.expect("two critics")
}

/// The translators' whole objective, `[1]`: both adversarial losses (against `d_y` and `d_x`,
/// held constant by the caller), λ times the cycle loss and the identity loss when they are on.
pub(crate) fn translators_loss<const D: usize, T: Translate<D>, C: Judge<D>>(
    objective: &dyn Objective,
    (g, f): (&T, &T),
    (d_x, d_y): (&C, &C),
    (x, y): (Tensor<D>, Tensor<D>),
    cycle: &CycleConfig,
) -> Tensor<1> {
    let fake_y = g.translate(x.clone()); // G(x)
    let fake_x = f.translate(y.clone()); // F(y)
    let mut loss =
        objective.g_loss(d_y.judge(fake_y.clone())) + objective.g_loss(d_x.judge(fake_x.clone()));
    if cycle.cycle_weight > 0.0 {
        let back_x = f.translate(fake_y); // F(G(x))
        let back_y = g.translate(fake_x); // G(F(y))
        loss = loss + cycle_loss(x.clone(), back_x, y.clone(), back_y, cycle.cycle_weight);
    }
    if cycle.identity_weight > 0.0 {
        let same = l1(g.translate(y.clone()), y) + l1(f.translate(x.clone()), x);
        loss = loss + same.mul_scalar(cycle.identity_weight);
    }
    loss
}

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
