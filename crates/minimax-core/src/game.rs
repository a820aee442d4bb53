//! The game's schedule shared by the 2-D and the image trainers: which player moves, the
//! optimizers, one iteration of k D-steps and G-steps with its loss layout, and the pieces of a
//! D or G update every trainer needs (clipping, label smoothing, the gradient norm).

use burn::module::{ModuleMapper, ModuleVisitor, Param};
use burn::optim::{
    GradientsParams, ModuleOptimizer, RmsPropConfig, SgdConfig, momentum::MomentumConfig,
};
use burn::prelude::*;
use burn::tensor::Gradients;

use crate::adam::HostAdam;
use crate::config::{GanConfig, OptimizerConfig, OptimizerKind, PenaltyUnits};
use crate::objective::{Objective, ObjectiveKind, game_value};

/// Numbers per iteration in a trainer's loss tensor: D loss, G loss, value, ‖∂L_G/∂θ_G‖.
pub const LOSS_STRIDE: usize = 4;

/// Independent random streams of one seed.
pub(crate) mod stream {
    pub const DATA: u64 = 1;
    pub const NOISE: u64 = 2;
    pub const VIEW: u64 = 3;
    pub const SAMPLES: u64 = 4;
    pub const MODEL: u64 = 5;
    pub const STABILIZERS: u64 = 6;
    pub const EVAL: u64 = 7;
    /// StyleGAN's fixed view noise and the z behind w_avg.
    pub const STYLE_VIEW: u64 = 8;
    /// The maximum-likelihood baseline's data, initialisation and samples.
    pub const LIKELIHOOD: u64 = 9;
    /// D re-initialised during a run: this plus the step.
    pub const NEW_D: u64 = 1 << 32;
}

/// Which players move in an iteration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StepMode {
    /// `d_steps` updates of D, then `g_steps` of G.
    #[default]
    Both,
    /// One update of D only.
    Discriminator,
    /// One update of G only.
    Generator,
}

impl StepMode {
    /// "both", "d" or "g".
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "" | "both" => Ok(Self::Both),
            "d" => Ok(Self::Discriminator),
            "g" => Ok(Self::Generator),
            other => Err(format!(
                "step mode must be \"both\", \"d\" or \"g\", got {other:?}"
            )),
        }
    }
}

/// Builds the optimizer a config names.
pub fn optimizer(config: &OptimizerConfig) -> ModuleOptimizer {
    match config.kind {
        OptimizerKind::Sgd => {
            let momentum = (config.momentum > 0.0).then(|| {
                MomentumConfig::new()
                    .with_momentum(config.momentum)
                    .with_dampening(0.0)
            });
            SgdConfig::new().with_momentum(momentum).init()
        }
        OptimizerKind::Adam => HostAdam::new(config.beta1 as f32, config.beta2 as f32).init(),
        OptimizerKind::Rmsprop => RmsPropConfig::new()
            .with_alpha(config.alpha as f32)
            .with_momentum(config.momentum as f32)
            .init(),
    }
}

/// Clamps every parameter to [−c, c] (WGAN's weight clipping).
pub(crate) struct Clip(pub(crate) f64);

impl ModuleMapper for Clip {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let c = self.0;
        // A fresh leaf: the clamp must not become part of the next step's graph.
        param.map(|t| t.clamp(-c, c).detach().require_grad())
    }
}

/// Σ‖∂L/∂θ‖² over a module's parameters, from a backward pass.
struct GradSquares<'a> {
    grads: &'a Gradients,
    sum: Option<Tensor<1>>,
}

/// ‖∂L/∂θ‖ over `module`'s parameters `[1]` (0 when none has a gradient).
pub(crate) fn gradient_norm<M: Module>(
    module: &M,
    grads: &Gradients,
    device: &Device,
) -> Tensor<1> {
    let mut squares = GradSquares { grads, sum: None };
    module.visit(&mut squares);
    squares
        .sum
        .map_or_else(|| scalar(0.0, device), |s| s.sqrt())
}

