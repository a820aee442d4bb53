//! The fast CPU module: the same JS API and code as `minimax-web` (the small CPU module), built
//! with the `web-fast` profile (every crate at `opt-level = 3`: Burn's CPU backend's element-wise
//! loops vectorised; about 1.5× the small module's gzip size). A crate of its own so Trunk builds
//! it under another name (`minimax-web-fast.js` / `minimax-web-fast_bg.wasm`); the page fetches
//! it once a reader has trained for a few seconds on the small module and moves the running
//! training over (web/run/run-control.js, docs/engine.md). Nothing here but the re-export that
//! links the bindings in.

pub use minimax_web::*;
