//! WebGPU device set-up, including the fix that makes Burn 0.22.1 train in a browser at all.
//!
//! # The subgroup fix
//! cubecl sizes its matmul tiles from the adapter's subgroup ("plane") size and, when that size
//! is above 1, emits WGSL with `enable subgroups;` and `subgroupBroadcast` etc. — whether or not
//! the device was created with the `subgroups` feature. wgpu 30's WebGPU backend cannot request
//! that feature (its feature table has no `subgroups` entry), so in Chrome every such shader is
//! rejected ("extension 'subgroups' is not allowed"), losses turn NaN and cubecl panics in its
//! uncaptured-error handler. The device request is where a browser decides which WGSL extensions
//! a device accepts, so that is where we fix it, once, before wgpu asks for the device:
//! - an adapter that supports `subgroups` gets it added to `requiredFeatures` (the fast path:
//!   cubecl's plane kernels then run as intended);
//! - an adapter without it reports a subgroup size of 1 to wgpu, so cubecl takes its
//!   plane-free kernels instead of emitting shaders the device cannot compile.
//!
//! `tests/web.rs::webgpu_device_accepts_the_subgroup_shaders_cubecl_emits` fails without it.
//! Measured on SwiftShader (subgroup size 4): with Burn's `autotune` feature the bug broke the first
//! training step; without it (our build, below) Burn's default kernels happen to avoid plane ops,
//! so training alone would not show it — the fix keeps plane kernels (autotune candidates, plane
//! reductions) valid for whoever turns them on.
//!
//! # First step
//! Burn is built without its `autotune` feature: on a browser GPU, autotune compiled and timed
//! every matmul and reduce candidate before the first step (111 s on SwiftShader). Without it each
//! kernel is compiled once, on first use.

use std::cell::RefCell;

use burn::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
export async function probeWebGpu() {
  if (!globalThis.navigator || !navigator.gpu) return 'this browser has no WebGPU (navigator.gpu is missing)';
  let adapter = null;
  try { adapter = await navigator.gpu.requestAdapter(); } catch (e) { return 'requestAdapter failed: ' + e; }
  if (!adapter) return 'no WebGPU adapter is available (the GPU may be blocklisted or disabled)';
  return '';
}

let lostReason = '';

export function webgpuLostReason() {
  return lostReason;
}

export function installSubgroupFix() {
  const proto = globalThis.GPUAdapter && GPUAdapter.prototype;
  if (!proto || proto.__minimaxSubgroupFix) return;
  const requestDevice = proto.requestDevice;
  proto.requestDevice = async function (descriptor = {}) {
    const features = [...(descriptor.requiredFeatures || [])];
    if (this.features.has('subgroups') && !features.includes('subgroups')) features.push('subgroups');
    const device = await requestDevice.call(this, { ...descriptor, requiredFeatures: features });
    // Registered before wgpu's own handler, so the page hears of a loss before any call fails.
    device.lost.then((info) => {
      lostReason = `${info.reason}: ${info.message}`;
      globalThis.dispatchEvent(new CustomEvent('minimax-gpu-lost', { detail: { reason: lostReason } }));
    });
    return device;
  };
  const info = Object.getOwnPropertyDescriptor(proto, 'info');
  if (info && info.get) {
    Object.defineProperty(proto, 'info', {
      configurable: true,
      get() {
        const real = info.get.call(this);
        if (this.features.has('subgroups')) return real;
        return { vendor: real.vendor, architecture: real.architecture, device: real.device,
                 description: real.description, isFallbackAdapter: real.isFallbackAdapter,
                 subgroupMinSize: 1, subgroupMaxSize: 1 };
      },
    });
  }
  proto.__minimaxSubgroupFix = true;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = probeWebGpu)]
    fn probe_webgpu() -> js_sys::Promise;
    #[wasm_bindgen(js_name = installSubgroupFix)]
    fn install_subgroup_fix();
    #[wasm_bindgen(js_name = webgpuLostReason)]
    fn webgpu_lost_reason() -> String;
}

enum State {
    Idle,
    /// Initialisation under way: later callers wait on the same promise.
    Pending(js_sys::Promise),
    Ready(Result<Device, String>),
}

thread_local! {
    static WEBGPU: RefCell<State> = const { RefCell::new(State::Idle) };
}

/// The page's one WebGPU device (Burn's wgpu runtime can be initialised once per page), or why
/// there is none. Concurrent callers share one initialisation. Once the device is lost (a GPU
/// reset, `GPUDevice.destroy()`), Burn cannot open another: every later caller gets the reason
/// and trains on the CPU; the page hears of the loss through the `minimax-gpu-lost` event.
pub async fn webgpu() -> Result<Device, String> {
    let lost = webgpu_lost_reason();
    if !lost.is_empty() {
        return Err(format!("the WebGPU device was lost ({lost})"));
    }
    let promise = WEBGPU.with_borrow_mut(|state| match state {
        State::Ready(_) => None,
        State::Pending(promise) => Some(promise.clone()),
        State::Idle => {
            let promise = wasm_bindgen_futures::future_to_promise(async {
                let result = init().await;
                WEBGPU.with_borrow_mut(|s| *s = State::Ready(result));
                Ok(JsValue::UNDEFINED)
            });
            *state = State::Pending(promise.clone());
            Some(promise)
        }
    });
    if let Some(promise) = promise {
        JsFuture::from(promise)
            .await
            .map_err(|e| format!("{e:?}"))?;
    }
    WEBGPU.with_borrow(|s| match s {
        State::Ready(result) => result.clone(),
        _ => Err("WebGPU initialisation did not finish".to_string()),
    })
}

async fn init() -> Result<Device, String> {
    crate::run_constructors_once();
    // Checked first: with no adapter, wgpu would panic instead of returning an error.
    let problem = JsFuture::from(probe_webgpu())
        .await
        .map_err(|e| format!("{e:?}"))?;
    if let Some(problem) = problem.as_string().filter(|p| !p.is_empty()) {
        return Err(problem);
    }
    install_subgroup_fix();
    // No `graphics_api(WgpuBackend::WebGpu)`: in wasm the automatic choice is the browser's
    // WebGPU and nothing else (cubecl's AutoGraphicsApi::chain), and left automatic the device is
    // Burn's default device, `Device::default()`, where Burn creates loaded optimizer states
    // (checkpoints.rs: a pinned API made it another device, never opened, and Adam's moments
    // could not go over on a move to WebGPU; tests/web.rs checks it).
    Device::wgpu_options().init_async().await.map_err(|e| {
        // wgpu's message embeds the browser's error with its JS stack: keep its first line.
        let message = e.to_string();
        let first = message.lines().next().unwrap_or_default();
        format!(
            "WebGPU device initialisation failed: {}",
            first.replace("JsValue(", "")
        )
    })
}