/// D's loss under `objective`, with one-sided label smoothing `s` where the objective has labels,
/// and the game's value (see [`game_value`]), `[1]` each. The value is read off the loss where
/// the loss is −V(D, G): the small 2-D steps pay for every tensor op.
pub(crate) fn discriminator_loss_and_value(
    objective: &dyn Objective,
    smoothing: f64,
    real_out: Tensor<2>,
    fake_out: Tensor<2>,
) -> (Tensor<1>, Tensor<1>) {
    if smoothing <= 0.0 && objective.d_loss_is_negated_value() {
        let loss = objective.d_loss(real_out, fake_out);
        return (loss.clone(), loss.detach().neg());
    }
    let value = game_value(
        objective,
        real_out.clone().detach(),
        fake_out.clone().detach(),
    );
    let loss = if smoothing > 0.0 {
        objective
            .smoothed_d_loss(real_out.clone(), fake_out.clone(), smoothing)
            .unwrap_or_else(|| objective.d_loss(real_out, fake_out))
    } else {
        objective.d_loss(real_out, fake_out)
    };
    (loss, value)
}

impl ModuleVisitor for GradSquares<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if let Some(g) = param.val().grad(self.grads) {
            let s = g.powi_scalar(2).sum(); // [1]
            self.sum = Some(match self.sum.take() {
                Some(acc) => acc + s,
                None => s,
            });
        }
    }
}

/// The two updates of a trainer; the schedule around them is shared by the 2-D and image GANs.
pub(crate) trait Updates {
    /// The configuration in use.
    fn config(&self) -> &GanConfig;
    /// The training device.
    fn device(&self) -> &Device;
    /// One update of D; its loss and the game's value, `[1]` each.
    fn discriminator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>);
    /// One update of G; its loss and ‖∂L_G/∂θ_G‖, `[1]` each.
    fn generator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>);
    /// Counts a finished iteration.
    fn count_step(&mut self);
}

/// One iteration of `mode`: `[LOSS_STRIDE]` = last D loss, last G loss, value, ‖∂L_G/∂θ_G‖.
pub(crate) fn iteration<U: Updates>(u: &mut U, mode: StepMode) -> Tensor<1> {
    let objective = u.config().objective.objective();
    let (d_updates, g_updates) = match mode {
        StepMode::Both => (u.config().train.d_steps, u.config().train.g_steps),
        StepMode::Discriminator => (1, 0),
        StepMode::Generator => (0, 1),
    };
    let mut d_stats = None;
    for _ in 0..d_updates {
        d_stats = Some(u.discriminator_update(objective.as_ref()));
    }
    let mut g_stats = None;
    for _ in 0..g_updates {
        g_stats = Some(u.generator_update(objective.as_ref()));
    }
    u.count_step();
    // NaN placeholders only for a skipped part: no upload per step in the usual mode.
    let nan = || (scalar(f32::NAN, u.device()), scalar(f32::NAN, u.device()));
    let (d_loss, value) = d_stats.unwrap_or_else(nan);
    let (g_loss, norm) = g_stats.unwrap_or_else(nan);
    Tensor::cat(
        vec![
            d_loss.without_autodiff(),
            g_loss.without_autodiff(),
            value.without_autodiff(),
            norm.without_autodiff(),
        ],
        0,
    )
}

/// Up to `max_steps` iterations (at least one), stopping early once `done()` says so.
pub(crate) fn train_until<U: Updates>(
    u: &mut U,
    max_steps: usize,
    mode: StepMode,
    mut done: impl FnMut() -> bool,
) -> Tensor<1> {
    let mut losses = Vec::new();
    while losses.len() < max_steps.max(1) {
        losses.push(iteration(u, mode));
        if done() {
            break;
        }
    }
    Tensor::cat(losses, 0)
}
/// Row-major `values` as a `[len / cols, cols]` tensor.
pub fn matrix(values: Vec<f32>, cols: usize, device: &Device) -> Tensor<2> {
    let rows = values.len() / cols;
    Tensor::from_data(TensorData::new(values, [rows, cols]), device)
}

pub(crate) fn scalar(v: f32, device: &Device) -> Tensor<1> {
    Tensor::from_data(TensorData::new(vec![v], [1]), device)
}

/// Whether a configuration change needs a fresh optimizer for D and for G: anything but the
/// learning rate resets its state (a new D gets a fresh one anyway).
pub(crate) fn optimizers_to_rebuild(old: &GanConfig, new: &GanConfig, new_d: bool) -> (bool, bool) {
    let same_but_lr = |a: &OptimizerConfig, b: &OptimizerConfig| {
        OptimizerConfig {
            lr: b.lr,
            ..a.clone()
        } == *b
    };
    (
        new_d || !same_but_lr(&old.optimizer_d, &new.optimizer_d),
        !same_but_lr(&old.optimizer_g, &new.optimizer_g),
    )
}

