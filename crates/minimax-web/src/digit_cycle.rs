//! `DigitCyclePlayground`: a CycleGAN translation between MNIST and thick-stroke MNIST as seen
//! from JS (core's `cycle::digits::DigitCycleTrainer`). The same calls as `CyclePlayground` where
//! they mean the same (train, reconfigure, checkpoints, the divergence guard); `view` shows held-out
//! digits and their translations, `metrics` measures the translator on every held-out digit.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use burn::prelude::*;
use burn::tensor::Transaction;
use minimax_core::checkpoint::Checkpoint;
use minimax_core::config::GanConfig;
use minimax_core::cycle::digits::{DigitCycleTrainer, VIEW_DIGITS};
use minimax_core::image::classifier::Classifier;
use minimax_core::image::mnist::{self, Mnist, SIDE};
use minimax_core::run::GanRun;
use wasm_bindgen::prelude::*;

use crate::backend::{self, Backend, Request};
use crate::checkpoints;
use crate::chunked::{
    self, BusyGuard, Guard, object, promise, read_error, restore_last_good, train_chunk,
};

/// A digit translation run on one backend.
#[wasm_bindgen]
pub struct DigitCyclePlayground {
    trainer: Rc<RefCell<DigitCycleTrainer>>,
    /// The last state known to be good, for `restoreLastGood`.
    guard: Guard<DigitCycleTrainer>,
    busy: Rc<Cell<bool>>,
    /// The MNIST classifier on the training device, behind the label-kept rate (none without
    /// the classifier asset: `metrics` then says why).
    classifier: Option<Rc<Classifier>>,
    asset: Arc<Mnist>,
    device: Device,
    backend: Backend,
    note: String,
}

fn js_error(message: impl AsRef<str>) -> JsError {
    JsError::new(message.as_ref())
}

/// A valid digit CycleGAN configuration.
fn digit_cycle_config(json: &str) -> Result<GanConfig, JsError> {
    let config = GanConfig::from_json(json).map_err(|e| js_error(e.to_string()))?;
    if !config.is_digit_cycle() {
        return Err(js_error(
            "DigitCyclePlayground translates digits: set cycle.source to \"mnist\" and data.dataset to \"mnist_thick\" (preset cyclegan_mnist)",
        ));
    }
    Ok(config)
}

