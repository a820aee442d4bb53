//! `minimax eval`: trains several seeds of one configuration in parallel and reports mode
//! coverage (PacGAN protocol: 2,500 samples, 3 std) and divergences, per seed and on average
//! (CycleGAN runs: see `cycle.rs`; image runs: the digits' quality, below).

use serde_json::json;

use crate::cli::{DigitArgs, RunArgs};
use crate::run::{Evaluation, RunOptions, evaluate, in_parallel, seed_runs};

pub fn run(
    args: &RunArgs,
    seeds: u32,
    jobs: Option<usize>,
    n: usize,
    checkpoint: Option<String>,
    digit_args: &DigitArgs,
) -> Result<(), String> {
    let mut options = RunOptions::new(args, 20_000)?;
    if options.config.data.dataset.is_image() || checkpoint.is_some() {
        return digits(options, n, checkpoint, digit_args);
    }
    options.quiet |= seeds > 1; // one progress bar per run would interleave
    if !options.config.cycle.is_off() {
        return crate::cycle::eval(&options, seeds, jobs);
    }
    let runs = seed_runs(&options, seeds)?;
    let results = in_parallel(&runs, jobs, evaluate, |e| {
        eprintln!(
            "seed {}: modes {:?}, JSD {:.4} ({:.0} s)",
            e.seed,
            e.modes.map(|m| (m.covered, m.total, m.high_quality)),
            e.jsd,
            e.seconds
        );
    });
    let runs: Vec<Evaluation> = results.into_iter().collect::<Result<_, _>>()?;
    let n = runs.len() as f64;
    let mean = |f: &dyn Fn(&Evaluation) -> f64| runs.iter().map(f).sum::<f64>() / n;
    let modes = runs[0].modes.is_some().then(|| {
        json!({
            "covered": mean(&|e| e.modes.map_or(0.0, |m| m.covered as f64)),
            "total": runs[0].modes.map_or(0, |m| m.total),
            "high_quality": mean(&|e| e.modes.map_or(0.0, |m| m.high_quality)),
        })
    });
    let summary = json!({
        "source": runs[0].source,
        "dataset": runs[0].dataset,
        "seeds": runs.len(),
        "iterations": runs[0].iterations,
        "generator_updates": runs[0].generator_updates,
        "discriminator_updates": runs[0].discriminator_updates,
        "mean": {
            "modes": modes,
            "jsd": mean(&|e| e.jsd),
            "kl_data_g": mean(&|e| e.kl_data_g),
            "kl_g_data": mean(&|e| e.kl_g_data),
        },
        "runs": runs,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&summary).expect("serialises")
    );
    Ok(())
}

/// `eval` of an image run: a checkpoint's, or one trained here for `--steps` (default 2,000).
fn digits(
    mut options: RunOptions,
    n: usize,
    checkpoint: Option<String>,
    digit_args: &DigitArgs,
) -> Result<(), String> {
    let mut digit_options = crate::digits::DigitOptions::from(digit_args);
    if crate::digit_cycle::wanted(&options, checkpoint.as_deref())? {
        return crate::digit_cycle::eval(options, checkpoint, &digit_options);
    }
    if !(100..=10_000).contains(&n) {
        return Err(format!("--n must be from 100 to 10000, got {n}"));
    }
    if let Some(path) = checkpoint {
        digit_options.resume = Some(path);
        options.steps = 0;
    } else if options.steps == 20_000 {
        options.steps = 2_000;
    }
    let (run, _) = crate::digits::train(&options, &digit_options, 100, |_, _, _| {})?;
    let evaluation = crate::digits::evaluate(&run, &digit_options, n)?;
    println!(
        "{}",
        serde_json::to_string_pretty(&evaluation).expect("serialises")
    );
    Ok(())
}
