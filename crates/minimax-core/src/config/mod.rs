//! The one configuration type of a training run, shared by the page, the URL state, presets and the
//! command line: serde (JSON), versioned, partial input filled from defaults, validated in Rust
//! with messages that name the field and the accepted range.

mod cost;
pub mod edit;
pub mod kinds;
mod schema;
mod validate;

pub use cost::{
    CPU_MULTIPLY_ADDS_PER_SECOND, IterationCost, MAX_ACTIVATION_BYTES, MAX_MULTIPLY_ADDS,
};
pub use schema::{FieldKind, SchemaField, schema};
pub use validate::{ConfigError, FieldError};

use serde::{Deserialize, Serialize};

pub use kinds::{
    Activation, DRAWN_EXTENT, Dataset, Divergence, LsCoding, NoiseDistribution, ObjectiveKind,
    PenaltyUnits,
};

/// The configuration format this build reads and writes.
pub const CONFIG_VERSION: u32 = 1;

/// Everything that defines a training run. Missing fields take their defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GanConfig {
    /// Format version; only [`CONFIG_VERSION`] is accepted.
    pub version: u32,
    /// Seed of the model initialisation, the data and the noise: same seed, same run.
    pub seed: u32,
    /// The target distribution.
    pub data: DataConfig,
    /// The generator's input distribution.
    pub noise: NoiseConfig,
    /// The generator network G(z).
    pub generator: NetConfig,
    /// The discriminator network D(x) (outputs a logit).
    pub discriminator: NetConfig,
    /// The game G and D play.
    pub objective: ObjectiveConfig,
    /// How G's parameters are updated.
    pub optimizer_g: OptimizerConfig,
    /// How D's parameters are updated.
    pub optimizer_d: OptimizerConfig,
    /// Batch size and step schedule.
    pub train: TrainConfig,
    /// Tricks that stabilise training; each can be switched on while training runs.
    pub stabilizers: StabilizerConfig,
    /// Translation between two domains (CycleGAN): off unless it names a source domain.
    /// (Left out of the JSON at its default, so the files of ordinary GANs stay as they were.)
    #[serde(skip_serializing_if = "CycleConfig::is_default")]
    pub cycle: CycleConfig,
}

/// The data distribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataConfig {
    /// Which distribution to sample.
    pub dataset: Dataset,
    /// The user's drawing for `dataset: "drawn"`: one Gaussian of std `std` at each point.
    pub points: Vec<[f64; 2]>,
    /// Standard deviation of the Gaussians around drawn points.
    pub std: f64,
    /// Class-conditional image GAN: G and D see the digit's label, so G can be asked for a 7.
    pub conditional: bool,
}

/// The generator's input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NoiseConfig {
    /// Gaussian N(0, I) or uniform U(−1, 1) per dimension.
    pub distribution: NoiseDistribution,
    /// Dimension of z.
    pub dim: usize,
}

/// A network's architecture. `kind` selects the family: "mlp" for 2-D data, "dcgan" for images
/// (and "stylegan" for an image generator).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NetConfig {
    /// Network family: "mlp" for 2-D data, "dcgan" for images, "stylegan" (generator only).
    pub kind: NetKind,
    /// Number of hidden layers (mlp), or of the mapping network z → w (stylegan); DCGAN's depth
    /// is fixed by the 28×28 image, except for a digit CycleGAN's translators (dcgan generator
    /// with `cycle.source` set): their 3×3 convolutions at 28×28.
    pub hidden_layers: usize,
    /// Units per hidden layer (mlp), channels at 14×14 with twice as many at 7×7 (dcgan), or
    /// channels at 7×7 and 14×14 with half as many at 28×28 (stylegan); a digit translator's
    /// channels per convolution.
    pub width: usize,
    /// Non-linearity after each hidden layer (stylegan: LeakyReLU 0.2 always, as in the paper).
    pub activation: Activation,
    /// StyleGAN's mixing regularisation: the probability that a training digit takes its fine
    /// styles from a second z (stylegan only; changes apply to the running training).
    pub style_mixing: f64,
}

impl NetConfig {
    /// The same network, whatever the training-time settings (style mixing).
    pub fn same_architecture(&self, other: &Self) -> bool {
        Self {
            style_mixing: 0.0,
            ..self.clone()
        } == Self {
            style_mixing: 0.0,
            ..other.clone()
        }
    }
}

/// Network families.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetKind {
    /// Fully connected layers.
    #[default]
    Mlp,
    /// DCGAN's (transposed) strided convolutions, for 28×28 images.
    Dcgan,
    /// StyleGAN-lite: mapping network, learned constant, style-modulated convolutions with
    /// noise inputs (a generator for 28×28 images; its D is "dcgan").
    Stylegan,
}

