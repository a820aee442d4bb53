//! `Playground`: one training run as seen from JS. Every method that reads the device returns a
//! promise and reads back once per call, asynchronously (a synchronous read panics on WebGPU).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burn::prelude::*;
use burn::tensor::Transaction;
use minimax_core::checkpoint::Checkpoint;
use minimax_core::config::{GanConfig, Rebuild};
use minimax_core::guard::{DivergenceGuard, Snapshot, first_divergence};
use minimax_core::train::{LOSS_STRIDE, StepMode, Trainer};
use wasm_bindgen::prelude::*;

use crate::backend::{self, Backend, Request};
use crate::checkpoints;

/// Most points `samples(n)` returns at once.
const MAX_SAMPLES: u32 = 100_000;
/// Finest grid `view(res)` evaluates D on.
const MAX_GRID: u32 = 256;

/// A training run on one backend.
#[wasm_bindgen]
pub struct Playground {
    trainer: Rc<RefCell<Trainer>>,
    /// The last state known to be good, for `restoreLastGood`.
    guard: Guard<Trainer>,
    /// Set while a call awaits its readback, so calls cannot interleave.
    busy: Rc<Cell<bool>>,
    /// Where the models live (without autodiff), for loading checkpoints onto it.
    device: Device,
    backend: Backend,
    note: String,
}

/// Marks the playground busy until dropped.
pub(crate) struct BusyGuard(Rc<Cell<bool>>);

impl BusyGuard {
    pub(crate) fn take(busy: &Rc<Cell<bool>>) -> Result<Self, JsError> {
        if busy.replace(true) {
            return Err(JsError::new(
                "the playground is still running the previous call: await it first",
            ));
        }
        Ok(Self(busy.clone()))
    }
}

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: a global on the page and in a worker alike (`window` is not).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

pub(crate) fn now_ms() -> f64 {
    performance_now()
}

pub(crate) fn read_error(e: impl core::fmt::Debug) -> JsError {
    JsError::new(&format!("reading results from the device failed: {e:?}"))
}

pub(crate) fn floats(data: TensorData) -> Result<js_sys::Float32Array, JsError> {
    let values = data.try_into_vec::<f32>().map_err(read_error)?;
    Ok(js_sys::Float32Array::from(values.as_slice()))
}

pub(crate) fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (key, value) in entries {
        let _ = js_sys::Reflect::set(&obj, &JsValue::from_str(key), value);
    }
    obj.into()
}