/// WGAN-GP's λ·E[(‖g‖ − 1)²] for input gradients `g` `[batch, features]`.
pub(crate) fn wgan_gp_penalty(g: Tensor<2>, weight: f64) -> Tensor<1> {
    let norm = g.powi_scalar(2).sum_dim(1).add_scalar(1e-12).sqrt(); // [batch, 1]
    norm.sub_scalar(1.0)
        .powi_scalar(2)
        .mean()
        .mul_scalar(weight)
}

/// R1's weight γ in absolute units: `stabilizers.gradient_penalty`, times the data's σ² when it
/// is given in units of the data's variance. Why σ²: scaling the data by a scales D's input
/// gradients by 1/a and ‖∇D‖² by 1/a², so the same penalty needs γ·a². (Digits have no σ;
/// validation refuses those units there, and γ is then read as it is.)
pub(crate) fn r1_weight(config: &GanConfig) -> f64 {
    let s = &config.stabilizers;
    // Called once per D step: the data's σ is looked up only when the units need it.
    match s.gradient_penalty_units {
        PenaltyUnits::Absolute => s.gradient_penalty,
        PenaltyUnits::DataVariance => config
            .data
            .noise_std()
            .map_or(s.gradient_penalty, |std| s.gradient_penalty * std * std),
    }
}

/// R1's (γ/2)·E[‖g‖²] for input gradients `g` `[batch, features]` on real data.
pub(crate) fn r1_penalty(g: Tensor<2>, gamma: f64) -> Tensor<1> {
    g.powi_scalar(2).sum_dim(1).mean().mul_scalar(gamma / 2.0)
}

/// D after one optimizer step on `loss` at iteration `step` (and WGAN's weight clipping).
pub(crate) fn step_discriminator<M: Module>(
    opt: &mut ModuleOptimizer,
    config: &GanConfig,
    d: M,
    loss: &Tensor<1>,
    step: u64,
) -> M {
    let grads = GradientsParams::from_grads(loss.backward(), &d);
    let d = opt.step(config.learning_rates_at(step).0, d, grads);
    match config.objective.kind {
        ObjectiveKind::Wgan => d.map(&mut Clip(config.objective.clip)),
        _ => d,
    }
}

/// G after one optimizer step on `loss` at iteration `step`, and ‖∂L_G/∂θ_G‖ `[1]`.
pub(crate) fn step_generator<M: Module>(
    opt: &mut ModuleOptimizer,
    config: &GanConfig,
    g: M,
    loss: &Tensor<1>,
    device: &Device,
    step: u64,
) -> (M, Tensor<1>) {
    let grads = loss.backward();
    let norm = gradient_norm(&g, &grads, device);
    let grads = GradientsParams::from_grads(grads, &g);
    (opt.step(config.learning_rates_at(step).1, g, grads), norm)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Dataset;

    fn r1(dataset: Dataset, gamma: f64, units: PenaltyUnits) -> f64 {
        let mut c = GanConfig::default();
        c.data.dataset = dataset;
        c.stabilizers.gradient_penalty = gamma;
        c.stabilizers.gradient_penalty_units = units;
        r1_weight(&c)
    }

    #[test]
    fn r1_in_units_of_the_data_variance_is_gamma_times_sigma_squared() {
        use PenaltyUnits::{Absolute, DataVariance};
        assert_eq!(r1(Dataset::Grid25, 0.3, Absolute), 0.3);
        // The weights tuned by hand as absolute numbers (docs/grid-recipe.md, candidate 3) are
        // the same f32 the tensors are scaled by, so a run in σ² units repeats them bit for bit.
        let f32_half = |gamma: f64| ((gamma / 2.0) as f32).to_bits();
        assert_eq!(
            f32_half(r1(Dataset::Grid25, 1.0, DataVariance)),
            f32_half(0.0025)
        );
        assert_eq!(
            f32_half(r1(Dataset::Ring8, 1.0, DataVariance)),
            f32_half(0.0001)
        );
        assert!((r1(Dataset::Ring8, 4.0, DataVariance) - 4e-4).abs() < 1e-15);
        assert!((r1(Dataset::Spiral, 1.0, DataVariance) - 0.0025).abs() < 1e-15);
        assert_eq!(r1(Dataset::Ring8, 0.0, DataVariance), 0.0, "0 stays off");
    }
}
