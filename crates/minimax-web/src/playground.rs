//! `Playground`: one training run as seen from JS. Every method that reads the device returns a
//! promise and reads back once per call, asynchronously (a synchronous read panics on WebGPU).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burn::prelude::*;
use burn::tensor::Transaction;
use minimax_core::config::GanConfig;
use minimax_core::train::Trainer;
use wasm_bindgen::prelude::*;

use crate::backend::{self, Backend, Request};

/// Most points `samples(n)` returns at once.
const MAX_SAMPLES: u32 = 100_000;
/// Finest grid `view(res)` evaluates D on.
const MAX_GRID: u32 = 256;

/// A training run on one backend.
#[wasm_bindgen]
pub struct Playground {
    trainer: Rc<RefCell<Trainer>>,
    /// Set while a call awaits its readback, so calls cannot interleave.
    busy: Rc<Cell<bool>>,
    backend: Backend,
    note: String,
}

/// Marks the playground busy until dropped.
struct BusyGuard(Rc<Cell<bool>>);

impl BusyGuard {
    fn take(busy: &Rc<Cell<bool>>) -> Result<Self, JsError> {
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

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

fn read_error(e: impl core::fmt::Debug) -> JsError {
    JsError::new(&format!("reading results from the device failed: {e:?}"))
}

fn floats(data: TensorData) -> Result<js_sys::Float32Array, JsError> {
    let values = data.try_into_vec::<f32>().map_err(read_error)?;
    Ok(js_sys::Float32Array::from(values.as_slice()))
}

fn object(entries: &[(&str, JsValue)]) -> JsValue {
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
        let config =
            GanConfig::from_json(&config_json).map_err(|e| JsError::new(&e.to_string()))?;
        let request = Request::parse(&backend).map_err(|e| JsError::new(&e))?;
        let (device, backend, note) = backend::select(request).await;
        Ok(Self {
            trainer: Rc::new(RefCell::new(Trainer::new(config, &device))),
            busy: Rc::new(Cell::new(false)),
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

    /// Runs up to `max_steps` iterations, stopping early once `budget_ms` of main-thread time is
    /// spent (at least one runs), then reads all their losses back at once.
    /// Resolves to `{steps, step, losses}` with `losses = [dLoss, gLoss, value] × steps`.
    pub fn train(&self, max_steps: u32, budget_ms: f64) -> js_sys::Promise {
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        promise(async move {
            let _busy = BusyGuard::take(&busy)?;
            let (losses, step) = {
                let mut trainer = trainer.borrow_mut();
                let start = now_ms();
                let losses =
                    trainer.train_until(max_steps as usize, || now_ms() - start >= budget_ms);
                (losses, trainer.step())
            };
            let losses = floats(losses.into_data_async().await.map_err(read_error)?)?;
            let steps = losses.length() / 3;
            Ok(object(&[
                ("steps", steps.into()),
                ("step", (step as f64).into()),
                ("losses", losses.into()),
            ]))
        })
    }

    /// What the views draw: `{real, fake, heat, bounds}`; see the README's JS API.
    pub fn view(&self, grid_res: u32) -> js_sys::Promise {
        let res = grid_res.clamp(2, MAX_GRID) as usize;
        let (trainer, busy) = (self.trainer.clone(), self.busy.clone());
        promise(async move {
            let _busy = BusyGuard::take(&busy)?;
            let (fake, heat, real, (lo, hi)) = {
                let trainer = trainer.borrow();
                (
                    trainer.view_fake(),
                    trainer.discriminator_grid(res),
                    trainer.view_real().to_vec(),
                    trainer.bounds(),
                )
            };
            let transaction = Transaction::default().register(fake).register(heat);
            let mut data = transaction.execute_async().await.map_err(read_error)?;
            let heat = floats(data.pop().expect("two tensors registered"))?;
            let fake = floats(data.pop().expect("two tensors registered"))?;
            let real = js_sys::Float32Array::from(real.as_slice());
            let bounds = js_sys::Float32Array::from([lo, hi, lo, hi].as_slice());
            Ok(object(&[
                ("real", real.into()),
                ("fake", fake.into()),
                ("heat", heat.into()),
                ("bounds", bounds.into()),
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

/// A JS promise of `future`; errors reject it with a JS `Error`.
fn promise(future: impl Future<Output = Result<JsValue, JsError>> + 'static) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move { future.await.map_err(JsValue::from) })
}
