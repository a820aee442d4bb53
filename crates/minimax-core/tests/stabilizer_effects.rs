//! Each stabilizer does what it claims, measured on D after the same D-only training with and
//! without it (same seed, same batches): a stabilizer that did nothing would fail its test. The
//! other tests only check that the runs stay finite.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use burn::prelude::*;
use burn::tensor::activation::sigmoid;
use common::{floats, module_floats};
use minimax_core::config::GanConfig;
use minimax_core::points::train::{StepMode, Trainer, matrix};
use minimax_core::rng::Rng;
use minimax_core::run::GanRun;

const D_STEPS: usize = 300;

/// A run whose D has trained `D_STEPS` updates (G fixed at its initial, far-off samples) with
/// the stabilizers `patch` sets.
fn trained_d(patch: &str) -> Trainer {
    let json = format!(
        r#"{{"train": {{"batch_size": 64}}, "optimizer_d": {{"kind": "adam", "lr": 0.003}},
            "stabilizers": {patch}}}"#
    );
    let mut t = Trainer::new(GanConfig::from_json(&json).unwrap(), &Device::flex());
    t.train_until(D_STEPS, StepMode::Discriminator, &mut || false);
    t
}

fn mean(v: &[f32]) -> f32 {
    v.iter().sum::<f32>() / v.len() as f32
}

/// 512 real points of the run's data, `[512, 2]`, from a fixed seed.
fn real_points(t: &Trainer) -> Tensor<2> {
    let points = t.config().data.sample(&mut Rng::new(7), 512);
    matrix(points, 2, t.device())
}

/// Mean D(x) (the probability) on real points.
fn mean_d_on_real(t: &Trainer) -> f32 {
    mean(&floats(sigmoid(t.models().1.forward(real_points(t)))))
}

