//! Headless-browser tests of `DigitPlayground` (the image GAN): training on WebGPU and the CPU,
//! the views, the quality numbers, checkpoints through the async readback, and bad input.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test
#![cfg(target_arch = "wasm32")]

use minimax_core::image::mnist::{Mnist, PIXELS};
use minimax_web::{Backend, DigitPlayground};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod common;

wasm_bindgen_test_configure!(run_in_browser);

/// dcgan_mnist, small enough for SwiftShader.
const SMALL: &str = r#"{"data": {"dataset": "mnist"}, "noise": {"dim": 16},
    "generator": {"kind": "dcgan", "width": 4, "activation": "relu"},
    "discriminator": {"kind": "dcgan", "width": 4, "activation": "leaky_relu"},
    "optimizer_d": {"lr": 2e-4}, "optimizer_g": {"lr": 2e-4}, "train": {"batch_size": 8}}"#;

const CLASSIFIER: &[u8] = include_bytes!("../../../assets/classifier.bpk");

/// 200 synthetic digits (a bar whose position is the label): a valid asset without the 7.9 MB file.
fn asset() -> js_sys::Uint8Array {
    let labels: Vec<u8> = (0..200).map(|i| (i % 10) as u8).collect();
    let mut pixels = vec![0u8; 200 * PIXELS];
    for (i, &l) in labels.iter().enumerate() {
        for row in 4..24 {
            pixels[i * PIXELS + row * 28 + 4 + 2 * l as usize] = 255;
        }
    }
    js_sys::Uint8Array::from(Mnist::from_parts(labels, pixels).to_bytes().as_slice())
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &key.into()).unwrap()
}

async fn create(backend: &str) -> DigitPlayground {
    let classifier = js_sys::Uint8Array::from(CLASSIFIER);
    DigitPlayground::create(SMALL.into(), backend.into(), asset(), Some(classifier))
        .await
        .map_err(JsValue::from)
        .expect("created")
}

async fn train(pg: &DigitPlayground, steps: u32) -> Vec<f32> {
    let chunk = JsFuture::from(pg.train(steps, 1e9, None))
        .await
        .expect("train resolves");
    js_sys::Float32Array::from(get(&chunk, "losses")).to_vec()
}

