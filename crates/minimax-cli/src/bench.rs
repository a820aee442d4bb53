//! `minimax bench`: steps per second of the benchmark configurations on the native CPU backend,
//! printed as a table and as JSON. The same configurations as `shared/peers/tfjs-gan-bench`:
//! one D step and one G step per iteration, Adam (lr 1e-3, β1 0.5), noise dim 2, ReLU.

use std::time::Instant;

use burn::prelude::*;
use minimax_core::config::GanConfig;
use minimax_core::train::Trainer;

use crate::args::Args;

/// (name, hidden layers, width, batch): `mlp-s`, `mlp-m`, `mlp-l`.
const CONFIGS: [(&str, usize, usize, usize); 3] = [
    ("mlp-s", 2, 16, 64),
    ("mlp-m", 2, 64, 256),
    ("mlp-l", 3, 128, 512),
];

fn config(layers: usize, width: usize, batch: usize) -> GanConfig {
    let mut c = GanConfig::default();
    for net in [&mut c.generator, &mut c.discriminator] {
        net.hidden_layers = layers;
        net.width = width;
        net.activation = minimax_core::model::Activation::Relu;
    }
    c.optimizer_g.lr = 1e-3;
    c.train.batch_size = batch;
    c
}

pub fn run(args: &mut Args) -> Result<(), String> {
    let steps: usize = args.number("--steps", 500)?.max(1);
    let json = args.flag("--json");
    args.finish()?;
    let mut rows = Vec::new();
    for (name, layers, width, batch) in CONFIGS {
        let mut trainer = Trainer::new(config(layers, width, batch), &Device::flex());
        trainer.train(10).into_data(); // warm-up
        let start = Instant::now();
        // Read back every 100 steps, as the page does once per chunk.
        let mut done = 0;
        while done < steps {
            let n = 100.min(steps - done);
            trainer.train(n).into_data();
            done += n;
        }
        rows.push((name, steps as f64 / start.elapsed().as_secs_f64()));
    }
    if json {
        let entries: Vec<String> = rows
            .iter()
            .map(|(n, r)| {
                format!("{{\"config\":\"{n}\",\"backend\":\"flex-native\",\"steps_per_s\":{r:.1}}}")
            })
            .collect();
        println!("[{}]", entries.join(","));
    } else {
        println!("| config | backend | steps/s |\n|---|---|---:|");
        for (name, rate) in rows {
            println!("| {name} | flex (native) | {rate:.1} |");
        }
    }
    Ok(())
}
