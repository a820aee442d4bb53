//! Data augmentation, measured: the LeNet judge trained on a small real training set (a few
//! digits per class) alone, with classic augmentation (small shifts and rotations of those
//! digits), and with digits from a class-conditional GAN, each scored on the held-out digits.
//! Every arm trains the same number of steps on the same real digits; the extra arms add the
//! same number of digits per class.

use burn::prelude::*;
use serde::Serialize;

use super::classifier::{Classifier, train_classifier_steps};
use super::mnist::{CLASSES, Mnist, PIXELS, SIDE, to_bytes};
use super::train::ImageTrainer;
use crate::rng::Rng;
use crate::run::GanRun;

/// One experiment's sizes.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct AugmentSetup {
    /// Real training digits per class.
    pub per_class: usize,
    /// Digits per class an augmented arm adds (transformed real ones, or generated ones).
    pub extra_per_class: usize,
    /// Adam steps (batch 64) of every arm's classifier.
    pub steps: usize,
}

/// A training set: `per_class` digits of each class from `train`, chosen by `seed`.
pub fn small_subset(train: &Mnist, per_class: usize, seed: u64) -> Mnist {
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let mut taken = [0usize; CLASSES];
    let mut labels = Vec::new();
    let mut pixels = Vec::new();
    for i in order {
        let class = usize::from(train.label(i));
        if taken[class] < per_class {
            taken[class] += 1;
            labels.push(train.label(i));
            pixels.extend_from_slice(train.image(i));
        }
    }
    Mnist::from_parts(labels, pixels)
}

/// A digit shifted by (`dx`, `dy`) pixels and rotated by `angle` radians about its centre,
/// sampled bilinearly (background outside).
pub fn transform(image: &[u8], dx: f64, dy: f64, angle: f64) -> Vec<u8> {
    let c = (SIDE as f64 - 1.0) / 2.0;
    let (sin, cos) = angle.sin_cos();
    let at = |x: i64, y: i64| -> f64 {
        if (0..SIDE as i64).contains(&x) && (0..SIDE as i64).contains(&y) {
            f64::from(image[y as usize * SIDE + x as usize])
        } else {
            0.0
        }
    };
    let mut out = Vec::with_capacity(PIXELS);
    for row in 0..SIDE {
        for col in 0..SIDE {
            // The source of output pixel (col, row): undo the shift, then the rotation.
            let (u, v) = (col as f64 - dx - c, row as f64 - dy - c);
            let (x, y) = (cos * u + sin * v + c, -sin * u + cos * v + c);
            let (x0, y0) = (x.floor(), y.floor());
            let (fx, fy) = (x - x0, y - y0);
            let (x0, y0) = (x0 as i64, y0 as i64);
            let value = at(x0, y0) * (1.0 - fx) * (1.0 - fy)
                + at(x0 + 1, y0) * fx * (1.0 - fy)
                + at(x0, y0 + 1) * (1.0 - fx) * fy
                + at(x0 + 1, y0 + 1) * fx * fy;
            out.push(value.round().clamp(0.0, 255.0) as u8);
        }
    }
    out
}

/// Classic augmentation: `per_class` new digits per class, each a random digit of that class
/// in `set` shifted by up to 2 pixels and rotated by up to 15°.
pub fn classic_augmentation(set: &Mnist, per_class: usize, seed: u64) -> Mnist {
    let mut rng = Rng::new(seed);
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); CLASSES];
    for i in 0..set.len() {
        by_class[usize::from(set.label(i))].push(i);
    }
    let mut labels = Vec::new();
    let mut pixels = Vec::new();
    for (class, members) in by_class.iter().enumerate().filter(|(_, m)| !m.is_empty()) {
        for _ in 0..per_class {
            let i = members[rng.below(members.len())];
            let dx = rng.uniform_in(-2.0, 2.0);
            let dy = rng.uniform_in(-2.0, 2.0);
            let angle = rng.uniform_in(-15.0, 15.0).to_radians();
            labels.push(class as u8);
            pixels.extend(transform(set.image(i), dx, dy, angle));
        }
    }
    Mnist::from_parts(labels, pixels)
}

