//! `DigitPlayground`: the image GAN (DCGAN or StyleGAN-lite on real MNIST digits) as seen from
//! JS. Same rules as `Playground`: one call at a time, one asynchronous readback per call.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use burn::prelude::*;
use burn::tensor::Transaction;
use minimax_core::checkpoint::Checkpoint;
use minimax_core::config::GanConfig;
use minimax_core::image::classifier::{Classifier, FEATURES};
use minimax_core::image::mnist::{self, Mnist, Split};
use minimax_core::image::quality::{FeatureStats, classifier_score, quality};
use minimax_core::image::stylegan::STYLE_SLOTS;
use minimax_core::image::train::{GRID_SAMPLES, ImageTrainer};
use wasm_bindgen::prelude::*;

use crate::backend::{self, Backend, Request};
use crate::checkpoints;
use crate::chunked::{
    self, BusyGuard, Guard, object, promise, read_error, restore_last_good, train_chunk,
};
use minimax_core::run::GanRun;

/// Real digits shown beside the generated grid.
const REAL_SHOWN: usize = 64;

/// The classifier and what it says about real held-out digits (computed on first use).
struct Judge {
    classifier: Classifier,
    real: Option<RealStats>,
}

#[derive(Clone)]
struct RealStats {
    stats: FeatureStats,
    score: f64,
    frechet: f64,
}

/// An image GAN run on one backend.
#[wasm_bindgen]
pub struct DigitPlayground {
    trainer: Rc<RefCell<ImageTrainer>>,
    /// The last state known to be good, for `restoreLastGood`.
    guard: Guard<ImageTrainer>,
    busy: Rc<Cell<bool>>,
    judge: Option<Rc<RefCell<Judge>>>,
    held_out: Arc<Mnist>,
    device: Device,
    backend: Backend,
    note: String,
}

fn js_error(message: impl AsRef<str>) -> JsError {
    JsError::new(message.as_ref())
}

fn digit_of(digit: Option<u8>) -> Result<Option<u8>, JsError> {
    match digit {
        Some(d) if d > 9 => Err(js_error(format!("digit must be 0 to 9, got {d}"))),
        d => Ok(d),
    }
}

async fn read_bytes(images: Tensor<4>) -> Result<js_sys::Uint8Array, JsError> {
    let data = images.into_data_async().await.map_err(read_error)?;
    let values = data.try_into_vec::<f32>().map_err(read_error)?;
    Ok(js_sys::Uint8Array::from(
        mnist::to_bytes(&values).as_slice(),
    ))
}

#[wasm_bindgen]
impl DigitPlayground {
    /// Validates the configuration (an image one) and the assets, and builds the models.
    pub async fn create(
        config_json: String,
        backend: String,
        mnist_bytes: js_sys::Uint8Array,
        classifier_bytes: Option<js_sys::Uint8Array>,
    ) -> Result<DigitPlayground, JsError> {
        let config = GanConfig::from_json(&config_json).map_err(|e| js_error(e.to_string()))?;
        if !config.data.dataset.is_image() {
            return Err(js_error(
                "DigitPlayground trains image data: set data.dataset to \"mnist\" (preset dcgan_mnist)",
            ));
        }
        let request = Request::parse(&backend).map_err(js_error)?;
        let set = Mnist::from_bytes(&mnist_bytes.to_vec()).map_err(js_error)?;
        let train = Arc::new(set.split(Split::Train));
        let (trainer, device, backend, note) = backend::build(request, |device| {
            ImageTrainer::new(config.clone(), train.clone(), device)
        })
        .await;
        let judge = match classifier_bytes {
            Some(bytes) => Some(Rc::new(RefCell::new(Judge {
                classifier: Classifier::from_bytes(&bytes.to_vec(), &device).map_err(js_error)?,
                real: None,
            }))),
            None => None,
        };
        Ok(Self {
            trainer: Rc::new(RefCell::new(trainer)),
            busy: Rc::new(Cell::new(false)),
            guard: Guard::default(),
            judge,
            held_out: Arc::new(set.split(Split::HeldOut)),
            device,
            backend,
            note,
        })
    }

