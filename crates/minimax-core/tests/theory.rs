//! The theory, checked by training: the optimal discriminator D* = p_data / (p_data + p_g) and
//! the value of the game at the optimum, V = −log 4 (Goodfellow et al. 2014, Prop. 1, Thm. 1).
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

use burn::optim::GradientsParams;
use burn::prelude::*;
use minimax_core::config::{NetConfig, ObjectiveConfig, OptimizerConfig};
use minimax_core::objective::{Objective, ObjectiveKind, minimax_value};
use minimax_core::points::model::{Activation, Mlp};
use minimax_core::points::train::{matrix, optimizer};
use minimax_core::rng::Rng;

/// Interleaved points of N(mean, std² I).
fn gaussian(rng: &mut Rng, n: usize, mean: [f64; 2], std: f64) -> Vec<f32> {
    (0..n)
        .flat_map(|_| {
            [
                (mean[0] + std * rng.normal()) as f32,
                (mean[1] + std * rng.normal()) as f32,
            ]
        })
        .collect()
}

/// Trains a fresh D on real ~ p, fake ~ q for `steps` steps; returns it on the inference device.
fn train_d(
    steps: usize,
    p: impl FnMut(&mut Rng) -> Vec<f32>,
    q: impl FnMut(&mut Rng) -> Vec<f32>,
) -> Mlp {
    train_d_with(
        ObjectiveKind::NonSaturating.objective().as_ref(),
        steps,
        p,
        q,
    )
}

fn train_d_with(
    objective: &dyn Objective,
    steps: usize,
    mut p: impl FnMut(&mut Rng) -> Vec<f32>,
    mut q: impl FnMut(&mut Rng) -> Vec<f32>,
) -> Mlp {
    let device = Device::flex().autodiff();
    let net = NetConfig {
        width: 32,
        activation: Activation::Tanh,
        ..NetConfig::default()
    };
    let mut d = Mlp::new(&net, 2, 1, &mut Rng::new(3), &device);
    let mut opt = optimizer(&OptimizerConfig::default());
    let mut rng = Rng::new(11);
    for step in 0..steps {
        // Decay the step size so D settles instead of chasing each batch's noise.
        let lr = if step < steps / 2 { 2e-3 } else { 3e-4 };
        let real = matrix(p(&mut rng), 2, &device);
        let fake = matrix(q(&mut rng), 2, &device);
        let loss = objective.d_loss(d.forward(real), d.forward(fake));
        let grads = GradientsParams::from_grads(loss.backward(), &d);
        d = opt.step(lr, d, grads);
    }
    d.valid()
}

fn d_at(d: &Mlp, points: &[[f32; 2]]) -> Vec<f32> {
    let flat = points.iter().flatten().copied().collect();
    let logits = d.forward(matrix(flat, 2, &Device::flex()));
    burn::tensor::activation::sigmoid(logits)
        .into_data()
        .try_into_vec::<f32>()
        .unwrap()
}

/// With p_g = p_data the best D is 1/2 wherever there is data, and V(D, G) = −log 4.
/// Tolerance: |D − 1/2| < 0.05 within 1.5 std of the mean; |V + log 4| < 0.02 on 8,192 samples.
#[test]
fn equal_distributions_give_d_one_half_and_v_minus_log_4() {
    let data = |rng: &mut Rng| gaussian(rng, 512, [1.0, 1.0], 0.5);
    let d = train_d(1500, data, data);
    let points: Vec<[f32; 2]> = (0..25)
        .map(|i| [0.25 + 0.375 * (i % 5) as f32, 0.25 + 0.375 * (i / 5) as f32])
        .collect();
    for (p, dx) in points.iter().zip(d_at(&d, &points)) {
        assert!((dx - 0.5).abs() < 0.05, "D{p:?} = {dx}");
    }
    let mut rng = Rng::new(99);
    let real = matrix(
        gaussian(&mut rng, 8192, [1.0, 1.0], 0.5),
        2,
        &Device::flex(),
    );
    let fake = matrix(
        gaussian(&mut rng, 8192, [1.0, 1.0], 0.5),
        2,
        &Device::flex(),
    );
    let v = minimax_value(d.forward(real), d.forward(fake))
        .into_data()
        .try_into_vec::<f32>()
        .unwrap()[0];
    assert!(
        (v + 4f32.ln()).abs() < 0.02,
        "V = {v}, −log 4 = {}",
        -4f32.ln()
    );
}

/// p = N((−1, 0), I), q = N((1, 0), I): D*(x) = p / (p + q) = σ(−2x₁). Tolerance 0.05.
#[test]
fn trained_d_approaches_the_optimal_discriminator() {
    let d = train_d(
        1500,
        |rng: &mut Rng| gaussian(rng, 512, [-1.0, 0.0], 1.0),
        |rng: &mut Rng| gaussian(rng, 512, [1.0, 0.0], 1.0),
    );
    let points = [
        [-1.0, 0.0],
        [-0.5, 0.5],
        [0.0, 0.0],
        [0.5, -0.5],
        [1.0, 0.0],
    ];
    for (p, dx) in points.iter().zip(d_at(&d, &points)) {
        let optimal = 1.0 / (1.0 + (2.0 * p[0]).exp());
        assert!((dx - optimal).abs() < 0.05, "D{p:?} = {dx}, D* = {optimal}");
    }
}

/// The same D* through each objective's own reading of D's output: least squares (0, 1, 1)
/// and f-GAN for KL, reverse KL and squared Hellinger have optimal discriminators that
/// imply p/(p + q) = σ(−2x₁) here. Tolerance 0.06.
#[test]
fn every_probabilistic_objective_implies_the_optimal_discriminator() {
    let cases = [
        r#"{"kind": "least_squares", "ls_coding": "zero_one"}"#,
        r#"{"kind": "least_squares", "ls_coding": "minus_one_one"}"#,
        r#"{"kind": "f_gan", "divergence": "kl"}"#,
        r#"{"kind": "f_gan", "divergence": "reverse_kl"}"#,
        r#"{"kind": "f_gan", "divergence": "squared_hellinger"}"#,
        r#"{"kind": "f_gan", "divergence": "jensen_shannon"}"#,
    ];
    for json in cases {
        let config: ObjectiveConfig = serde_json::from_str(json).unwrap();
        let objective = config.objective();
        let d = train_d_with(
            objective.as_ref(),
            1500,
            |rng: &mut Rng| gaussian(rng, 512, [-1.0, 0.0], 1.0),
            |rng: &mut Rng| gaussian(rng, 512, [1.0, 0.0], 1.0),
        );
        let points = [[-0.5f32, 0.5], [0.0, 0.0], [0.5, -0.5]];
        let flat = points.iter().flatten().copied().collect();
        let out = d.forward(matrix(flat, 2, &Device::flex()));
        let implied = burn::tensor::activation::sigmoid(objective.implied_logit(out).unwrap())
            .into_data()
            .try_into_vec::<f32>()
            .unwrap();
        for (p, dx) in points.iter().zip(implied) {
            let optimal = 1.0 / (1.0 + (2.0 * p[0]).exp());
            assert!(
                (dx - optimal).abs() < 0.06,
                "{json}: D{p:?} = {dx}, D* = {optimal}"
            );
        }
    }
}
