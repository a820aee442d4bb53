//! CycleGAN between two 2-D datasets: G and F are the playground's generator MLPs with points
//! (not noise) as input, D_X and D_Y its discriminator MLPs. One optimizer moves both
//! generators and one both discriminators, as in the paper's code: their losses add up and
//! their parameters are disjoint, so each network gets exactly its own gradient.

use burn::optim::ModuleOptimizer;
use burn::prelude::*;

use super::{CycleMetrics, Judge, Translate, critics_loss, mean_abs_difference, translators_loss};
use crate::checkpoint::{Checkpoint, gan_parts, load_gan};
use crate::config::{DataConfig, GanConfig, Rebuild};
use crate::game::{
    Updates, iteration, optimizers_to_rebuild, step_discriminator, step_generator, stream,
    train_until,
};
use crate::objective::Objective;
use crate::points::model::{Discriminator, Mlp, discriminator};
use crate::points::train::{EVAL_POINTS, StepMode, VIEW_POINTS, gradient_penalties, matrix};
use crate::points::views::heat_map;
use crate::rng::Rng;
use crate::run::GanRun;
use crate::theory::{Grid, ModeCoverage};

/// The two generators: G: X → Y and F: Y → X, points `[n, 2]` to points `[n, 2]`.
#[derive(Module, Debug)]
pub struct PointTranslators {
    /// G: X → Y.
    pub g: Mlp,
    /// F: Y → X.
    pub f: Mlp,
}

/// The two discriminators: D_X judges points of X, D_Y points of Y (`[n, 2]` → `[n, 1]`).
#[derive(Module, Debug)]
pub struct PointCritics {
    /// D_X: real points of X against F(y).
    pub d_x: Discriminator,
    /// D_Y: real points of Y against G(x).
    pub d_y: Discriminator,
}

crate::checkpoint::record_parts!(PointTranslators, PointCritics);

impl Translate<2> for Mlp {
    fn translate(&self, x: Tensor<2>) -> Tensor<2> {
        self.forward(x)
    }
}

impl Judge<2> for Discriminator {
    fn judge_pair(&self, real: Tensor<2>, fake: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        self.forward_pair(real, fake)
    }
    fn judge(&self, x: Tensor<2>) -> Tensor<2> {
        self.forward(x)
    }
    fn penalties(
        &self,
        real: Tensor<2>,
        fake: Tensor<2>,
        config: &GanConfig,
        rng: &mut Rng,
    ) -> Vec<Tensor<1>> {
        gradient_penalties(self, real, fake, config, rng)
            .into_iter()
            .collect()
    }
}

/// What the views draw at one moment, still on the device.
pub struct CycleView {
    /// Fixed points of X `[VIEW_POINTS, 2]`.
    pub x: Tensor<2>,
    /// G(x): where each is translated `[VIEW_POINTS, 2]`.
    pub translated: Tensor<2>,
    /// F(G(x)): the round trip `[VIEW_POINTS, 2]`.
    pub round_trip: Tensor<2>,
    /// Fixed points of Y `[VIEW_POINTS, 2]`.
    pub y: Tensor<2>,
    /// F(y) `[VIEW_POINTS, 2]`.
    pub translated_back: Tensor<2>,
    /// G(F(y)): the round trip from Y `[VIEW_POINTS, 2]`.
    pub round_trip_back: Tensor<2>,
    /// D_X on the grid `[res²]` (a probability where the objective implies one).
    pub heat_x: Tensor<1>,
    /// D_Y on the grid `[res²]`.
    pub heat_y: Tensor<1>,
    /// Whether the heat maps are probabilities (otherwise raw critic scores).
    pub heat_is_probability: bool,
    /// The grid both maps cover.
    pub grid: Grid,
}

/// The state of one CycleGAN run between two 2-D datasets. Clone is cheap (tensors are shared).
#[derive(Clone)]
pub struct CycleTrainer {
    config: GanConfig,
    device: Device,
    translators: PointTranslators,
    critics: PointCritics,
    opt_g: ModuleOptimizer,
    opt_d: ModuleOptimizer,
    x_rng: Rng,
    y_rng: Rng,
    stabilizer_rng: Rng,
    /// Fixed points of each domain for the views `[VIEW_POINTS, 2]`.
    view_x: Tensor<2>,
    view_y: Tensor<2>,
    /// Fixed points of each domain for the metrics `[EVAL_POINTS, 2]`.
    eval_x: Tensor<2>,
    eval_y: Tensor<2>,
    step: u64,
}

