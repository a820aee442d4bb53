//! The image GAN on real MNIST: D learns real vs generated, the classifier's scores mean what they
//! say, checkpoints resume bit-exactly and bad files are refused. Reads `assets/mnist.bin` (built
//! by scripts/setup.sh) and the shipped `assets/classifier.bpk`.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use common::floats;
use std::sync::Arc;

use burn::prelude::*;
use minimax_core::checkpoint::Checkpoint;
use minimax_core::config::GanConfig;
use minimax_core::image::classifier::Classifier;
use minimax_core::image::mnist::{Mnist, SIDE, Split};
use minimax_core::image::quality::classifier_score;
use minimax_core::image::train::ImageTrainer;
use minimax_core::points::train::{LOSS_STRIDE, StepMode};
use minimax_core::presets::preset;
use minimax_core::run::GanRun;

fn asset(name: &str) -> Vec<u8> {
    let path = format!("{}/../../assets/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (run scripts/setup.sh)"))
}

fn mnist() -> Mnist {
    Mnist::from_bytes(&asset("mnist.bin")).unwrap()
}

/// A small DCGAN so the tests stay fast.
fn small(patch: &str) -> GanConfig {
    let mut value = serde_json::to_value(preset("dcgan_mnist").unwrap().config).unwrap();
    let patch: serde_json::Value = serde_json::from_str(patch).unwrap();
    minimax_core::presets::merge(&mut value, &patch);
    GanConfig::from_json(&value.to_string()).unwrap()
}

#[test]
fn the_asset_holds_ten_thousand_balanced_digits() {
    let set = mnist();
    assert_eq!(set.len(), 10_000);
    let held = set.split(Split::HeldOut);
    assert_eq!(held.len(), 1000);
    for class in 0..10u8 {
        let n = held.labels().iter().filter(|&&l| l == class).count();
        assert!(
            (80..=120).contains(&n),
            "class {class}: {n} held-out digits"
        );
    }
}

#[test]
fn discriminator_steps_separate_real_digits_from_generated_ones() {
    let data = Arc::new(mnist().split(Split::Train));
    let config = small(
        r#"{"generator": {"width": 8}, "discriminator": {"width": 8}, "train": {"batch_size": 32},
            "optimizer_d": {"lr": 2e-3}}"#,
    );
    let mut run = ImageTrainer::new(config, data, &Device::flex());
    let losses = floats(run.train_until(30, StepMode::Discriminator, &mut || false));
    let d_loss = |i: usize| losses[i * LOSS_STRIDE];
    let first = (d_loss(0) + d_loss(1)) / 2.0;
    let last = (d_loss(28) + d_loss(29)) / 2.0;
    assert!(first > 1.2, "starts near 2·log 2: {first}");
    assert!(
        last < 0.5 * first,
        "D learns real vs G(z): {first} → {last}"
    );
}

#[test]
fn every_objective_trains_digits_with_finite_losses() {
    let data = Arc::new(mnist().split(Split::Train));
    for kind in [
        "non_saturating",
        "least_squares",
        "hinge",
        "wgan",
        "wgan_gp",
        "f_gan",
    ] {
        let config = small(&format!(
            r#"{{"objective": {{"kind": "{kind}"}}, "generator": {{"width": 4}},
                "discriminator": {{"width": 4}}, "train": {{"batch_size": 8}},
                "data": {{"conditional": true}}, "stabilizers": {{"minibatch_std": true,
                "gradient_penalty": 1.0, "label_smoothing": 0.1, "instance_noise": 0.1}}}}"#
        ));
        let mut run = ImageTrainer::new(config, data.clone(), &Device::flex());
        let losses = floats(run.train_until(2, StepMode::Both, &mut || false));
        assert!(losses.iter().all(|v| v.is_finite()), "{kind}: {losses:?}");
        let grid = run.grid_samples(Some(7));
        assert_eq!(grid.dims(), [64, 1, SIDE, SIDE]);
        // StyleGAN-lite (unconditional) under the same objective and stabilizers.
        let mut style = small_style();
        style.objective = run.config().objective.clone();
        style.stabilizers = run.config().stabilizers.clone();
        let mut run = ImageTrainer::new(style, data.clone(), &Device::flex());
        let losses = floats(run.train_until(2, StepMode::Both, &mut || false));
        assert!(
            losses.iter().all(|v| v.is_finite()),
            "stylegan {kind}: {losses:?}"
        );
    }
}

