//! Which device trains: the one asked for, or for `auto` the one that trains *this* model
//! faster, measured: small models are dispatch-bound on a GPU and train faster on the CPU.
//!
//! The page ships this crate twice: the CPU module (no `webgpu` feature: Burn's `flex` only,
//! what every reader downloads) and the WebGPU module (`minimax-web-gpu`, fetched only when
//! WebGPU is tried). In the CPU module every request trains on the CPU; `auto` there is the
//! CPU at once, and the page's worker decides whether WebGPU is worth trying (web/engine/engine.js).

use burn::prelude::*;
#[cfg(feature = "webgpu")]
use minimax_core::points::train::StepMode;
use wasm_bindgen::prelude::*;

#[cfg(feature = "webgpu")]
use crate::chunked::now_ms;
#[cfg(feature = "webgpu")]
use crate::gpu;
use minimax_core::run::GanRun;

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
    /// Whichever of WebGPU and the CPU trains the model faster (measured), the CPU without WebGPU.
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
#[cfg(not(feature = "webgpu"))]
pub async fn select(request: Request) -> (Device, Backend, String) {
    let note = match request {
        Request::Webgpu => {
            "This is the CPU module (WebGPU lives in the WebGPU module). Training on the CPU."
        }
        Request::Auto | Request::Cpu => "",
    };
    (Device::flex(), Backend::Cpu, note.to_string())
}

/// The chosen device, its backend, and a note for the user when the choice differs from the ask.
#[cfg(feature = "webgpu")]
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

/// Builds the run with `make` on the backend `request` names. For `Auto` with WebGPU present,
/// both backends train a few steps of this model and the faster one builds the run afresh (same
/// seed, so step 0 is the same on either); the note says what was measured.
pub async fn build<T: GanRun>(
    request: Request,
    make: impl Fn(&Device) -> T,
) -> (T, Device, Backend, String) {
    if request != Request::Auto {
        let (device, backend, note) = select(request).await;
        return (make(&device), device, backend, note);
    }
    auto(make).await
}

/// `auto` in the CPU module: the CPU, at once.
#[cfg(not(feature = "webgpu"))]
async fn auto<T: GanRun>(make: impl Fn(&Device) -> T) -> (T, Device, Backend, String) {
    let cpu = Device::flex();
    (make(&cpu), cpu, Backend::Cpu, String::new())
}

/// `auto` in the WebGPU module: both backends train a few steps; the faster one builds the run.
#[cfg(feature = "webgpu")]
async fn auto<T: GanRun>(make: impl Fn(&Device) -> T) -> (T, Device, Backend, String) {
    let gpu = match gpu::webgpu().await {
        Ok(device) => device,
        Err(why) => {
            let note = format!("WebGPU unavailable: {why}. Training on the CPU.");
            let cpu = Device::flex();
            return (make(&cpu), cpu, Backend::Cpu, note);
        }
    };
    let cpu = Device::flex();
    let cpu_rate = steps_per_second(&mut make(&cpu)).await;
    let (device, backend, note) = match (cpu_rate, steps_per_second(&mut make(&gpu)).await) {
        (Ok(c), Ok(g)) => {
            let (device, backend, winner) = if g > c {
                (gpu, Backend::Webgpu, "WebGPU")
            } else {
                (cpu, Backend::Cpu, "the CPU")
            };
            let note = format!(
                "auto: {winner} trains this model faster (measured {c:.1} steps/s on the CPU, \
                 {g:.1} on WebGPU)"
            );
            (device, backend, note)
        }
        (_, Err(why)) => (
            cpu,
            Backend::Cpu,
            format!("auto: WebGPU failed a test step ({why}); training on the CPU"),
        ),
        (Err(why), Ok(_)) => (
            gpu,
            Backend::Webgpu,
            format!("auto: the CPU failed a test step ({why}); training on WebGPU"),
        ),
    };
    (make(&device), device, backend, note)
}

/// Steps per second after one warm-up step (where WebGPU compiles its kernels), each step read
/// back as the page's smallest chunk is: at least 2 and at most 20 steps, about 50 ms.
#[cfg(feature = "webgpu")]
async fn steps_per_second<T: GanRun>(run: &mut T) -> Result<f64, String> {
    async fn one<T: GanRun>(run: &mut T) -> Result<(), String> {
        let losses = run.train_until(1, StepMode::Both, &mut || false);
        losses
            .into_data_async()
            .await
            .map(drop)
            .map_err(|e| format!("{e:?}"))
    }
    one(run).await?;
    let start = now_ms();
    let mut steps = 0;
    while steps < 2 || (steps < 20 && now_ms() - start < 50.0) {
        one(run).await?;
        steps += 1;
    }
    Ok(steps as f64 * 1000.0 / (now_ms() - start).max(1e-3))
}
