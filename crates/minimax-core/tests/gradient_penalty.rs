//! The input gradient behind WGAN-GP and R1: Burn 0.22's autodiff is first-order only, so
//! ∇ₓD is written out with tensor operations; here it is checked against finite differences,
//! and its dependence on the weights (what the penalty trains) against autodiff.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use burn::optim::GradientsParams;
use burn::prelude::*;
use common::floats;
use minimax_core::config::GanConfig;
use minimax_core::points::model::Discriminator;
use minimax_core::points::train::matrix;
use minimax_core::rng::Rng;

fn critic(json: &str) -> Discriminator {
    let config = GanConfig::from_json(json).unwrap();
    Discriminator::new(&config, &mut Rng::new(3), &Device::flex().autodiff())
}

#[test]
fn input_gradient_matches_finite_differences() {
    let cases = [
        r#"{"discriminator": {"activation": "tanh"}}"#,
        r#"{"discriminator": {"activation": "leaky_relu"}}"#,
        r#"{"discriminator": {"activation": "relu"}, "stabilizers": {"packing": 2}}"#,
        r#"{"discriminator": {"activation": "tanh"}, "stabilizers": {"spectral_norm": true}}"#,
    ];
    for json in cases {
        let d = critic(json);
        let width = 2 * d.packing;
        let device = Device::flex().autodiff();
        let mut rng = Rng::new(11);
        let x: Vec<f32> = (0..4 * width).map(|_| rng.normal() as f32).collect();
        let analytic = floats(d.input_gradient(matrix(x.clone(), width, &device)));
        // Small enough not to cross a ReLU kink, large enough for f32 round-off.
        let h = 1e-3f32;
        for i in 0..x.len() {
            let at = |delta: f32| {
                let mut y = x.clone();
                y[i] += delta;
                floats(d.forward(matrix(y, width, &device)))[i / width] as f64
            };
            let numeric = (at(h) - at(-h)) / (2.0 * f64::from(h));
            let a = f64::from(analytic[i]);
            assert!(
                (a - numeric).abs() < 2e-3 + 2e-2 * numeric.abs(),
                "{json}: ∂D/∂x[{i}] = {a} vs finite difference {numeric}"
            );
        }
    }
}

#[test]
fn input_gradient_holds_the_batch_where_d_sees_it() {
    // Minibatch std and discrimination: a row moves, its batch's context stays where it was.
    let cases = [
        r#"{"discriminator": {"activation": "tanh"}, "stabilizers": {"minibatch_discrimination": 4}}"#,
        r#"{"discriminator": {"activation": "tanh"},
            "stabilizers": {"minibatch_discrimination": 3, "packing": 2, "minibatch_std": true}}"#,
        r#"{"discriminator": {"activation": "leaky_relu"},
            "stabilizers": {"minibatch_discrimination": 3, "packing": 2}}"#,
        r#"{"discriminator": {"activation": "tanh"},
            "stabilizers": {"minibatch_discrimination": 3, "packing": 1, "minibatch_std": true}}"#,
    ];
    for json in cases {
        let d = critic(json);
        let width = 2 * d.packing;
        let device = Device::flex().autodiff();
        let mut rng = Rng::new(12);
        let x: Vec<f32> = (0..6 * width).map(|_| rng.normal() as f32).collect();
        let context = d.context(matrix(x.clone(), width, &device)).detach();
        let analytic = floats(d.input_gradient(matrix(x.clone(), width, &device)));
        let h = 1e-3f32;
        for i in 0..x.len() {
            let at = |delta: f32| {
                let mut y = x.clone();
                y[i] += delta;
                floats(d.forward_in(matrix(y, width, &device), &context))[i / width] as f64
            };
            let numeric = (at(h) - at(-h)) / (2.0 * f64::from(h));
            let a = f64::from(analytic[i]);
            assert!(
                (a - numeric).abs() < 2e-3 + 2e-2 * numeric.abs(),
                "{json}: ∂D/∂x[{i}] = {a} vs finite difference {numeric}"
            );
        }
        // The closeness term is part of it: without the kernels' share the check would fail.
        assert!(
            analytic.iter().any(|g| g.abs() > 1e-4),
            "{json}: a zero gradient"
        );
    }
}

#[test]
fn autodiff_is_first_order_so_the_penalty_is_built_by_hand() {
    let device = Device::flex().autodiff();
    // y = w·x²; dy/dx = 2wx. If `grad` were tracked, d(dy/dx)/dw = 2x would come back.
    let w = matrix(vec![3.0], 1, &device).require_grad();
    let x = matrix(vec![2.0], 1, &device).require_grad();
    let y = (w.clone() * x.clone().powi_scalar(2)).sum();
    let dy_dx = x.grad(&y.backward()).unwrap();
    assert_eq!(floats(dy_dx.clone()), [12.0]);
    assert!(
        !dy_dx.is_autodiff(),
        "Burn returns gradients outside the graph"
    );
}

#[test]
fn the_penalty_trains_the_weights() {
    // ‖∇ₓD‖² summed: its gradient with respect to the weights exists and is not zero.
    let d = critic(r#"{"discriminator": {"activation": "tanh"}}"#);
    let device = Device::flex().autodiff();
    let x = matrix(vec![0.3, -0.7, 1.1, 0.2], 2, &device);
    let penalty = d.input_gradient(x).powi_scalar(2).sum();
    let grads = GradientsParams::from_grads(penalty.backward(), &d);
    // Every weight matrix and bias of the 3 layers (the output bias does not affect ∇ₓD).
    assert!(grads.len() >= 5, "{} parameters got gradients", grads.len());
}
