//! Each objective against values computed by hand: softplus(x) = ln(1 + eˣ);
//! real logits (0, 2) and fake logits (−1, 3):
//! sp(0) = 0.693147, sp(−2) = 0.126928, sp(−1) = 0.313262, sp(3) = 3.048587,
//! sp(1) = 1.313262, sp(−3) = 0.048587.

use burn::prelude::*;
use minimax_core::objective::{ObjectiveKind, minimax_value, softplus};

fn logits(values: &[f32]) -> Tensor<2> {
    Tensor::from_data(
        TensorData::new(values.to_vec(), [values.len(), 1]),
        &Device::flex(),
    )
}

fn scalar(t: Tensor<1>) -> f32 {
    t.into_data().try_into_vec::<f32>().unwrap()[0]
}

const REAL: [f32; 2] = [0.0, 2.0];
const FAKE: [f32; 2] = [-1.0, 3.0];
/// (sp(0) + sp(−2)) / 2 + (sp(−1) + sp(3)) / 2.
const BCE: f32 = 0.410_037_5 + 1.680_924_5;

fn close(a: f32, b: f32) {
    assert!((a - b).abs() < 1e-5, "{a} != {b}");
}

#[test]
fn value_of_the_game_and_its_optimum() {
    close(scalar(minimax_value(logits(&REAL), logits(&FAKE))), -BCE);
    // D = 1/2 everywhere (logit 0): V = 2·log(1/2) = −log 4.
    close(
        scalar(minimax_value(logits(&[0.0; 4]), logits(&[0.0; 4]))),
        -(4.0f32).ln(),
    );
}

#[test]
fn minimax_losses() {
    let objective = ObjectiveKind::Minimax.objective();
    close(scalar(objective.d_loss(logits(&REAL), logits(&FAKE))), BCE);
    // G minimises E[log(1 − D(G(z)))] = −(sp(−1) + sp(3)) / 2.
    close(scalar(objective.g_loss(logits(&FAKE))), -1.680_924_5);
}

#[test]
fn non_saturating_losses() {
    let objective = ObjectiveKind::NonSaturating.objective();
    close(scalar(objective.d_loss(logits(&REAL), logits(&FAKE))), BCE);
    // G minimises −E[log D(G(z))] = (sp(1) + sp(−3)) / 2.
    close(scalar(objective.g_loss(logits(&FAKE))), 0.680_924_5);
}

#[test]
fn softplus_is_stable_for_extreme_logits() {
    let out = softplus(logits(&[-100.0, 100.0, 0.0]))
        .into_data()
        .try_into_vec::<f32>()
        .unwrap();
    assert!(out.iter().all(|v| v.is_finite()), "{out:?}");
    close(out[0], 0.0);
    close(out[1], 100.0);
    close(out[2], std::f32::consts::LN_2);
    for kind in ObjectiveKind::ALL {
        let o = kind.objective();
        let d = scalar(o.d_loss(logits(&[100.0, -100.0]), logits(&[-100.0, 100.0])));
        let g = scalar(o.g_loss(logits(&[-100.0, 100.0])));
        assert!(d.is_finite() && g.is_finite(), "{kind:?}: {d} {g}");
    }
}

#[test]
fn saturating_gradient_vanishes_when_d_rejects_fakes() {
    // d/dl of G's loss at a confidently rejected fake (l = −10): minimax ≈ −σ(−10)... ≈ 0,
    // non-saturating ≈ −1. The reason the non-saturating loss exists.
    let grad = |kind: ObjectiveKind| {
        let l = logits(&[-10.0]).autodiff().require_grad();
        let grads = kind.objective().g_loss(l.clone()).backward();
        l.grad(&grads)
            .unwrap()
            .into_data()
            .try_into_vec::<f32>()
            .unwrap()[0]
    };
    assert!(grad(ObjectiveKind::Minimax).abs() < 1e-4);
    assert!((grad(ObjectiveKind::NonSaturating) + 1.0).abs() < 1e-3);
}