    /// The backend that trains: "webgpu" or "cpu".
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Why the backend differs from the one asked for ("" when it does not).
    #[wasm_bindgen(getter, js_name = backendNote)]
    pub fn backend_note(&self) -> String {
        self.note.clone()
    }

    /// Iterations done since the models were built (or the checkpoint's step).
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> f64 {
        self.trainer.borrow().step() as f64
    }

    /// The configuration in use, as JSON.
    #[wasm_bindgen(js_name = configJson)]
    pub fn config_json(&self) -> String {
        self.trainer.borrow().config().to_json()
    }

    /// `{generator, discriminator}` parameter counts.
    #[wasm_bindgen(js_name = parameterCounts)]
    pub fn parameter_counts(&self) -> JsValue {
        let (g, d) = self.trainer.borrow().parameter_counts();
        object(&[
            ("generator", (g as f64).into()),
            ("discriminator", (d as f64).into()),
        ])
    }

    /// Applies a valid image configuration to the running training (see `Playground`).
    pub fn reconfigure(&self, config_json: &str) -> Result<JsValue, JsError> {
        let config = GanConfig::from_json(config_json).map_err(|e| js_error(e.to_string()))?;
        if !config.data.dataset.is_image() {
            return Err(js_error(
                "this playground trains digits: 2-D data needs a Playground",
            ));
        }
        let _busy = BusyGuard::take(&self.busy)?;
        let rebuilt = chunked::reconfigure(&self.trainer, &self.guard, config);
        Ok(object(&[
            ("generator", rebuilt.generator.into()),
            ("discriminator", rebuilt.discriminator.into()),
        ]))
    }

    /// As `Playground.restoreLastGood`: back to the last state known to be good.
    #[wasm_bindgen(js_name = restoreLastGood)]
    pub fn restore_last_good(&self) -> Result<f64, JsError> {
        let _busy = BusyGuard::take(&self.busy)?;
        restore_last_good(&self.trainer, &self.guard)
    }

    /// As `Playground.train`: `{steps, step, losses, diverged}`, 4 numbers per step.
    pub fn train(&self, max_steps: u32, budget_ms: f64, mode: Option<String>) -> js_sys::Promise {
        train_chunk(
            self.trainer.clone(),
            self.guard.clone(),
            self.busy.clone(),
            max_steps,
            budget_ms,
            mode,
        )
    }

    /// The sample grid (fixed noise) and fixed real held-out digits; see docs/wasm-api.md.
    pub fn view(&self, digit: Option<u8>) -> js_sys::Promise {
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        let held_out = self.held_out.clone();
        promise(async move {
            let digit = digit_of(digit)?;
            let _busy = BusyGuard::take(&busy)?;
            let (fake, conditional, style, truncation) = {
                let trainer = trainer.borrow();
                (
                    trainer.grid_samples(digit),
                    trainer.config().data.conditional,
                    trainer.is_style(),
                    trainer.truncation(),
                )
            };
            let fake = read_bytes(fake).await?;
            let shown = REAL_SHOWN.min(held_out.len());
            let real: Vec<u8> = (0..shown)
                .flat_map(|i| held_out.image(i).to_vec())
                .collect();
            Ok(object(&[
                ("side", 28.into()),
                ("count", (GRID_SAMPLES as u32).into()),
                ("fake", fake.into()),
                ("real", js_sys::Uint8Array::from(real.as_slice()).into()),
                (
                    "realLabels",
                    js_sys::Uint8Array::from(&held_out.labels()[..shown]).into(),
                ),
                ("conditional", conditional.into()),
                ("style", style.into()),
                ("truncation", truncation.into()),
            ]))
        })
    }

    /// `steps` digits on the line in z from grid sample `a` to grid sample `b`.
    pub fn interpolate(&self, a: u32, b: u32, steps: u32, digit: Option<u8>) -> js_sys::Promise {
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        promise(async move {
            let digit = digit_of(digit)?;
            if a as usize >= GRID_SAMPLES
                || b as usize >= GRID_SAMPLES
                || !(2..=32).contains(&steps)
            {
                return Err(js_error(format!(
                    "interpolate(a, b, steps): a and b must be 0 to 63 and steps 2 to 32, got {a}, {b}, {steps}"
                )));
            }
            let _busy = BusyGuard::take(&busy)?;
            let images =
                trainer
                    .borrow()
                    .interpolate(a as usize, b as usize, steps as usize, digit);
            Ok(read_bytes(images).await?.into())
        })
    }

