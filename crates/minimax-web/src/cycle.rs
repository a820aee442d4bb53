//! `CyclePlayground`: a CycleGAN translation run between two 2-D datasets as seen from JS (core's
//! `cycle::points::CycleTrainer`: G: X → Y, F: Y → X, D_X, D_Y). The same calls as `Playground`
//! where they mean the same (train, reconfigure, checkpoints, the divergence guard); its `view`
//! draws both directions of the translation and measures it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burn::prelude::*;
use burn::tensor::Transaction;
use minimax_core::checkpoint::Checkpoint;
use minimax_core::config::GanConfig;
use minimax_core::cycle::points::CycleTrainer;
use minimax_core::run::GanRun;
use minimax_core::theory::ModeCoverage;
use wasm_bindgen::prelude::*;

use crate::backend::{self, Backend, Request};
use crate::checkpoints;
use crate::chunked::{
    self, BusyGuard, Guard, object, promise, read_error, restore_last_good, train_chunk,
};

/// Finest grid `view(res)` evaluates the two discriminators on.
const MAX_GRID: u32 = 256;

/// A CycleGAN run on one backend.
#[wasm_bindgen]
pub struct CyclePlayground {
    trainer: Rc<RefCell<CycleTrainer>>,
    /// The last state known to be good, for `restoreLastGood`.
    guard: Guard<CycleTrainer>,
    /// Set while a call awaits its readback, so calls cannot interleave.
    busy: Rc<Cell<bool>>,
    /// Where the models live (without autodiff), for loading checkpoints onto it.
    device: Device,
    backend: Backend,
    note: String,
}

