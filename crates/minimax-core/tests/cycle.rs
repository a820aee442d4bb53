//! CycleGAN between two 2-D datasets: shapes, the round trip getting shorter with training, each
//! player moving only its own networks, bit-exact checkpoints, and the config's rules.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use burn::prelude::*;
use common::{bits, floats};
use minimax_core::checkpoint::Checkpoint;
use minimax_core::config::GanConfig;
use minimax_core::cycle::points::CycleTrainer;
use minimax_core::points::train::{EVAL_POINTS, StepMode, Trainer, VIEW_POINTS};
use minimax_core::run::GanRun;

/// Two moons → ring8, small networks, plus `extra` merged in.
fn config(extra: &str) -> GanConfig {
    let base = r#"{"data": {"dataset": "ring8"}, "cycle": {"source": "two_moons"},
        "generator": {"width": 32}, "discriminator": {"width": 32}, "train": {"batch_size": 64}}"#;
    let mut json: serde_json::Value = serde_json::from_str(base).unwrap();
    minimax_core::presets::merge(&mut json, &serde_json::from_str(extra).unwrap());
    GanConfig::from_json(&json.to_string()).unwrap()
}

#[test]
fn shapes_of_the_losses_views_and_metrics() {
    let mut run = CycleTrainer::new(config("{}"), &Device::flex());
    assert_eq!(run.train(3).dims(), [12]);
    assert_eq!(run.step(), 3);
    let view = run.view(16);
    for t in [
        &view.x,
        &view.translated,
        &view.round_trip,
        &view.y,
        &view.translated_back,
    ] {
        assert_eq!(t.dims(), [VIEW_POINTS, 2]);
    }
    assert!(view.heat_is_probability);
    for heat in [view.heat_x, view.heat_y] {
        let heat = floats(heat);
        assert_eq!(heat.len(), 256);
        assert!(heat.iter().all(|d| (0.0..=1.0).contains(d)));
    }
    for t in run.eval_tensors() {
        assert_eq!(t.dims(), [EVAL_POINTS, 2]);
    }
    let m = run.metrics();
    assert_eq!(m.samples, EVAL_POINTS);
    assert_eq!(m.coverage_y.unwrap().total, 8, "ring8 is a mixture of 8");
    assert!(m.coverage_x.is_none(), "two moons is not a mixture");
    let [g, back] = run.translate(vec![0.0, 0.5, 1.0, -0.25]);
    assert_eq!((g.dims(), back.dims()), ([2, 2], [2, 2]));
}

#[test]
fn training_shortens_the_round_trip_and_moves_points_toward_y() {
    let mut run = CycleTrainer::new(config("{}"), &Device::flex());
    let before = run.metrics();
    let losses = floats(run.train(300));
    assert!(losses.iter().all(|v| v.is_finite()));
    let after = run.metrics();
    assert!(
        after.cycle_error_x < 0.5 * before.cycle_error_x
            && after.cycle_error_y < 0.5 * before.cycle_error_y,
        "cycle errors {:.3}/{:.3} → {:.3}/{:.3}",
        before.cycle_error_x,
        before.cycle_error_y,
        after.cycle_error_x,
        after.cycle_error_y
    );
    // G(x) lands nearer the ring (radius 1) than it started.
    let radius_gap = |points: &[f32]| {
        let n = points.len() / 2;
        points
            .chunks_exact(2)
            .map(|p| ((p[0] * p[0] + p[1] * p[1]).sqrt() - 1.0).abs())
            .sum::<f32>()
            / n as f32
    };
    let fresh = CycleTrainer::new(config("{}"), &Device::flex());
    let [x, gx_before, ..] = fresh.eval_tensors();
    let [_, gx_after, ..] = run.eval_tensors();
    let (gap_before, gap_after) = (
        radius_gap(&floats(gx_before)),
        radius_gap(&floats(gx_after)),
    );
    assert!(
        gap_after < 0.5 * gap_before,
        "distance to the ring {gap_before:.3} → {gap_after:.3}"
    );
    assert_eq!(floats(x).len(), 2 * EVAL_POINTS);
}

