//! Which device trains: WebGPU when the browser has it, else Burn's pure-Rust CPU backend.

use burn::prelude::*;
use wasm_bindgen::prelude::*;

use crate::gpu;

/// The backend a playground trains on.
#[wasm_bindgen]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The browser's WebGPU device.
    Webgpu = "webgpu",
    /// Burn's `flex` backend on the CPU (wasm SIMD).
    Cpu = "cpu",
}

/// What the user asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// WebGPU if the browser has it, else the CPU.
    Auto,
    /// WebGPU (the CPU, with the reason, if it fails).
    Webgpu,
    /// The CPU.
    Cpu,
}

impl Request {
    /// Parses the `backend` attribute.
    pub fn parse(name: &str) -> Result<Self, String> {
        match name {
            "auto" | "" => Ok(Self::Auto),
            "webgpu" => Ok(Self::Webgpu),
            "cpu" => Ok(Self::Cpu),
            other => Err(format!(
                "backend must be \"auto\", \"webgpu\" or \"cpu\", got {other:?}"
            )),
        }
    }
}

/// The chosen device, its backend, and a note for the user when the choice differs from the ask.
pub async fn select(request: Request) -> (Device, Backend, String) {
    if request == Request::Cpu {
        return (Device::flex(), Backend::Cpu, String::new());
    }
    match gpu::webgpu().await {
        Ok(device) => (device, Backend::Webgpu, String::new()),
        Err(why) => (
            Device::flex(),
            Backend::Cpu,
            format!("WebGPU unavailable: {why}. Training on the CPU."),
        ),
    }
}
