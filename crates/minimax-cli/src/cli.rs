//! The command line's commands and flags (clap, derive): the same commands, flags and defaults
//! as before, with `minimax help <command>` for free. Values are checked where they are used
//! (the config by Rust's validation, ranges by each command), so the messages stay the same.

use clap::{Args, Parser, Subcommand};

/// Where the assets live (relative to the repository root, where the commands run).
pub const MNIST: &str = "assets/mnist.bin";
pub const CLASSIFIER: &str = "assets/classifier.bpk";

/// `minimax`: the native command line on the same core and configuration files as the page.
#[derive(Parser)]
#[command(name = "minimax", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Print the default configuration (JSON).
    Config,
    /// Check a configuration; one line per invalid field.
    Validate {
        /// The configuration file (JSON).
        file: String,
    },
    /// List the presets (id, year, title).
    Presets,
    /// Train and print the losses every K steps (image runs: checkpoints with --save/--resume).
    Train {
        #[command(flatten)]
        run: RunArgs,
        /// Print the losses every this many steps.
        #[arg(long, default_value_t = 200)]
        every: usize,
        #[command(flatten)]
        digits: DigitArgs,
    },
    /// Train, then write N generated points as CSV (2-D runs).
    /// Digit runs (an image config, or --checkpoint): N digits as PREFIX.npy (u8, N×28×28),
    /// PREFIX-labels.npy (conditional runs) and a PNG grid PREFIX.png; --out PREFIX is required.
    Sample {
        #[command(flatten)]
        run: RunArgs,
        /// How many points (digits: default 64 when not given).
        #[arg(long)]
        n: Option<usize>,
        /// Write the CSV here instead of to standard output (digits: the files' prefix).
        #[arg(long)]
        out: Option<String>,
        /// Sample this digit checkpoint instead of training.
        #[arg(long)]
        checkpoint: Option<String>,
        #[command(flatten)]
        digits: DigitArgs,
    },
    /// Train N seeds and print mode coverage and divergences as JSON, with the mean over seeds;
    /// image runs: classifier score, class histogram and Fréchet distance of N digits.
    Eval {
        #[command(flatten)]
        run: RunArgs,
        /// Seeds to train (2-D runs), from the config's seed on.
        #[arg(long, default_value_t = 1)]
        seeds: u32,
        /// Seeds trained at once (default: the CPU cores).
        #[arg(long)]
        jobs: Option<usize>,
        /// Digits generated for the quality scores (image runs).
        #[arg(long, default_value_t = 1000)]
        n: usize,
        /// Evaluate this checkpoint instead of training (image runs).
        #[arg(long)]
        checkpoint: Option<String>,
        #[command(flatten)]
        digits: DigitArgs,
    },
    /// Fit a Gaussian mixture to the 2-D data by EM (maximum likelihood) and print, as JSON, the
    /// GAN's metrics for its samples: modes covered, high-quality share, JSD and both KLs on the
    /// grid, and the log-likelihood (training and held-out points).
    Likelihood {
        #[command(flatten)]
        run: RunArgs,
        /// Mixture components.
        #[arg(long, default_value_t = 8)]
        components: usize,
        /// EM iterations.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// Data points the mixture is fitted to.
        #[arg(long, default_value_t = 20_000)]
        n: usize,
        /// Also train a normalizing flow (RealNVP, 8 couplings) by maximum likelihood for this
        /// many Adam steps on 5,000 points (0: the mixture only).
        #[arg(long, default_value_t = 0)]
        flow_steps: usize,
    },
    /// Dirac-GAN orbits (simultaneous and alternating) as CSV.
    Dirac {
        /// gan or wgan.
        #[arg(long)]
        loss: Option<String>,
        /// The step size h.
        #[arg(long)]
        lr: Option<f64>,
        /// How many steps.
        #[arg(long)]
        steps: Option<usize>,
        /// R1 weight γ.
        #[arg(long)]
        r1: Option<f64>,
    },
    /// Time the speed benchmark's configurations: first step, steps/s (readback every step /
    /// every 100), resident memory after 1,000 and 20,000 steps.
    Bench {
        /// Which configurations, comma-separated (mlp-s, mlp-m, mlp-l, dcgan; default all).
        #[arg(long)]
        configs: Option<String>,
        /// Seconds per measurement.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        /// Also read the resident memory after 1,000 and 20,000 steps.
        #[arg(long)]
        memory: bool,
        /// Write the rows as JSON here too.
        #[arg(long)]
        json: Option<String>,
        /// cpu or gpu (gpu needs a build with --features gpu).
        #[arg(long)]
        backend: Option<String>,
        /// The MNIST asset (for dcgan).
        #[arg(long, default_value = MNIST)]
        mnist: String,
    },
    /// Data augmentation, measured: the LeNet judge trained on a few real digits per class
    /// alone, with shifted and rotated copies, and with a conditional GAN's digits; held-out
    /// accuracy per seed, with mean and spread, as JSON.
    Augment {
        /// Real training digits per class.
        #[arg(long, default_value_t = 10)]
        per_class: usize,
        /// Digits per class each augmented arm adds.
        #[arg(long, default_value_t = 100)]
        extra: usize,
        /// Adam steps (batch 64) of each classifier.
        #[arg(long, default_value_t = 1000)]
        steps: usize,
        /// Seeds (each its own real digits, augmentation and classifier), from 1.
        #[arg(long, default_value_t = 5)]
        seeds: u32,
        /// A class-conditional GAN checkpoint (e.g. trained from the cdcgan_mnist preset) whose
        /// digits one arm adds; without it that arm is left out.
        #[arg(long)]
        gan: Option<String>,
        /// The MNIST asset.
        #[arg(long, default_value = MNIST)]
        mnist: String,
    },
    /// Train the MNIST judge (LeNet) on the training split and print its held-out accuracy.
    Classifier {
        /// The MNIST asset.
        #[arg(long, default_value = MNIST)]
        mnist: String,
        /// Where to write the classifier.
        #[arg(long, default_value = CLASSIFIER)]
        out: String,
        /// Training epochs.
        #[arg(long, default_value_t = 8)]
        epochs: usize,
        /// The seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// What to train, shared by train, sample and eval.
#[derive(Args, Clone)]
pub struct RunArgs {
    /// A preset's id (see `minimax presets`).
    #[arg(long, conflicts_with = "config")]
    pub preset: Option<String>,
    /// A configuration file (JSON).
    #[arg(long)]
    pub config: Option<String>,
    /// Override one config field, e.g. --set stabilizers.generator_ema=0.999 (VALUE is JSON;
    /// repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub settings: Vec<String>,
    /// Override the dataset (ring8, grid25, ...).
    #[arg(long)]
    pub data: Option<String>,
    /// Override the seed.
    #[arg(long)]
    pub seed: Option<u32>,
    /// Training iterations (default 2000; eval of 2-D runs: 20000).
    #[arg(long)]
    pub steps: Option<usize>,
    /// cpu or gpu (gpu needs a build with --features gpu).
    #[arg(long)]
    pub backend: Option<String>,
    /// No progress bar.
    #[arg(long)]
    pub quiet: bool,
}

/// The options of an image run beyond the common ones.
#[derive(Args, Clone)]
pub struct DigitArgs {
    /// The MNIST asset.
    #[arg(long, default_value = MNIST)]
    pub mnist: String,
    /// The classifier that scores the digits.
    #[arg(long, default_value = CLASSIFIER)]
    pub classifier: String,
    /// Continue this checkpoint.
    #[arg(long)]
    pub resume: Option<String>,
    /// Save a checkpoint here at the end.
    #[arg(long)]
    pub save: Option<String>,
    /// Save G and D only (no optimizer states): the smaller file the page ships. With
    /// generator averaging on, the G saved is the average (what views and scores show).
    #[arg(long)]
    pub models_only: bool,
}
