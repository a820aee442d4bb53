//! The objectives of the game, computed from D's logits l (D(x) = σ(l)) in a numerically stable
//! way: log D = −softplus(−l) and log(1 − D) = −softplus(l), never log(σ(l)).
//!
//! Adding an objective is one local change: a module with a type implementing [`Objective`], a
//! variant of [`ObjectiveKind`], and its arm in [`ObjectiveKind::objective`].

mod minimax;
mod non_saturating;

use burn::prelude::*;
use serde::{Deserialize, Serialize};

/// The losses of one objective. Inputs are logits `[batch, 1]`; outputs are scalars `[1]`.
pub trait Objective {
    /// What D minimises, from its logits on real and on generated samples.
    fn d_loss(&self, real_logits: Tensor<2>, fake_logits: Tensor<2>) -> Tensor<1>;
    /// What G minimises, from D's logits on generated samples.
    fn g_loss(&self, fake_logits: Tensor<2>) -> Tensor<1>;
}

/// The objectives the configuration can name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveKind {
    /// The original minimax game: G minimises E[log(1 − D(G(z)))] (saturates when D wins).
    Minimax,
    /// The non-saturating game: G minimises −E[log D(G(z))] (Goodfellow et al. 2014, §3).
    #[default]
    NonSaturating,
}

impl ObjectiveKind {
    /// Every objective, in the order the UI lists them.
    pub const ALL: [Self; 2] = [Self::Minimax, Self::NonSaturating];

    /// The implementation behind the name.
    pub fn objective(self) -> &'static dyn Objective {
        match self {
            Self::Minimax => &minimax::Minimax,
            Self::NonSaturating => &non_saturating::NonSaturating,
        }
    }
}

/// softplus(x) = log(1 + eˣ), as max(x, 0) + log1p(e^(−|x|)): no overflow for large |x|.
pub fn softplus<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    x.clone().clamp_min(0.0) + x.abs().neg().exp().log1p()
}

/// The value of the game V(D, G) = E[log D(x)] + E[log(1 − D(G(z)))], whatever the objective
/// trained with; −log 4 when D = 1/2 everywhere.
pub fn minimax_value(real_logits: Tensor<2>, fake_logits: Tensor<2>) -> Tensor<1> {
    (softplus(real_logits.neg()).mean() + softplus(fake_logits).mean()).neg()
}

/// The discriminator loss of the original game, binary cross-entropy: real → 1, fake → 0.
/// Equal to −V(D, G).
pub fn bce_d_loss(real_logits: Tensor<2>, fake_logits: Tensor<2>) -> Tensor<1> {
    minimax_value(real_logits, fake_logits).neg()
}
