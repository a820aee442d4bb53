//! The playground's only JS-facing surface: a thin wasm-bindgen layer over `minimax-core` that
//! owns device selection, asynchronous stepping and readback, and JS conversions.

mod backend;
mod config_api;
mod digits;
mod gpu;
mod panic;
mod playground;

pub use backend::Backend;
pub use config_api::{dirac_gan, presets, stabilizers};
pub use digits::DigitPlayground;
pub use playground::Playground;

#[cfg(target_family = "wasm")]
unsafe extern "C" {
    /// The static constructors (`inventory` registrations in cubecl), synthesised by wasm-ld.
    fn __wasm_call_ctors();
}

/// Runs once when the module is instantiated: panics and Burn's logs reach the page and console.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    // Without an explicit call, wasm-ld wraps *every* export in a call to the constructors
    // (`*.command_export`): measured 3.5 ms added to each wasm call, even a getter, and 9 ms to
    // a one-step `train`. Calling them once here makes it treat the module as a library.
    #[cfg(target_family = "wasm")]
    // SAFETY: runs once, first, before any other export (wasm-bindgen's start function).
    unsafe {
        __wasm_call_ctors();
    }
    panic::install();
}
