//! CycleGAN between two digit domains: MNIST digits as they are (`mnist`) and the same kind of
//! digits with thick strokes (`mnist_thick`, made at load time by a 3×3 dilation). The two
//! domains come from disjoint halves of the training digits, so no digit of X has its own thick
//! version in Y: the translators learn from unpaired batches, as in the paper. G and F are
//! [`DigitTranslator`]s, D_X and D_Y unconditional DCGAN discriminators; the losses and the
//! schedule are [`super::points`]'s, on digits.

use std::sync::Arc;

use burn::optim::ModuleOptimizer;
use burn::prelude::*;
use serde::Serialize;

use super::{Judge, Translate, critics_loss, translators_loss};
use crate::checkpoint::{Checkpoint, gan_parts, load_gan};
use crate::config::{Dataset, GanConfig, Rebuild};
use crate::game::{
    StepMode, Updates, iteration, optimizer, optimizers_to_rebuild, step_discriminator,
    step_generator, stream, train_until,
};
use crate::image::classifier::Classifier;
use crate::image::dcgan::{DcganDiscriminator, DcganShape};
use crate::image::mnist::{CLASSES, Mnist, Split};
use crate::image::quality::classifier_score;
use crate::image::train::gradient_penalties;
use crate::image::translator::DigitTranslator;
use crate::objective::Objective;
use crate::rng::Rng;
use crate::run::GanRun;

/// Digits of each domain in the live view (x, G(x), F(G(x)) and y, F(y), G(F(y))).
pub const VIEW_DIGITS: usize = 8;

/// The two translators: G: X → Y and F: Y → X, digits `[n, 1, 28, 28]` to digits.
#[derive(Module, Debug)]
pub struct DigitTranslators {
    /// G: X → Y.
    pub g: DigitTranslator,
    /// F: Y → X.
    pub f: DigitTranslator,
}

/// The two discriminators: D_X judges digits of X, D_Y digits of Y (`[n, 1, 28, 28]` → `[n, 1]`).
#[derive(Module, Debug)]
pub struct DigitCritics {
    /// D_X: real digits of X against F(y).
    pub d_x: DcganDiscriminator,
    /// D_Y: real digits of Y against G(x).
    pub d_y: DcganDiscriminator,
}

crate::checkpoint::record_parts!(DigitTranslators, DigitCritics);

impl Translate<4> for DigitTranslator {
    fn translate(&self, x: Tensor<4>) -> Tensor<4> {
        self.forward(x)
    }
}

impl Judge<4> for DcganDiscriminator {
    fn judge_pair(&self, real: Tensor<4>, fake: Tensor<4>) -> (Tensor<2>, Tensor<2>) {
        (self.forward(real, None), self.forward(fake, None))
    }
    fn judge(&self, x: Tensor<4>) -> Tensor<2> {
        self.forward(x, None)
    }
    fn penalties(
        &self,
        real: Tensor<4>,
        fake: Tensor<4>,
        config: &GanConfig,
        rng: &mut Rng,
    ) -> Vec<Tensor<1>> {
        gradient_penalties(self, real, fake, None, config, rng)
    }
}

/// The digits of both domains, from one MNIST asset: training digits drawn in batches, held-out
/// digits (never trained on) behind the views and the metrics.
#[derive(Debug, PartialEq)]
pub struct DigitDomains {
    /// Domain X's training digits (half 0 of the training split: [`Mnist::half`]).
    pub x_train: Mnist,
    /// Domain Y's training digits (half 1: not one of them is an x).
    pub y_train: Mnist,
    /// Domain X's held-out digits.
    pub x_eval: Mnist,
    /// Domain Y's held-out digits.
    pub y_eval: Mnist,
}

/// A set of digits as domain `dataset` shows them.
fn as_domain(dataset: Dataset, digits: Mnist) -> Mnist {
    match dataset {
        Dataset::MnistThick => digits.thickened(),
        _ => digits,
    }
}

impl DigitDomains {
    /// Domain X (`cycle.source`) and Y (`data.dataset`) of a (validated) digit CycleGAN config,
    /// cut from the whole `asset`.
    pub fn of(config: &GanConfig, asset: &Mnist) -> Self {
        let x = config
            .cycle
            .source
            .expect("a CycleGAN run names its source domain (validated)");
        let y = config.data.dataset;
        let (train, held_out) = (asset.split(Split::Train), asset.split(Split::HeldOut));
        Self {
            x_train: as_domain(x, train.half(0)),
            y_train: as_domain(y, train.half(1)),
            x_eval: as_domain(x, held_out.half(0)),
            y_eval: as_domain(y, held_out.half(1)),
        }
    }
}