/// Domain X of a config (its `cycle.source`) as a dataset config.
fn source(config: &GanConfig) -> DataConfig {
    DataConfig {
        dataset: config
            .cycle
            .source
            .expect("a CycleGAN run names its source domain (validated)"),
        ..DataConfig::default()
    }
}

/// Fixed points of both domains (views, then metrics), from the config's seed.
fn fixed_points(config: &GanConfig, device: &Device) -> [Tensor<2>; 4] {
    let seed = u64::from(config.seed);
    let mut view = Rng::stream(seed, stream::VIEW);
    let mut eval = Rng::stream(seed, stream::EVAL);
    let x = source(config);
    [
        x.sample(&mut view, VIEW_POINTS),
        config.data.sample(&mut view, VIEW_POINTS),
        x.sample(&mut eval, EVAL_POINTS),
        config.data.sample(&mut eval, EVAL_POINTS),
    ]
    .map(|points| matrix(points, 2, device).without_autodiff())
}

impl CycleTrainer {
    /// New networks on `device` (autodiff is enabled on it here), from the config's seed. The
    /// config must name a source domain (`cycle.source`).
    pub fn new(config: GanConfig, device: &Device) -> Self {
        let device = device.clone().autodiff();
        let seed = u64::from(config.seed);
        let mut model_rng = Rng::stream(seed, stream::MODEL);
        let translators = PointTranslators {
            g: Mlp::new(&config.generator, 2, 2, &mut model_rng, &device),
            f: Mlp::new(&config.generator, 2, 2, &mut model_rng, &device),
        };
        let critics = PointCritics {
            d_x: discriminator(&config, &mut model_rng, &device),
            d_y: discriminator(&config, &mut model_rng, &device),
        };
        let [view_x, view_y, eval_x, eval_y] = fixed_points(&config, &device);
        Self {
            opt_g: crate::points::train::optimizer(&config.optimizer_g),
            opt_d: crate::points::train::optimizer(&config.optimizer_d),
            x_rng: Rng::stream(seed, stream::NOISE),
            y_rng: Rng::stream(seed, stream::DATA),
            stabilizer_rng: Rng::stream(seed, stream::STABILIZERS),
            translators,
            critics,
            view_x,
            view_y,
            eval_x,
            eval_y,
            device,
            config,
            step: 0,
        }
    }

    /// A checkpoint of everything (natively, or on the CPU backend).
    pub fn checkpoint(&self, history: Vec<f32>) -> Checkpoint {
        self.checkpoint_of((&self.translators, &self.critics), history, true)
    }

    /// The run a checkpoint describes, on `device`; optimizer states as [`load_gan`] says.
    pub fn from_checkpoint(
        checkpoint: &Checkpoint,
        device: &Device,
        optimizers: bool,
    ) -> Result<Self, String> {
        if checkpoint.config.cycle.is_off() {
            return Err(
                "checkpoint: this is a GAN from noise, not a CycleGAN translation run".into(),
            );
        }
        let mut run = Self::new(checkpoint.config.clone(), device);
        (run.translators, run.critics, run.opt_g, run.opt_d) = load_gan(
            checkpoint,
            (run.translators, run.critics),
            (run.opt_g, run.opt_d),
            optimizers,
        )?;
        if let [x, y, stabilizer] = checkpoint.rngs.as_slice() {
            run.x_rng = x.clone();
            run.y_rng = y.clone();
            run.stabilizer_rng = stabilizer.clone();
        }
        run.step = checkpoint.step;
        Ok(run)
    }

    /// A batch of `n` points of X and one of Y, drawn independently: `[n, 2]` each.
    fn batches(&mut self, n: usize) -> (Tensor<2>, Tensor<2>) {
        let x = source(&self.config).sample(&mut self.x_rng, n);
        let y = self.config.data.sample(&mut self.y_rng, n);
        (matrix(x, 2, &self.device), matrix(y, 2, &self.device))
    }

    /// One iteration; `[LOSS_STRIDE]` numbers as [`crate::points::train::Trainer::iteration`] lays it out
    /// (the D loss and value averaged over both discriminators, the G loss the generators' total).
    pub fn iteration(&mut self, mode: StepMode) -> Tensor<1> {
        iteration(self, mode)
    }

    /// Runs `steps` iterations (at least one); their losses `[steps · LOSS_STRIDE]`, unread.
    pub fn train(&mut self, steps: usize) -> Tensor<1> {
        train_until(self, steps, StepMode::Both, &mut || false)
    }

    /// The square `[lo, hi]²` that holds both domains.
    pub fn bounds(&self) -> (f32, f32) {
        let (a, b) = (source(&self.config).bounds(), self.config.data.bounds());
        (a.0.min(b.0), a.1.max(b.1))
    }

