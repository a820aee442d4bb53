//! The original minimax game (Goodfellow et al. 2014, eq. 1).

use burn::prelude::*;

use super::{Objective, bce_d_loss, smoothed_bce_d_loss, softplus};

/// min_G max_D E[log D(x)] + E[log(1 − D(G(z)))].
pub struct Minimax;

impl Objective for Minimax {
    fn d_loss(&self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        bce_d_loss(real, fake)
    }

    /// E[log(1 − D(G(z)))] = −E[softplus(l)]: its gradient vanishes as D(G(z)) → 0.
    fn g_loss(&self, fake: Tensor<2>) -> Tensor<1> {
        softplus(fake).mean().neg()
    }

    fn implied_logit(&self, out: Tensor<2>) -> Option<Tensor<2>> {
        Some(out)
    }

    fn smoothed_d_loss(&self, real: Tensor<2>, fake: Tensor<2>, s: f64) -> Option<Tensor<1>> {
        Some(smoothed_bce_d_loss(real, fake, s))
    }

    fn d_loss_is_negated_value(&self) -> bool {
        true
    }
}