#[test]
fn classifier_scores_real_digits_near_ten_and_a_constant_image_near_one() {
    let device = Device::flex();
    let classifier = Classifier::from_bytes(&asset("classifier.bpk"), &device).unwrap();
    let held = mnist().split(Split::HeldOut);
    assert!(classifier.accuracy(&held, &device) > 0.95);
    let all: Vec<usize> = (0..held.len()).collect();
    let (probs, _) = classifier.judge(held.images(&all, &device));
    let real = classifier_score(&floats(probs));
    assert!(real > 9.0, "real held-out digits: {real}");
    let constant = Tensor::<4>::zeros([200, 1, SIDE, SIDE], &device);
    let (probs, _) = classifier.judge(constant);
    let one = classifier_score(&floats(probs));
    assert!((1.0..1.05).contains(&one), "one constant image: {one}");
    assert!(Classifier::from_bytes(&asset("mnist.bin"), &device).is_err());
}

/// A small StyleGAN-lite (its preset with narrow networks).
fn small_style() -> GanConfig {
    small_style_of(false)
}

/// A small StyleGAN-lite, class-conditional or not.
fn small_style_of(conditional: bool) -> GanConfig {
    let mut value = serde_json::to_value(preset("stylegan_mnist").unwrap().config).unwrap();
    let patch = serde_json::json!({"generator": {"width": 6, "hidden_layers": 2}, "discriminator": {"width": 6}, "train": {"batch_size": 16}, "data": {"conditional": conditional}});
    minimax_core::presets::merge(&mut value, &patch);
    GanConfig::from_json(&value.to_string()).unwrap()
}

#[test]
fn a_checkpoint_resumes_bit_exactly() {
    let dcgan = small(
        r#"{"generator": {"width": 6}, "discriminator": {"width": 6}, "train": {"batch_size": 16}}"#,
    );
    for config in [dcgan, small_style(), small_style_of(true)] {
        resumes_bit_exactly(config);
    }
}

