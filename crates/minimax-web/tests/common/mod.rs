//! What the browser under test offers, shared by the wasm test files.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(
    inline_js = "export function hasWebGpu() { return Boolean(globalThis.navigator && navigator.gpu); }"
)]
extern "C" {
    #[wasm_bindgen(js_name = hasWebGpu)]
    fn has_web_gpu() -> bool;
}

/// The backend a `"webgpu"` request must give here: WebGPU where the browser has it (Chromium),
/// else the CPU with the reason in the note (Firefox ESR, WebKitGTK).
pub fn webgpu_or_cpu() -> minimax_web::Backend {
    if has_web_gpu() {
        minimax_web::Backend::Webgpu
    } else {
        minimax_web::Backend::Cpu
    }
}

/// The note of a `"webgpu"` request that fell back for want of WebGPU.
pub const NO_WEBGPU_NOTE: &str = "WebGPU unavailable: this browser has no WebGPU (navigator.gpu is missing). Training on the CPU.";
