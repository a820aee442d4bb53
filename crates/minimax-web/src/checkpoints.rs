//! Checkpoints from JS: saving a run (both playgrounds) and reading a file's configuration, so
//! the page knows which playground continues it. Also the page's host snapshots on WebGPU,
//! which let a run go on on the CPU when the GPU device is lost.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use burn::module::{ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;
use burn::tensor::Transaction;
use minimax_core::checkpoint::Checkpoint;
use minimax_core::run::GanRun;
use wasm_bindgen::prelude::*;

use crate::chunked::{BusyGuard, Guard, object, promise, read_error};

/// `saveCheckpoint(history)` of both playgrounds: the checkpoint file's bytes. On the CPU it
/// holds everything; on WebGPU, which cannot be read synchronously, G and D are copied to the
/// CPU first and the optimizer states (read synchronously by Burn) stay out.
pub(crate) fn save<T: GanRun>(
    trainer: Rc<RefCell<T>>,
    busy: Rc<Cell<bool>>,
    on_cpu: bool,
    history: js_sys::Float32Array,
) -> js_sys::Promise {
    promise(async move {
        let _busy = BusyGuard::take(&busy)?;
        let history = history.to_vec();
        let checkpoint = if on_cpu {
            let trainer = trainer.borrow();
            let (g, d) = trainer.models();
            trainer.checkpoint_of((g, d), history, true)
        } else {
            let (g, d) = {
                let trainer = trainer.borrow();
                let (g, d) = trainer.models();
                // `train` folds pending batch-norm statistics in (see module_bytes).
                (g.clone().train(), d.clone().train())
            };
            let (g, d) = (to_cpu(g).await?, to_cpu(d).await?);
            trainer.borrow().checkpoint_of((&g, &d), history, false)
        };
        Ok(js_sys::Uint8Array::from(checkpoint.encode().as_slice()).into())
    })
}

/// `loadCheckpoint(bytes)` of every playground: the run `build` makes from the decoded file
/// replaces the trainer (and the divergence guard's kept states, which belong to the old run).
/// A bad file throws and changes nothing. `build` gets whether to restore the optimizer states
/// (see [`keeps_optimizer_states`]); when the file has them and they are left out, Adam's
/// moments restart and the returned `note` says so. Returns `{configJson, step, history, note}`.
pub(crate) fn load<T: GanRun>(
    trainer: &Rc<RefCell<T>>,
    guard: &Guard<T>,
    busy: &Rc<Cell<bool>>,
    bytes: &[u8],
    device: &Device,
    build: impl FnOnce(&Checkpoint, bool) -> Result<T, String>,
) -> Result<JsValue, JsError> {
    let _busy = BusyGuard::take(busy)?;
    let error = |e: String| JsError::new(&e);
    let checkpoint = Checkpoint::decode(bytes).map_err(error)?;
    let optimizers = keeps_optimizer_states(device);
    let run = build(&checkpoint, optimizers).map_err(error)?;
    let note = if !optimizers && checkpoint.part("optimizer_g").is_ok() {
        "optimizer moments restart (this run is on the CPU path of the WebGPU module)"
    } else {
        ""
    };
    let result = object(&[
        ("configJson", run.config().to_json().into()),
        ("step", (run.step() as f64).into()),
        (
            "history",
            js_sys::Float32Array::from(checkpoint.history.as_slice()).into(),
        ),
        ("note", note.into()),
    ]);
    *trainer.borrow_mut() = run;
    guard.borrow_mut().clear();
    Ok(result)
}

/// Whether a run on `device` can take a checkpoint's optimizer states. Burn creates them on its
/// default device and moves them to the parameters' device on the next step. In the two CPU
/// modules that default is the CPU (flex); in the WebGPU module it is the WebGPU device gpu.rs
/// opens (the same `WgpuDevice`: see `gpu::init`). There the moments go over and a resumed run
/// continues to the bit. A CPU run in the WebGPU module (after a lost device, say) would have
/// them created on a WebGPU device that is not open, which panics: there they restart.
fn keeps_optimizer_states(device: &Device) -> bool {
    Device::default() == *device
}

/// The configuration (JSON) a checkpoint file continues; throws with the reason for a file that
/// is not a checkpoint. The page builds the playground this names, then loads the file into it.
#[wasm_bindgen(js_name = checkpointConfig)]
pub fn checkpoint_config(bytes: &[u8]) -> Result<String, JsError> {
    let checkpoint = Checkpoint::decode(bytes).map_err(|e| JsError::new(&e))?;
    Ok(checkpoint.config.to_json())
}

/// A copy of `module` on the CPU, read back asynchronously (parameter ids kept).
pub(crate) async fn to_cpu<M: Module>(module: M) -> Result<M, JsError> {
    struct Collect(Vec<Tensor<1>>);
    impl ModuleVisitor for Collect {
        fn visit_float<const D: usize>(&mut self, p: &Param<Tensor<D>>) {
            let t = p.val();
            let n = t.shape().num_elements();
            self.0.push(t.reshape([n]));
        }
    }
    let mut collect = Collect(Vec::new());
    module.visit(&mut collect);
    let mut transaction = Transaction::default();
    for t in collect.0 {
        transaction = transaction.register(t);
    }
    let data = transaction.execute_async().await.map_err(read_error)?;
    struct Replace(std::vec::IntoIter<TensorData>, Device);
    impl ModuleMapper for Replace {
        fn map_float<const D: usize>(&mut self, p: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let data = self.0.next().expect("one readback per parameter");
            let device = self.1.clone();
            p.map(|t| {
                let dims = t.dims();
                Tensor::<1>::from_data(data, &device).reshape(dims)
            })
        }
    }
    Ok(module.map(&mut Replace(data.into_iter(), Device::flex())))
}