#[test]
fn label_smoothing_keeps_d_from_certainty_on_real_data() {
    let plain = mean_d_on_real(&trained_d("{}"));
    let smoothed = mean_d_on_real(&trained_d(r#"{"label_smoothing": 0.2}"#));
    // The optimum of the smoothed loss on well-separated real data is D = 1 − s = 0.8.
    assert!(plain > 0.9, "without smoothing D(real) → 1: {plain}");
    assert!(
        (smoothed - 0.8).abs() < 0.06,
        "with s = 0.2, D(real) → 0.8: {smoothed}"
    );
}

#[test]
fn instance_noise_blurs_what_d_can_tell_apart() {
    let margin = |t: &Trainer| {
        let real = mean(&floats(sigmoid(t.models().1.forward(real_points(t)))));
        let fake = mean(&floats(sigmoid(
            t.models().1.forward(t.clone().samples(512)),
        )));
        real - fake
    };
    let plain = margin(&trained_d("{}"));
    let noisy = margin(&trained_d(r#"{"instance_noise": 1.5}"#));
    assert!(
        noisy < plain - 0.2,
        "noise σ = 1.5 should shrink D's margin: {noisy} vs {plain}"
    );
}

#[test]
fn r1_flattens_d_on_real_data() {
    let slope = |t: &Trainer| {
        let g = floats(t.models().1.input_gradient(real_points(t)));
        mean(&g.chunks(2).map(|p| p[0].hypot(p[1])).collect::<Vec<_>>())
    };
    let plain = slope(&trained_d("{}"));
    let penalised = slope(&trained_d(r#"{"gradient_penalty": 10.0}"#));
    assert!(
        penalised < 0.5 * plain,
        "R1 γ = 10: ‖∇D(x)‖ {penalised} vs {plain} without"
    );
}

#[test]
fn spectral_norm_keeps_d_one_lipschitz() {
    // Largest |D(x) − D(y)| / ‖x − y‖ over pairs of grid points (logits; LeakyReLU/ReLU are
    // 1-Lipschitz, so with every weight matrix divided by its top singular value the bound is 1).
    let lipschitz = |t: &Trainer| {
        let n = 24;
        let points: Vec<f32> = (0..n * n)
            .flat_map(|i| [(i % n) as f32 * 0.25 - 3.0, (i / n) as f32 * 0.25 - 3.0])
            .collect();
        let out = floats(t.models().1.forward(matrix(points.clone(), 2, t.device())));
        let mut worst = 0f32;
        for a in 0..n * n {
            for b in [a + 1, a + n] {
                if b < n * n {
                    let d = (points[2 * a] - points[2 * b])
                        .hypot(points[2 * a + 1] - points[2 * b + 1]);
                    worst = worst.max((out[a] - out[b]).abs() / d);
                }
            }
        }
        worst
    };
    let plain = lipschitz(&trained_d("{}"));
    let normalised = lipschitz(&trained_d(r#"{"spectral_norm": true}"#));
    assert!(normalised <= 1.01, "with spectral norm: {normalised}");
    assert!(
        plain > 1.5,
        "without it D is steeper after training: {plain}"
    );
}

#[test]
fn minibatch_std_makes_d_judge_a_point_by_its_batch() {
    let t = trained_d(r#"{"minibatch_std": true}"#);
    let plain = trained_d("{}");
    let judge = |t: &Trainer, spread: f32| {
        // The same first point in a tight batch and in a spread-out one.
        let mut points = vec![0.5f32, 0.5];
        for i in 1..64 {
            points.extend([
                0.5 + spread * (i as f32).sin(),
                0.5 + spread * (i as f32).cos(),
            ]);
        }
        floats(t.models().1.forward(matrix(points, 2, t.device())))[0]
    };
    assert_ne!(
        judge(&t, 0.01),
        judge(&t, 2.0),
        "with minibatch std the batch matters"
    );
    assert_eq!(
        judge(&plain, 0.01),
        judge(&plain, 2.0),
        "without it a point is judged alone"
    );
}

#[test]
fn minibatch_discrimination_catches_a_batch_piled_on_one_mode() {
    // D learned that G's initial samples (one tight blob) are fake and the ring's eight modes
    // real. A point on a real mode, judged among real points and among 63 near-copies of
    // itself: alone it looks real either way; with minibatch discrimination its batch gives
    // it away.
    let verdicts = |t: &Trainer| {
        let real = t.config().data.sample(&mut Rng::new(7), 64);
        let mut collapsed = real[..2].to_vec();
        for i in 1..64 {
            let wobble = 0.01 * i as f32;
            collapsed.extend([real[0] + 0.02 * wobble.sin(), real[1] + 0.02 * wobble.cos()]);
        }
        let judge = |points: Vec<f32>| {
            floats(sigmoid(t.models().1.forward(matrix(points, 2, t.device()))))[0]
        };
        (judge(real), judge(collapsed))
    };
    let (among_real, among_copies) = verdicts(&trained_d(r#"{"minibatch_discrimination": 8}"#));
    assert!(
        among_real > 0.5 && among_copies < among_real - 0.3,
        "with minibatch discrimination: D = {among_real} among real points, {among_copies} \
         among copies of itself"
    );
    let (plain_real, plain_copies) = verdicts(&trained_d("{}"));
    assert_eq!(
        plain_real, plain_copies,
        "without it a point is judged alone"
    );
}

#[test]
fn packing_feeds_d_m_points_per_row() {
    for m in [1usize, 4] {
        let t = trained_d(&format!(r#"{{"packing": {m}}}"#));
        let d = &t.models().1;
        assert_eq!(d.packing, m);
        // 16 rows of m points each, [16, 2m]: moving any one coordinate of any packed point
        // changes D's verdict on its row (D reads every point it is fed, end to end).
        let x: Vec<f32> = (0..16 * 2 * m).map(|i| (i as f32 * 0.37).sin()).collect();
        let judged = floats(d.forward(matrix(x.clone(), 2 * m, t.device())));
        assert_eq!(judged.len(), 16, "one verdict per row of {m} points");
        for column in 0..2 * m {
            let mut moved = x.clone();
            for row in 0..16 {
                moved[row * 2 * m + column] += 0.5;
            }
            let rejudged = floats(d.forward(matrix(moved, 2 * m, t.device())));
            let change: f32 = judged
                .iter()
                .zip(&rejudged)
                .map(|(a, b)| (a - b).abs())
                .sum();
            assert!(
                change > 1e-4,
                "m = {m}: D ignores input column {column} ({change})"
            );
        }
    }
}

#[test]
fn generator_averaging_blends_by_beta() {
    let beta = 0.9;
    let json =
        format!(r#"{{"train": {{"batch_size": 32}}, "stabilizers": {{"generator_ema": {beta}}}}}"#);
    let mut t = Trainer::new(GanConfig::from_json(&json).unwrap(), &Device::flex());
    t.train(3);
    let average = module_floats(&t.shown_generator());
    t.train_until(1, StepMode::Generator, &mut || false);
    let current = module_floats(t.models().0);
    let next = module_floats(&t.shown_generator());
    assert_eq!(next.len(), current.len());
    let mut moved = 0.0f32;
    for ((a, c), n) in average.iter().zip(&current).zip(&next) {
        let expected = beta as f32 * a + (1.0 - beta as f32) * c;
        assert!(
            (n - expected).abs() <= 1e-6 * (1.0 + expected.abs()),
            "θ̄ ← βθ̄ + (1−β)θ: {n} vs {expected}"
        );
        moved += (n - a).abs();
    }
    assert!(moved > 0.0, "the average moved toward G");
    // Without averaging, the G shown is G itself.
    let mut plain = Trainer::new(
        GanConfig::from_json(r#"{"train": {"batch_size": 32}}"#).unwrap(),
        &Device::flex(),
    );
    plain.train(3);
    assert_eq!(
        module_floats(&plain.shown_generator()),
        module_floats(plain.models().0)
    );
}