impl NetKind {
    /// Every kind, in the order the UI lists them.
    pub const ALL: [Self; 3] = [Self::Mlp, Self::Dcgan, Self::Stylegan];

    /// Whether the family works on images.
    pub fn is_image(self) -> bool {
        matches!(self, Self::Dcgan | Self::Stylegan)
    }
}

/// The objective (loss pair) of the game.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ObjectiveConfig {
    /// Which objective; see [`ObjectiveKind`].
    pub kind: ObjectiveKind,
    /// LSGAN's a, b, c labels (least squares only).
    pub ls_coding: LsCoding,
    /// The f-divergence f-GAN minimises (f_gan only).
    pub divergence: Divergence,
    /// WGAN's weight clipping: every critic weight stays in [−clip, clip] (wgan only).
    pub clip: f64,
    /// WGAN-GP's λ: weight of E[(‖∇D(x̂)‖ − 1)²] at points x̂ between real and fake (wgan_gp only).
    pub gp_weight: f64,
}

/// An optimizer and its hyperparameters; fields a kind does not use are ignored by it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OptimizerConfig {
    /// SGD, Adam or RMSProp.
    pub kind: OptimizerKind,
    /// Learning rate; changing it does not reset training.
    pub lr: f64,
    /// Adam's first-moment decay β1.
    pub beta1: f64,
    /// Adam's second-moment decay β2.
    pub beta2: f64,
    /// Momentum of SGD and RMSProp.
    pub momentum: f64,
    /// RMSProp's smoothing constant α.
    pub alpha: f64,
}

/// Optimizers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    /// Stochastic gradient descent (with optional momentum).
    Sgd,
    /// Adam (Kingma & Ba 2015).
    #[default]
    Adam,
    /// RMSProp (Tieleman & Hinton 2012).
    Rmsprop,
}

impl OptimizerKind {
    /// Every kind, in the order the UI lists them.
    pub const ALL: [Self; 3] = [Self::Sgd, Self::Adam, Self::Rmsprop];
}

/// Batch size and the k-steps schedule of the game.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Real and generated samples per step.
    pub batch_size: usize,
    /// Discriminator updates per iteration (k in Goodfellow et al. 2014).
    pub d_steps: usize,
    /// Generator updates per iteration.
    pub g_steps: usize,
    /// Learning-rate decay: both learning rates halve every this many iterations (0 = off), so
    /// late in a long run the players stop overshooting and samples settle on the modes.
    pub lr_half_life: u64,
    /// Iterations at the full rates before the decay starts (0 = from the first), so a run can
    /// find and sharpen its modes at full speed and only then slow down.
    pub lr_decay_start: u64,
}

/// C, the length of each minibatch-discrimination kernel's projection (fixed: the config chooses
/// only the number of kernels B).
pub const MINIBATCH_KERNEL_DIM: usize = 3;

/// Stabilizers: each is off at its default and can be changed without restarting the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StabilizerConfig {
    /// One-sided label smoothing s: D's real targets become 1 − s (objectives with labels).
    pub label_smoothing: f64,
    /// Instance noise: std of Gaussian noise added to every point D sees, real or generated.
    pub instance_noise: f64,
    /// PacGAN packing m: D judges m samples concatenated (1 = off). Changing it rebuilds D.
    pub packing: usize,
    /// Minibatch standard deviation: D also sees the batch's mean std. Changing it rebuilds D.
    pub minibatch_std: bool,
    /// Minibatch discrimination (Salimans et al. 2016): the number of kernels B through which D
    /// sees how close each row is to the rest of its batch (0 = off; 2-D data only). Changing
    /// it rebuilds D.
    pub minibatch_discrimination: usize,
    /// R1 gradient penalty γ: adds (γ/2)·E[‖∇D(x)‖²] on real data to D's loss (0 = off).
    pub gradient_penalty: f64,
    /// What `gradient_penalty` is measured in: absolute, or the 2-D data's variance σ² (so one
    /// γ suits the ring, σ = 0.01, and the grid, σ = 0.05; not for digits or CycleGAN runs).
    pub gradient_penalty_units: PenaltyUnits,
    /// Spectral normalisation: each of D's weight matrices is divided by its largest singular value.
    pub spectral_norm: bool,
    /// Generator averaging β: the views, metrics and samples show an exponential moving average
    /// of G's weights, θ̄ ← β·θ̄ + (1 − β)·θ after each G step (0 = off).
    pub generator_ema: f64,
}

impl Default for StabilizerConfig {
    fn default() -> Self {
        Self {
            label_smoothing: 0.0,
            instance_noise: 0.0,
            packing: 1,
            minibatch_std: false,
            minibatch_discrimination: 0,
            gradient_penalty: 0.0,
            gradient_penalty_units: PenaltyUnits::Absolute,
            spectral_norm: false,
            generator_ema: 0.0,
        }
    }
}

