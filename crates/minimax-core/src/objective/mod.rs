//! The objectives of the game, computed from D's raw output v (a logit for the probabilistic
//! objectives, a critic value for the others) in a numerically stable way: log D = −softplus(−l)
//! and log(1 − D) = −softplus(l), never log(σ(l)).
//!
//! Adding an objective is one local change: a module with a type implementing [`Objective`], a
//! variant of [`ObjectiveKind`], and its arm in [`ObjectiveConfig::objective`].

mod f_gan;
mod hinge;
mod least_squares;
mod minimax;
mod non_saturating;
mod wasserstein;

pub use f_gan::{Divergence, FGan};
pub use least_squares::{LeastSquares, LsCoding};

use burn::prelude::*;
use burn::tensor::activation::log_sigmoid;

use crate::config::ObjectiveConfig;
pub use crate::config::kinds::ObjectiveKind;

/// The losses of one objective. Inputs are D's raw outputs `[batch, 1]`; outputs are scalars `[1]`.
pub trait Objective {
    /// What D minimises, from its outputs on real and on generated samples.
    fn d_loss(&self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1>;
    /// What G minimises, from D's outputs on generated samples.
    fn g_loss(&self, fake: Tensor<2>) -> Tensor<1>;
    /// The logit of the probability D(x) that the output stands for: the objective's optimal
    /// discriminator makes σ(logit) = p_data / (p_data + p_g). `None` for critics (hinge, WGAN),
    /// whose output is a score, not a probability.
    fn implied_logit(&self, out: Tensor<2>) -> Option<Tensor<2>>;
    /// The D loss with one-sided label smoothing: real targets moved by `s` toward the fake
    /// target (Salimans et al. 2016). `None` where the objective has no labels to smooth.
    fn smoothed_d_loss(&self, _real: Tensor<2>, _fake: Tensor<2>, _s: f64) -> Option<Tensor<1>> {
        None
    }
    /// Whether [`Self::d_loss`] is exactly −V(D, G) (the binary cross-entropy of the original
    /// game), so the game's value is the negated loss and costs nothing to report.
    fn d_loss_is_negated_value(&self) -> bool {
        false
    }
}

impl ObjectiveKind {
    /// Every objective, in the order the UI lists them.
    pub const ALL: [Self; 7] = [
        Self::Minimax,
        Self::NonSaturating,
        Self::LeastSquares,
        Self::Hinge,
        Self::Wgan,
        Self::WganGp,
        Self::FGan,
    ];

    /// The objective with the default parameters of [`ObjectiveConfig`].
    pub fn objective(self) -> Box<dyn Objective> {
        ObjectiveConfig {
            kind: self,
            ..ObjectiveConfig::default()
        }
        .objective()
    }

    /// Whether D is a critic (an unbounded score) rather than a classifier.
    pub fn is_critic(self) -> bool {
        matches!(self, Self::Hinge | Self::Wgan | Self::WganGp)
    }
}

impl ObjectiveConfig {
    /// The implementation behind the configuration.
    pub fn objective(&self) -> Box<dyn Objective> {
        match self.kind {
            ObjectiveKind::Minimax => Box::new(minimax::Minimax),
            ObjectiveKind::NonSaturating => Box::new(non_saturating::NonSaturating),
            ObjectiveKind::LeastSquares => Box::new(LeastSquares::new(self.ls_coding)),
            ObjectiveKind::Hinge => Box::new(hinge::Hinge),
            ObjectiveKind::Wgan | ObjectiveKind::WganGp => Box::new(wasserstein::Wasserstein),
            ObjectiveKind::FGan => Box::new(FGan(self.divergence)),
        }
    }
}

/// softplus(x) = log(1 + eˣ) = −log σ(−x): no overflow for large |x|.
pub fn softplus<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    // −log σ(−x): one fused, numerically stable op with its own backward (a third of the
    // autodiff nodes of max(x, 0) + log1p(e^−|x|), which the small 2-D steps pay per op).
    log_sigmoid(x.neg()).neg()
}

/// The value of the game V(D, G) = E[log D(x)] + E[log(1 − D(G(z)))] from D's logits; −log 4
/// when D = 1/2 everywhere.
pub fn minimax_value(real_logits: Tensor<2>, fake_logits: Tensor<2>) -> Tensor<1> {
    // log D = log σ(l) and log(1 − D) = log σ(−l).
    log_sigmoid(real_logits).mean() + log_sigmoid(fake_logits.neg()).mean()
}

/// What the loss plot calls the value: V(D, G) with the probability D stands for, or for a
/// critic E[D(x)] − E[D(G(z))] (the critic's estimate of the Wasserstein-1 distance for WGAN).
pub fn game_value(objective: &dyn Objective, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
    match (
        objective.implied_logit(real.clone()),
        objective.implied_logit(fake.clone()),
    ) {
        (Some(r), Some(f)) => minimax_value(r, f),
        _ => real.mean() - fake.mean(),
    }
}

/// The discriminator loss of the original game, binary cross-entropy: real → 1, fake → 0.
/// Equal to −V(D, G).
pub fn bce_d_loss(real_logits: Tensor<2>, fake_logits: Tensor<2>) -> Tensor<1> {
    minimax_value(real_logits, fake_logits).neg()
}

/// BCE with real targets 1 − s: (1 − s)·softplus(−l) + s·softplus(l) = softplus(−l) + s·l.
pub fn smoothed_bce_d_loss(real_logits: Tensor<2>, fake_logits: Tensor<2>, s: f64) -> Tensor<1> {
    bce_d_loss(real_logits.clone(), fake_logits) + real_logits.mean().mul_scalar(s)
}
