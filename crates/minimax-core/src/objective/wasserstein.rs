//! The Wasserstein critic loss (Arjovsky et al. 2017). The Lipschitz constraint is not part of
//! the loss: weight clipping (WGAN) and the gradient penalty (WGAN-GP) live in the training loop.

use burn::prelude::*;

use super::Objective;

/// Critic: max E[D(x)] − E[D(G(z))]; G: −E[D(G(z))].
pub struct Wasserstein;

impl Objective for Wasserstein {
    fn d_loss(&self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        fake.mean() - real.mean()
    }

    fn g_loss(&self, fake: Tensor<2>) -> Tensor<1> {
        fake.mean().neg()
    }

    fn implied_logit(&self, _out: Tensor<2>) -> Option<Tensor<2>> {
        None
    }
}
