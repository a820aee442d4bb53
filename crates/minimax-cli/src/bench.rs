//! `minimax bench`: the speed benchmark's configurations on a native backend — the same ones as
//! `tests/bench/speed` (the browser) and `shared/peers/tfjs-gan-bench` (TensorFlow.js): one D step
//! then one G step per iteration, Adam (β1 0.5), BCE for D, non-saturating G loss. Prints a
//! table (and writes JSON to the file given with `--json F`): first step, steps/s read back
//! every step and once per 100 steps, and with `--memory` the process's resident memory after
//! 1,000 and 20,000 steps of a fresh run.

use std::sync::Arc;
use std::time::Instant;

use burn::prelude::*;

use minimax_core::config::GanConfig;
use minimax_core::image::mnist::Split;
use minimax_core::image::train::ImageTrainer;
use minimax_core::points::model::Activation;
use minimax_core::points::train::{StepMode, Trainer};
use minimax_core::presets::preset;
use minimax_core::run::GanRun;
use serde::Serialize;

use crate::device::Backend;
use crate::digits::load_mnist;

/// The configurations: `mlp-s`, `mlp-m`, `mlp-l` (hidden layers, width, batch) and `dcgan`.
const MLPS: [(&str, usize, usize, usize); 3] = [
    ("mlp-s", 2, 16, 64),
    ("mlp-m", 2, 64, 256),
    ("mlp-l", 3, 128, 512),
];
const NAMES: [&str; 4] = ["mlp-s", "mlp-m", "mlp-l", "dcgan"];
/// Step counts at which `--memory` reads the resident set size.
const MEMORY_MARKS: [usize; 2] = [1_000, 20_000];

fn mlp_config(layers: usize, width: usize, batch: usize) -> GanConfig {
    let mut c = GanConfig::default();
    for net in [&mut c.generator, &mut c.discriminator] {
        net.hidden_layers = layers;
        net.width = width;
        net.activation = Activation::Relu;
    }
    c.noise.dim = 2;
    c.optimizer_d.lr = 1e-3;
    c.optimizer_g.lr = 1e-3;
    c.train.batch_size = batch;
    c
}

/// TF.js's DCGAN-28: G 100 → 7×7×128 → 64 → 1, D 64 → 128 → 1 (our width 64), batch 64.
fn dcgan_config() -> GanConfig {
    let mut c = preset("dcgan_mnist").expect("preset exists").config;
    c.generator.width = 64;
    c.discriminator.width = 64;
    c.train.batch_size = 64;
    c
}

/// A run of either kind (any `GanRun`), as "train n iterations", and the iterations it has done.
struct Run {
    train: Box<dyn FnMut(usize) -> Tensor<1>>,
    done: usize,
}

impl Run {
    fn of<R: GanRun>(mut run: R) -> Self {
        let train = move |n| run.train_until(n, StepMode::Both, &mut || false);
        Self {
            train: Box::new(train),
            done: 0,
        }
    }

    /// `n` iterations, one readback at the end.
    fn train(&mut self, n: usize) {
        let losses = (self.train)(n);
        self.done += n;
        let values = losses.into_data().try_to_vec::<f32>().expect("f32 losses");
        assert!(values[0].is_finite(), "the D loss is not finite");
    }

    /// `steps` iterations in calls of `chunk`; steps per second.
    fn rate(&mut self, steps: usize, chunk: usize) -> f64 {
        let start = Instant::now();
        let mut done = 0;
        while done < steps {
            let n = chunk.min(steps - done);
            self.train(n);
            done += n;
        }
        steps as f64 / start.elapsed().as_secs_f64()
    }
}

#[derive(Serialize)]
struct Row {
    config: &'static str,
    backend: &'static str,
    first_step_ms: f64,
    steps: usize,
    steps_per_s_readback_1: f64,
    steps_per_s_readback_100: f64,
    /// (steps, resident bytes) with `--memory`.
    memory: Vec<(usize, u64)>,
}

/// The process's resident set size (Linux; 0 elsewhere).
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

pub fn run(
    configs: Option<String>,
    seconds: f64,
    memory: bool,
    json: Option<String>,
    backend: Option<String>,
    mnist: String,
) -> Result<(), String> {
    let backend = Backend::parse(backend.as_deref())?;
    let configs = configs.unwrap_or_else(|| NAMES.join(","));
    let configs: Vec<&'static str> = configs
        .split(',')
        .map(|c| {
            NAMES
                .into_iter()
                .find(|n| *n == c)
                .ok_or_else(|| format!("--configs: no config {c:?}; configs: {}", NAMES.join(",")))
        })
        .collect::<Result<_, _>>()?;
    let device = backend.device()?;
    let backend_name = match backend {
        Backend::Cpu => "cpu (flex)",
        Backend::Gpu => "gpu (wgpu)",
    };
    let mut rows = Vec::new();
    for name in configs {
        let make = || -> Result<Run, String> {
            let run = match MLPS.iter().find(|m| m.0 == name) {
                Some(&(_, layers, width, batch)) => {
                    Run::of(Trainer::new(mlp_config(layers, width, batch), &device))
                }
                None => {
                    let data = Arc::new(load_mnist(&mnist)?.split(Split::Train));
                    Run::of(ImageTrainer::new(dcgan_config(), data, &device))
                }
            };
            Ok(run)
        };
        let mut run = make()?;
        let start = Instant::now();
        run.train(1);
        let first_step_ms = start.elapsed().as_secs_f64() * 1e3;
        // Calibrate on a short run so that each timed phase lasts about `seconds`.
        let probe = run.rate(if name == "dcgan" { 3 } else { 20 }, 100);
        let steps = ((probe * seconds).round() as usize).clamp(3, 20_000);
        let every_step = run.rate(steps, 1);
        let chunked = run.rate(steps.max(100), 100);
        let mut marks = Vec::new();
        // 20,000 DCGAN steps would take half an hour: memory is read on the MLPs.
        if memory && name != "dcgan" {
            drop(run);
            let mut run = make()?;
            for mark in MEMORY_MARKS {
                if mark > run.done {
                    run.rate(mark - run.done, 100);
                }
                marks.push((run.done, resident_bytes()));
            }
        }
        eprintln!("{name}: {every_step:.1} / {chunked:.1} steps/s");
        rows.push(Row {
            config: name,
            backend: backend_name,
            first_step_ms,
            steps,
            steps_per_s_readback_1: every_step,
            steps_per_s_readback_100: chunked,
            memory: marks,
        });
    }
    if let Some(path) = json {
        let text = serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?;
        std::fs::write(&path, text + "\n").map_err(|e| format!("{path}: {e}"))?;
    }
    println!(
        "| config | backend | first step (ms) | steps/s, readback every step | steps/s, every 100 | resident memory |"
    );
    println!("|---|---|---:|---:|---:|---|");
    for r in rows {
        let memory: Vec<String> = r
            .memory
            .iter()
            .map(|(s, b)| format!("{:.1} MB @ {s}", *b as f64 / 1048576.0))
            .collect();
        println!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {} |",
            r.config,
            r.backend,
            r.first_step_ms,
            r.steps_per_s_readback_1,
            r.steps_per_s_readback_100,
            memory.join(", ")
        );
    }
    Ok(())
}