    /// Whether G is StyleGAN-lite (styleMix, interpolateW and truncation apply).
    #[wasm_bindgen(getter, js_name = isStyle)]
    pub fn is_style(&self) -> bool {
        self.trainer.borrow().is_style()
    }

    /// The truncation ψ of every StyleGAN view (1 = none).
    #[wasm_bindgen(getter)]
    pub fn truncation(&self) -> f32 {
        self.trainer.borrow().truncation()
    }

    /// Sets the truncation ψ (0 to 1.5; StyleGAN only): w ← w_avg + ψ·(w − w_avg).
    #[wasm_bindgen(js_name = setTruncation)]
    pub fn set_truncation(&self, psi: f32) -> Result<(), JsError> {
        self.trainer
            .borrow_mut()
            .set_truncation(psi)
            .map_err(js_error)
    }

    /// The style-mixing grid: grid samples `rows` (source A) and `cols` (source B), then every A
    /// with B's styles at `slots` ("coarse", "middle", "fine", or several joined by ","),
    /// row-major; 28×28 u8 each. A conditional G draws `digit` (0–9) everywhere, or each
    /// sample as the grid does when it is absent.
    #[wasm_bindgen(js_name = styleMix)]
    pub fn style_mix(
        &self,
        rows: Vec<u32>,
        cols: Vec<u32>,
        slots: String,
        digit: Option<u8>,
    ) -> js_sys::Promise {
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        promise(async move {
            let in_grid = |v: &[u32]| {
                !v.is_empty() && v.len() <= 8 && v.iter().all(|&i| (i as usize) < GRID_SAMPLES)
            };
            if !in_grid(&rows) || !in_grid(&cols) {
                return Err(js_error(format!(
                    "styleMix(rows, cols, slots): rows and cols must list 1 to 8 grid samples (0 to 63), got {rows:?} and {cols:?}"
                )));
            }
            let slots = slots_of(&slots)?;
            let _busy = BusyGuard::take(&busy)?;
            let index = |v: Vec<u32>| v.into_iter().map(|i| i as usize).collect::<Vec<_>>();
            let images = trainer
                .borrow()
                .style_mix(&index(rows), &index(cols), slots, digit_of(digit)?)
                .map_err(js_error)?;
            Ok(read_bytes(images).await?.into())
        })
    }

    /// `steps` digits on the line in w (StyleGAN) from grid sample `a` to `b` (a conditional G:
    /// as `digit`, or each end's grid class).
    #[wasm_bindgen(js_name = interpolateW)]
    pub fn interpolate_w(&self, a: u32, b: u32, steps: u32, digit: Option<u8>) -> js_sys::Promise {
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        promise(async move {
            if a as usize >= GRID_SAMPLES
                || b as usize >= GRID_SAMPLES
                || !(2..=32).contains(&steps)
            {
                return Err(js_error(format!(
                    "interpolateW(a, b, steps): a and b must be 0 to 63 and steps 2 to 32, got {a}, {b}, {steps}"
                )));
            }
            let _busy = BusyGuard::take(&busy)?;
            let images = trainer
                .borrow()
                .interpolate_w(a as usize, b as usize, steps as usize, digit_of(digit)?)
                .map_err(js_error)?;
            Ok(read_bytes(images).await?.into())
        })
    }

    /// G at grid sample `i` moved by (u, v) along two fixed directions of z.
    pub fn walk(&self, i: u32, u: f32, v: f32, digit: Option<u8>) -> js_sys::Promise {
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        promise(async move {
            let digit = digit_of(digit)?;
            let ok = |x: f32| x.is_finite() && x.abs() <= 3.0;
            if i as usize >= GRID_SAMPLES || !ok(u) || !ok(v) {
                return Err(js_error(format!(
                    "walk(i, u, v): i must be 0 to 63 and u, v in [-3, 3], got {i}, {u}, {v}"
                )));
            }
            let _busy = BusyGuard::take(&busy)?;
            let image = trainer.borrow().walk(i as usize, u, v, digit);
            Ok(read_bytes(image).await?.into())
        })
    }