#[wasm_bindgen]
impl DigitCyclePlayground {
    /// Validates the configuration and the assets, and builds G, F, D_X and D_Y on `backend`.
    pub async fn create(
        config_json: String,
        backend: String,
        mnist_bytes: js_sys::Uint8Array,
        classifier_bytes: Option<js_sys::Uint8Array>,
    ) -> Result<DigitCyclePlayground, JsError> {
        let config = digit_cycle_config(&config_json)?;
        let request = Request::parse(&backend).map_err(js_error)?;
        let asset = Arc::new(Mnist::from_bytes(&mnist_bytes.to_vec()).map_err(js_error)?);
        let (trainer, device, backend, note) = backend::build(request, |device| {
            DigitCycleTrainer::new(config.clone(), asset.clone(), device)
        })
        .await;
        let classifier = match classifier_bytes {
            Some(bytes) => Some(Rc::new(
                Classifier::from_bytes(&bytes.to_vec(), &device).map_err(js_error)?,
            )),
            None => None,
        };
        Ok(Self {
            trainer: Rc::new(RefCell::new(trainer)),
            guard: Guard::default(),
            busy: Rc::new(Cell::new(false)),
            classifier,
            asset,
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

    /// Iterations done since the networks were built (or the checkpoint's step).
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> f64 {
        self.trainer.borrow().step() as f64
    }

    /// The configuration in use, as JSON.
    #[wasm_bindgen(js_name = configJson)]
    pub fn config_json(&self) -> String {
        self.trainer.borrow().config().to_json()
    }

    /// Applies any valid digit CycleGAN configuration; returns `{generator, discriminator}`.
    pub fn reconfigure(&self, config_json: &str) -> Result<JsValue, JsError> {
        let config = digit_cycle_config(config_json)?;
        let _busy = BusyGuard::take(&self.busy)?;
        let rebuilt = chunked::reconfigure(&self.trainer, &self.guard, config);
        Ok(object(&[
            ("generator", rebuilt.generator.into()),
            ("discriminator", rebuilt.discriminator.into()),
        ]))
    }

    /// Changes both learning rates without resetting the networks.
    #[wasm_bindgen(js_name = setLearningRates)]
    pub fn set_learning_rates(&self, lr_d: f64, lr_g: f64) -> Result<(), JsError> {
        let mut config = self.trainer.borrow().config().clone();
        config.optimizer_d.lr = lr_d;
        config.optimizer_g.lr = lr_g;
        config.validate().map_err(|e| js_error(e.to_string()))?;
        let _busy = BusyGuard::take(&self.busy)?;
        chunked::reconfigure(&self.trainer, &self.guard, config);
        Ok(())
    }

    /// As `CyclePlayground::train`.
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

    /// Puts the run back to the last state known to be good; returns its step.
    #[wasm_bindgen(js_name = restoreLastGood)]
    pub fn restore_last_good(&self) -> Result<f64, JsError> {
        let _busy = BusyGuard::take(&self.busy)?;
        restore_last_good(&self.trainer, &self.guard)
    }

    /// The checkpoint file of this run (G, F, D_X, D_Y and, on the CPU, both optimizers).
    #[wasm_bindgen(js_name = saveCheckpoint)]
    pub fn save_checkpoint(&self, history: js_sys::Float32Array) -> js_sys::Promise {
        let on_cpu = self.backend == Backend::Cpu;
        checkpoints::save(self.trainer.clone(), self.busy.clone(), on_cpu, history)
    }

    /// Replaces the run with a digit translation checkpoint's; a bad file throws and changes
    /// nothing. Returns `{configJson, step, history, note}`.
    #[wasm_bindgen(js_name = loadCheckpoint)]
    pub fn load_checkpoint(&self, bytes: &[u8]) -> Result<JsValue, JsError> {
        let (device, asset) = (&self.device, &self.asset);
        let build = |c: &Checkpoint, optimizers| {
            DigitCycleTrainer::from_checkpoint(c, asset.clone(), device, optimizers)
        };
        checkpoints::load(&self.trainer, &self.guard, &self.busy, bytes, device, build)
    }

    /// What the view draws (docs/wasm-api.md): `{kind: "digit-cycle", side, count, pixels}` where
    /// `pixels` holds six rows of `count` held-out digits (bytes, 784 each): x, G(x), F(G(x)),
    /// then y, F(y), G(F(y)).
    pub fn view(&self) -> js_sys::Promise {
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        promise(async move {
            let _busy = BusyGuard::take(&busy)?;
            let rows = trainer.borrow().view();
            let mut transaction = Transaction::default();
            for t in rows {
                transaction = transaction.register(t);
            }
            let data = transaction.execute_async().await.map_err(read_error)?;
            let mut pixels = Vec::with_capacity(6 * VIEW_DIGITS * SIDE * SIDE);
            for d in data {
                pixels.extend(mnist::to_bytes(
                    &d.try_into_vec::<f32>().map_err(read_error)?,
                ));
            }
            Ok(object(&[
                ("kind", "digit-cycle".into()),
                ("side", (SIDE as f64).into()),
                ("count", (VIEW_DIGITS as f64).into()),
                ("pixels", js_sys::Uint8Array::from(pixels.as_slice()).into()),
            ]))
        })
    }

    /// The translator measured on every held-out digit of both domains (docs/wasm-api.md):
    /// `{labelKeptX, labelKeptY, cycleErrorX, cycleErrorY, cycleError, classifierScoreGx,
    /// classifierScoreFy, inkX, inkGx, inkY, inkFy, samples}`. Rejects without the classifier.
    pub fn metrics(&self) -> js_sys::Promise {
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        let classifier = self.classifier.clone();
        promise(async move {
            let classifier = classifier.ok_or_else(|| {
                js_error(
                    "the MNIST classifier did not load, so the label-kept rate cannot be measured",
                )
            })?;
            let _busy = BusyGuard::take(&busy)?;
            let tensors = trainer.borrow().eval_tensors(&classifier);
            let mut transaction = Transaction::default();
            for t in tensors {
                transaction = transaction.register(t);
            }
            let data = transaction.execute_async().await.map_err(read_error)?;
            let read = data
                .into_iter()
                .map(|d| d.try_into_vec::<f32>().map_err(read_error))
                .collect::<Result<Vec<_>, _>>()?;
            let read: [Vec<f32>; 3] = read
                .try_into()
                .map_err(|_| js_error("three tensors were read back"))?;
            let m = trainer.borrow().metrics_of(&read);
            Ok(object(&[
                ("labelKeptX", m.label_kept_x.into()),
                ("labelKeptY", m.label_kept_y.into()),
                ("cycleErrorX", m.cycle_error_x.into()),
                ("cycleErrorY", m.cycle_error_y.into()),
                ("cycleError", m.cycle_error().into()),
                ("classifierScoreGx", m.classifier_score_gx.into()),
                ("classifierScoreFy", m.classifier_score_fy.into()),
                ("inkX", m.ink.x.into()),
                ("inkGx", m.ink.gx.into()),
                ("inkY", m.ink.y.into()),
                ("inkFy", m.ink.fy.into()),
                ("samples", (m.samples as f64).into()),
            ]))
        })
    }
}
