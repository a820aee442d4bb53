//! What `train`, `sample` and `eval` share: choosing a configuration (preset or file, with
//! overrides), training it with a progress bar on stderr, and measuring the result.

use std::time::Instant;

use burn::prelude::*;
use indicatif::{ProgressBar, ProgressStyle};
use minimax_core::config::GanConfig;
use minimax_core::points::train::{LOSS_STRIDE, StepMode, Trainer};
use minimax_core::presets::preset;
use minimax_core::run::GanRun;
use minimax_core::theory::{Analysis, Grid, MODE_SAMPLES, ModeCoverage, ModeSpread};
use serde::Serialize;

use crate::cli::RunArgs;
use crate::device::Backend;

/// `config` with one `PATH=VALUE` setting, e.g. `stabilizers.generator_ema=0.999` (VALUE is
/// JSON; a bare word is a string).
fn set(config: GanConfig, setting: &str) -> Result<GanConfig, String> {
    let (path, raw) = setting
        .split_once('=')
        .ok_or_else(|| format!("--set expects PATH=VALUE, got {setting:?}"))?;
    let value = serde_json::from_str(raw).unwrap_or_else(|_| serde_json::Value::from(raw));
    let patch = path
        .rsplit('.')
        .fold(value, |inner, key| serde_json::json!({ key: inner }));
    let mut json = serde_json::to_value(&config).expect("config serialises");
    minimax_core::presets::merge(&mut json, &patch);
    serde_json::from_value(json).map_err(|e| format!("--set {setting}: {e}"))
}

/// The run options every training command takes.
pub struct RunOptions {
    pub config: GanConfig,
    /// Name of the preset or file the configuration came from.
    pub source: String,
    pub steps: usize,
    pub backend: Backend,
    pub quiet: bool,
    /// The `--set PATH=VALUE` settings, in order (a resumed run applies them to its
    /// checkpoint's config).
    pub settings: Vec<String>,
}

impl RunOptions {
    /// The run `--preset ID | --config FILE`, `--set PATH=VALUE`…, `--data NAME`, `--seed N`,
    /// `--steps N`, `--backend cpu|gpu` and `--quiet` describe, validated.
    pub fn new(args: &RunArgs, default_steps: usize) -> Result<Self, String> {
        let (mut config, mut source) = match (&args.preset, &args.config) {
            (Some(_), Some(_)) => return Err("give --preset or --config, not both".into()),
            (Some(id), None) => (preset(id)?.config, id.clone()),
            (None, Some(path)) => (crate::load_config(Some(path.clone()))?, path.clone()),
            (None, None) => (GanConfig::default(), "default".into()),
        };
        if let Some(data) = &args.data {
            config.data.dataset = serde_json::from_value(serde_json::Value::String(data.clone()))
                .map_err(|e| format!("--data {data}: {e}"))?;
        }
        for setting in &args.settings {
            config = set(config, setting)?;
            source = format!("{source} --set {setting}");
        }
        if let Some(seed) = args.seed {
            config.seed = seed;
        }
        config.validate().map_err(|e| e.to_string())?;
        Ok(Self {
            config,
            source,
            steps: args.steps.unwrap_or(default_steps),
            backend: Backend::parse(args.backend.as_deref())?,
            quiet: args.quiet,
            settings: args.settings.clone(),
        })
    }

    /// `config` (a checkpoint's) with the `--set` settings applied, validated.
    pub fn with_settings(&self, mut config: GanConfig) -> Result<GanConfig, String> {
        for setting in &self.settings {
            config = set(config, setting)?;
        }
        config.validate().map_err(|e| e.to_string())?;
        Ok(config)
    }

    /// Trains a new 2-D run for `steps` iterations (see [`train_for`]).
    pub fn train(
        &self,
        every: usize,
        report: impl FnMut(usize, &[f32], f64),
    ) -> Result<Trainer, String> {
        let device = self.backend.device()?;
        let mut trainer = Trainer::new(self.config.clone(), &device);
        train_for(&mut trainer, self.steps, every, self.quiet, report)?;
        Ok(trainer)
    }
}

