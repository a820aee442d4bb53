//! f-GAN (Nowozin et al. 2016): D's output v goes through the output activation g_f into the
//! domain of the conjugate f*, and D maximises the variational lower bound of D_f(P‖Q)
//! F = E_P[g_f(v)] − E_Q[f*(g_f(v))]. G uses the paper's practical update (§3.2): it maximises
//! E_Q[g_f(v)] instead of minimising F.
//!
//! The table (the paper's Table 2) is kept in two forms: scalar f, f*, g_f for tests and
//! docs, and the composition f*(g_f(v)) simplified by hand into forms that cannot overflow.

use core::f64::consts::LN_2;

use burn::prelude::*;

pub use crate::config::kinds::Divergence;

use super::{Objective, softplus};

impl Divergence {
    /// Every divergence, in the order the UI lists them.
    pub const ALL: [Self; 6] = [
        Self::Kl,
        Self::ReverseKl,
        Self::Pearson,
        Self::SquaredHellinger,
        Self::JensenShannon,
        Self::Gan,
    ];

    /// The generator function f(u), u > 0.
    pub fn f(self, u: f64) -> f64 {
        match self {
            Self::Kl => u * u.ln(),
            Self::ReverseKl => -u.ln(),
            Self::Pearson => (u - 1.0).powi(2),
            Self::SquaredHellinger => (u.sqrt() - 1.0).powi(2),
            Self::JensenShannon => -(u + 1.0) * ((1.0 + u) / 2.0).ln() + u * u.ln(),
            Self::Gan => u * u.ln() - (u + 1.0) * (u + 1.0).ln(),
        }
    }

    /// The convex conjugate f*(t) = sup_u (u·t − f(u)), on its domain.
    pub fn conjugate(self, t: f64) -> f64 {
        match self {
            Self::Kl => (t - 1.0).exp(),
            Self::ReverseKl => -1.0 - (-t).ln(),
            Self::Pearson => t * t / 4.0 + t,
            Self::SquaredHellinger => t / (1.0 - t),
            Self::JensenShannon => -(2.0 - t.exp()).ln(),
            Self::Gan => -(1.0 - t.exp()).ln(),
        }
    }

    /// The output activation g_f(v), which maps ℝ into the domain of f*.
    pub fn activation(self, v: f64) -> f64 {
        let softplus = |x: f64| x.max(0.0) + (-x.abs()).exp().ln_1p();
        match self {
            Self::Kl | Self::Pearson => v,
            Self::ReverseKl => -(-v).exp(),
            Self::SquaredHellinger => 1.0 - (-v).exp(),
            Self::JensenShannon => LN_2 - softplus(-v),
            Self::Gan => -softplus(-v),
        }
    }

    /// g_f(v) on a tensor.
    pub fn activation_tensor(self, v: Tensor<2>) -> Tensor<2> {
        match self {
            Self::Kl | Self::Pearson => v,
            Self::ReverseKl => v.neg().exp().neg(),
            Self::SquaredHellinger => v.neg().exp().neg().add_scalar(1.0),
            Self::JensenShannon => softplus(v.neg()).neg().add_scalar(LN_2),
            Self::Gan => softplus(v.neg()).neg(),
        }
    }

    /// f*(g_f(v)) on a tensor, simplified: e.g. for JS −log(2 − 2σ(v)) = softplus(v) − log 2.
    pub fn conjugate_of_activation(self, v: Tensor<2>) -> Tensor<2> {
        match self {
            Self::Kl => v.sub_scalar(1.0).exp(),
            Self::ReverseKl => v.sub_scalar(1.0),
            Self::Pearson => v.clone().powi_scalar(2).div_scalar(4.0) + v,
            Self::SquaredHellinger => v.exp().sub_scalar(1.0),
            Self::JensenShannon => softplus(v).sub_scalar(LN_2),
            Self::Gan => softplus(v),
        }
    }

    /// The logit of D = p/(p + q) at the optimum T* = f'(p/q) = g_f(v).
    fn implied_logit(self, v: Tensor<2>) -> Tensor<2> {
        match self {
            // f'(u) = 1 + log u, so log(p/q) = v − 1.
            Self::Kl => v.sub_scalar(1.0),
            // f'(u) = −1/u = −e^(−v), and for JS and GAN g_f(v) = log(2σ(v)) or log σ(v).
            Self::ReverseKl | Self::JensenShannon | Self::Gan => v,
            // f'(u) = 2(u − 1) = v, so p/q = 1 + v/2 (clamped: the ratio is not negative).
            Self::Pearson => v.div_scalar(2.0).add_scalar(1.0).clamp_min(1e-6).log(),
            // f'(u) = 1 − 1/√u = 1 − e^(−v), so p/q = e^(2v).
            Self::SquaredHellinger => v.mul_scalar(2.0),
        }
    }
}

/// The f-GAN objective for one divergence.
pub struct FGan(pub Divergence);

impl Objective for FGan {
    /// −F = E_Q[f*(g_f(v))] − E_P[g_f(v)].
    fn d_loss(&self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        self.0.conjugate_of_activation(fake).mean() - self.0.activation_tensor(real).mean()
    }

    /// −E_Q[g_f(v)].
    fn g_loss(&self, fake: Tensor<2>) -> Tensor<1> {
        self.0.activation_tensor(fake).mean().neg()
    }

    fn implied_logit(&self, out: Tensor<2>) -> Option<Tensor<2>> {
        Some(self.0.implied_logit(out))
    }
}