#[test]
fn the_cycle_loss_is_what_ties_the_round_trip() {
    // Without λ nothing asks F to undo G: the round trip stays long.
    let mut free = CycleTrainer::new(config(r#"{"cycle": {"cycle_weight": 0}}"#), &Device::flex());
    let mut tied = CycleTrainer::new(config("{}"), &Device::flex());
    free.train(300);
    tied.train(300);
    let (free, tied) = (free.metrics().cycle_error(), tied.metrics().cycle_error());
    assert!(
        tied < 0.5 * free,
        "cycle error with λ = 10: {tied:.3}, with λ = 0: {free:.3}"
    );
}

#[test]
fn each_player_moves_only_its_own_networks() {
    let bytes = |run: &CycleTrainer| {
        let (t, c) = run.models();
        (
            minimax_core::checkpoint::module_bytes(t),
            minimax_core::checkpoint::module_bytes(c),
        )
    };
    let mut run = CycleTrainer::new(
        config(r#"{"cycle": {"identity_weight": 5}}"#),
        &Device::flex(),
    );
    let (t0, c0) = bytes(&run);
    run.train_until(1, StepMode::Discriminator, &mut || true);
    let (t1, c1) = bytes(&run);
    assert_eq!(t0, t1, "a D step leaves G and F alone");
    assert_ne!(c0, c1, "a D step moves D_X and D_Y");
    run.train_until(1, StepMode::Generator, &mut || true);
    let (t2, c2) = bytes(&run);
    assert_ne!(t1, t2, "a G step moves G and F");
    assert_eq!(c1, c2, "a G step leaves D_X and D_Y alone");
}

#[test]
fn every_objective_trains_both_directions_with_finite_losses() {
    for kind in [
        "minimax",
        "non_saturating",
        "least_squares",
        "hinge",
        "wgan",
        "wgan_gp",
        "f_gan",
    ] {
        let extra = format!(
            r#"{{"objective": {{"kind": "{kind}"}}, "stabilizers": {{"gradient_penalty": 1, "spectral_norm": true, "label_smoothing": 0.1}}}}"#
        );
        let mut run = CycleTrainer::new(config(&extra), &Device::flex());
        let losses = floats(run.train(3));
        assert!(losses.iter().all(|v| v.is_finite()), "{kind}: {losses:?}");
    }
}

#[test]
fn a_cycle_checkpoint_resumes_bit_exactly() {
    let device = Device::flex();
    let mut run = CycleTrainer::new(config(r#"{"objective": {"kind": "wgan_gp"}}"#), &device);
    let history = floats(run.train(6));
    let checkpoint = Checkpoint::decode(&run.checkpoint(history.clone()).encode()).unwrap();
    assert_eq!(checkpoint.history, history);
    let mut resumed = CycleTrainer::from_checkpoint(&checkpoint, &device, true).unwrap();
    assert_eq!(resumed.step(), 6);
    assert_eq!(
        bits(floats(run.train(4))),
        bits(floats(resumed.train(4))),
        "same losses, bit for bit"
    );
    assert_eq!(
        bits(floats(run.view(8).heat_y)),
        bits(floats(resumed.view(8).heat_y))
    );

    let err = Trainer::from_checkpoint(&checkpoint, &device, true)
        .err()
        .unwrap();
    assert!(err.contains("CycleGAN"), "{err}");
    let plain = Trainer::new(GanConfig::default(), &device).checkpoint(Vec::new());
    let err = CycleTrainer::from_checkpoint(&plain, &device, true)
        .err()
        .unwrap();
    assert!(err.contains("not a CycleGAN"), "{err}");
}

#[test]
fn reconfigure_restarts_only_for_a_new_domain_or_generator() {
    let mut run = CycleTrainer::new(config("{}"), &Device::flex());
    run.train(2);
    let mut lr = run.config().clone();
    lr.optimizer_d.lr = 2e-4;
    lr.cycle.cycle_weight = 5.0;
    let r = run.reconfigure(lr);
    assert!(!r.generator && !r.discriminator && run.step() == 2, "{r:?}");
    let mut other_source = run.config().clone();
    other_source.cycle.source = Some(minimax_core::data::Dataset::Spiral);
    assert!(run.reconfigure(other_source).generator);
    assert_eq!(run.step(), 0);
}

#[test]
fn the_config_names_what_a_cycle_run_cannot_do() {
    let fields = |json: &str| -> Vec<String> {
        GanConfig::from_json(json)
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| e.field)
            .collect()
    };
    // Digits translate to digits (tests/cycle_digits.rs), points to points.
    assert_eq!(
        fields(r#"{"cycle": {"source": "mnist"}}"#),
        ["data.dataset"]
    );
    assert_eq!(
        fields(r#"{"cycle": {"source": "drawn"}}"#),
        ["cycle.source"]
    );
    assert_eq!(
        fields(
            r#"{"cycle": {"source": "spiral"}, "stabilizers": {"packing": 2, "generator_ema": 0.9}}"#
        ),
        ["stabilizers.packing", "stabilizers.generator_ema"]
    );
    assert_eq!(
        fields(r#"{"cycle": {"cycle_weight": -1}}"#),
        ["cycle.cycle_weight"]
    );
    // An ordinary config says nothing of cycles in its JSON, so old files stay as they were.
    assert!(!GanConfig::default().to_json().contains("cycle"));
    let c = config("{}");
    assert_eq!(GanConfig::from_json(&c.to_json()).unwrap(), c);
    let plain = GanConfig::default().iteration_cost().multiply_adds;
    let mut cycle = GanConfig::default();
    cycle.cycle.source = Some(minimax_core::data::Dataset::TwoMoons);
    assert!(
        cycle.iteration_cost().multiply_adds > 2.0 * plain,
        "two games and a round trip"
    );
}