/// Trains `run` (2-D or image) for `steps` more iterations, calling `report` every `every`
/// iterations with the run's step, the last iteration's losses and the steps/s; a progress bar
/// on stderr unless `quiet`. Returns the losses of every iteration.
pub fn train_for<R: GanRun>(
    run: &mut R,
    steps: usize,
    every: usize,
    quiet: bool,
    mut report: impl FnMut(usize, &[f32], f64),
) -> Result<Vec<f32>, String> {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(steps as u64)
    };
    bar.set_style(
        ProgressStyle::with_template("[{bar:30}] {pos}/{len} steps, {per_sec:.0}, {eta} left")
            .map_err(|e| e.to_string())?
            .progress_chars("#-"),
    );
    let every = every.clamp(1, 1000);
    let mut history = Vec::new();
    let mut done = 0;
    while done < steps {
        let n = every.min(steps - done);
        let start = Instant::now();
        let losses = read(run.train_until(n, StepMode::Both, &mut || false))?;
        let rate = n as f64 / start.elapsed().as_secs_f64();
        done += n;
        report(
            run.step() as usize,
            &losses[losses.len() - LOSS_STRIDE..],
            rate,
        );
        history.extend_from_slice(&losses);
        bar.inc(n as u64);
    }
    bar.finish();
    Ok(history)
}

/// A tensor's values.
pub fn read<const D: usize>(t: Tensor<D>) -> Result<Vec<f32>, String> {
    t.into_data()
        .try_into_vec::<f32>()
        .map_err(|e| format!("reading results failed: {e:?}"))
}

/// The measurements `eval` reports for one trained run.
#[derive(Serialize)]
pub struct Evaluation {
    pub source: String,
    pub dataset: String,
    pub seed: u32,
    pub iterations: u64,
    pub generator_updates: u64,
    pub discriminator_updates: u64,
    /// Modes covered and high-quality fraction over 2,500 fresh samples (PacGAN protocol).
    pub modes: Option<ModeCoverage>,
    /// The same samples' spread per mode (over the data's std) and share between the modes:
    /// whether the high-quality share is lost by width or by bridges.
    pub mode_spread: Option<ModeSpread>,
    /// Divergences on the view grid (64 × 64 cells + outside).
    pub jsd: f64,
    pub kl_data_g: f64,
    pub kl_g_data: f64,
    /// JSD of fresh samples on coarser and finer grids: how the binned estimate moves with the
    /// resolution and the sample count (the numbers above: 64 × 64 cells, 10,000 fixed-noise points).
    pub jsd_by_grid: Vec<JsdEstimate>,
    /// Mode coverage every [`TRACE_EVERY`] iterations (mixtures only): whether a run that ends
    /// short of all modes never found some or lost them late.
    pub modes_over_time: Vec<ModesAt>,
    pub seconds: f64,
}

/// Mode coverage of 2,500 fresh samples at one iteration (drawn from a copy of the run, so the
/// run's own random streams, and the final numbers, do not change).
#[derive(Serialize)]
pub struct ModesAt {
    pub iteration: u64,
    pub covered: usize,
    pub high_quality: f64,
}

/// Iterations between two points of [`Evaluation::modes_over_time`].
pub const TRACE_EVERY: usize = 1_000;

/// One binned JSD estimate: `cells` per side, `samples` generated points.
#[derive(Serialize)]
pub struct JsdEstimate {
    pub cells: usize,
    pub samples: usize,
    pub jsd: f64,
}

/// Grid sides and sample counts of [`Evaluation::jsd_by_grid`].
const JSD_CELLS: [usize; 3] = [32, 64, 128];
const JSD_SAMPLES: [usize; 3] = [2_500, 10_000, 40_000];