/// What a class-conditional GAN is asked for to make `per_class` digits of each class: their
/// labels (class by class) and noise `[n · noise_dim]` from `seed`. An error for a GAN without
/// labels.
pub fn generation_request(
    run: &ImageTrainer,
    per_class: usize,
    seed: u64,
) -> Result<(Vec<u8>, Vec<f32>), String> {
    if !run.config().data.conditional {
        return Err("generated digits need a class-conditional GAN (data.conditional: true, e.g. the cdcgan_mnist preset or the pretrained digits)".into());
    }
    let dim = run.config().noise.dim;
    let mut rng = Rng::new(seed);
    let labels: Vec<u8> = (0..CLASSES as u8)
        .flat_map(|class| std::iter::repeat_n(class, per_class))
        .collect();
    let z = (0..labels.len() * dim)
        .map(|_| rng.normal() as f32)
        .collect();
    Ok((labels, z))
}

/// Digits are generated (and read back) this many at a time.
pub const GENERATION_CHUNK: usize = 500;

/// `per_class` digits of each class from a class-conditional image GAN (its shown generator,
/// noise from `seed`), read back synchronously (natively, or on the CPU backend).
pub fn generated_digits(run: &ImageTrainer, per_class: usize, seed: u64) -> Result<Mnist, String> {
    let (labels, z) = generation_request(run, per_class, seed)?;
    let dim = run.config().noise.dim;
    let mut pixels = Vec::with_capacity(labels.len() * PIXELS);
    for (chunk, noise) in labels
        .chunks(GENERATION_CHUNK)
        .zip(z.chunks(GENERATION_CHUNK * dim))
    {
        let images = run.generate(noise.to_vec(), chunk); // [n, 1, 28, 28]
        let values = images
            .into_data()
            .try_into_vec::<f32>()
            .map_err(|e| format!("reading generated digits failed: {e:?}"))?;
        pixels.extend(to_bytes(&values));
    }
    Ok(Mnist::from_parts(labels, pixels))
}

/// Two sets as one.
pub fn joined(a: &Mnist, b: &Mnist) -> Mnist {
    let labels = [a.labels(), b.labels()].concat();
    let pixels = (0..a.len())
        .flat_map(|i| a.image(i).to_vec())
        .chain((0..b.len()).flat_map(|i| b.image(i).to_vec()))
        .collect();
    Mnist::from_parts(labels, pixels)
}

/// One arm's held-out accuracy per seed, with their mean and standard deviation.
#[derive(Clone, Debug, Serialize)]
pub struct Arm {
    /// "real only", "real + classic", "real + GAN".
    pub name: String,
    /// Training digits (real and added).
    pub train_digits: usize,
    /// Held-out accuracy of each seed's classifier.
    pub accuracies: Vec<f64>,
    /// Their mean.
    pub mean: f64,
    /// Their standard deviation (n − 1).
    pub std: f64,
}

impl Arm {
    fn new(name: &str, train_digits: usize, accuracies: Vec<f64>) -> Self {
        let n = accuracies.len() as f64;
        let mean = accuracies.iter().sum::<f64>() / n.max(1.0);
        let var = accuracies.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        Self {
            name: name.into(),
            train_digits,
            accuracies,
            mean,
            std: var.sqrt(),
        }
    }
}