/// What a digit translator achieves on the held-out digits of both domains.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DigitCycleMetrics {
    /// Share of X's digits whose translation G(x) the classifier reads as the digit's label:
    /// the translation changed the style, not the digit.
    pub label_kept_x: f64,
    /// Share of Y's digits whose F(y) keeps the label.
    pub label_kept_y: f64,
    /// Mean |F(G(x)) − x| per pixel (pixels in [−1, 1]).
    pub cycle_error_x: f64,
    /// Mean |G(F(y)) − y| per pixel.
    pub cycle_error_y: f64,
    /// Ink, the share of pixels brighter than mid-grey, of X's held-out digits, of their
    /// translations G(x), of Y's digits and of F(y): thick strokes hold about twice the ink,
    /// so G(X)'s ink reaching Y's (and F(Y)'s reaching X's) shows the style did change.
    pub ink: Ink,
    /// The classifier score of G(X) (1 to 10; 10 = confident digits spread over all classes).
    pub classifier_score_gx: f64,
    /// The classifier score of F(Y).
    pub classifier_score_fy: f64,
    /// Held-out digits of each domain behind the numbers.
    pub samples: usize,
}

impl DigitCycleMetrics {
    /// Both directions' cycle error, averaged.
    pub fn cycle_error(&self) -> f64 {
        (self.cycle_error_x + self.cycle_error_y) / 2.0
    }
}

/// Ink (the share of pixels above mid-grey) of four sets of digits.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Ink {
    /// Real digits of X.
    pub x: f64,
    /// Their translations G(x).
    pub gx: f64,
    /// Real digits of Y.
    pub y: f64,
    /// Their translations F(y).
    pub fy: f64,
}

/// The share of the pixels of `digits` `[n, 1, 28, 28]` (in [−1, 1]) above mid-grey, on the
/// device: `[1]`.
pub fn ink(digits: Tensor<4>) -> Tensor<1> {
    digits.greater_elem(0.0).float().mean()
}

/// Share of rows of `probs` (`[n·10]`) whose most probable class is the matching label.
pub fn label_kept(probs: &[f32], labels: &[u8]) -> f64 {
    let kept = probs
        .chunks(CLASSES)
        .zip(labels)
        .filter(|(row, label)| {
            let best = (0..CLASSES).max_by(|&a, &b| row[a].total_cmp(&row[b]));
            best == Some(usize::from(**label))
        })
        .count();
    kept as f64 / labels.len().max(1) as f64
}

/// The state of one CycleGAN run between two digit domains. Clone is cheap (tensors and the
/// digits are shared).
#[derive(Clone)]
pub struct DigitCycleTrainer {
    config: GanConfig,
    device: Device,
    /// The whole MNIST asset the domains are cut from (kept to cut new ones on reconfigure).
    asset: Arc<Mnist>,
    domains: Arc<DigitDomains>,
    translators: DigitTranslators,
    critics: DigitCritics,
    opt_g: ModuleOptimizer,
    opt_d: ModuleOptimizer,
    x_rng: Rng,
    y_rng: Rng,
    stabilizer_rng: Rng,
    step: u64,
}

fn critics(config: &GanConfig, rng: &mut Rng, device: &Device) -> DigitCritics {
    let shape = DcganShape::of(config);
    DigitCritics {
        d_x: DcganDiscriminator::new(&shape, rng, device),
        d_y: DcganDiscriminator::new(&shape, rng, device),
    }
}

impl DigitCycleTrainer {
    /// New networks on `device` (autodiff is enabled on it here), from the config's seed, for
    /// the domains [`DigitDomains::of`] cuts from the whole MNIST `asset`.
    pub fn new(config: GanConfig, asset: Arc<Mnist>, device: &Device) -> Self {
        let domains = Arc::new(DigitDomains::of(&config, &asset));
        Self::with_domains(config, asset, domains, device)
    }