fn resumes_bit_exactly(config: GanConfig) {
    let data = Arc::new(mnist().split(Split::Train));
    let device = Device::flex();
    let mut run = ImageTrainer::new(config, data.clone(), &device);
    let history = floats(run.train_until(3, StepMode::Both, &mut || false));
    let bytes = run.checkpoint(history.clone()).encode();
    let checkpoint = Checkpoint::decode(&bytes).unwrap();
    assert_eq!(checkpoint.history, history);
    let mut resumed =
        ImageTrainer::from_checkpoint(&checkpoint, data.clone(), &device, true).unwrap();
    assert_eq!(resumed.step(), 3);
    let grid = |r: &ImageTrainer| {
        floats(r.grid_samples(None))
            .iter()
            .map(|v| v.to_bits())
            .collect::<Vec<_>>()
    };
    assert!(
        grid(&run) == grid(&resumed),
        "same digits right after loading"
    );
    let a = floats(run.train_until(3, StepMode::Both, &mut || false));
    let b = floats(resumed.train_until(3, StepMode::Both, &mut || false));
    assert_eq!(
        a.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        b.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        "same losses, bit for bit"
    );
    assert!(
        grid(&run) == grid(&resumed),
        "same digits after training on"
    );

    // A checkpoint whose parts do not fit its configuration is refused.
    let mut wrong = checkpoint.clone();
    wrong.config.generator.width = 5;
    let err = ImageTrainer::from_checkpoint(&wrong, data.clone(), &device, true)
        .err()
        .unwrap();
    assert!(err.contains("part \"generator\" does not fit"), "{err}");
    // A StyleGAN checkpoint is not a DCGAN one, and the other way round.
    let mut other = checkpoint.clone();
    other.config = if run.is_style() {
        small(r#"{"generator": {"width": 6}, "discriminator": {"width": 6}}"#)
    } else {
        small_style()
    };
    let err = ImageTrainer::from_checkpoint(&other, data.clone(), &device, true)
        .err()
        .unwrap();
    assert!(err.contains("does not fit"), "{err}");
    // A 2-D run's configuration is not an image run.
    let mut points = checkpoint;
    points.config = GanConfig::default();
    let err = ImageTrainer::from_checkpoint(&points, data, &device, true)
        .err()
        .unwrap();
    assert!(err.contains("not an image GAN"), "{err}");
}

/// Issue 24's targets for the shipped generators, on the 1,000 fixed evaluation digits (what
/// `minimax eval --checkpoint assets/F --n 1000` reports): classifier score ≥ 9.0, Fréchet
/// distance ≤ 12, every class 7–13 % of the digits, and a file ≤ 2 MB. Both are class-conditional
/// with an averaged G (what `--models-only` saves).
#[test]
fn the_shipped_pretrained_generators_meet_the_targets() {
    use minimax_core::image::quality::{FeatureStats, quality};
    let device = Device::flex();
    let set = mnist();
    let classifier = Classifier::from_bytes(&asset("classifier.bpk"), &device).unwrap();
    let held = set.split(Split::HeldOut);
    let all: Vec<usize> = (0..held.len()).collect();
    let (_, real) = classifier.judge(held.images(&all, &device));
    let real = FeatureStats::of(&floats(real), 84);
    let train = Arc::new(set.split(Split::Train));
    for (file, style) in [("dcgan-mnist.ckpt", false), ("stylegan-mnist.ckpt", true)] {
        let checkpoint = Checkpoint::decode(&asset(file)).unwrap();
        let run = ImageTrainer::from_checkpoint(&checkpoint, train.clone(), &device, true).unwrap();
        assert_eq!(run.is_style(), style, "{file}");
        let (probs, features) = classifier.judge(run.eval_samples(1000));
        let q = quality(&floats(probs), &floats(features), Some(&real));
        assert_eq!(q.classes_covered, 10, "{file}: {q:?}");
        assert!(q.classifier_score >= 9.0, "{file}: {q:?}");
        assert!(q.frechet_distance.unwrap() <= 12.0, "{file}: {q:?}");
        assert!(
            q.class_histogram.iter().all(|&n| (70..=130).contains(&n)),
            "{file}: every class 7-13 %: {q:?}"
        );
        assert!(
            asset(file).len() <= 2_000_000,
            "{file}: small enough to ship"
        );
    }
}

/// Style mixing, truncation and w-space interpolation read the right w: a cell with no slot
/// from B is A's digit, one with every slot from B is B's, and ψ = 0 draws one digit everywhere
/// (a conditional G: one per class). Unconditional and class-conditional G alike.
#[test]
fn stylegan_views_use_the_right_styles() {
    for conditional in [false, true] {
        stylegan_views_of(conditional);
    }
}

fn stylegan_views_of(conditional: bool) {
    let data = Arc::new(mnist().split(Split::Train));
    let device = Device::flex();
    let mut run = ImageTrainer::new(small_style_of(conditional), data, &device);
    assert!(run.is_style());
    run.train_until(2, StepMode::Both, &mut || false);
    let digit = |images: &[f32], i: usize| images[i * SIDE * SIDE..(i + 1) * SIDE * SIDE].to_vec();
    let close = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5);
    let (rows, cols) = ([3, 9], [5, 20, 40]);
    for (slots, source) in [
        ([false; 3], "a"),
        ([true; 3], "b"),
        ([false, false, true], "mixed"),
    ] {
        let images = floats(run.style_mix(&rows, &cols, slots, None).unwrap());
        assert_eq!(images.len(), (2 + 3 + 6) * SIDE * SIDE);
        for (r, _) in rows.iter().enumerate() {
            for (c, _) in cols.iter().enumerate() {
                let cell = digit(&images, 5 + r * 3 + c);
                let (a, b) = (digit(&images, r), digit(&images, 2 + c));
                match source {
                    "a" => assert!(close(&cell, &a), "no slot from B gives A"),
                    "b" => assert!(close(&cell, &b), "every slot from B gives B"),
                    _ => assert!(
                        !close(&cell, &a) && !close(&cell, &b),
                        "fine styles from B: neither"
                    ),
                }
            }
        }
    }
    // w-space interpolation runs from a's digit to b's.
    let path = floats(run.interpolate_w(3, 9, 5, None).unwrap());
    let grid = floats(run.grid_samples(None));
    assert!(close(&digit(&path, 0), &digit(&grid, 3)) && close(&digit(&path, 4), &digit(&grid, 9)));
    // ψ = 0: every w is w_avg, so every digit is the same; a conditional G pulls each digit
    // to its class's average (the grid draws sample i as class i mod 10).
    run.set_truncation(0.0).unwrap();
    let grid = floats(run.grid_samples(None));
    assert!(close(&digit(&grid, 0), &digit(&grid, 60)));
    assert_eq!(close(&digit(&grid, 0), &digit(&grid, 63)), !conditional);
    let path = floats(run.interpolate_w(3, 9, 5, None).unwrap());
    assert!(close(&digit(&path, 0), &digit(&grid, 3)) && close(&digit(&path, 4), &digit(&grid, 9)));
    if conditional {
        // A digit picked: mixing and w interpolation draw it, as the grid does.
        let sevens = floats(run.grid_samples(Some(7)));
        let mix = floats(run.style_mix(&rows, &cols, [false; 3], Some(7)).unwrap());
        assert!(
            close(&digit(&mix, 0), &digit(&sevens, 3))
                && close(&digit(&mix, 2), &digit(&sevens, 5))
        );
        let path = floats(run.interpolate_w(3, 9, 5, Some(7)).unwrap());
        assert!(
            close(&digit(&path, 0), &digit(&sevens, 3))
                && close(&digit(&path, 4), &digit(&sevens, 9))
        );
    }
    assert!(run.set_truncation(2.0).is_err());
    // DCGAN has none of this.
    let dcgan = ImageTrainer::new(
        small(r#"{"generator": {"width": 6}, "discriminator": {"width": 6}}"#),
        run.data().clone(),
        &device,
    );
    assert!(dcgan.style_mix(&rows, &cols, [true; 3], None).is_err());
}

/// A conditional G's interpolation with no digit picked moves in z and in the class label, so
/// it starts and ends at the two samples as the grid draws them (classes i mod 10); with a
/// digit picked it keeps that digit.
#[test]
fn conditional_interpolation_ends_at_both_samples() {
    let data = Arc::new(mnist().split(Split::Train));
    let device = Device::flex();
    let config = small(
        r#"{"data": {"conditional": true}, "generator": {"width": 6}, "discriminator": {"width": 6}}"#,
    );
    let mut run = ImageTrainer::new(config, data, &device);
    run.train_until(2, StepMode::Both, &mut || false);
    let digit = |images: &[f32], i: usize| images[i * SIDE * SIDE..(i + 1) * SIDE * SIDE].to_vec();
    let close = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5);
    let grid = floats(run.grid_samples(None));
    let path = floats(run.interpolate(3, 9, 5, None));
    assert!(
        close(&digit(&path, 0), &digit(&grid, 3)),
        "starts at sample 3 (a 3)"
    );
    assert!(
        close(&digit(&path, 4), &digit(&grid, 9)),
        "ends at sample 9 (a 9)"
    );
    let sevens = floats(run.grid_samples(Some(7)));
    let path = floats(run.interpolate(3, 9, 5, Some(7)));
    assert!(
        close(&digit(&path, 0), &digit(&sevens, 3)) && close(&digit(&path, 4), &digit(&sevens, 9))
    );
}
