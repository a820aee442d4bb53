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

/// Runs once when the module is instantiated: panics and Burn's logs reach the page and console.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    panic::install();
}
