//! CycleGAN between digit domains on the command line (`cycle.source` "mnist", `data.dataset`
//! "mnist_thick", the `cyclegan_mnist` preset): `train` (with `--save`/`--resume` checkpoints)
//! prints the losses and then the metrics, `eval` reports them as JSON for a checkpoint or a run
//! trained here, and `sample` writes the x / G(x) / F(G(x)) grid as a PNG.

use std::sync::Arc;
use std::time::Instant;

use burn::prelude::*;
use minimax_core::cycle::digits::{DigitCycleMetrics, DigitCycleTrainer};
use minimax_core::image::mnist;
use minimax_core::run::GanRun;
use serde::Serialize;

use crate::digits::{DigitOptions, load_checkpoint, load_classifier, load_mnist};
use crate::export::png_grid_with_columns;
use crate::run::{RunOptions, read, train_for};

/// Whether a run is a digit translation: the checkpoint's config when one is given, otherwise
/// the command line's.
pub fn wanted(options: &RunOptions, checkpoint: Option<&str>) -> Result<bool, String> {
    Ok(match checkpoint {
        Some(path) => load_checkpoint(path)?.config.is_digit_cycle(),
        None => options.config.is_digit_cycle(),
    })
}

/// Trains (or resumes) a digit translation for `options.steps` more iterations, reporting like
/// the other runs, and saves a checkpoint when asked (`--models-only`: the translators and
/// critics without optimizer states, the file the page ships). Returns the run and its history.
pub fn train(
    options: &RunOptions,
    digits: &DigitOptions,
    every: usize,
    report: impl FnMut(usize, &[f32], f64),
) -> Result<(DigitCycleTrainer, Vec<f32>), String> {
    let device = options.backend.device()?;
    let asset = Arc::new(load_mnist(&digits.mnist)?);
    let (mut run, mut history) = match &digits.resume {
        Some(path) => {
            let checkpoint = load_checkpoint(path)?;
            let mut run = DigitCycleTrainer::from_checkpoint(&checkpoint, asset, &device, true)
                .map_err(|e| format!("{path}: {e}"))?;
            let config = options.with_settings(checkpoint.config.clone())?;
            if run.config().rebuild(&config).generator {
                return Err(format!(
                    "{path}: --set changes the seed, the domains or the translators: the \
                     checkpoint cannot continue with other networks"
                ));
            }
            run.reconfigure(config);
            (run, checkpoint.history)
        }
        None => (
            DigitCycleTrainer::new(options.config.clone(), asset, &device),
            Vec::new(),
        ),
    };
    if !options.quiet {
        let (t, c) = run.models();
        eprintln!(
            "CycleGAN digits: G and F {} parameters, D_X and D_Y {}",
            t.num_params(),
            c.num_params()
        );
    }
    history.extend(train_for(
        &mut run,
        options.steps,
        every,
        options.quiet,
        report,
    )?);
    if let Some(path) = &digits.save {
        let checkpoint = run.checkpoint_of(run.models(), history.clone(), !digits.models_only);
        std::fs::write(path, checkpoint.encode()).map_err(|e| format!("{path}: {e}"))?;
        eprintln!("saved {path} (step {})", run.step());
    }
    Ok((run, history))
}

/// A translator's numbers, for `train` and `eval`.
#[derive(Serialize)]
pub struct DigitCycleEvaluation {
    pub step: u64,
    pub metrics: DigitCycleMetrics,
    /// The classifier's accuracy on the real held-out digits of X and of Y: the ceiling of the
    /// label-kept rate into each domain (it was trained on plain MNIST).
    pub classifier_accuracy: [f64; 2],
    pub seconds: f64,
}

/// Measures `run` on the held-out digits with the classifier of `digits`.
pub fn evaluate(
    run: &DigitCycleTrainer,
    digits: &DigitOptions,
) -> Result<DigitCycleEvaluation, String> {
    let start = Instant::now();
    let device = run.device().clone().inner();
    let classifier = load_classifier(&digits.classifier, &device)?;
    let read_all = run
        .eval_tensors(&classifier)
        .map(|t| read(t).expect("digits read back"));
    let domains = run.domains();
    Ok(DigitCycleEvaluation {
        step: run.step(),
        metrics: run.metrics_of(&read_all),
        classifier_accuracy: [
            classifier.accuracy(&domains.x_eval, &device),
            classifier.accuracy(&domains.y_eval, &device),
        ],
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// `eval` of a digit translation: a checkpoint's (`--checkpoint`), or one trained here for
/// `--steps` (default 2,000). JSON on stdout.
pub fn eval(
    mut options: RunOptions,
    checkpoint: Option<String>,
    digits: &DigitOptions,
) -> Result<(), String> {
    let mut digits = digits.clone();
    if let Some(path) = checkpoint {
        digits.resume = Some(path);
        options.steps = 0;
    } else if options.steps == 20_000 {
        options.steps = 2_000;
    }
    let (run, _) = train(&options, &digits, 100, |_, _, _| {})?;
    let evaluation = evaluate(&run, &digits)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&evaluation).expect("serialises")
    );
    Ok(())
}

/// Writes the view of a trained (or loaded) translator as `PREFIX.png`: six rows of
/// [`minimax_core::cycle::digits::VIEW_DIGITS`] held-out digits — x, G(x), F(G(x)), then y,
/// F(y), G(F(y)). Returns the path written.
pub fn write_view(run: &DigitCycleTrainer, prefix: &str) -> Result<String, String> {
    let mut pixels = Vec::new();
    for rows in run.view() {
        pixels.extend(mnist::to_bytes(&read(rows)?));
    }
    let n = pixels.len() / mnist::PIXELS;
    let path = format!("{prefix}.png");
    let png = png_grid_with_columns(&pixels, n, n / 6)?;
    std::fs::write(&path, png).map_err(|e| format!("{path}: {e}"))?;
    Ok(path)
}
