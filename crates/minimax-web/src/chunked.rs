//! What every class that trains shares: training any `GanRun` in time-boxed chunks read back at
//! once (`train_chunk`) under the divergence guard (whose rules live in core's `guard`), the busy flag that serialises calls,
//! and the few JS helpers (promises, plain objects, typed arrays, the clock). A leaf: it knows
//! neither class.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burn::prelude::*;
use minimax_core::config::{GanConfig, Rebuild};
use minimax_core::guard::DivergenceGuard;
use minimax_core::points::train::{LOSS_STRIDE, StepMode};
use minimax_core::run::GanRun;
use wasm_bindgen::prelude::*;

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

/// The divergence guard of a playground's trainer.
pub(crate) type Guard<T> = Rc<RefCell<DivergenceGuard<T>>>;

/// A rebuilt network makes every kept state unfit to restore: `reconfigure` of both classes.
pub(crate) fn reconfigure<T: GanRun>(
    trainer: &Rc<RefCell<T>>,
    guard: &Guard<T>,
    config: GanConfig,
) -> Rebuild {
    guard
        .borrow_mut()
        .reconfigure(&mut trainer.borrow_mut(), config)
}

/// `restoreLastGood` of both playgrounds: the last good state under the current config.
pub(crate) fn restore_last_good<T: GanRun>(
    trainer: &Rc<RefCell<T>>,
    guard: &Guard<T>,
) -> Result<f64, JsError> {
    let step = guard
        .borrow()
        .restore_last_good(&mut trainer.borrow_mut())
        .map_err(|e| JsError::new(&e))?;
    Ok(step as f64)
}

/// Up to `max_steps` iterations in `mode` within `budget_ms`, losses read back at once:
/// `{steps, step, losses, diverged}` (see `Playground::train`). The guard copies the state the
/// chunk started from (when it is due to be kept) until its losses are known to be finite.
pub(crate) fn train_chunk<T: GanRun>(
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
            let start = now_ms();
            let mut done = || now_ms() - start >= budget_ms;
            let losses =
                guard
                    .borrow_mut()
                    .train_chunk(&mut trainer, max_steps as usize, mode, &mut done);
            (losses, trainer.step())
        };
        let data = losses.into_data_async().await.map_err(read_error)?;
        let values = data.try_into_vec::<f32>().map_err(read_error)?;
        let diverged = guard
            .borrow_mut()
            .judge_chunk(&trainer.borrow(), &values, mode);
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
