//! Headless-browser tests (wasm-bindgen-test): Chromium through chromedriver (WebGPU on
//! SwiftShader) and Firefox through geckodriver (no WebGPU: the WebGPU tests check the fallback).
//! Run by `scripts/test.sh`; see docs/testing.md.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test
#![cfg(target_arch = "wasm32")]

use burn::prelude::*;
use minimax_core::config::GanConfig;
use minimax_core::metrics::Moments;
use minimax_core::objective::ObjectiveKind;
use minimax_core::points::train::Trainer;
use minimax_web::{Backend, Playground};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod common;

wasm_bindgen_test_configure!(run_in_browser);

const SMALL: &str =
    r#"{"train": {"batch_size": 64}, "generator": {"width": 32}, "discriminator": {"width": 32}}"#;

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &key.into()).unwrap()
}

/// A playground of the `SMALL` config on `backend` ("cpu", "webgpu" or "auto").
async fn small(backend: &str) -> Playground {
    Playground::create(SMALL.into(), backend.into())
        .await
        .map_err(JsValue::from)
        .expect("created")
}

/// Runs `steps` iterations through the JS-facing API; returns the losses read back.
async fn train(pg: &Playground, steps: u32) -> Vec<f32> {
    let chunk = JsFuture::from(pg.train(steps, 1e9, None))
        .await
        .expect("train resolves");
    assert_eq!(get(&chunk, "steps").as_f64(), Some(f64::from(steps)));
    js_sys::Float32Array::from(get(&chunk, "losses")).to_vec()
}

async fn trains_with_finite_losses(backend: &str, expected: Backend) {
    let pg = small(backend).await;
    assert_eq!(pg.backend(), expected, "note: {}", pg.backend_note());
    if backend == "webgpu" && expected == Backend::Cpu {
        assert_eq!(pg.backend_note(), common::NO_WEBGPU_NOTE);
    }
    let losses = train(&pg, 3).await;
    assert_eq!(losses.len(), 12, "dLoss, gLoss, value, gradNorm per step");
    assert!(losses.iter().all(|v| v.is_finite()), "{losses:?}");
    assert_eq!(pg.step(), 3.0);
    let view = JsFuture::from(pg.view(8)).await.expect("view resolves");
    let heat = js_sys::Float32Array::from(get(&view, "heat")).to_vec();
    assert_eq!(heat.len(), 64);
    assert!(heat.iter().all(|d| (0.0..=1.0).contains(d)), "{heat:?}");
    let d_star = js_sys::Float32Array::from(get(&view, "dStar")).to_vec();
    assert_eq!(d_star.len(), 64);
    let arrows = js_sys::Float32Array::from(get(&view, "arrows")).to_vec();
    assert!(arrows.len() == 1024 && arrows.iter().all(|v| v.is_finite()));
    let metrics = get(&view, "metrics");
    let jsd = get(&metrics, "jsd").as_f64().unwrap();
    assert!((0.0..=core::f64::consts::LN_2).contains(&jsd), "{jsd}");
    assert_eq!(get(&metrics, "modesTotal").as_f64(), Some(8.0));
    let samples =
        js_sys::Float32Array::from(JsFuture::from(pg.samples(100)).await.unwrap()).to_vec();
    assert_eq!(samples.len(), 200);
    assert!(samples.iter().all(|v| v.is_finite()));
}

#[wasm_bindgen_test]
async fn webgpu_trains_with_finite_losses() {
    trains_with_finite_losses("webgpu", common::webgpu_or_cpu()).await;
}

#[wasm_bindgen(inline_js = r#"
// Requests a device the way wgpu does (no requiredFeatures) and compiles a kernel that uses
// subgroups the way cubecl's plane kernels do. Returns "" if the device accepts it (or the
// adapter reports a subgroup size of 1, so cubecl never emits one), else the validation error.
export async function subgroupShaderProblem() {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter.features.has('subgroups')) {
    const info = adapter.info;
    return info.subgroupMinSize === 1 && info.subgroupMaxSize === 1 ? '' :
      `adapter without subgroups reports subgroup sizes ${info.subgroupMinSize}..${info.subgroupMaxSize}`;
  }
  const device = await adapter.requestDevice();
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code: `
    enable subgroups;
    @group(0) @binding(0) var<storage, read_write> out: array<u32>;
    @compute @workgroup_size(32)
    fn main(@builtin(local_invocation_index) i: u32, @builtin(subgroup_invocation_id) lane: u32) {
      out[i] = subgroupBroadcast(lane + 7u, 0u);
    }` });
  device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const error = await device.popErrorScope();
  device.destroy();
  return error ? error.message : '';
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = subgroupShaderProblem)]
    fn subgroup_shader_problem() -> js_sys::Promise;
}

