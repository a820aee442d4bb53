//! CycleGAN between MNIST and thick-stroke MNIST: the domains, shapes, training that thickens
//! G's strokes and thins F's, bit-exact checkpoints, the config's rules, and the shipped
//! translator's targets. Reads `assets/mnist.bin`, `assets/classifier.bpk` and
//! `assets/cyclegan-mnist.ckpt`.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use std::sync::Arc;

use burn::prelude::*;
use common::{bits, floats};
use minimax_core::checkpoint::Checkpoint;
use minimax_core::config::GanConfig;
use minimax_core::cycle::digits::{DigitCycleTrainer, DigitDomains, VIEW_DIGITS, ink};
use minimax_core::image::classifier::Classifier;
use minimax_core::image::mnist::{Mnist, SIDE, Split};
use minimax_core::image::train::ImageTrainer;
use minimax_core::points::train::LOSS_STRIDE;
use minimax_core::presets::preset;
use minimax_core::run::GanRun;

fn asset(name: &str) -> Vec<u8> {
    let path = format!("{}/../../assets/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (run scripts/setup.sh)"))
}

fn mnist() -> Arc<Mnist> {
    Arc::new(Mnist::from_bytes(&asset("mnist.bin")).unwrap())
}

fn classifier() -> Classifier {
    Classifier::from_bytes(&asset("classifier.bpk"), &Device::flex()).unwrap()
}

/// The cyclegan_mnist preset with `patch` merged in.
fn config(patch: &str) -> GanConfig {
    let mut value = serde_json::to_value(preset("cyclegan_mnist").unwrap().config).unwrap();
    minimax_core::presets::merge(&mut value, &serde_json::from_str(patch).unwrap());
    GanConfig::from_json(&value.to_string()).unwrap()
}

/// Small networks and batches, so that the tests stay fast.
const SMALL: &str = r#"{"generator": {"width": 4, "hidden_layers": 1},
    "discriminator": {"width": 4}, "train": {"batch_size": 8}}"#;

