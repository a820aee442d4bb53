//! Generator averaging for the image GANs (issue 24): after each G step every float of the
//! average (weights and batch norm's running statistics) is β·θ̄ + (1 − β)·θ, and the average is
//! what the views and scores show, what a checkpoint saves and what loading it gives back.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use std::sync::Arc;

use burn::prelude::*;
use common::{floats, module_floats};
use minimax_core::config::GanConfig;
use minimax_core::image::mnist::{Mnist, Split};
use minimax_core::image::train::ImageTrainer;
use minimax_core::points::train::StepMode;
use minimax_core::presets::{merge, preset};
use minimax_core::run::GanRun;

fn mnist() -> Arc<Mnist> {
    let path = format!("{}/../../assets/mnist.bin", env!("CARGO_MANIFEST_DIR"));
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (run scripts/setup.sh)"));
    Arc::new(Mnist::from_bytes(&bytes).unwrap().split(Split::Train))
}

fn config(preset_id: &str, beta: f64) -> GanConfig {
    let mut value = serde_json::to_value(preset(preset_id).unwrap().config).unwrap();
    let patch = serde_json::json!({
        "generator": {"width": 8}, "discriminator": {"width": 8},
        "train": {"batch_size": 8}, "stabilizers": {"generator_ema": beta}
    });
    merge(&mut value, &patch);
    GanConfig::from_json(&value.to_string()).unwrap()
}

#[test]
fn the_average_blends_every_float_after_each_generator_step() {
    let data = mnist();
    for id in ["dcgan_mnist", "stylegan_mnist"] {
        let beta = 0.9;
        let mut t = ImageTrainer::new(config(id, beta), data.clone(), &Device::flex());
        t.train_until(3, StepMode::Both, &mut || false);
        let average = module_floats(&t.shown_generator());
        t.train_until(1, StepMode::Generator, &mut || false);
        let (current, next) = (
            module_floats(t.models().0),
            module_floats(&t.shown_generator()),
        );
        assert_eq!(next.len(), current.len(), "{id}");
        let mut moved = 0.0f32;
        for ((a, c), n) in average.iter().zip(&current).zip(&next) {
            let expected = beta as f32 * a + (1.0 - beta as f32) * c;
            assert!(
                (n - expected).abs() <= 1e-5 * (1.0 + expected.abs()),
                "{id}: θ̄ ← βθ̄ + (1−β)θ: {n} vs {expected}"
            );
            moved += (n - a).abs();
        }
        assert!(moved > 0.0, "{id}: the average moved toward G");
    }
}

#[test]
fn the_average_is_what_is_shown_saved_and_loaded() {
    let data = mnist();
    for id in ["dcgan_mnist", "stylegan_mnist"] {
        let mut t = ImageTrainer::new(config(id, 0.8), data.clone(), &Device::flex());
        t.train_until(4, StepMode::Both, &mut || false);
        let shown = floats(t.eval_samples(6));
        // Without averaging the same run shows G itself, which differs from its average.
        let mut plain = t.clone();
        plain.reconfigure(config(id, 0.0));
        let raw = floats(plain.eval_samples(6));
        assert_ne!(shown, raw, "{id}: the views show the average, not G");
        // A checkpoint keeps the average: the resumed run shows the same digits, bit for bit.
        let file = t.checkpoint(Vec::new()).encode();
        let checkpoint = minimax_core::checkpoint::Checkpoint::decode(&file).unwrap();
        assert!(
            checkpoint.part("generator_ema").is_ok(),
            "{id}: the file holds the average"
        );
        let resumed =
            ImageTrainer::from_checkpoint(&checkpoint, data.clone(), &Device::flex(), true)
                .unwrap();
        assert_eq!(floats(resumed.eval_samples(6)), shown, "{id}: resumed");
        // A run without averaging that loads the file as its pretrained G gets the average.
        let mut fresh = ImageTrainer::new(config(id, 0.0), data.clone(), &Device::flex());
        fresh.load_generator(&checkpoint).unwrap();
        assert_eq!(
            floats(fresh.eval_samples(6)),
            shown,
            "{id}: loaded as a pretrained G"
        );
    }
}
