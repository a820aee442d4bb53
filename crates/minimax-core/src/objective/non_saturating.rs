//! The non-saturating generator loss (Goodfellow et al. 2014, end of §3).

use burn::prelude::*;

use super::{Objective, bce_d_loss, smoothed_bce_d_loss, softplus};

/// D as in the minimax game; G maximises log D(G(z)) instead of minimising log(1 − D(G(z))).
pub struct NonSaturating;

impl Objective for NonSaturating {
    fn d_loss(&self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        bce_d_loss(real, fake)
    }

    /// −E[log D(G(z))] = E[softplus(−l)]: strong gradients while D rejects the samples.
    fn g_loss(&self, fake: Tensor<2>) -> Tensor<1> {
        softplus(fake.neg()).mean()
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
