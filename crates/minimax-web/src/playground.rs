//! `Playground`: one training run as seen from JS. Every method that reads the device returns a
//! promise and reads back once per call, asynchronously (a synchronous read panics on WebGPU).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burn::prelude::*;
use burn::tensor::Transaction;
use minimax_core::checkpoint::Checkpoint;
use minimax_core::config::GanConfig;
use minimax_core::likelihood::flow::{FlowConfig, FlowFit};
use minimax_core::likelihood::{self, Measures};
use minimax_core::points::train::Trainer;
use wasm_bindgen::prelude::*;

use crate::backend::{self, Backend, Request};
use crate::checkpoints;
use crate::chunked::{
    self, BusyGuard, Guard, floats, object, promise, read_error, restore_last_good, train_chunk,
};
use minimax_core::run::GanRun;

/// Most points `samples(n)` returns at once.
const MAX_SAMPLES: u32 = 100_000;
/// Finest grid `view(res)` evaluates D on.
const MAX_GRID: u32 = 256;
/// Most mixture components `likelihood(k)` fits.
const MAX_COMPONENTS: u32 = 64;
/// Most flow steps one `trainFlow(steps)` call takes (the worker answers nothing meanwhile).
const MAX_FLOW_STEPS: u32 = 1_000;

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
    /// The normalizing flow trained beside the GAN (on the CPU: its networks are tiny), and the
    /// config whose data it models.
    flow: RefCell<Option<(GanConfig, FlowFit)>>,
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
            flow: RefCell::new(None),
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
        let rebuilt = chunked::reconfigure(&self.trainer, &self.guard, config);
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
        let build = |c: &Checkpoint, optimizers| Trainer::from_checkpoint(c, device, optimizers);
        checkpoints::load(&self.trainer, &self.guard, &self.busy, bytes, device, build)
    }

    /// The maximum-likelihood baseline of this run's data: a Gaussian mixture of `components`
    /// (1 to 64) fitted by EM to 5,000 data points, measured as the views measure G (core's
    /// `likelihood::fit_baseline`; it does not touch the training). See docs/wasm-api.md.
    pub fn likelihood(&self, components: u32) -> Result<JsValue, JsError> {
        if !(1..=MAX_COMPONENTS).contains(&components) {
            let message =
                format!("components must be from 1 to {MAX_COMPONENTS}, got {components}");
            return Err(JsError::new(&message));
        }
        let config = self.trainer.borrow().config().clone();
        if config.data.dataset.is_image() {
            return Err(JsError::new(
                "a Gaussian mixture is fitted to 2-D data only",
            ));
        }
        let b = likelihood::fit_baseline(&config, components as usize, 100, 5_000);
        let flat = |v: Vec<f64>| JsValue::from(js_sys::Float64Array::from(v.as_slice()));
        let means = b.mixture.means.iter().flatten().copied().collect();
        let mut fields = vec![
            ("components", f64::from(components).into()),
            ("weights", flat(b.mixture.weights)),
            ("means", flat(means)),
            ("logLikelihood", b.held_out_log_likelihood.into()),
        ];
        fields.extend(measures_fields(&b.measures));
        Ok(object(&fields))
    }

    /// Trains the normalizing flow of this run's data for `steps` (1 to 1,000) more Adam steps
    /// on the CPU, a new flow when there is none or the data or seed changed (core's
    /// `likelihood::flow`; the GAN's training is untouched). Returns `{step, history}`: the
    /// steps done in all and the mean log-likelihood of each new step's batch. See
    /// docs/wasm-api.md.
    #[wasm_bindgen(js_name = trainFlow)]
    pub fn train_flow(&self, steps: u32) -> Result<JsValue, JsError> {
        if !(1..=MAX_FLOW_STEPS).contains(&steps) {
            let message = format!("steps must be from 1 to {MAX_FLOW_STEPS}, got {steps}");
            return Err(JsError::new(&message));
        }
        let config = self.trainer.borrow().config().clone();
        if config.data.dataset.is_image() {
            return Err(JsError::new("a flow is trained on 2-D data only"));
        }
        let mut flow = self.flow.borrow_mut();
        let same_data = |c: &GanConfig| c.data == config.data && c.seed == config.seed;
        if !flow.as_ref().is_some_and(|(c, _)| same_data(c)) {
            let device = Device::flex().autodiff();
            *flow = Some((
                config.clone(),
                FlowFit::new(&config, FlowConfig::default(), &device),
            ));
        }
        let (_, fit) = flow.as_mut().expect("set above");
        let before = fit.step();
        fit.train(steps as usize);
        let history = js_sys::Float32Array::from(&fit.history()[before..]);
        Ok(object(&[
            ("step", (fit.step() as f64).into()),
            ("history", history.into()),
        ]))
    }

    /// The flow as trained so far, measured as `likelihood` measures the mixture: `{step,
    /// samples, logLikelihood, trainLogLikelihood, modesCovered, …}`. An error before
    /// `trainFlow`.
    #[wasm_bindgen(js_name = flowResult)]
    pub fn flow_result(&self) -> Result<JsValue, JsError> {
        let flow = self.flow.borrow();
        let Some((config, fit)) = flow.as_ref() else {
            return Err(JsError::new(
                "no flow has been trained yet: call trainFlow first",
            ));
        };
        let r = fit.result(config);
        let mut fields = vec![
            ("step", (r.steps as f64).into()),
            ("logLikelihood", r.held_out_log_likelihood.into()),
            ("trainLogLikelihood", r.log_likelihood.into()),
        ];
        fields.extend(measures_fields(&r.measures));
        Ok(object(&fields))
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
/// A maximum-likelihood model's samples and measures, named as `view`'s metrics are.
fn measures_fields(m: &Measures) -> Vec<(&'static str, JsValue)> {
    let number = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
    vec![
        (
            "samples",
            js_sys::Float32Array::from(m.samples.as_slice()).into(),
        ),
        ("modesCovered", number(m.modes.map(|m| m.covered as f64))),
        ("modesTotal", number(m.modes.map(|m| m.total as f64))),
        ("highQuality", number(m.modes.map(|m| m.high_quality))),
        ("jsd", m.jsd.into()),
        ("klDataModel", m.kl_data_model.into()),
        ("klModelData", m.kl_model_data.into()),
    ]
}

fn points_config(json: &str) -> Result<GanConfig, JsError> {
    let config = GanConfig::from_json(json).map_err(|e| JsError::new(&e.to_string()))?;
    if config.data.dataset.is_image() {
        return Err(JsError::new(
            "data.dataset \"mnist\" is trained by DigitPlayground, not Playground (2-D data only)",
        ));
    }
    if !config.cycle.is_off() {
        return Err(JsError::new(
            "cycle.source: a CycleGAN translation run is trained by CyclePlayground, not Playground",
        ));
    }
    Ok(config)
}
