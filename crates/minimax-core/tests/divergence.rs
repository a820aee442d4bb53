//! The divergence guard on a run that really blows up: SGD at lr 1 with momentum 0.9 on wide
//! nets sends the losses past f32's range within a few steps (step 6 natively, seed 1).
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use burn::prelude::*;
use common::floats;
use minimax_core::config::GanConfig;
use minimax_core::guard::DivergenceGuard;
use minimax_core::image::mnist::Mnist;
use minimax_core::image::train::ImageTrainer;
use minimax_core::points::train::{StepMode, Trainer};
use minimax_core::run::GanRun;

const EXPLODING: &str = r#"{
    "generator": {"width": 256}, "discriminator": {"width": 256},
    "optimizer_g": {"kind": "sgd", "lr": 1.0, "momentum": 0.9},
    "optimizer_d": {"kind": "sgd", "lr": 1.0, "momentum": 0.9}
}"#;

/// Trains `trainer` in chunks of `chunk` steps under a guard until a chunk diverges, as the
/// page does (`train_chunk`, the readback, `judge_chunk`).
fn train_until_diverged(trainer: &mut Trainer, chunk: usize) -> (DivergenceGuard<Trainer>, u64) {
    let mut guard = DivergenceGuard::default();
    for _ in 0..50 {
        let losses = floats(guard.train_chunk(trainer, chunk, StepMode::Both, &mut || false));
        let diverged = guard.judge_chunk(trainer, &losses, StepMode::Both);
        if let Some(d) = diverged {
            assert!(
                d.explain(trainer.config())
                    .contains("lower the learning rates")
            );
            return (guard, d.step);
        }
    }
    panic!("the exploding config did not diverge in 100 steps");
}

#[test]
fn the_guard_keeps_a_state_that_trains_finite_after_a_divergence() {
    let config = GanConfig::from_json(EXPLODING).unwrap();
    let mut trainer = Trainer::new(config, &Device::flex());
    let (guard, diverged_at) = train_until_diverged(&mut trainer, 2);
    assert!(
        floats(trainer.train(1)).iter().any(|v| !v.is_finite()),
        "a diverged run stays diverged"
    );

    let good = guard
        .good()
        .expect("a chunk came back finite before the divergence");
    assert!(
        good.step() < diverged_at,
        "kept step {} ≥ diverged step {diverged_at}",
        good.step()
    );
    assert_eq!(good.step() % 2, 0, "a good state is the start of a chunk");
    // The kept state is the one the last finite chunk started from: it trains finite again.
    let mut restored = good.clone();
    let step = restored.step();
    let losses = floats(restored.train(1));
    assert!(losses.iter().all(|v| v.is_finite()), "{losses:?}");
    assert_eq!(restored.step(), step + 1);
}

#[test]
fn a_lower_learning_rate_after_restoring_keeps_the_run_finite() {
    let config = GanConfig::from_json(EXPLODING).unwrap();
    let mut trainer = Trainer::new(config, &Device::flex());
    let (guard, _) = train_until_diverged(&mut trainer, 1);
    let mut restored = guard.good().unwrap().clone();
    restored.set_learning_rates(1e-3, 1e-3);
    let losses = floats(restored.train(50));
    assert!(losses.iter().all(|v| v.is_finite()));
}

#[test]
fn a_divergence_in_the_first_chunk_leaves_nothing_to_restore() {
    let config = GanConfig::from_json(EXPLODING).unwrap();
    let mut trainer = Trainer::new(config, &Device::flex());
    let (guard, diverged_at) = train_until_diverged(&mut trainer, 20);
    assert!(diverged_at <= 20);
    assert!(guard.good().is_none());
}

#[test]
fn the_image_trainer_snapshots_too() {
    // A clone is a snapshot: training the original leaves the clone where it was.
    let mut config = minimax_core::presets::preset("dcgan_mnist").unwrap().config;
    config.generator.width = 4;
    config.discriminator.width = 4;
    config.train.batch_size = 4;
    let labels: Vec<u8> = (0..16).map(|i| i % 10).collect();
    let pixels = (0..16 * 784).map(|i| (i * 37 % 256) as u8).collect();
    let data = std::sync::Arc::new(Mnist::from_parts(labels, pixels));
    let mut trainer = ImageTrainer::new(config, data, &Device::flex());
    let snapshot = trainer.clone();
    let before = floats(
        snapshot
            .clone()
            .train_until(1, StepMode::Both, &mut || false),
    );
    trainer.train_until(3, StepMode::Both, &mut || false);
    assert_eq!(snapshot.step(), 0);
    let again = floats(
        snapshot
            .clone()
            .train_until(1, StepMode::Both, &mut || false),
    );
    assert_eq!(
        before, again,
        "the snapshot did not move when the original trained"
    );
}

#[test]
fn restore_last_good_puts_the_run_back_under_its_current_config() {
    let config = GanConfig::from_json(EXPLODING).unwrap();
    let mut trainer = Trainer::new(config, &Device::flex());
    let (mut guard, diverged_at) = train_until_diverged(&mut trainer, 2);
    // A live change after the blow-up (lower learning rates) survives the restore.
    let mut calmer = trainer.config().clone();
    calmer.optimizer_d.lr = 1e-3;
    calmer.optimizer_g.lr = 1e-3;
    let rebuilt = guard.reconfigure(&mut trainer, calmer.clone());
    assert!(!rebuilt.generator && !rebuilt.discriminator);
    let step = guard.restore_last_good(&mut trainer).unwrap();
    assert!(step < diverged_at);
    assert_eq!(GanRun::step(&trainer), step);
    assert_eq!(trainer.config(), &calmer);
    let losses = floats(trainer.train(20));
    assert!(losses.iter().all(|v| v.is_finite()), "{losses:?}");
    // A rebuilt network makes the kept states unfit: nothing left to restore.
    let mut wider = calmer;
    wider.discriminator.width = 64;
    assert!(guard.reconfigure(&mut trainer, wider).discriminator);
    assert!(guard.restore_last_good(&mut trainer).is_err());
}