/// CycleGAN (Zhu et al. 2017): instead of G(z) from noise, two generators translate between
/// domain X (`source`) and domain Y (`data`): G: X → Y and F: Y → X, each judged by its own
/// discriminator (D_Y, D_X), tied by the cycle-consistency loss. The batches of X and Y are
/// drawn independently: nothing pairs a point of X with one of Y.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CycleConfig {
    /// Domain X, a built-in 2-D dataset (none = an ordinary GAN from noise; read from JSON null
    /// or "off", the form's word for it). Changing it restarts the run.
    #[serde(deserialize_with = "source_or_off")]
    pub source: Option<Dataset>,
    /// λ of the cycle-consistency loss λ·(‖F(G(x)) − x‖₁ + ‖G(F(y)) − y‖₁), each norm the mean
    /// absolute difference per coordinate (10 in the paper).
    pub cycle_weight: f64,
    /// Weight of the identity loss ‖G(y) − y‖₁ + ‖F(x) − x‖₁, which asks each generator to leave
    /// points of its own target domain alone (0 = off; the paper used λ/2 for paintings).
    pub identity_weight: f64,
}

/// `cycle.source` from JSON: null or "off" (no source domain), or a dataset's name.
fn source_or_off<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Dataset>, D::Error> {
    use serde::de::IntoDeserializer;
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(name) if name == "off" => Ok(None),
        Some(name) => {
            let name: serde::de::value::StringDeserializer<D::Error> = name.into_deserializer();
            Dataset::deserialize(name).map(Some)
        }
    }
}

impl CycleConfig {
    /// Whether the run is an ordinary GAN (no source domain).
    pub fn is_off(&self) -> bool {
        self.source.is_none()
    }

    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Default for CycleConfig {
    fn default() -> Self {
        Self {
            source: None,
            cycle_weight: 10.0,
            identity_weight: 0.0,
        }
    }
}

/// Which parts of a running training a configuration change replaces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rebuild {
    /// A new generator: the run restarts from step 0 (and D is new too).
    pub generator: bool,
    /// A new discriminator (fresh weights and optimizer state); G keeps training.
    pub discriminator: bool,
}

impl GanConfig {
    /// The learning rates of D and G at iteration `step`, after the decay.
    pub fn learning_rates_at(&self, step: u64) -> (f64, f64) {
        let h = self.train.lr_half_life;
        let decaying = step.saturating_sub(self.train.lr_decay_start);
        let scale = if h == 0 {
            1.0
        } else {
            0.5f64.powf(decaying as f64 / h as f64)
        };
        (self.optimizer_d.lr * scale, self.optimizer_g.lr * scale)
    }
}

impl Default for GanConfig {
    fn default() -> Self {
        Self {
            version: CONFIG_VERSION,
            seed: 1,
            data: DataConfig::default(),
            noise: NoiseConfig::default(),
            generator: NetConfig {
                activation: Activation::Relu,
                ..NetConfig::default()
            },
            discriminator: NetConfig {
                activation: Activation::LeakyRelu,
                ..NetConfig::default()
            },
            objective: ObjectiveConfig::default(),
            // lr(D) > lr(G): D should stay near its optimum for the current G.
            optimizer_g: OptimizerConfig {
                lr: 5e-4,
                ..OptimizerConfig::default()
            },
            optimizer_d: OptimizerConfig {
                lr: 1e-3,
                ..OptimizerConfig::default()
            },
            train: TrainConfig::default(),
            stabilizers: StabilizerConfig::default(),
            cycle: CycleConfig::default(),
        }
    }
}

impl Default for DataConfig {
    fn default() -> Self {
        Self {
            dataset: Dataset::Ring8,
            points: Vec::new(),
            std: 0.05,
            conditional: false,
        }
    }
}

impl Default for NoiseConfig {
    fn default() -> Self {
        Self {
            distribution: NoiseDistribution::Gaussian,
            dim: 2,
        }
    }
}

impl Default for NetConfig {
    fn default() -> Self {
        Self {
            kind: NetKind::Mlp,
            hidden_layers: 2,
            width: 64,
            activation: Activation::Relu,
            style_mixing: 0.0,
        }
    }
}

impl Default for ObjectiveConfig {
    fn default() -> Self {
        Self {
            kind: ObjectiveKind::NonSaturating,
            ls_coding: LsCoding::ZeroOne,
            divergence: Divergence::Gan,
            clip: 0.01,
            gp_weight: 10.0,
        }
    }
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        // β1 = 0.5 as in DCGAN: the GAN literature's usual Adam setting.
        Self {
            kind: OptimizerKind::Adam,
            lr: 1e-3,
            beta1: 0.5,
            beta2: 0.999,
            momentum: 0.0,
            alpha: 0.99,
        }
    }
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            batch_size: 256,
            d_steps: 1,
            g_steps: 1,
            lr_half_life: 0,
            lr_decay_start: 0,
        }
    }
}