/// The regression test of the subgroup fix in `src/gpu.rs`: once the playground has set up WebGPU,
/// a device requested as wgpu requests it accepts the subgroup WGSL cubecl emits for plane
/// kernels. Without the fix Chrome answers "extension 'subgroups' is not allowed".
#[wasm_bindgen_test]
async fn webgpu_device_accepts_the_subgroup_shaders_cubecl_emits() {
    let pg = small("webgpu").await;
    assert_eq!(
        pg.backend(),
        common::webgpu_or_cpu(),
        "{}",
        pg.backend_note()
    );
    if pg.backend() == Backend::Cpu {
        return; // no WebGPU in this browser: nothing compiles a shader
    }
    let problem = JsFuture::from(subgroup_shader_problem())
        .await
        .unwrap()
        .as_string()
        .unwrap();
    assert_eq!(problem, "", "the subgroup fix is missing or broken");
}

#[wasm_bindgen_test]
async fn cpu_trains_with_finite_losses() {
    trains_with_finite_losses("cpu", Backend::Cpu).await;
}

/// The hand-over of a move to WebGPU: a checkpoint saved on the CPU (with Adam's moments) loads
/// into a WebGPU run with its moments (Burn creates them on its default device, here the WebGPU
/// device already open) and trains on. Without WebGPU the "webgpu" run is this module's CPU path,
/// where Burn's default device is a WebGPU device that is not open: the moments restart, and the
/// note says so.
#[wasm_bindgen_test]
async fn a_cpu_checkpoint_loads_into_webgpu_with_its_optimizer_moments() {
    let cpu = small("cpu").await;
    let history = js_sys::Float32Array::from(train(&cpu, 3).await.as_slice());
    let bytes = JsFuture::from(cpu.save_checkpoint(history))
        .await
        .expect("saves");
    let gpu = small("webgpu").await;
    let loaded = gpu
        .load_checkpoint(&js_sys::Uint8Array::from(bytes).to_vec())
        .map_err(JsValue::from)
        .expect("loads");
    assert_eq!(get(&loaded, "step").as_f64(), Some(3.0));
    let note = get(&loaded, "note").as_string().unwrap_or_default();
    let on_webgpu = gpu.backend() == Backend::Webgpu;
    assert_eq!(note.contains("moments restart"), !on_webgpu, "{note:?}");
    let losses = train(&gpu, 2).await;
    assert!(losses.iter().all(|v| v.is_finite()), "{losses:?}");
    assert_eq!(gpu.step(), 5.0);
}

/// `auto` trains a few steps on each backend and keeps the faster one; the note gives both rates.
#[wasm_bindgen_test]
async fn auto_picks_the_backend_it_measured_faster() {
    let pg = small("auto").await;
    let note = pg.backend_note();
    if common::webgpu_or_cpu() == Backend::Cpu {
        assert_eq!(
            (pg.backend(), note.as_str()),
            (Backend::Cpu, common::NO_WEBGPU_NOTE)
        );
        return;
    }
    // "auto: … (measured 2750.0 steps/s on the CPU, 25.1 on WebGPU)"
    let rate = |after: &str| -> f64 {
        let rest = &note[note.find(after).unwrap_or_else(|| panic!("{note}")) + after.len()..];
        let number: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        number.parse().unwrap_or_else(|_| panic!("{note}"))
    };
    let (cpu, gpu) = (rate("measured "), rate("CPU, "));
    assert!(cpu > 0.0 && gpu > 0.0, "{note}");
    let faster = if gpu > cpu {
        Backend::Webgpu
    } else {
        Backend::Cpu
    };
    assert_eq!(pg.backend(), faster, "{note}");
    assert_eq!(pg.step(), 0.0, "the measured steps are not part of the run");
    // Same seed on either backend: the run starts where an explicit-backend run starts.
    let name = if faster == Backend::Webgpu {
        "webgpu"
    } else {
        "cpu"
    };
    let explicit = small(name).await;
    let (a, b) = (train(&pg, 2).await, train(&explicit, 2).await);
    assert!(
        a.iter()
            .zip(&b)
            .all(|(x, y)| (x - y).abs() <= 1e-4 * (1.0 + y.abs())),
        "{a:?} vs {b:?}"
    );
}

