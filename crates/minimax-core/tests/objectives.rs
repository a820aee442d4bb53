//! Each objective against values computed by hand: softplus(x) = ln(1 + eˣ);
//! real logits (0, 2) and fake logits (−1, 3):
//! sp(0) = 0.693147, sp(−2) = 0.126928, sp(−1) = 0.313262, sp(3) = 3.048587,
//! sp(1) = 1.313262, sp(−3) = 0.048587.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

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

fn losses(json: &str) -> (f32, f32) {
    let config: minimax_core::config::ObjectiveConfig = serde_json::from_str(json).unwrap();
    let o = config.objective();
    (
        scalar(o.d_loss(logits(&REAL), logits(&FAKE))),
        scalar(o.g_loss(logits(&FAKE))),
    )
}

#[test]
fn least_squares_hinge_and_wasserstein_losses() {
    // LSGAN (0,1,1): ½·mean((r−1)²) + ½·mean(f²) = 0.5 + 2.5; G ½·mean((f−1)²) = 2.
    let (d, g) = losses(r#"{"kind": "least_squares", "ls_coding": "zero_one"}"#);
    close(d, 3.0);
    close(g, 2.0);
    // LSGAN (−1,1,0): 0.5 + ½·mean((f+1)²) = 4.5; G ½·mean(f²) = 2.5.
    let (d, g) = losses(r#"{"kind": "least_squares", "ls_coding": "minus_one_one"}"#);
    close(d, 4.5);
    close(g, 2.5);
    // Hinge: mean(relu(1 − r)) + mean(relu(1 + f)) = 0.5 + 2; G −mean(f) = −1.
    let (d, g) = losses(r#"{"kind": "hinge"}"#);
    close(d, 2.5);
    close(g, -1.0);
    // Critic: mean(f) − mean(r) = 1 − 1; G −mean(f).
    for kind in ["wgan", "wgan_gp"] {
        let (d, g) = losses(&format!(r#"{{"kind": "{kind}"}}"#));
        close(d, 0.0);
        close(g, -1.0);
    }
}

#[test]
fn f_gan_losses_by_hand() {
    // D: E_Q[f*(g_f(v))] − E_P[g_f(v)]; G: −E_Q[g_f(v)]. e^±k and softplus values by hand.
    let cases = [
        ("kl", 3.762_196 - 1.0, -1.0),
        ("reverse_kl", 0.567_668, 1.384_034),
        ("pearson", 1.25, -1.0),
        ("squared_hellinger", 8.794_376, 0.384_034),
        ("jensen_shannon", 0.704_668, -0.012_222_5),
        ("gan", BCE, 0.680_924_5),
    ];
    for (divergence, d_expected, g_expected) in cases {
        let (d, g) = losses(&format!(
            r#"{{"kind": "f_gan", "divergence": "{divergence}"}}"#
        ));
        assert!(
            (d - d_expected).abs() < 2e-5,
            "{divergence}: D {d} != {d_expected}"
        );
        assert!(
            (g - g_expected).abs() < 2e-5,
            "{divergence}: G {g} != {g_expected}"
        );
    }
}

#[test]
fn every_conjugate_is_the_supremum_of_ut_minus_f() {
    use minimax_core::objective::Divergence;
    // sup over u > 0 of the concave u·t − f(u), by ternary search on a log scale.
    let sup = |d: Divergence, t: f64| {
        let h = |s: f64| s.exp() * t - d.f(s.exp());
        let (mut lo, mut hi) = (-20f64, 10f64);
        for _ in 0..300 {
            let (a, b) = (lo + (hi - lo) / 3.0, hi - (hi - lo) / 3.0);
            if h(a) < h(b) { lo = a } else { hi = b }
        }
        h(0.5 * (lo + hi))
    };
    let ts: [(Divergence, &[f64]); 6] = [
        (Divergence::Kl, &[-1.0, 0.0, 0.5, 1.5]),
        (Divergence::ReverseKl, &[-3.0, -1.0, -0.2]),
        (Divergence::Pearson, &[-1.0, 0.0, 1.0, 3.0]),
        (Divergence::SquaredHellinger, &[-2.0, 0.0, 0.5, 0.8]),
        (Divergence::JensenShannon, &[-2.0, 0.0, 0.5]),
        (Divergence::Gan, &[-3.0, -1.0, -0.2]),
    ];
    for (d, ts) in ts {
        for &t in ts {
            let (numeric, closed) = (sup(d, t), d.conjugate(t));
            assert!(
                (numeric - closed).abs() < 1e-6,
                "{d:?} f*({t}): {numeric} vs {closed}"
            );
        }
        // The simplified tensor form of f*(g_f(v)) agrees with the table's f* after g_f.
        for v in [-2.0f32, -0.5, 0.0, 0.7, 1.5] {
            let tensor = d.conjugate_of_activation(logits(&[v]));
            let expected = d.conjugate(d.activation(f64::from(v)));
            let got = f64::from(tensor.into_data().try_into_vec::<f32>().unwrap()[0]);
            assert!(
                (got - expected).abs() < 1e-4 * (1.0 + expected.abs()),
                "{d:?} v={v}"
            );
            let g = d.activation_tensor(logits(&[v]));
            let g = f64::from(g.into_data().try_into_vec::<f32>().unwrap()[0]);
            assert!(
                (g - d.activation(f64::from(v))).abs() < 1e-5,
                "{d:?} g_f({v})"
            );
        }
    }
}