#[wasm_bindgen]
impl CyclePlayground {
    /// Validates `config_json` (a config with `cycle.source` set) and builds G, F, D_X and D_Y
    /// on `backend` ("auto", "webgpu" or "cpu"). Rejects with a message naming each invalid field.
    pub async fn create(config_json: String, backend: String) -> Result<CyclePlayground, JsError> {
        let config = cycle_config(&config_json)?;
        let request = Request::parse(&backend).map_err(|e| JsError::new(&e))?;
        let (trainer, device, backend, note) =
            backend::build(request, |device| CycleTrainer::new(config.clone(), device)).await;
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

    /// Iterations done since the networks were built.
    #[wasm_bindgen(getter)]
    pub fn step(&self) -> f64 {
        self.trainer.borrow().step() as f64
    }

    /// The configuration in use, as JSON.
    #[wasm_bindgen(js_name = configJson)]
    pub fn config_json(&self) -> String {
        self.trainer.borrow().config().to_json()
    }

    /// Applies any valid CycleGAN configuration to the running training; returns
    /// `{generator, discriminator}`: which networks were rebuilt (both of a kind at once).
    pub fn reconfigure(&self, config_json: &str) -> Result<JsValue, JsError> {
        let config = cycle_config(config_json)?;
        let _busy = BusyGuard::take(&self.busy)?;
        let rebuilt = chunked::reconfigure(&self.trainer, &self.guard, config);
        Ok(object(&[
            ("generator", rebuilt.generator.into()),
            ("discriminator", rebuilt.discriminator.into()),
        ]))
    }

    /// Changes both learning rates (D_X and D_Y share one, G and F the other) without resetting
    /// the networks.
    #[wasm_bindgen(js_name = setLearningRates)]
    pub fn set_learning_rates(&self, lr_d: f64, lr_g: f64) -> Result<(), JsError> {
        let mut config = self.trainer.borrow().config().clone();
        config.optimizer_d.lr = lr_d;
        config.optimizer_g.lr = lr_g;
        config
            .validate()
            .map_err(|e| JsError::new(&e.to_string()))?;
        let _busy = BusyGuard::take(&self.busy)?;
        chunked::reconfigure(&self.trainer, &self.guard, config);
        Ok(())
    }

    /// As `Playground::train`: `{steps, step, losses, diverged}`, where an iteration's losses are
    /// the two discriminators' mean loss, the generators' total loss (adversarial + λ·cycle +
    /// identity), the mean game value and ‖∂L/∂θ‖ of G and F.
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

    /// Replaces the run with a CycleGAN checkpoint's; a bad file throws and changes nothing.
    /// Returns `{configJson, step, history, note}`.
    #[wasm_bindgen(js_name = loadCheckpoint)]
    pub fn load_checkpoint(&self, bytes: &[u8]) -> Result<JsValue, JsError> {
        let device = &self.device;
        let build =
            |c: &Checkpoint, optimizers| CycleTrainer::from_checkpoint(c, device, optimizers);
        checkpoints::load(&self.trainer, &self.guard, &self.busy, bytes, device, build)
    }

    /// What the views draw and the translation's metrics (docs/wasm-api.md): `{kind: "cycle",
    /// source, translated, roundTrip, real, translatedBack, heat, heatSource, heatKind, bounds,
    /// roundTripBack, metrics}`. Points are x,y pairs of the fixed view samples: `source` = x ∈ X, `translated` =
    /// G(x), `roundTrip` = F(G(x)), `real` = y ∈ Y, `translatedBack` = F(y), `roundTripBack` = G(F(y));
    /// `heat` is D_Y and
    /// `heatSource` D_X on a `res × res` grid (row 0 at the top). `metrics`: `modesCovered`,
    /// `modesTotal`, `highQuality` of Y by G(X) (null where Y is not a mixture), the same of X by
    /// F(Y) (`sourceModesCovered`, …), `cycleErrorX` = mean |F(G(x)) − x|, `cycleErrorY`,
    /// `cycleError` (their mean) and `samples`.
    pub fn view(&self, grid_res: u32) -> js_sys::Promise {
        let res = grid_res.clamp(2, MAX_GRID) as usize;
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        promise(async move {
            let _busy = BusyGuard::take(&busy)?;
            let (view, eval, (lo, hi)) = {
                let trainer = trainer.borrow();
                (trainer.view(res), trainer.eval_tensors(), trainer.bounds())
            };
            let probability = view.heat_is_probability;
            let mut transaction = Transaction::default()
                .register(view.x)
                .register(view.translated)
                .register(view.round_trip)
                .register(view.y)
                .register(view.translated_back)
                .register(view.round_trip_back)
                .register(view.heat_y)
                .register(view.heat_x);
            for t in eval {
                transaction = transaction.register(t);
            }
            let data = transaction.execute_async().await.map_err(read_error)?;
            let mut read = data
                .into_iter()
                .map(|d| d.try_into_vec::<f32>().map_err(read_error))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter();
            let mut next = || read.next().expect("fourteen tensors registered");
            let drawn: [Vec<f32>; 8] = std::array::from_fn(|_| next());
            let eval: [Vec<f32>; 6] = std::array::from_fn(|_| next());
            let m = trainer.borrow().metrics_of(&eval);
            let coverage = |c: Option<ModeCoverage>| {
                let number = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from);
                [
                    number(c.map(|c| c.covered as f64)),
                    number(c.map(|c| c.total as f64)),
                    number(c.map(|c| c.high_quality)),
                ]
            };
            let [covered, total, quality] = coverage(m.coverage_y);
            let [source_covered, source_total, source_quality] = coverage(m.coverage_x);
            let metrics = object(&[
                ("modesCovered", covered),
                ("modesTotal", total),
                ("highQuality", quality),
                ("sourceModesCovered", source_covered),
                ("sourceModesTotal", source_total),
                ("sourceHighQuality", source_quality),
                ("cycleErrorX", m.cycle_error_x.into()),
                ("cycleErrorY", m.cycle_error_y.into()),
                ("cycleError", m.cycle_error().into()),
                ("samples", (m.samples as f64).into()),
            ]);
            let array = |v: &[f32]| JsValue::from(js_sys::Float32Array::from(v));
            let [x, gx, fgx, y, fy, gfy, heat_y, heat_x] = &drawn;
            Ok(object(&[
                ("kind", "cycle".into()),
                ("source", array(x)),
                ("translated", array(gx)),
                ("roundTrip", array(fgx)),
                ("real", array(y)),
                ("translatedBack", array(fy)),
                ("roundTripBack", array(gfy)),
                ("heat", array(heat_y)),
                ("heatSource", array(heat_x)),
                (
                    "heatKind",
                    JsValue::from_str(if probability { "probability" } else { "critic" }),
                ),
                ("bounds", array(&[lo, hi, lo, hi])),
                ("metrics", metrics),
            ]))
        })
    }
}

/// A valid CycleGAN configuration (2-D data with `cycle.source` set).
fn cycle_config(json: &str) -> Result<GanConfig, JsError> {
    let config = GanConfig::from_json(json).map_err(|e| JsError::new(&e.to_string()))?;
    if config.cycle.is_off() {
        return Err(JsError::new(
            "cycle.source is not set: a GAN from noise is trained by Playground, not CyclePlayground",
        ));
    }
    Ok(config)
}
