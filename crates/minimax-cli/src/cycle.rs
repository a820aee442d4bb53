//! CycleGAN runs on the command line (a config with `cycle.source`): `train` prints the losses
//! and then the metrics, `eval` trains seeds in parallel and reports, as JSON, how much of each
//! domain the other's translation covers (PacGAN's protocol) and the round trips' cycle errors.

use std::time::Instant;

use minimax_core::cycle::CycleMetrics;
use minimax_core::cycle::points::CycleTrainer;
use minimax_core::rng::Rng;
use minimax_core::run::GanRun;
use serde::Serialize;
use serde_json::json;

use crate::run::{RunOptions, in_parallel, read, seed_runs, train_for};

/// Trains a new CycleGAN run for `options.steps` iterations, `report` as in [`train_for`].
pub fn train(
    options: &RunOptions,
    every: usize,
    report: impl FnMut(usize, &[f32], f64),
) -> Result<CycleTrainer, String> {
    let device = options.backend.device()?;
    let mut run = CycleTrainer::new(options.config.clone(), &device);
    train_for(&mut run, options.steps, every, options.quiet, report)?;
    Ok(run)
}

/// One trained run's numbers.
#[derive(Serialize)]
pub struct CycleEvaluation {
    pub source: String,
    /// Domain X and domain Y.
    pub domains: [String; 2],
    pub seed: u32,
    pub iterations: u64,
    pub metrics: CycleMetrics,
    pub seconds: f64,
}

fn name<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Trains and measures one run.
pub fn evaluate(options: &RunOptions) -> Result<CycleEvaluation, String> {
    let start = Instant::now();
    let run = train(options, 500, |_, _, _| {})?;
    let config = run.config();
    Ok(CycleEvaluation {
        source: options.source.clone(),
        domains: [name(config.cycle.source), name(config.data.dataset)],
        seed: config.seed,
        iterations: run.step(),
        metrics: run.metrics(),
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// `minimax eval` of a CycleGAN config: `seeds` runs, `jobs` at a time; JSON on stdout.
pub fn eval(options: &RunOptions, seeds: u32, jobs: Option<usize>) -> Result<(), String> {
    let runs = seed_runs(options, seeds)?;
    let results = in_parallel(&runs, jobs, evaluate, |e| {
        let m = &e.metrics;
        eprintln!(
            "seed {}: Y covered {:?}, cycle error {:.4} ({:.0} s)",
            e.seed,
            m.coverage_y.map(|c| (c.covered, c.total, c.high_quality)),
            m.cycle_error(),
            e.seconds
        );
    });
    let runs: Vec<CycleEvaluation> = results.into_iter().collect::<Result<_, _>>()?;
    let n = runs.len() as f64;
    let mean =
        |f: &dyn Fn(&CycleMetrics) -> f64| runs.iter().map(|e| f(&e.metrics)).sum::<f64>() / n;
    let coverage = |side: fn(&CycleMetrics) -> Option<minimax_core::theory::ModeCoverage>| {
        side(&runs[0].metrics).map(|first| {
            json!({
                "covered": mean(&|m| side(m).map_or(0.0, |c| c.covered as f64)),
                "total": first.total,
                "high_quality": mean(&|m| side(m).map_or(0.0, |c| c.high_quality)),
            })
        })
    };
    let summary = json!({
        "source": runs[0].source,
        "domains": runs[0].domains,
        "seeds": runs.len(),
        "iterations": runs[0].iterations,
        "mean": {
            "coverage_y": coverage(|m| m.coverage_y),
            "coverage_x": coverage(|m| m.coverage_x),
            "cycle_error_x": mean(&|m| m.cycle_error_x),
            "cycle_error_y": mean(&|m| m.cycle_error_y),
        },
        "runs": runs,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&summary).expect("serialises")
    );
    Ok(())
}

/// `n` fresh points of X with their translation and round trip, as CSV rows
/// `x,y,gx,gy,fgx,fgy` (after `options.steps` of training).
pub fn sample_csv(options: &RunOptions, n: usize) -> Result<String, String> {
    let run = train(options, 200, |_, _, _| {})?;
    let mut rng = Rng::new(u64::from(run.config().seed) ^ 0x5A4D_504C);
    let x = run.source_data().sample(&mut rng, n);
    let [translated, round_trip] = run.translate(x.clone());
    let (g, f) = (read(translated)?, read(round_trip)?);
    let mut csv = String::from("x,y,gx,gy,fgx,fgy\n");
    for ((x, g), f) in x
        .chunks_exact(2)
        .zip(g.chunks_exact(2))
        .zip(f.chunks_exact(2))
    {
        csv.push_str(&format!(
            "{},{},{},{},{},{}\n",
            x[0], x[1], g[0], g[1], f[0], f[1]
        ));
    }
    Ok(csv)
}
