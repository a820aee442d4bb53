//! `minimax`: the native command line on the same core and configuration files as the page,
//! for long runs, sampling, evaluation and benchmarks. Burn's CPU backend (flex) everywhere;
//! a native GPU with `--features gpu`.

mod args;
mod bench;
mod device;
mod digits;
mod eval;
mod run;

use minimax_core::config::GanConfig;
use minimax_core::dirac::DiracOptions;
use minimax_core::presets::presets;

use args::Args;
use run::{RunOptions, read};

const USAGE: &str = "\
usage: minimax <command> [options]

commands:
  config                      print the default configuration (JSON)
  validate <file.json>        check a configuration; one line per invalid field
  presets                     list the presets (id, year, title)
  train  [run options] [--every K]
                              train and print the losses every K steps (default 200)
  sample [run options] [--n N] [--out file.csv]
                              train, then write N generated points (default 2500) as CSV
  eval   [run options] [--seeds N] [--jobs J]
                              train N seeds (default 1) and print mode coverage and
                              divergences as JSON, with the mean over seeds
  dirac  [--loss gan|wgan] [--lr H] [--steps N] [--r1 G]
                              Dirac-GAN orbits (simultaneous and alternating) as CSV
  bench  [--configs mlp-s,mlp-m,mlp-l,dcgan] [--seconds S] [--memory] [--json F]
                              time the speed benchmark's configurations: first step,
                              steps/s (readback every step / every 100), resident
                              memory after 1,000 and 20,000 steps; --backend cpu|gpu
  classifier [--epochs N] [--out assets/classifier.bpk]
                              train the MNIST judge (LeNet) on the training split and
                              print its held-out accuracy

image runs (--preset dcgan_mnist | cdcgan_mnist | stylegan_mnist):
  train ... [--save F.ckpt [--models-only]] [--resume F.ckpt]
                              checkpoints (models, optimizers, history)
  eval  ... [--checkpoint F.ckpt] [--n N]       classifier score, class histogram and
                              Fréchet distance of N digits (default 1000), as JSON
  --mnist F (default assets/mnist.bin)   --classifier F (default assets/classifier.bpk)

run options:
  --preset ID | --config file.json   what to train (default: the default configuration)
  --set PATH=VALUE   override one config field, e.g. --set stabilizers.generator_ema=0.999
                 (repeatable; VALUE is JSON)
  --data NAME    override the dataset (ring8, grid25, ...)
  --seed N       override the seed
  --steps N      training iterations (default 2000; eval: 20000)
  --backend cpu|gpu   gpu needs a build with --features gpu
  --quiet        no progress bar";

fn main() {
    let mut args = Args::from_env();
    let result = match args.command().as_deref() {
        Some("config") => {
            println!("{}", GanConfig::default().to_json());
            Ok(())
        }
        Some("validate") => validate(&mut args),
        Some("presets") => {
            for p in presets() {
                println!("{:<20} {} {}", p.id, p.year, p.title);
            }
            Ok(())
        }
        Some("train") => train(&mut args),
        Some("sample") => sample(&mut args),
        Some("eval") => eval::run(&mut args),
        Some("dirac") => dirac(&mut args),
        Some("bench") => bench::run(&mut args),
        Some("classifier") => digits::classifier(&mut args),
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
    let options = RunOptions::parse(args, 2000)?;
    let every: usize = args.number("--every", 200)?;
    let image = options.config.data.dataset.is_image() || args.has("--resume");
    let digit_options = image.then(|| digits::DigitOptions::parse(args));
    args.finish()?;
    println!(
        "{:>8} {:>10} {:>10} {:>10} {:>10} {:>9}",
        "step", "D loss", "G loss", "value", "|grad G|", "steps/s"
    );
    let print = |step: usize, last: &[f32], rate: f64| {
        println!(
            "{step:>8} {:>10.4} {:>10.4} {:>10.4} {:>10.3e} {rate:>9.2}",
            last[0], last[1], last[2], last[3]
        );
    };
    match digit_options {
        Some(d) => {
            digits::train(&options, &d, every, print)?;
        }
        None => {
            options.train(every, print)?;
        }
    }
    Ok(())
}

fn sample(args: &mut Args) -> Result<(), String> {
    let options = RunOptions::parse(args, 2000)?;
    let n: usize = args.number("--n", 2500)?;
    let out = args.value("--out");
    args.finish()?;
    if options.config.data.dataset.is_image() {
        return Err(
            "sample writes 2-D points; for digits use `eval` (quality) or `train --save`".into(),
        );
    }
    if !(1..=1_000_000).contains(&n) {
        return Err(format!("--n must be from 1 to 1000000, got {n}"));
    }
    let mut trainer = options.train(200, |_, _, _| {})?;
    let points = read(trainer.samples(n))?;
    let mut csv = String::from("x,y\n");
    for p in points.chunks_exact(2) {
        csv.push_str(&format!("{},{}\n", p[0], p[1]));
    }
    match out {
        Some(path) => std::fs::write(&path, csv).map_err(|e| format!("{path}: {e}")),
        None => {
            print!("{csv}");
            Ok(())
        }
    }
}

fn dirac(args: &mut Args) -> Result<(), String> {
    let mut options = DiracOptions::default();
    if let Some(loss) = args.value("--loss") {
        options.loss = serde_json::from_value(serde_json::Value::String(loss.clone()))
            .map_err(|_| format!("--loss must be gan or wgan, got {loss:?}"))?;
    }
    options.lr = args.number("--lr", options.lr)?;
    options.steps = args.number("--steps", options.steps)?;
    options.r1 = args.number("--r1", options.r1)?;
    args.finish()?;
    let json = serde_json::to_string(&options).expect("options serialise");
    let options = DiracOptions::from_json(&json)?;
    println!("step,theta_simultaneous,psi_simultaneous,theta_alternating,psi_alternating");
    for (i, (s, a)) in options
        .simultaneous()
        .iter()
        .zip(options.alternating())
        .enumerate()
    {
        println!("{i},{},{},{},{}", s[0], s[1], a[0], a[1]);
    }
    Ok(())
}
