//! The original minimax game (Goodfellow et al. 2014, eq. 1).

use burn::prelude::*;

use super::{Objective, bce_d_loss, softplus};

/// min_G max_D E[log D(x)] + E[log(1 − D(G(z)))].
pub struct Minimax;

impl Objective for Minimax {
    fn d_loss(&self, real_logits: Tensor<2>, fake_logits: Tensor<2>) -> Tensor<1> {
        bce_d_loss(real_logits, fake_logits)
    }

    /// E[log(1 − D(G(z)))] = −E[softplus(l)]: its gradient vanishes as D(G(z)) → 0.
    fn g_loss(&self, fake_logits: Tensor<2>) -> Tensor<1> {
        softplus(fake_logits).mean().neg()
    }
}
