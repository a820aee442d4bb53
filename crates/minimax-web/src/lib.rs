//! The playground's only JS-facing surface: a thin wasm-bindgen layer over `minimax-core` that
//! owns device selection, asynchronous stepping and readback, and JS conversions.
//!
//! Built twice for the page: as is, the small CPU module (`minimax-web_bg.wasm`, Burn's `flex`
//! only); with the `webgpu` feature, through `crates/minimax-web-gpu`, the WebGPU module that the
//! page fetches only when WebGPU is tried. Both run in a Web Worker (`web/engine/engine-worker.js`).

mod backend;
mod checkpoints;
mod chunked;
mod config_api;
mod cycle;
mod digit_cycle;
mod digits;
#[cfg(feature = "webgpu")]
mod gpu;
mod panic;
mod playground;

pub use backend::Backend;
pub use checkpoints::checkpoint_config;
pub use config_api::{dirac_gan, presets, stabilizers};
pub use cycle::CyclePlayground;
pub use digit_cycle::DigitCyclePlayground;
pub use digits::DigitPlayground;
pub use playground::Playground;

#[cfg(target_family = "wasm")]
unsafe extern "C" {
    /// The static constructors (`inventory` registrations in cubecl), synthesised by wasm-ld.
    fn __wasm_call_ctors();
}

/// Runs the static constructors, once. Without an explicit call, wasm-ld wraps *every* export in
/// a call to them (`*.command_export`): measured 3.5 ms added to each wasm call, even a getter,
/// and 9 ms to a one-step `train`. With it, wasm-ld treats the module as a library and leaves
/// the call to us: from the start function, and again (a no-op then) before WebGPU is set up,
/// because a test harness may not run this crate's start function and cubecl needs them.
pub(crate) fn run_constructors_once() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static DONE: AtomicBool = AtomicBool::new(false);
    if DONE.swap(true, Ordering::SeqCst) {
        return;
    }
    #[cfg(target_family = "wasm")]
    // SAFETY: called once (guarded above), before any code that reads what they register.
    unsafe {
        __wasm_call_ctors();
    }
}

/// Bytes of wasm linear memory now (it only grows): what the long-run benchmark watches.
#[wasm_bindgen::prelude::wasm_bindgen(js_name = wasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    use wasm_bindgen::JsCast;
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

/// Runs once when the module is instantiated: panics and Burn's logs reach the page and console.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    run_constructors_once();
    panic::install();
}
