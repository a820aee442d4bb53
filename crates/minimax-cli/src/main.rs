//! `minimax`: the native command line on the same core as the page, for long runs, evaluation
//! and benchmarks. Runs on Burn's CPU backend (flex).

mod args;
mod bench;

use std::time::Instant;

use burn::prelude::*;
use minimax_core::config::GanConfig;
use minimax_core::metrics::Moments;
use minimax_core::rng::Rng;
use minimax_core::train::Trainer;

use args::Args;

const USAGE: &str = "\
usage: minimax <command> [options]

commands:
  config                      print the default configuration (JSON)
  validate <file.json>        check a configuration; one line per invalid field
  train [--config <file.json>] [--steps N] [--every K]
                              train on the CPU and print losses and moments every K steps
  bench [--steps N] [--json]  time the benchmark configurations (steps/s)";

fn main() {
    let mut args = Args::from_env();
    let result = match args.command().as_deref() {
        Some("config") => {
            println!("{}", GanConfig::default().to_json());
            Ok(())
        }
        Some("validate") => validate(&mut args),
        Some("train") => train(&mut args),
        Some("bench") => bench::run(&mut args),
        _ => Err(USAGE.to_string()),
    };
    if let Err(message) = result {
        eprintln!("{message}");
        std::process::exit(2);
    }
}

fn load_config(path: Option<String>) -> Result<GanConfig, String> {
    let Some(path) = path else {
        return Ok(GanConfig::default());
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    GanConfig::from_json(&text).map_err(|e| format!("{path}: {e}"))
}

fn validate(args: &mut Args) -> Result<(), String> {
    let path = args.positional().ok_or(USAGE)?;
    args.finish()?;
    load_config(Some(path.clone()))?;
    println!("{path}: valid");
    Ok(())
}

fn train(args: &mut Args) -> Result<(), String> {
    let config = load_config(args.value("--config"))?;
    let steps: usize = args.number("--steps", 2000)?;
    let every: usize = args.number("--every", 200)?.max(1);
    args.finish()?;
    let data = Moments::of(&config.data.dataset.sample(&mut Rng::new(0), 4000));
    let mut trainer = Trainer::new(config, &Device::flex());
    println!(
        "{:>8} {:>9} {:>9} {:>9} {:>12} {:>9}",
        "step", "D loss", "G loss", "V(D,G)", "moment dist", "steps/s"
    );
    let mut done = 0;
    while done < steps {
        let n = every.min(steps - done);
        let start = Instant::now();
        let losses = trainer
            .train(n)
            .into_data()
            .try_into_vec::<f32>()
            .map_err(|e| format!("{e:?}"))?;
        let rate = n as f64 / start.elapsed().as_secs_f64();
        done += n;
        let last = &losses[losses.len() - 3..];
        let samples = trainer
            .samples(4000)
            .into_data()
            .try_into_vec::<f32>()
            .map_err(|e| format!("{e:?}"))?;
        let dist = Moments::of(&samples).distance(&data);
        println!(
            "{done:>8} {:>9.4} {:>9.4} {:>9.4} {dist:>12.4} {rate:>9.1}",
            last[0], last[1], last[2]
        );
    }
    Ok(())
}