#[wasm_bindgen]
impl Playground {
    /// Validates `config_json` and builds the models on `backend` ("auto", "webgpu" or "cpu").
    /// Rejects with a message naming each invalid field.
    pub async fn create(config_json: String, backend: String) -> Result<Playground, JsError> {
        let config = points_config(&config_json)?;
        let request = Request::parse(&backend).map_err(|e| JsError::new(&e))?;
        let (trainer, device, backend, note) =
            backend::build(request, |device| Trainer::new(config.clone(), device)).await;
        Ok(Self {
            trainer: Rc::new(RefCell::new(trainer)),
            guard: Guard::default(),
            busy: Rc::new(Cell::new(false)),
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

    /// Iterations done since the models were built.
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> f64 {
        self.trainer.borrow().step() as f64
    }

    /// The configuration in use, as JSON.
    #[wasm_bindgen(js_name = configJson)]
    pub fn config_json(&self) -> String {
        self.trainer.borrow().config().to_json()
    }

    /// Applies any valid configuration to the running training; resolves nothing, returns
    /// `{generator, discriminator}`: which networks were rebuilt (see docs/wasm-api.md).
    pub fn reconfigure(&self, config_json: &str) -> Result<JsValue, JsError> {
        let config = points_config(config_json)?;
        let _busy = BusyGuard::take(&self.busy)?;
        let rebuilt = self.trainer.borrow_mut().reconfigure(config);
        forget_if_rebuilt(&self.guard, &rebuilt);
        Ok(object(&[
            ("generator", rebuilt.generator.into()),
            ("discriminator", rebuilt.discriminator.into()),
        ]))
    }

    /// Changes both learning rates without resetting the models.
    #[wasm_bindgen(js_name = setLearningRates)]
    pub fn set_learning_rates(&self, lr_d: f64, lr_g: f64) -> Result<(), JsError> {
        let mut config = self.trainer.borrow().config().clone();
        config.optimizer_d.lr = lr_d;
        config.optimizer_g.lr = lr_g;
        config
            .validate()
            .map_err(|e| JsError::new(&e.to_string()))?;
        self.trainer.borrow_mut().set_learning_rates(lr_d, lr_g);
        Ok(())
    }

    /// Runs up to `max_steps` iterations in `mode` ("both", "d" or "g"; default "both"),
    /// stopping early once `budget_ms` of main-thread time is spent (at least one runs), then
    /// reads all their losses back at once. Resolves to `{steps, step, losses}` with
    /// `losses = [dLoss, gLoss, value, gradNorm] × steps` (NaN where the mode skips a part).
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

    /// Puts the run back to the last state known to be good (see `train`'s `diverged`), keeping
    /// the current configuration (a lower learning rate set after the divergence stays).
    /// Returns the step it is back at; throws when no chunk has come back finite yet.
    #[wasm_bindgen(js_name = restoreLastGood)]
    pub fn restore_last_good(&self) -> Result<f64, JsError> {
        let _busy = BusyGuard::take(&self.busy)?;
        restore_last_good(&self.trainer, &self.guard)
    }

    /// The checkpoint file of this run with the page's loss `history` (see checkpoints.rs).
    #[wasm_bindgen(js_name = saveCheckpoint)]
    pub fn save_checkpoint(&self, history: js_sys::Float32Array) -> js_sys::Promise {
        let on_cpu = self.backend == Backend::Cpu;
        checkpoints::save(self.trainer.clone(), self.busy.clone(), on_cpu, history)
    }

    /// Replaces the run with a checkpoint's (see checkpoints::load); a bad file throws and
    /// changes nothing. Returns `{configJson, step, history, note}`.
    #[wasm_bindgen(js_name = loadCheckpoint)]
    pub fn load_checkpoint(&self, bytes: &[u8]) -> Result<JsValue, JsError> {
        let device = &self.device;
        let build = |c: &Checkpoint| Trainer::from_checkpoint(c, device, false);
        let note = "optimizer moments restart in the browser";
        checkpoints::load(&self.trainer, &self.guard, &self.busy, bytes, build, note)
    }

    /// What the views draw and the theory metrics; see docs/wasm-api.md for the fields.
    pub fn view(&self, grid_res: u32) -> js_sys::Promise {
        let res = grid_res.clamp(2, MAX_GRID) as usize;
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        promise(async move {
            let _busy = BusyGuard::take(&busy)?;
            let (view, real, (lo, hi)) = {
                let trainer = trainer.borrow();
                (
                    trainer.view(res),
                    trainer.view_real().to_vec(),
                    trainer.bounds(),
                )
            };
            let probability = view.heat_is_probability;
            let (grid, (mesh_rows, mesh_cols)) = (view.grid, view.mesh_shape);
            let transaction = Transaction::default()
                .register(view.fake)
                .register(view.heat)
                .register(view.arrows)
                .register(view.mesh)
                .register(view.eval);
            let data = transaction.execute_async().await.map_err(read_error)?;
            let mut data = data
                .into_iter()
                .map(|d| d.try_into_vec::<f32>().map_err(read_error));
            let mut next = || data.next().expect("five tensors registered");
            let (fake, heat, arrows, mesh, eval) = (next()?, next()?, next()?, next()?, next()?);
            let analysis =
                trainer
                    .borrow_mut()
                    .analyse(grid, &eval, probability.then_some(heat.as_slice()));
            let number = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
            let modes = analysis.modes;
            let metrics = object(&[
                ("jsd", analysis.jsd.into()),
                ("klDataG", analysis.kl_data_g.into()),
                ("klGData", analysis.kl_g_data.into()),
                ("valueAtOptimum", analysis.value_at_optimum.into()),
                ("dStarGap", number(analysis.d_star_gap)),
                ("modesCovered", number(modes.map(|m| m.covered as f64))),
                ("modesTotal", number(modes.map(|m| m.total as f64))),
                ("highQuality", number(modes.map(|m| m.high_quality))),
                ("samples", (analysis.samples as f64).into()),
                ("densityNote", analysis.density_note.into()),
            ]);
            let array = |v: &[f32]| JsValue::from(js_sys::Float32Array::from(v));
            Ok(object(&[
                ("real", array(&real)),
                ("fake", array(&fake)),
                ("heat", array(&heat)),
                (
                    "heatKind",
                    JsValue::from_str(if probability { "probability" } else { "critic" }),
                ),
                ("dStar", array(&analysis.d_star)),
                ("arrows", array(&arrows)),
                ("mesh", array(&mesh)),
                ("meshRows", (mesh_rows as f64).into()),
                ("meshCols", (mesh_cols as f64).into()),
                ("bounds", array(&[lo, hi, lo, hi])),
                ("metrics", metrics),
            ]))
        })
    }

    /// `n` generated points from fresh noise, as a Float32Array of x,y pairs.
    pub fn samples(&self, n: u32) -> js_sys::Promise {
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        promise(async move {
            if n == 0 || n > MAX_SAMPLES {
                return Err(JsError::new(&format!(
                    "samples(n): n must be from 1 to {MAX_SAMPLES}, got {n}"
                )));
            }
            let _busy = BusyGuard::take(&busy)?;
            let points = trainer.borrow_mut().samples(n as usize);
            Ok(floats(points.into_data_async().await.map_err(read_error)?)?.into())
        })
    }
}

/// A valid configuration of 2-D data (image data is trained by `DigitPlayground`).
fn points_config(json: &str) -> Result<GanConfig, JsError> {
    let config = GanConfig::from_json(json).map_err(|e| JsError::new(&e.to_string()))?;
    if config.data.dataset.is_image() {
        return Err(JsError::new(
            "data.dataset \"mnist\" is trained by DigitPlayground, not Playground (2-D data only)",
        ));
    }
    Ok(config)
}

/// The divergence guard of a playground's trainer.
pub(crate) type Guard<T> = Rc<RefCell<DivergenceGuard<T>>>;

/// A rebuilt network makes every kept state unfit to restore.
pub(crate) fn forget_if_rebuilt<T: Snapshot>(guard: &Guard<T>, rebuilt: &Rebuild) {
    if rebuilt.generator || rebuilt.discriminator {
        guard.borrow_mut().clear();
    }
}

/// `restoreLastGood` of both playgrounds: the last good state under the current config.
pub(crate) fn restore_last_good<T: Chunked>(
    trainer: &Rc<RefCell<T>>,
    guard: &Guard<T>,
) -> Result<f64, JsError> {
    let good = guard.borrow().good().cloned().ok_or_else(|| {
        JsError::new("no good state to restore: the run diverged before any chunk came back finite; reset it instead")
    })?;
    let mut trainer = trainer.borrow_mut();
    let config = trainer.config().clone();
    *trainer = good;
    // The kept state has the same networks (the guard is cleared when one is rebuilt), so
    // this only re-applies live settings such as the learning rates.
    trainer.reconfigure(config);
    Ok(trainer.step() as f64)
}

/// What `train_chunk` needs of a trainer (the 2-D and the image one).
pub(crate) trait Chunked: Snapshot + 'static {
    fn train_until(
        &mut self,
        max: usize,
        mode: StepMode,
        done: &mut dyn FnMut() -> bool,
    ) -> Tensor<1>;
    fn config(&self) -> &GanConfig;
    fn reconfigure(&mut self, config: GanConfig) -> Rebuild;
}

impl Chunked for Trainer {
    fn train_until(
        &mut self,
        max: usize,
        mode: StepMode,
        done: &mut dyn FnMut() -> bool,
    ) -> Tensor<1> {
        Trainer::train_until(self, max, mode, done)
    }
    fn config(&self) -> &GanConfig {
        Trainer::config(self)
    }
    fn reconfigure(&mut self, config: GanConfig) -> Rebuild {
        Trainer::reconfigure(self, config)
    }
}

/// Up to `max_steps` iterations in `mode` within `budget_ms`, losses read back at once:
/// `{steps, step, losses, diverged}` (see `Playground::train`). The guard copies the state the
/// chunk started from (when it is due to be kept) until its losses are known to be finite.
pub(crate) fn train_chunk<T: Chunked>(
    trainer: Rc<RefCell<T>>,
    guard: Guard<T>,
    busy: Rc<Cell<bool>>,
    max_steps: u32,
    budget_ms: f64,
    mode: Option<String>,
) -> js_sys::Promise {
    promise(async move {
        let mode =
            StepMode::parse(mode.as_deref().unwrap_or("both")).map_err(|e| JsError::new(&e))?;
        let _busy = BusyGuard::take(&busy)?;
        let (losses, step) = {
            let mut trainer = trainer.borrow_mut();
            guard.borrow_mut().before_chunk(&trainer);
            let start = now_ms();
            let losses = trainer.train_until(max_steps as usize, mode, &mut || {
                now_ms() - start >= budget_ms
            });
            (losses, trainer.step())
        };
        let data = losses.into_data_async().await.map_err(read_error)?;
        let values = data.try_into_vec::<f32>().map_err(read_error)?;
        let diverged = first_divergence(&values, step, mode, trainer.borrow().config());
        guard.borrow_mut().after_chunk(diverged.is_none());
        let diverged = match diverged {
            None => JsValue::NULL,
            Some(d) => {
                let good = guard.borrow().good().map(|t| t.step() as f64);
                object(&[
                    ("step", (d.step as f64).into()),
                    ("quantity", d.quantity.into()),
                    ("message", d.explain(trainer.borrow().config()).into()),
                    ("goodStep", good.map_or(JsValue::NULL, JsValue::from)),
                ])
            }
        };
        let steps = values.len() / LOSS_STRIDE;
        Ok(object(&[
            ("steps", (steps as f64).into()),
            ("step", (step as f64).into()),
            (
                "losses",
                js_sys::Float32Array::from(values.as_slice()).into(),
            ),
            ("diverged", diverged),
        ]))
    })
}

/// A JS promise of `future`; errors reject it with a JS `Error`.
pub(crate) fn promise(
    future: impl Future<Output = Result<JsValue, JsError>> + 'static,
) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move { future.await.map_err(JsValue::from) })
}
