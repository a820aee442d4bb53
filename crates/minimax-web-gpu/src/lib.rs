//! The WebGPU module: the same JS API as `minimax-web` (the CPU module), built with its `webgpu`
//! feature. A crate of its own so Trunk builds it beside the CPU module under another name
//! (`minimax-web-gpu.js` / `minimax-web-gpu_bg.wasm`); the worker imports it only when WebGPU is
//! tried (web/engine/engine-worker.js). Nothing here but the re-export that links the bindings in.

pub use minimax_web::*;
