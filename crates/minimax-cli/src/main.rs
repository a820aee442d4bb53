//! `minimax`: the native command line on the same core and configuration files as the page,
//! for long runs, sampling, evaluation and benchmarks. Burn's CPU backend (flex) everywhere;
//! a native GPU with `--features gpu`.

mod bench;
mod cli;
mod cycle;
mod device;
mod digit_cycle;
mod digits;
mod eval;
mod export;
mod run;

use clap::Parser;
use minimax_core::config::GanConfig;
use minimax_core::dirac::DiracOptions;
use minimax_core::presets::presets;

use cli::{Cli, Command, DigitArgs, RunArgs};
use run::{RunOptions, read};

/// glibc hands every freed block above its mmap threshold (128 KiB at first) back to the kernel,
/// and a training step frees and allocates tensors of that size hundreds of times, so the
/// kernel zeroes fresh pages for each: page faults were a fifth of a grid-recipe eval under
/// perf. Raising the thresholds keeps freed memory in the heap for the next tensor (27 % faster
/// there, same results to the bit; the allocator never changes a value).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    // SAFETY: mallopt only sets allocator parameters; it runs first, before any other thread.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 512 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}

fn main() {
    keep_freed_memory();
    let result = match Cli::parse().command {
        Command::Config => {
            println!("{}", GanConfig::default().to_json());
            Ok(())
        }
        Command::Validate { file } => validate(file),
        Command::Presets => {
            for p in presets() {
                println!("{:<20} {} {}", p.id, p.year, p.title);
            }
            Ok(())
        }
        Command::Train { run, every, digits } => train(&run, every, &digits),
        Command::Sample {
            run,
            n,
            out,
            checkpoint,
            digits,
        } => sample(&run, n, out, checkpoint, &digits),
        Command::Eval {
            run,
            seeds,
            jobs,
            n,
            checkpoint,
            digits,
        } => eval::run(&run, seeds, jobs, n, checkpoint, &digits),
        Command::Likelihood {
            run,
            components,
            iterations,
            n,
            flow_steps,
        } => likelihood(&run, components, iterations, n, flow_steps),
        Command::Dirac {
            loss,
            lr,
            steps,
            r1,
        } => dirac(loss, lr, steps, r1),
        Command::Bench {
            configs,
            seconds,
            memory,
            json,
            backend,
            mnist,
        } => bench::run(configs, seconds, memory, json, backend, mnist),
        Command::Augment {
            per_class,
            extra,
            steps,
            seeds,
            gan,
            mnist,
        } => digits::augment(per_class, extra, steps, seeds, gan, &mnist),
        Command::Classifier {
            mnist,
            out,
            epochs,
            seed,
        } => digits::classifier(&mnist, &out, epochs, seed),
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

fn validate(path: String) -> Result<(), String> {
    load_config(Some(path.clone()))?;
    println!("{path}: valid");
    Ok(())
}

fn train(run: &RunArgs, every: usize, digits: &DigitArgs) -> Result<(), String> {
    let options = RunOptions::new(run, 2000)?;
    let image = options.config.data.dataset.is_image() || digits.resume.is_some();
    let digit_options = image.then(|| digits::DigitOptions::from(digits));
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
        Some(d) if digit_cycle::wanted(&options, d.resume.as_deref())? => {
            let (run, _) = digit_cycle::train(&options, &d, every, print)?;
            let evaluation = digit_cycle::evaluate(&run, &d)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&evaluation).expect("serialises")
            );
        }
        Some(d) => {
            digits::train(&options, &d, every, print)?;
        }
        None if !options.config.cycle.is_off() => {
            let run = cycle::train(&options, every, print)?;
            let metrics = serde_json::to_string_pretty(&run.metrics()).expect("serialises");
            println!("{metrics}");
        }
        None => {
            options.train(every, print)?;
        }
    }
    Ok(())
}