/// The experiment on `seeds` (each its own real subset, augmentation and classifier seed):
/// real only, real + classic augmentation and, when `generate` gives digits (labelled, `n` per
/// class for a seed), real + generated. Accuracy on `held_out`.
pub fn experiment(
    train: &Mnist,
    held_out: &Mnist,
    setup: AugmentSetup,
    seeds: &[u64],
    mut generate: Option<&mut dyn FnMut(usize, u64) -> Mnist>,
    device: &Device,
) -> Vec<Arm> {
    let mut real = Vec::new();
    let mut classic = Vec::new();
    let mut generated = Vec::new();
    let (mut real_size, mut augmented_size) = (0, 0);
    for &seed in seeds {
        let subset = small_subset(train, setup.per_class, seed);
        let score = |set: &Mnist| -> f64 {
            let model: Classifier = train_classifier_steps(set, setup.steps, seed, device);
            model.accuracy(held_out, device)
        };
        real_size = subset.len();
        real.push(score(&subset));
        let with_classic = joined(
            &subset,
            &classic_augmentation(&subset, setup.extra_per_class, seed),
        );
        augmented_size = with_classic.len();
        classic.push(score(&with_classic));
        if let Some(generate) = generate.as_mut() {
            let with_generated = joined(&subset, &generate(setup.extra_per_class, seed));
            generated.push(score(&with_generated));
        }
    }
    let mut arms = vec![
        Arm::new("real only", real_size, real),
        Arm::new("real + classic augmentation", augmented_size, classic),
    ];
    if !generated.is_empty() {
        arms.push(Arm::new(
            "real + conditional GAN digits",
            augmented_size,
            generated,
        ));
    }
    arms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> Mnist {
        let labels: Vec<u8> = (0..100).map(|i| (i % 10) as u8).collect();
        let pixels = (0..100 * PIXELS).map(|i| ((i * 7) % 256) as u8).collect();
        Mnist::from_parts(labels, pixels)
    }

    #[test]
    fn the_subset_has_per_class_digits_of_each_class_and_depends_on_the_seed() {
        let a = small_subset(&set(), 3, 1);
        assert_eq!(a.len(), 30);
        for class in 0..10u8 {
            assert_eq!(a.labels().iter().filter(|&&l| l == class).count(), 3);
        }
        assert_eq!(a, small_subset(&set(), 3, 1));
        assert_ne!(a, small_subset(&set(), 3, 2));
    }

    #[test]
    fn transform_moves_a_pixel_where_it_should() {
        let mut image = vec![0u8; PIXELS];
        image[10 * SIDE + 20] = 255; // (x 20, y 10)
        let shifted = transform(&image, 2.0, -1.0, 0.0);
        assert_eq!(shifted[9 * SIDE + 22], 255);
        assert_eq!(shifted.iter().map(|&v| u32::from(v)).sum::<u32>(), 255);
        assert_eq!(transform(&image, 0.0, 0.0, 0.0), image, "identity");
        // 90° about the centre (13.5, 13.5): (20, 10) → (17, 20) in image coordinates (y down).
        let turned = transform(&image, 0.0, 0.0, std::f64::consts::FRAC_PI_2);
        let (i, _) = turned.iter().enumerate().max_by_key(|(_, v)| **v).unwrap();
        assert_eq!((i % SIDE, i / SIDE), (17, 20));
    }

    #[test]
    fn classic_augmentation_keeps_the_labels() {
        let small = small_subset(&set(), 2, 3);
        let extra = classic_augmentation(&small, 5, 4);
        assert_eq!(extra.len(), 50);
        for class in 0..10u8 {
            assert_eq!(extra.labels().iter().filter(|&&l| l == class).count(), 5);
        }
        let both = joined(&small, &extra);
        assert_eq!(both.len(), 70);
        assert_eq!(both.image(20), extra.image(0));
    }

    #[test]
    fn the_experiment_reproduces_its_numbers_for_a_seed() {
        let (train, held_out) = (set(), small_subset(&set(), 2, 9));
        let setup = AugmentSetup {
            per_class: 3,
            extra_per_class: 4,
            steps: 3,
        };
        let device = Device::flex();
        let mut fake_gan =
            |n: usize, seed: u64| classic_augmentation(&small_subset(&set(), 1, seed), n, seed + 1);
        let run = |generate: Option<&mut dyn FnMut(usize, u64) -> Mnist>| {
            experiment(&train, &held_out, setup, &[1, 2], generate, &device)
        };
        let a = run(Some(&mut fake_gan as &mut dyn FnMut(usize, u64) -> Mnist));
        let b = run(Some(&mut fake_gan as &mut dyn FnMut(usize, u64) -> Mnist));
        assert_eq!(a.len(), 3);
        assert_eq!(
            (a[0].train_digits, a[1].train_digits, a[2].train_digits),
            (30, 70, 70)
        );
        for (a, b) in a.iter().zip(&b) {
            assert_eq!(a.accuracies, b.accuracies, "{}", a.name);
            assert_eq!(a.accuracies.len(), 2);
        }
        assert_eq!(run(None).len(), 2, "no GAN, no GAN arm");
    }

    #[test]
    fn arms_report_mean_and_spread() {
        let arm = Arm::new("a", 10, vec![0.5, 0.7]);
        assert!((arm.mean - 0.6).abs() < 1e-12);
        assert!((arm.std - 0.02f64.sqrt()).abs() < 1e-12);
    }
}