async fn trains_views_and_checkpoints(backend: &str, expected: Backend) {
    let pg = create(backend).await;
    assert_eq!(pg.backend(), expected, "note: {}", pg.backend_note());
    if backend == "webgpu" && expected == Backend::Cpu {
        assert_eq!(pg.backend_note(), common::NO_WEBGPU_NOTE);
    }
    let losses = train(&pg, 2).await;
    assert_eq!(losses.len(), 8);
    assert!(losses.iter().all(|v| v.is_finite()), "{losses:?}");
    let view = JsFuture::from(pg.view(None)).await.expect("view resolves");
    let fake = js_sys::Uint8Array::from(get(&view, "fake")).to_vec();
    assert_eq!(fake.len(), 64 * PIXELS);
    let (lo, hi) = (fake.iter().min().unwrap(), fake.iter().max().unwrap());
    assert!(lo < hi, "the sample grid is not blank: {lo}..{hi}");
    assert_eq!(
        js_sys::Uint8Array::from(get(&view, "real")).length() as usize,
        20 * PIXELS
    );
    let row = JsFuture::from(pg.interpolate(0, 5, 6, None))
        .await
        .expect("interpolates");
    assert_eq!(js_sys::Uint8Array::from(row).length() as usize, 6 * PIXELS);
    let one = JsFuture::from(pg.walk(3, 1.5, -2.0, None))
        .await
        .expect("walks");
    assert_eq!(js_sys::Uint8Array::from(one).length() as usize, PIXELS);
    let q = JsFuture::from(pg.quality(Some(100)))
        .await
        .expect("quality resolves");
    let score = get(&q, "classifierScore").as_f64().unwrap();
    assert!((1.0..=10.0).contains(&score), "{score}");
    assert!(get(&q, "frechetDistance").as_f64().unwrap() >= 0.0);
    assert_eq!(js_sys::Array::from(&get(&q, "classHistogram")).length(), 10);

    // Checkpoint: save (WebGPU: through the asynchronous copy to the CPU), load, same digits.
    let history = js_sys::Float32Array::from(losses.as_slice());
    let bytes = JsFuture::from(pg.save_checkpoint(history))
        .await
        .expect("saves");
    let bytes = js_sys::Uint8Array::from(bytes);
    let before = JsFuture::from(pg.view(None)).await.unwrap();
    let loaded = pg
        .load_checkpoint(bytes)
        .map_err(JsValue::from)
        .expect("loads");
    assert_eq!(get(&loaded, "step").as_f64(), Some(2.0));
    assert_eq!(
        js_sys::Float32Array::from(get(&loaded, "history")).to_vec(),
        losses
    );
    // These tests run the WebGPU module: a CPU run there cannot take Adam's moments (Burn would
    // create them on the WebGPU device), and a WebGPU run saves none; the CPU modules keep them
    // (tests/e2e/robustness.test.mjs checks that resumed run to the bit).
    let note = get(&loaded, "note").as_string().unwrap_or_default();
    let moments_left_out = cfg!(feature = "webgpu") && pg.backend() == Backend::Cpu;
    assert_eq!(
        note.contains("moments restart"),
        moments_left_out,
        "{note:?}"
    );
    let after = JsFuture::from(pg.view(None)).await.unwrap();
    assert_eq!(
        js_sys::Uint8Array::from(get(&before, "fake")).to_vec(),
        js_sys::Uint8Array::from(get(&after, "fake")).to_vec(),
        "the loaded run draws the same digits"
    );
    assert!(train(&pg, 1).await.iter().all(|v| v.is_finite()));
    assert_eq!(pg.step(), 3.0);
}

#[wasm_bindgen_test]
async fn digits_train_on_webgpu_with_views_quality_and_checkpoints() {
    trains_views_and_checkpoints("webgpu", common::webgpu_or_cpu()).await;
}

#[wasm_bindgen_test]
async fn digits_train_on_the_cpu_with_views_quality_and_checkpoints() {
    trains_views_and_checkpoints("cpu", Backend::Cpu).await;
}

#[wasm_bindgen_test]
async fn bad_assets_and_checkpoints_are_refused_and_change_nothing() {
    let message = |e: JsError| {
        js_sys::Error::from(JsValue::from(e))
            .message()
            .as_string()
            .unwrap()
    };
    let truncated = asset().subarray(0, 5000);
    let err = DigitPlayground::create(SMALL.into(), "cpu".into(), truncated, None)
        .await
        .err()
        .unwrap();
    assert!(message(err).contains("MNIST asset"), "truncated asset");
    let err = DigitPlayground::create(r#"{"seed": 2}"#.into(), "cpu".into(), asset(), None)
        .await
        .err()
        .unwrap();
    assert!(message(err).contains("mnist"));
    let junk = js_sys::Uint8Array::from(&[1u8, 2, 3][..]);
    let err = DigitPlayground::create(SMALL.into(), "cpu".into(), asset(), Some(junk))
        .await
        .err()
        .unwrap();
    assert!(message(err).contains("classifier"));

    let pg = create("cpu").await;
    train(&pg, 1).await;
    let random: Vec<u8> = (0..4000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let err = pg
        .load_checkpoint(js_sys::Uint8Array::from(random.as_slice()))
        .err()
        .unwrap();
    assert!(message(err).contains("checkpoint"));
    assert_eq!(pg.step(), 1.0, "the running training is untouched");
    assert!(train(&pg, 1).await.iter().all(|v| v.is_finite()));
    assert!(JsFuture::from(pg.view(Some(12))).await.is_err(), "digit 12");
    assert!(
        JsFuture::from(pg.walk(0, 9.0, 0.0, None)).await.is_err(),
        "u out of range"
    );
}