#[wasm_bindgen_test]
async fn bad_input_is_refused_with_the_field_named() {
    let err = Playground::create(r#"{"train": {"batch_size": 0}}"#.into(), "cpu".into())
        .await
        .err()
        .unwrap();
    let message = format!("{:?}", JsValue::from(err));
    assert!(message.contains("train.batch_size"), "{message}");
    let err = Playground::create("{}".into(), "tpu".into())
        .await
        .err()
        .unwrap();
    assert!(format!("{:?}", JsValue::from(err)).contains("auto"));
    let pg = small("cpu").await;
    assert!(pg.set_learning_rates(-1.0, 0.1).is_err());
    assert!(JsFuture::from(pg.samples(0)).await.is_err());
}

// The core's checks that matter, under wasm (flex backend, synchronous reads work on the CPU).

#[wasm_bindgen_test]
fn core_objectives_match_hand_computed_values_under_wasm() {
    let logits = |v: &[f32]| {
        Tensor::<2>::from_data(TensorData::new(v.to_vec(), [v.len(), 1]), &Device::flex())
    };
    let g = ObjectiveKind::NonSaturating
        .objective()
        .g_loss(logits(&[-1.0, 3.0]));
    let g = g.into_data().try_into_vec::<f32>().unwrap()[0];
    assert!((g - 0.680_924_5).abs() < 1e-5, "{g}");
}

#[wasm_bindgen_test]
fn core_seeded_run_is_reproducible_and_moves_g_under_wasm() {
    let config = GanConfig::from_json(r#"{"data": {"dataset": "gaussian"}}"#).unwrap();
    let run = || {
        let mut t = Trainer::new(config.clone(), &Device::flex());
        let before = Moments::of(&t.samples(2000).into_data().try_into_vec::<f32>().unwrap());
        let losses = t.train(300).into_data().try_into_vec::<f32>().unwrap();
        let after = Moments::of(&t.samples(2000).into_data().try_into_vec::<f32>().unwrap());
        (losses, before, after)
    };
    let (a, before, after) = run();
    assert_eq!(a, run().0);
    let data = Moments {
        mean: [1.0, 1.0],
        std: [0.5, 0.5],
    };
    assert!(
        after.distance(&data) < 0.5 * before.distance(&data),
        "{before:?} -> {after:?}"
    );
}

#[wasm_bindgen_test]
async fn cpu_reconfigures_live_and_trains_every_step_mode() {
    let pg = small("cpu").await;
    train(&pg, 2).await;
    let config = r#"{"train": {"batch_size": 32}, "generator": {"width": 32},
                     "discriminator": {"width": 32}, "objective": {"kind": "wgan_gp"},
                     "stabilizers": {"packing": 2}}"#;
    let rebuilt = pg.reconfigure(config).map_err(JsValue::from).unwrap();
    assert_eq!(get(&rebuilt, "generator").as_bool(), Some(false));
    assert_eq!(get(&rebuilt, "discriminator").as_bool(), Some(true));
    assert_eq!(pg.step(), 2.0);
    for mode in ["d", "g", "both"] {
        let chunk = JsFuture::from(pg.train(1, 1e9, Some(mode.into())))
            .await
            .expect("train resolves");
        let losses = js_sys::Float32Array::from(get(&chunk, "losses")).to_vec();
        assert_eq!(losses.len(), 4);
        assert_eq!(losses[0].is_nan(), mode == "g", "{mode}: {losses:?}");
        assert_eq!(losses[1].is_nan(), mode == "d", "{mode}: {losses:?}");
    }
    let view = JsFuture::from(pg.view(8)).await.expect("view resolves");
    assert_eq!(
        get(&view, "heatKind").as_string().as_deref(),
        Some("critic")
    );
    assert!(get(&get(&view, "metrics"), "dStarGap").is_null());
    assert!(
        JsFuture::from(pg.train(1, 1e9, Some("x".into())))
            .await
            .is_err()
    );
    assert!(
        pg.reconfigure(r#"{"stabilizers": {"packing": 0}}"#)
            .is_err()
    );
    assert_eq!(pg.step(), 5.0, "a rejected config changes nothing");
}

#[wasm_bindgen_test]
fn presets_stabilizers_and_dirac_gan_reach_js() {
    let presets = minimax_web::presets().map_err(JsValue::from).unwrap();
    assert!(js_sys::Array::from(&presets).length() >= 9);
    let chips = minimax_web::stabilizers().map_err(JsValue::from).unwrap();
    let every_chip = minimax_core::stabilizers::stabilizers().len();
    assert_eq!(js_sys::Array::from(&chips).length() as usize, every_chip);
    assert!(
        every_chip >= 9,
        "k, TTUR, smoothing, noise, packing, mbstd, R1, SN, averaging"
    );
    let orbits = minimax_web::dirac_gan(r#"{"steps": 10}"#)
        .map_err(JsValue::from)
        .unwrap();
    assert_eq!(
        js_sys::Float32Array::from(get(&orbits, "alternating")).length(),
        22
    );
    assert!(minimax_web::dirac_gan(r#"{"lr": -1}"#).is_err());
}