    fn with_domains(
        config: GanConfig,
        asset: Arc<Mnist>,
        domains: Arc<DigitDomains>,
        device: &Device,
    ) -> Self {
        let device = device.clone().autodiff();
        let seed = u64::from(config.seed);
        let mut model_rng = Rng::stream(seed, stream::MODEL);
        let translators = DigitTranslators {
            g: DigitTranslator::new(&config.generator, &mut model_rng, &device),
            f: DigitTranslator::new(&config.generator, &mut model_rng, &device),
        };
        let critics = critics(&config, &mut model_rng, &device);
        Self {
            opt_g: optimizer(&config.optimizer_g),
            opt_d: optimizer(&config.optimizer_d),
            x_rng: Rng::stream(seed, stream::NOISE),
            y_rng: Rng::stream(seed, stream::DATA),
            stabilizer_rng: Rng::stream(seed, stream::STABILIZERS),
            translators,
            critics,
            asset,
            domains,
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
        asset: Arc<Mnist>,
        device: &Device,
        optimizers: bool,
    ) -> Result<Self, String> {
        if !checkpoint.config.is_digit_cycle() {
            return Err("checkpoint: this is not a CycleGAN translation between digits".into());
        }
        let mut run = Self::new(checkpoint.config.clone(), asset, device);
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

    /// The digits of both domains.
    pub fn domains(&self) -> &Arc<DigitDomains> {
        &self.domains
    }

    /// One iteration; `[LOSS_STRIDE]` numbers laid out as the 2-D CycleGAN's.
    pub fn iteration(&mut self, mode: StepMode) -> Tensor<1> {
        iteration(self, mode)
    }

    /// Runs `steps` iterations (at least one); their losses `[steps · LOSS_STRIDE]`, unread.
    pub fn train(&mut self, steps: usize) -> Tensor<1> {
        train_until(self, steps, StepMode::Both, &mut || false)
    }

    /// A batch of `n` digits of X and one of Y, drawn independently: `[n, 1, 28, 28]` each.
    fn batches(&mut self, n: usize) -> (Tensor<4>, Tensor<4>) {
        let (x, _) = self.domains.x_train.batch(&mut self.x_rng, n, &self.device);
        let (y, _) = self.domains.y_train.batch(&mut self.y_rng, n, &self.device);
        (x, y)
    }

    /// The first `n` held-out digits of each domain, without autodiff: `[n, 1, 28, 28]` each.
    fn held_out(&self, n: usize) -> (Tensor<4>, Tensor<4>) {
        let device = self.device.clone().inner();
        let first = |set: &Mnist| set.images(&(0..n.min(set.len())).collect::<Vec<_>>(), &device);
        (first(&self.domains.x_eval), first(&self.domains.y_eval))
    }

    /// What the view draws, still on the device: `[x, G(x), F(G(x)), y, F(y), G(F(y))]` for
    /// the first [`VIEW_DIGITS`] held-out digits of each domain, `[VIEW_DIGITS, 1, 28, 28]` each.
    pub fn view(&self) -> [Tensor<4>; 6] {
        let (x, y) = self.held_out(VIEW_DIGITS);
        self.round_trips(x, y)
    }

    /// `[x, G(x), F(G(x)), y, F(y), G(F(y))]` by the translators in inference mode.
    fn round_trips(&self, x: Tensor<4>, y: Tensor<4>) -> [Tensor<4>; 6] {
        let t = self.translators.valid();
        let gx = t.g.forward(x.clone());
        let fy = t.f.forward(y.clone());
        [
            x,
            gx.clone(),
            t.f.forward(gx),
            y,
            fy.clone(),
            t.g.forward(fy),
        ]
    }

    /// The metrics' inputs for every held-out digit of each domain, reduced on the device so
    /// that reading them back moves ~40 KB, not the ~9 MB of six image sets: `[1, 6]` = the ink
    /// of x, G(x), y and F(y), then the cycle errors mean |F(G(x)) − x| and mean |G(F(y)) − y|;
    /// then the classifier's probabilities of G(x) `[n_x, 10]` and of F(y) `[n_y, 10]`.
    /// `classifier` must live on this run's device (without autodiff).
    pub fn eval_tensors(&self, classifier: &Classifier) -> [Tensor<2>; 3] {
        let n = self.domains.x_eval.len().max(self.domains.y_eval.len());
        let (x, y) = self.held_out(n);
        let [x, gx, fgx, y, fy, gfy] = self.round_trips(x, y);
        let probs = |digits: Tensor<4>| classifier.judge(digits).0;
        let (probs_gx, probs_fy) = (probs(gx.clone()), probs(fy.clone()));
        let error = |a: Tensor<4>, b: Tensor<4>| (a - b).abs().mean(); // [1]
        let stats = Tensor::cat(
            vec![
                ink(x.clone()),
                ink(gx),
                ink(y.clone()),
                ink(fy),
                error(fgx, x),
                error(gfy, y),
            ],
            0,
        )
        .reshape([1, 6]);
        [stats, probs_gx, probs_fy]
    }

    /// The metrics from the three [`Self::eval_tensors`] read back.
    pub fn metrics_of(&self, read: &[Vec<f32>; 3]) -> DigitCycleMetrics {
        let [stats, probs_gx, probs_fy] = read;
        let stat = |i: usize| f64::from(stats[i]);
        DigitCycleMetrics {
            ink: Ink {
                x: stat(0),
                gx: stat(1),
                y: stat(2),
                fy: stat(3),
            },
            label_kept_x: label_kept(probs_gx, self.domains.x_eval.labels()),
            label_kept_y: label_kept(probs_fy, self.domains.y_eval.labels()),
            cycle_error_x: stat(4),
            cycle_error_y: stat(5),
            classifier_score_gx: classifier_score(probs_gx),
            classifier_score_fy: classifier_score(probs_fy),
            samples: probs_gx.len() / CLASSES,
        }
    }

    /// The metrics, read synchronously (natively, or on the CPU backend).
    pub fn metrics(&self, classifier: &Classifier) -> DigitCycleMetrics {
        let read = self
            .eval_tensors(classifier)
            .map(|t| t.into_data().try_into_vec::<f32>().expect("digits are f32"));
        self.metrics_of(&read)
    }
}

/// The run's common face (see [`crate::run`]); bring `GanRun` into scope to call it.
impl GanRun for DigitCycleTrainer {
    type Generator = DigitTranslators;
    type Discriminator = DigitCritics;

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

    /// Applies a (validated) configuration and says what it rebuilt: new domains, seed or
    /// translator architecture restart the run; a new discriminator architecture gives both
    /// D's fresh weights; everything else changes on the running networks.
    fn reconfigure(&mut self, config: GanConfig) -> Rebuild {
        let rebuild = self.config.rebuild(&config);
        if rebuild.generator {
            // Same domains (the rebuild rule restarts on other ones too): keep the cut digits.
            let same_domains = config.data.dataset == self.config.data.dataset
                && config.cycle.source == self.config.cycle.source;
            let (asset, device) = (self.asset.clone(), self.device.clone());
            *self = if same_domains {
                Self::with_domains(config, asset, self.domains.clone(), &device)
            } else {
                Self::new(config, asset, &device)
            };
            return rebuild;
        }
        if rebuild.discriminator {
            let mut rng = Rng::stream(u64::from(config.seed), stream::NEW_D + self.step);
            self.critics = critics(&config, &mut rng, &self.device);
        }
        let (new_opt_d, new_opt_g) =
            optimizers_to_rebuild(&self.config, &config, rebuild.discriminator);
        if new_opt_d {
            self.opt_d = optimizer(&config.optimizer_d);
        }
        if new_opt_g {
            self.opt_g = optimizer(&config.optimizer_g);
        }
        self.config = config;
        rebuild
    }

    /// (G and F, D_X and D_Y).
    fn models(&self) -> (&DigitTranslators, &DigitCritics) {
        (&self.translators, &self.critics)
    }

    fn checkpoint_of(
        &self,
        models: (&DigitTranslators, &DigitCritics),
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

/// The two updates the shared schedule (`game::iteration`) calls.
impl Updates for DigitCycleTrainer {
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
    /// each (on the scale of one GAN).
    fn discriminator_update(&mut self, objective: &dyn Objective) -> (Tensor<1>, Tensor<1>) {
        let (x, y) = self.batches(self.config.train.batch_size);
        // The translations as constants, computed off the autodiff graph (the translators have
        // no batch statistics, so inference mode is the same net).
        let t = self.translators.valid();
        let fake_y = t.g.forward(x.clone().inner()).autodiff(); // [n, 1, 28, 28]
        let fake_x = t.f.forward(y.clone().inner()).autodiff(); // [n, 1, 28, 28]
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