/// Trains and measures one run.
pub fn evaluate(options: &RunOptions) -> Result<Evaluation, String> {
    let start = Instant::now();
    let mut trainer = Trainer::new(options.config.clone(), &options.backend.device()?);
    let mixture = options.config.data.mixture();
    let mut modes_over_time = Vec::new();
    let mut done = 0;
    while done < options.steps {
        let n = TRACE_EVERY.min(options.steps - done);
        train_for(&mut trainer, n, 500, true, |_, _, _| {})?;
        done += n;
        if let Some(mixture) = &mixture {
            let m = ModeCoverage::of(&read(trainer.clone().samples(MODE_SAMPLES))?, mixture);
            modes_over_time.push(ModesAt {
                iteration: trainer.step(),
                covered: m.covered,
                high_quality: m.high_quality,
            });
        }
    }
    let samples = read(trainer.samples(MODE_SAMPLES))?;
    let view = trainer.view(64);
    let eval = read(view.eval)?;
    let analysis: Analysis = trainer.analyse(view.grid, &eval, None);
    let mut jsd_by_grid = Vec::new();
    for samples in JSD_SAMPLES {
        let points = read(trainer.samples(samples))?;
        for cells in JSD_CELLS {
            let grid = Grid {
                res: cells,
                ..view.grid
            };
            let jsd = trainer.analyse(grid, &points, None).jsd;
            jsd_by_grid.push(JsdEstimate {
                cells,
                samples,
                jsd,
            });
        }
    }
    let config = trainer.config();
    let iterations = trainer.step();
    Ok(Evaluation {
        source: options.source.clone(),
        dataset: serde_json::to_value(config.data.dataset)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        seed: config.seed,
        iterations,
        generator_updates: iterations * config.train.g_steps as u64,
        discriminator_updates: iterations * config.train.d_steps as u64,
        modes: mixture.as_ref().map(|m| ModeCoverage::of(&samples, m)),
        mode_spread: mixture.as_ref().map(|m| ModeSpread::of(&samples, m)),
        jsd: analysis.jsd,
        kl_data_g: analysis.kl_data_g,
        kl_g_data: analysis.kl_g_data,
        jsd_by_grid,
        modes_over_time,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// `seeds` copies of `options`, with the config's seed and the next ones.
pub fn seed_runs(options: &RunOptions, seeds: u32) -> Result<Vec<RunOptions>, String> {
    if !(1..=100).contains(&seeds) {
        return Err(format!("--seeds must be from 1 to 100, got {seeds}"));
    }
    let first = options.config.seed;
    Ok((0..seeds)
        .map(|i| {
            let mut config = options.config.clone();
            config.seed = first.wrapping_add(i);
            RunOptions {
                config,
                source: options.source.clone(),
                settings: options.settings.clone(),
                ..*options
            }
        })
        .collect())
}

/// `work` on every run, `jobs` at a time (default: the CPU cores), each result passed to `done`
/// as its group finishes; the results in the runs' order.
pub fn in_parallel<T: Send>(
    runs: &[RunOptions],
    jobs: Option<usize>,
    work: impl Fn(&RunOptions) -> Result<T, String> + Sync,
    mut done: impl FnMut(&T),
) -> Vec<Result<T, String>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = jobs.unwrap_or(cores).max(1);
    let mut results = Vec::new();
    for chunk in runs.chunks(jobs) {
        let finished: Vec<Result<T, String>> = std::thread::scope(|s| {
            let handles: Vec<_> = chunk.iter().map(|r| s.spawn(|| work(r))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err("a run panicked".into())))
                .collect()
        });
        finished.iter().flatten().for_each(&mut done);
        results.extend(finished);
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_overrides_one_field_and_names_bad_input() {
        let c = set(GanConfig::default(), "stabilizers.generator_ema=0.999").unwrap();
        assert_eq!(c.stabilizers.generator_ema, 0.999);
        let c = set(c, "data.dataset=grid25").unwrap();
        assert_eq!(c.data.dataset, minimax_core::data::Dataset::Grid25);
        assert_eq!(c.stabilizers.generator_ema, 0.999, "earlier settings stay");
        assert!(
            set(GanConfig::default(), "seed")
                .unwrap_err()
                .contains("PATH=VALUE")
        );
        let err = set(GanConfig::default(), "train.no_such=1").unwrap_err();
        assert!(err.contains("no_such"), "{err}");
    }
}
