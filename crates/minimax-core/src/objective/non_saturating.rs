//! The non-saturating generator loss (Goodfellow et al. 2014, end of §3).

use burn::prelude::*;

use super::{Objective, bce_d_loss, softplus};

/// D as in the minimax game; G maximises log D(G(z)) instead of minimising log(1 − D(G(z))).
pub struct NonSaturating;

impl Objective for NonSaturating {
    fn d_loss(&self, real_logits: Tensor<2>, fake_logits: Tensor<2>) -> Tensor<1> {
        bce_d_loss(real_logits, fake_logits)
    }

    /// −E[log D(G(z))] = E[softplus(−l)]: strong gradients while D rejects the samples.
    fn g_loss(&self, fake_logits: Tensor<2>) -> Tensor<1> {
        softplus(fake_logits.neg()).mean()
    }
}
