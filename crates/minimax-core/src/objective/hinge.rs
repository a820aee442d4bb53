//! The hinge loss (Lim & Ye 2017; used by SN-GAN, Miyato et al. 2018, and BigGAN).

use burn::prelude::*;
use burn::tensor::activation::relu;

use super::Objective;

/// D: E[max(0, 1 − D(x))] + E[max(0, 1 + D(G(z)))]; G: −E[D(G(z))].
pub struct Hinge;

impl Objective for Hinge {
    fn d_loss(&self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        relu(real.neg().add_scalar(1.0)).mean() + relu(fake.add_scalar(1.0)).mean()
    }

    fn g_loss(&self, fake: Tensor<2>) -> Tensor<1> {
        fake.mean().neg()
    }

    /// The hinge optimum is sign(p_data − p_g) where the densities differ: a score, not D*.
    fn implied_logit(&self, _out: Tensor<2>) -> Option<Tensor<2>> {
        None
    }
}