    /// Classifier score, class histogram and Fréchet distance of `n` generated digits.
    pub fn quality(&self, n: Option<u32>) -> js_sys::Promise {
        let (trainer, busy, judge) = (self.trainer.clone(), self.busy.clone(), self.judge.clone());
        let held_out = self.held_out.clone();
        let device = self.device.clone();
        promise(async move {
            let n = n.unwrap_or(500);
            if !(100..=2000).contains(&n) {
                return Err(js_error(format!(
                    "quality(n): n must be 100 to 2000, got {n}"
                )));
            }
            let judge = judge.ok_or_else(|| {
                js_error("no classifier loaded: quality needs assets/classifier.bpk")
            })?;
            let _busy = BusyGuard::take(&busy)?;
            if judge.borrow().real.is_none() {
                let all: Vec<usize> = (0..held_out.len()).collect();
                let (probs, features) = judge
                    .borrow()
                    .classifier
                    .judge(held_out.images(&all, &device));
                let (probs, features) = read_pair(probs, features).await?;
                let half = held_out.len() / 2 * FEATURES;
                let real = RealStats {
                    stats: FeatureStats::of(&features, FEATURES),
                    score: classifier_score(&probs),
                    frechet: FeatureStats::of(&features[..half], FEATURES)
                        .frechet_distance(&FeatureStats::of(&features[half..], FEATURES)),
                };
                judge.borrow_mut().real = Some(real);
            }
            let images = trainer.borrow().eval_samples(n as usize);
            let (probs, features) = judge.borrow().classifier.judge(images);
            let (probs, features) = read_pair(probs, features).await?;
            let real = judge.borrow().real.clone().expect("computed above");
            let q = quality(&probs, &features, Some(&real.stats));
            let histogram = js_sys::Array::new();
            for c in q.class_histogram {
                histogram.push(&(c as f64).into());
            }
            Ok(object(&[
                ("classifierScore", q.classifier_score.into()),
                ("classHistogram", histogram.into()),
                ("classesCovered", (q.classes_covered as f64).into()),
                (
                    "frechetDistance",
                    q.frechet_distance.map_or(JsValue::NULL, JsValue::from),
                ),
                ("samples", n.into()),
                ("realScore", real.score.into()),
                ("realFrechet", real.frechet.into()),
            ]))
        })
    }