#[test]
fn the_domains_are_disjoint_halves_and_y_is_thicker() {
    let digits = mnist();
    let d = DigitDomains::of(&config("{}"), &digits);
    assert_eq!(d.x_train.len() + d.y_train.len(), 9000);
    assert_eq!(d.x_eval.len() + d.y_eval.len(), 1000);
    assert!(d.x_train.len().abs_diff(d.y_train.len()) <= 10);
    // X holds one half of the training digits, Y the other half thickened; swapping the
    // domains thickens the first half instead. Both halves hold every class alike.
    let train = digits.split(Split::Train);
    assert_eq!(d.x_train, train.half(0));
    assert_eq!(d.y_train, train.half(1).thickened());
    let swapped = DigitDomains::of(
        &config(r#"{"data": {"dataset": "mnist"}, "cycle": {"source": "mnist_thick"}}"#),
        &digits,
    );
    assert_eq!(swapped.x_train, train.half(0).thickened());
    assert_eq!(swapped.y_train, train.half(1));
    for class in 0..10u8 {
        let count = |set: &Mnist| set.labels().iter().filter(|&&l| l == class).count() as f64;
        let (x, y) = (count(&d.x_eval), count(&d.y_eval));
        assert!(
            x > 30.0 && (x - y).abs() <= 1.0,
            "class {class}: {x} and {y} held-out digits"
        );
    }
    let ink_of = |set: &Mnist| {
        let all: Vec<usize> = (0..set.len()).collect();
        f64::from(floats(ink(set.images(&all, &Device::flex())))[0])
    };
    let (x, y) = (ink_of(&d.x_eval), ink_of(&d.y_eval));
    assert!(y > 1.5 * x, "ink of X {x:.3}, of Y {y:.3}");
}

#[test]
fn shapes_of_the_losses_view_and_metrics() {
    let mut run = DigitCycleTrainer::new(config(SMALL), mnist(), &Device::flex());
    let losses = floats(run.train(2));
    assert_eq!(losses.len(), 2 * LOSS_STRIDE);
    assert!(losses.iter().all(|v| v.is_finite()), "{losses:?}");
    for rows in run.view() {
        assert_eq!(rows.dims(), [VIEW_DIGITS, 1, SIDE, SIDE]);
    }
    let m = run.metrics(&classifier());
    assert!((495..=505).contains(&m.samples), "{m:?}");
    for share in [m.label_kept_x, m.label_kept_y, m.ink.x, m.ink.gx] {
        assert!((0.0..=1.0).contains(&share), "{m:?}");
    }
    assert!((1.0..=10.0).contains(&m.classifier_score_gx), "{m:?}");
}

#[test]
fn training_thickens_g_thins_f_and_shortens_the_round_trip() {
    // A fresh translator is close to the identity; 150 steps of the preset's networks move G(X)'s
    // ink toward Y's and F(Y)'s toward X's, and shorten the round trip.
    let mut run = DigitCycleTrainer::new(
        config(r#"{"train": {"batch_size": 16}}"#),
        mnist(),
        &Device::flex(),
    );
    let judge = classifier();
    let start = run.metrics(&judge);
    run.train(150);
    let m = run.metrics(&judge);
    let (before, after) = (start.ink, m.ink);
    assert!(
        after.gx > before.gx + 0.02 && after.fy < before.fy - 0.02,
        "before {before:?}, after {after:?}"
    );
    // The round trip gets shorter too (tanh(2·tanh(2x)) of a fresh pair misses by ~0.06).
    assert!(
        m.cycle_error() < start.cycle_error(),
        "cycle error {} → {}",
        start.cycle_error(),
        m.cycle_error()
    );
    assert!(m.label_kept_x > 0.8, "{m:?}");
}

#[test]
fn a_digit_cycle_checkpoint_resumes_bit_exactly() {
    let device = Device::flex();
    let digits = mnist();
    let mut run = DigitCycleTrainer::new(config(SMALL), digits.clone(), &device);
    let history = floats(run.train(3));
    let checkpoint = Checkpoint::decode(&run.checkpoint(history.clone()).encode()).unwrap();
    let mut resumed =
        DigitCycleTrainer::from_checkpoint(&checkpoint, digits.clone(), &device, true).unwrap();
    assert_eq!(resumed.step(), 3);
    assert_eq!(bits(floats(run.train(2))), bits(floats(resumed.train(2))));
    let [_, gx, ..] = run.view();
    let [_, resumed_gx, ..] = resumed.view();
    assert_eq!(bits(floats(gx)), bits(floats(resumed_gx)));

    let train = Arc::new(digits.split(Split::Train));
    let err = ImageTrainer::from_checkpoint(&checkpoint, train.clone(), &device, true)
        .err()
        .unwrap();
    assert!(err.contains("translator"), "{err}");
    let dcgan = preset("dcgan_mnist").unwrap().config;
    let plain = ImageTrainer::new(dcgan, train, &device).checkpoint(Vec::new());
    let err = DigitCycleTrainer::from_checkpoint(&plain, digits, &device, true)
        .err()
        .unwrap();
    assert!(err.contains("not a CycleGAN"), "{err}");
}

#[test]
fn the_config_names_what_a_digit_translation_cannot_do() {
    let fields = |patch: &str| -> Vec<String> {
        let mut value = serde_json::to_value(preset("cyclegan_mnist").unwrap().config).unwrap();
        minimax_core::presets::merge(&mut value, &serde_json::from_str(patch).unwrap());
        GanConfig::from_json(&value.to_string())
            .err()
            .map(|e| e.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default()
    };
    assert!(fields("{}").is_empty());
    // Thick digits are a CycleGAN domain only.
    let err = GanConfig::from_json(
        &preset("dcgan_mnist")
            .unwrap()
            .config
            .to_json()
            .replace(r#""dataset": "mnist""#, r#""dataset": "mnist_thick""#),
    )
    .unwrap_err();
    assert_eq!(err.errors[0].field, "data.dataset");
    assert!(err.errors[0].message.contains("cyclegan_mnist"), "{err}");
    assert_eq!(
        fields(r#"{"cycle": {"source": "mnist_thick"}}"#),
        ["cycle.source"]
    );
    assert_eq!(
        fields(r#"{"data": {"conditional": true}}"#),
        ["data.conditional"]
    );
    assert_eq!(
        fields(r#"{"generator": {"kind": "stylegan"}}"#),
        ["generator.kind"]
    );
    assert_eq!(
        fields(r#"{"stabilizers": {"generator_ema": 0.999}}"#),
        ["stabilizers.generator_ema"]
    );
    let c = config("{}");
    assert!(c.is_digit_cycle());
    assert_eq!(GanConfig::from_json(&c.to_json()).unwrap(), c);
}

#[test]
fn the_shipped_translator_keeps_the_digit_and_changes_the_strokes() {
    let checkpoint = Checkpoint::decode(&asset("cyclegan-mnist.ckpt")).unwrap();
    let run =
        DigitCycleTrainer::from_checkpoint(&checkpoint, mnist(), &Device::flex(), false).unwrap();
    let m = run.metrics(&classifier());
    assert!(m.label_kept_x >= 0.8, "label kept by G: {m:?}");
    assert!(m.label_kept_y >= 0.8, "label kept by F: {m:?}");
    // G(X) is nearer Y's ink than X's, F(Y) nearer X's than Y's.
    let ink = m.ink;
    assert!(
        (ink.gx - ink.y).abs() < (ink.gx - ink.x).abs()
            && (ink.fy - ink.x).abs() < (ink.fy - ink.y).abs(),
        "{ink:?}"
    );
}
