//! The training loop: shapes, seeded reproducibility, and G moving toward the data.

use burn::prelude::*;
use minimax_core::config::GanConfig;
use minimax_core::data::Dataset;
use minimax_core::metrics::Moments;
use minimax_core::rng::Rng;
use minimax_core::train::{Trainer, VIEW_POINTS};

fn floats<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().try_into_vec::<f32>().unwrap()
}

fn config(json: &str) -> GanConfig {
    GanConfig::from_json(json).unwrap()
}

#[test]
fn shapes_of_everything_the_views_read() {
    let mut t = Trainer::new(
        config(r#"{"noise": {"dim": 5}, "train": {"batch_size": 32}}"#),
        &Device::flex(),
    );
    assert_eq!(t.train(4).dims(), [12]);
    assert_eq!(t.step(), 4);
    let mut calls = 0;
    let stopped = t.train_until(10, || {
        calls += 1;
        calls == 2
    });
    assert_eq!(
        stopped.dims(),
        [6],
        "stops after the iteration that says done"
    );
    assert_eq!(t.step(), 6);
    assert_eq!(t.view_fake().dims(), [VIEW_POINTS, 2]);
    assert_eq!(t.view_real().len(), 2 * VIEW_POINTS);
    assert_eq!(t.samples(10).dims(), [10, 2]);
    let heat = floats(t.discriminator_grid(16));
    assert_eq!(heat.len(), 256);
    assert!(heat.iter().all(|d| (0.0..=1.0).contains(d)));
}

#[test]
fn k_steps_and_every_optimizer_run() {
    for opt in ["sgd", "adam", "rmsprop"] {
        let json = format!(
            r#"{{"train": {{"d_steps": 3, "g_steps": 2, "batch_size": 16}},
                "optimizer_d": {{"kind": "{opt}", "momentum": 0.5}}, "optimizer_g": {{"kind": "{opt}"}},
                "discriminator": {{"activation": "tanh"}}}}"#
        );
        let losses = floats(Trainer::new(config(&json), &Device::flex()).train(3));
        assert!(losses.iter().all(|v| v.is_finite()), "{opt}: {losses:?}");
    }
}

#[test]
fn same_seed_same_run_other_seed_other_run() {
    let run = |seed: u32| {
        let mut t = Trainer::new(
            config(&format!(
                r#"{{"seed": {seed}, "train": {{"batch_size": 64}}}}"#
            )),
            &Device::flex(),
        );
        let mut losses = floats(t.train(20));
        losses.extend(floats(t.samples(8)));
        losses
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn learning_rate_change_keeps_the_models() {
    let mut t = Trainer::new(GanConfig::default(), &Device::flex());
    t.train(2);
    let before = floats(t.view_fake());
    t.set_learning_rates(1e-4, 1e-4);
    assert_eq!(t.step(), 2);
    assert_eq!(floats(t.view_fake()), before);
    assert_eq!(t.config().optimizer_d.lr, 1e-4);
}

#[test]
fn training_moves_the_generated_mean_and_spread_toward_the_data() {
    for dataset in [Dataset::Gaussian, Dataset::Ring8] {
        let mut c = GanConfig::default();
        c.data.dataset = dataset;
        let mut t = Trainer::new(c, &Device::flex());
        let data = Moments::of(&dataset.sample(&mut Rng::new(5), 4000));
        let before = Moments::of(&floats(t.samples(4000))).distance(&data);
        t.train(1500);
        let after = Moments::of(&floats(t.samples(4000))).distance(&data);
        eprintln!("{dataset:?}: moment distance {before:.3} -> {after:.3}");
        assert!(after < 0.35 * before, "{dataset:?}: {before} -> {after}");
    }
}