impl GanConfig {
    /// Parses JSON (a partial object is completed from the defaults) and validates it.
    pub fn from_json(json: &str) -> Result<Self, ConfigError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| ConfigError::whole(e.to_string()))?;
        if !value.is_object() {
            return Err(ConfigError::whole(
                "must be a JSON object, e.g. {\"seed\": 2}".into(),
            ));
        }
        let config: Self =
            serde_path_to_error::deserialize(value).map_err(ConfigError::from_serde)?;
        config.validate()?;
        Ok(config)
    }

    /// Pretty JSON of the whole configuration.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a config always serialises")
    }

    /// Whether this is a CycleGAN run between two digit domains (`cycle.source` and
    /// `data.dataset` both digits), trained by [`crate::cycle::digits`].
    pub fn is_digit_cycle(&self) -> bool {
        self.cycle.source.is_some_and(Dataset::is_image) && self.data.dataset.is_image()
    }

    /// Whether going from `self` to `other` restarts the run (a new generator).
    pub fn needs_rebuild(&self, other: &Self) -> bool {
        self.rebuild(other).generator
    }

    /// What going from `self` to `other` replaces. Everything else (data, objective, learning
    /// rates, optimizer settings, schedule, most stabilizers) changes on the running models.
    pub fn rebuild(&self, other: &Self) -> Rebuild {
        let generator = self.seed != other.seed
            || self.noise != other.noise
            || !self.generator.same_architecture(&other.generator)
            || self.data.dataset.is_image() != other.data.dataset.is_image()
            // Other digits (a digit CycleGAN's domains) are another run.
            || (self.data.dataset.is_image() && self.data.dataset != other.data.dataset)
            || self.data.conditional != other.data.conditional
            || self.cycle.source != other.cycle.source;
        let discriminator = generator
            || !self.discriminator.same_architecture(&other.discriminator)
            || self.stabilizers.packing != other.stabilizers.packing
            || self.stabilizers.minibatch_std != other.stabilizers.minibatch_std
            || self.stabilizers.minibatch_discrimination
                != other.stabilizers.minibatch_discrimination;
        Rebuild {
            generator,
            discriminator,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learning_rates_halve_every_half_life() {
        let mut c = GanConfig::default();
        let (d, g) = (c.optimizer_d.lr, c.optimizer_g.lr);
        assert_eq!(c.learning_rates_at(1_000_000), (d, g), "0 = constant");
        c.train.lr_half_life = 1000;
        assert_eq!(c.learning_rates_at(0), (d, g));
        assert_eq!(c.learning_rates_at(1000), (d / 2.0, g / 2.0));
        let (d3, g3) = c.learning_rates_at(3000);
        assert!((d3 - d / 8.0).abs() < 1e-15 && (g3 - g / 8.0).abs() < 1e-15);
        let (d_mid, _) = c.learning_rates_at(500);
        assert!(
            (d_mid - d / 2f64.sqrt()).abs() < 1e-12,
            "smooth, not a staircase"
        );
        // A late start: full rates until the start, then the same halving from there.
        c.train.lr_decay_start = 10_000;
        assert_eq!(c.learning_rates_at(0), (d, g));
        assert_eq!(c.learning_rates_at(10_000), (d, g));
        assert_eq!(c.learning_rates_at(11_000), (d / 2.0, g / 2.0));
    }

    #[test]
    fn default_round_trips_and_is_valid() {
        let config = GanConfig::default();
        assert_eq!(GanConfig::from_json(&config.to_json()).unwrap(), config);
    }

    #[test]
    fn partial_json_takes_defaults() {
        let config = GanConfig::from_json(r#"{"data": {"dataset": "grid25"}}"#).unwrap();
        assert_eq!(config.data.dataset, Dataset::Grid25);
        assert_eq!(config.train, TrainConfig::default());
    }

    #[test]
    fn learning_rate_change_needs_no_rebuild() {
        let a = GanConfig::default();
        let mut b = a.clone();
        b.optimizer_d.lr = 0.1;
        assert!(!a.needs_rebuild(&b));
        b.train.batch_size = 8;
        b.stabilizers.instance_noise = 0.1;
        assert!(!a.needs_rebuild(&b), "live changes");
        b.stabilizers.packing = 2;
        let r = a.rebuild(&b);
        assert!(r.discriminator && !r.generator, "packing: a new D only");
        b.generator.width = 8;
        assert!(a.needs_rebuild(&b));
    }
}