    /// Data augmentation, measured live (core's `image::augment`, one seed per call): the LeNet
    /// judge trained `steps` Adam steps (batch 64) on `per_class` real digits of each class
    /// alone, with `extra` shifted and rotated copies per class, and, for a class-conditional
    /// GAN, with `extra` of this GAN's digits per class; each scored on the 1,000 held-out
    /// digits. Seed `seed` picks the real digits, the copies, the GAN's noise and the classifier's
    /// start. The classifiers train on the CPU whatever the backend (they are small); the GAN's
    /// training waits meanwhile. Resolves to `{seed, perClass, extra, steps, arms: [{name,
    /// trainDigits, accuracy}], ganNote}` (`ganNote`: why there is no GAN arm, or "").
    pub fn augmentation(
        &self,
        per_class: u32,
        extra: u32,
        steps: u32,
        seed: u32,
    ) -> js_sys::Promise {
        use minimax_core::image::augment::{
            AugmentSetup, GENERATION_CHUNK, experiment, generation_request,
        };
        let (trainer, busy, held_out) = (
            self.trainer.clone(),
            self.busy.clone(),
            self.held_out.clone(),
        );
        promise(async move {
            if !(1..=50).contains(&per_class)
                || extra > 200
                || !(20..=2000).contains(&steps)
                || seed == 0
            {
                return Err(js_error(format!(
                    "augmentation(perClass, extra, steps, seed): perClass must be 1 to 50, extra 0 to 200, steps 20 to 2000 and seed at least 1, got {per_class}, {extra}, {steps}, {seed}"
                )));
            }
            let _busy = BusyGuard::take(&busy)?;
            let (per_class, extra, seed64) = (per_class as usize, extra as usize, u64::from(seed));
            // The GAN's digits, read back asynchronously (WebGPU cannot be read synchronously).
            let request = generation_request(&trainer.borrow(), extra, seed64);
            let (generated, gan_note) = match request {
                Ok((labels, z)) if extra > 0 => {
                    let dim = trainer.borrow().config().noise.dim;
                    let mut pixels = Vec::with_capacity(labels.len() * mnist::PIXELS);
                    for (chunk, noise) in labels
                        .chunks(GENERATION_CHUNK)
                        .zip(z.chunks(GENERATION_CHUNK * dim))
                    {
                        let images = trainer.borrow().generate(noise.to_vec(), chunk);
                        let data = images.into_data_async().await.map_err(read_error)?;
                        pixels.extend(mnist::to_bytes(
                            &data.try_into_vec::<f32>().map_err(read_error)?,
                        ));
                    }
                    (Some(Mnist::from_parts(labels, pixels)), String::new())
                }
                Ok(_) => (None, "no digits are added (extra is 0)".to_string()),
                Err(why) => (None, why),
            };
            let train = trainer.borrow().data().clone();
            let setup = AugmentSetup {
                per_class,
                extra_per_class: extra,
                steps: steps as usize,
            };
            let mut generate =
                |_: usize, _: u64| generated.clone().expect("only called with digits");
            let generate: Option<&mut dyn FnMut(usize, u64) -> Mnist> = if generated.is_some() {
                Some(&mut generate)
            } else {
                None
            };
            let arms = experiment(
                &train,
                &held_out,
                setup,
                &[seed64],
                generate,
                &Device::flex(),
            );
            let list = js_sys::Array::new();
            for arm in arms {
                list.push(&object(&[
                    ("name", arm.name.into()),
                    ("trainDigits", (arm.train_digits as f64).into()),
                    ("accuracy", arm.mean.into()),
                ]));
            }
            Ok(object(&[
                ("seed", seed.into()),
                ("perClass", (per_class as f64).into()),
                ("extra", (extra as f64).into()),
                ("steps", steps.into()),
                ("arms", list.into()),
                ("ganNote", gan_note.into()),
            ]))
        })
    }

    /// The checkpoint file of this run with the page's loss `history` (see checkpoints.rs).
    #[wasm_bindgen(js_name = saveCheckpoint)]
    pub fn save_checkpoint(&self, history: js_sys::Float32Array) -> js_sys::Promise {
        let on_cpu = self.backend == Backend::Cpu;
        checkpoints::save(self.trainer.clone(), self.busy.clone(), on_cpu, history)
    }

    /// Replaces the run with a checkpoint's; a bad file throws and changes nothing.
    #[wasm_bindgen(js_name = loadCheckpoint)]
    pub fn load_checkpoint(&self, bytes: js_sys::Uint8Array) -> Result<JsValue, JsError> {
        let data = self.trainer.borrow().data().clone();
        let device = &self.device;
        let build =
            |c: &Checkpoint, optimizers| ImageTrainer::from_checkpoint(c, data, device, optimizers);
        let (trainer, guard, busy) = (&self.trainer, &self.guard, &self.busy);
        checkpoints::load(trainer, guard, busy, &bytes.to_vec(), device, build)
    }
}

/// Which style slots a `slots` string names ("coarse", "middle", "fine", joined by ",").
fn slots_of(slots: &str) -> Result<[bool; STYLE_SLOTS], JsError> {
    const NAMES: [&str; STYLE_SLOTS] = ["coarse", "middle", "fine"];
    let mut out = [false; STYLE_SLOTS];
    for name in slots.split(',').map(str::trim) {
        match NAMES.iter().position(|n| *n == name) {
            Some(i) => out[i] = true,
            None => {
                return Err(js_error(format!(
                    "styleMix: slots must be coarse, middle or fine (joined by \",\"), got {slots:?}"
                )));
            }
        }
    }
    Ok(out)
}

async fn read_pair(a: Tensor<2>, b: Tensor<2>) -> Result<(Vec<f32>, Vec<f32>), JsError> {
    let data = Transaction::default()
        .register(a)
        .register(b)
        .execute_async()
        .await
        .map_err(read_error)?;
    let mut it = data
        .into_iter()
        .map(|d| d.try_into_vec::<f32>().map_err(read_error));
    let a = it.next().expect("two registered")?;
    let b = it.next().expect("two registered")?;
    Ok((a, b))
}