    /// The grid of the views at `res` cells per side.
    pub fn grid(&self, res: usize) -> Grid {
        let (lo, hi) = self.bounds();
        Grid {
            lo: f64::from(lo),
            hi: f64::from(hi),
            res,
        }
    }

    /// Everything the views draw, still on the device.
    pub fn view(&self, res: usize) -> CycleView {
        let t = self.translators.valid();
        let critics = self.critics.valid();
        let grid = self.grid(res);
        let centres = matrix(grid.centres(), 2, &self.device).without_autodiff();
        let objective = self.config.objective.objective();
        let heat = |d: &Discriminator| {
            heat_map(&*objective, d.forward(centres.clone())) // [res²]
        };
        let ((heat_x, probability), (heat_y, _)) = (heat(&critics.d_x), heat(&critics.d_y));
        let translated = t.g.forward(self.view_x.clone());
        let translated_back = t.f.forward(self.view_y.clone());
        CycleView {
            round_trip: t.f.forward(translated.clone()),
            translated,
            round_trip_back: t.g.forward(translated_back.clone()),
            translated_back,
            x: self.view_x.clone(),
            y: self.view_y.clone(),
            heat_x,
            heat_y,
            heat_is_probability: probability,
            grid,
        }
    }

    /// The fixed evaluation samples through both generators, still on the device:
    /// `[x, G(x), F(G(x)), y, F(y), G(F(y))]`, `[EVAL_POINTS, 2]` each.
    pub fn eval_tensors(&self) -> [Tensor<2>; 6] {
        let t = self.translators.valid();
        let gx = t.g.forward(self.eval_x.clone());
        let fy = t.f.forward(self.eval_y.clone());
        [
            self.eval_x.clone(),
            gx.clone(),
            t.f.forward(gx),
            self.eval_y.clone(),
            fy.clone(),
            t.g.forward(fy),
        ]
    }

    /// The metrics from the six [`Self::eval_tensors`] read back (x,y interleaved each).
    pub fn metrics_of(&self, read: &[Vec<f32>; 6]) -> CycleMetrics {
        let [x, gx, fgx, y, fy, gfy] = read;
        let coverage = |points: &[f32], data: &DataConfig| {
            data.mixture().map(|m| ModeCoverage::of(points, &m))
        };
        CycleMetrics {
            coverage_y: coverage(gx, &self.config.data),
            coverage_x: coverage(fy, &source(&self.config)),
            cycle_error_x: mean_abs_difference(fgx, x),
            cycle_error_y: mean_abs_difference(gfy, y),
            samples: x.len() / 2,
        }
    }

    /// Domain X (the config's `cycle.source`) as a dataset.
    pub fn source_data(&self) -> DataConfig {
        source(&self.config)
    }

    /// Points of X `[n·2]` (x,y interleaved) through G, and back through F: `[G(x), F(G(x))]`,
    /// `[n, 2]` each, still on the device.
    pub fn translate(&self, x: Vec<f32>) -> [Tensor<2>; 2] {
        let t = self.translators.valid();
        let x = matrix(x, 2, &self.device).without_autodiff();
        let translated = t.g.forward(x);
        [translated.clone(), t.f.forward(translated)]
    }

    /// The metrics, read synchronously (natively, or on the CPU backend).
    pub fn metrics(&self) -> CycleMetrics {
        let read = self
            .eval_tensors()
            .map(|t| t.into_data().try_into_vec::<f32>().expect("points are f32"));
        self.metrics_of(&read)
    }
}

/// The run's common face (see [`crate::run`]): implemented here directly, with no inherent
/// copies of the same methods; bring `GanRun` into scope to call them.
impl GanRun for CycleTrainer {
    type Generator = PointTranslators;
    type Discriminator = PointCritics;

    fn config(&self) -> &GanConfig {
        &self.config
    }

    fn device(&self) -> &Device {
        &self.device
    }

    fn step(&self) -> u64 {
        self.step
    }

    fn train_until(
        &mut self,
        max_steps: usize,
        mode: StepMode,
        done: &mut dyn FnMut() -> bool,
    ) -> Tensor<1> {
        train_until(self, max_steps, mode, done)
    }