fn sample(
    run: &RunArgs,
    n: Option<usize>,
    out: Option<String>,
    checkpoint: Option<String>,
    digit_args: &DigitArgs,
) -> Result<(), String> {
    let mut options = RunOptions::new(run, 2000)?;
    if options.config.data.dataset.is_image() || checkpoint.is_some() {
        let n = n.unwrap_or(64);
        if !(1..=10_000).contains(&n) {
            return Err(format!("--n must be from 1 to 10000 digits, got {n}"));
        }
        let prefix = out.ok_or("sample of digits writes files: give --out PREFIX")?;
        let mut digit_options = digits::DigitOptions::from(digit_args);
        if let Some(path) = checkpoint {
            digit_options.resume = Some(path);
            options.steps = 0;
        }
        if digit_cycle::wanted(&options, digit_options.resume.as_deref())? {
            let (run, _) = digit_cycle::train(&options, &digit_options, 100, |_, _, _| {})?;
            eprintln!("wrote {}", digit_cycle::write_view(&run, &prefix)?);
            return Ok(());
        }
        let (run, _) = digits::train(&options, &digit_options, 100, |_, _, _| {})?;
        for path in export::write_digits(&run, n, &prefix)? {
            eprintln!("wrote {path}");
        }
        return Ok(());
    }
    let n = n.unwrap_or(2500);
    if !(1..=1_000_000).contains(&n) {
        return Err(format!("--n must be from 1 to 1000000, got {n}"));
    }
    let csv = if options.config.cycle.is_off() {
        let mut trainer = options.train(200, |_, _, _| {})?;
        let points = read(trainer.samples(n))?;
        let mut csv = String::from("x,y\n");
        for p in points.chunks_exact(2) {
            csv.push_str(&format!("{},{}\n", p[0], p[1]));
        }
        csv
    } else {
        cycle::sample_csv(&options, n)?
    };
    match out {
        Some(path) => std::fs::write(&path, csv).map_err(|e| format!("{path}: {e}")),
        None => {
            print!("{csv}");
            Ok(())
        }
    }
}

fn dirac(
    loss: Option<String>,
    lr: Option<f64>,
    steps: Option<usize>,
    r1: Option<f64>,
) -> Result<(), String> {
    let mut options = DiracOptions::default();
    if let Some(loss) = loss {
        options.loss = serde_json::from_value(serde_json::Value::String(loss.clone()))
            .map_err(|_| format!("--loss must be gan or wgan, got {loss:?}"))?;
    }
    options.lr = lr.unwrap_or(options.lr);
    options.steps = steps.unwrap_or(options.steps);
    options.r1 = r1.unwrap_or(options.r1);
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

/// `minimax likelihood`: the maximum-likelihood baseline of a 2-D dataset (core's `likelihood`).
fn likelihood(
    args: &RunArgs,
    components: usize,
    iterations: usize,
    n: usize,
    flow_steps: usize,
) -> Result<(), String> {
    let options = RunOptions::new(args, 0)?;
    if options.config.data.dataset.is_image() {
        return Err("likelihood: the mixture and the flow model 2-D data only".into());
    }
    if flow_steps > 100_000 {
        return Err(format!(
            "--flow-steps must be at most 100000, got {flow_steps}"
        ));
    }
    if !(1..=64).contains(&components) {
        return Err(format!(
            "--components must be from 1 to 64, got {components}"
        ));
    }
    if !(1..=10_000).contains(&iterations) {
        return Err(format!(
            "--iterations must be from 1 to 10000, got {iterations}"
        ));
    }
    if !(100..=200_000).contains(&n) {
        return Err(format!("--n must be from 100 to 200000, got {n}"));
    }
    let baseline =
        minimax_core::likelihood::fit_baseline(&options.config, components, iterations, n);
    let flow = (flow_steps > 0).then(|| {
        use minimax_core::likelihood::flow::{FlowConfig, FlowFit};
        let device = burn::prelude::Device::flex().autodiff();
        let mut fit = FlowFit::new(&options.config, FlowConfig::default(), &device);
        fit.train(flow_steps);
        fit.result(&options.config)
    });
    let report = serde_json::json!({
        "source": options.source,
        "dataset": options.config.data.dataset,
        "seed": options.config.seed,
        "baseline": baseline,
        "flow": flow,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
    );
    Ok(())
}