    /// Applies a (validated) configuration and says what it rebuilt: a new seed, source domain
    /// or generator architecture restarts the run; a new discriminator architecture gives both
    /// D's fresh weights; everything else changes on the running networks.
    fn reconfigure(&mut self, config: GanConfig) -> Rebuild {
        let rebuild = self.config.rebuild(&config);
        if rebuild.generator {
            *self = Self::new(config, &self.device);
            return rebuild;
        }
        if rebuild.discriminator {
            let mut rng = Rng::stream(u64::from(config.seed), stream::NEW_D + self.step);
            self.critics = PointCritics {
                d_x: discriminator(&config, &mut rng, &self.device),
                d_y: discriminator(&config, &mut rng, &self.device),
            };
        } else {
            let sn = config.stabilizers.spectral_norm;
            let critics = self.critics.clone();
            self.critics = PointCritics {
                d_x: critics.d_x.with_spectral_norm(sn),
                d_y: critics.d_y.with_spectral_norm(sn),
            };
        }
        let (new_opt_d, new_opt_g) =
            optimizers_to_rebuild(&self.config, &config, rebuild.discriminator);
        if new_opt_d {
            self.opt_d = crate::points::train::optimizer(&config.optimizer_d);
        }
        if new_opt_g {
            self.opt_g = crate::points::train::optimizer(&config.optimizer_g);
        }
        if self.config.data != config.data {
            let [view_x, view_y, eval_x, eval_y] = fixed_points(&config, &self.device);
            (self.view_x, self.view_y, self.eval_x, self.eval_y) = (view_x, view_y, eval_x, eval_y);
        }
        self.config = config;
        rebuild
    }

    /// (G and F, D_X and D_Y), e.g. to copy them to the CPU before a checkpoint.
    fn models(&self) -> (&PointTranslators, &PointCritics) {
        (&self.translators, &self.critics)
    }

    /// A checkpoint from `models` (this run's, or copies of them on the CPU) with the loss
    /// `history`, and the optimizer states when `optimizers` (read synchronously).
    fn checkpoint_of(
        &self,
        models: (&PointTranslators, &PointCritics),
        history: Vec<f32>,
        optimizers: bool,
    ) -> Checkpoint {
        let optimizers = optimizers.then_some((&self.opt_g, &self.opt_d));
        Checkpoint {
            config: self.config.clone(),
            step: self.step,
            rngs: vec![
                self.x_rng.clone(),
                self.y_rng.clone(),
                self.stabilizer_rng.clone(),
            ],
            history,
            parts: gan_parts(models.0, models.1, optimizers),
        }
    }
}

/// The two updates the shared schedule (`game::iteration`) calls, written here once.
impl Updates for CycleTrainer {
    fn config(&self) -> &GanConfig {
        &self.config
    }
    fn device(&self) -> &Device {
        &self.device
    }
    fn count_step(&mut self) {
        self.step += 1;
    }

    /// One update of D_X and D_Y; their mean loss and the mean of the two games' values, `[1]`
    /// each (on the scale of one GAN, so −log 4 still marks the equilibrium).
    fn discriminator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>) {
        let (x, y) = self.batches(self.config.train.batch_size);
        // The translations as constants, computed off the autodiff graph (no nodes built only to
        // be detached; the MLPs have no batch statistics, so inference mode is the same net).
        let t = self.translators.valid();
        let fake_y = t.g.forward(x.clone().inner()).autodiff(); // [n, 2]
        let fake_x = t.f.forward(y.clone().inner()).autodiff(); // [n, 2]
        let (loss, value) = critics_loss(
            objective,
            (&self.critics.d_x, &self.critics.d_y),
            (x, y),
            (fake_x, fake_y),
            &self.config,
            &mut self.stabilizer_rng,
        );
        let critics = self.critics.clone();
        self.critics = step_discriminator(&mut self.opt_d, &self.config, critics, &loss, self.step);
        (loss.detach().div_scalar(2.0), value.div_scalar(2.0))
    }

    /// One update of G and F on the full objective: both adversarial losses, λ times the cycle
    /// loss and the identity loss when it is on. Returns that total and ‖∂L/∂θ_{G,F}‖, `[1]` each.
    fn generator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>) {
        let (x, y) = self.batches(self.config.train.batch_size);
        // The discriminators as constants: no gradients for their weights.
        let critics = self.critics.clone().set_require_grad(false);
        let t = &self.translators;
        let loss = translators_loss(
            objective,
            (&t.g, &t.f),
            (&critics.d_x, &critics.d_y),
            (x, y),
            &self.config.cycle,
        );
        let translators = self.translators.clone();
        let (translators, norm) = step_generator(
            &mut self.opt_g,
            &self.config,
            translators,
            &loss,
            &self.device,
            self.step,
        );
        self.translators = translators;
        (loss.detach(), norm)
    }
}
