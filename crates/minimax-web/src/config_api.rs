//! Configuration helpers for the page: defaults, the control schema, validation messages.

use minimax_core::config::{ConfigError, GanConfig, edit, schema};
use minimax_core::dirac::DiracOptions;
use minimax_core::{presets, stabilizers};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Pretty JSON of the default configuration.
#[wasm_bindgen(js_name = defaultConfig)]
pub fn default_config() -> String {
    GanConfig::default().to_json()
}

/// The editable fields (path, label, group, kind, options, range, rebuild).
#[wasm_bindgen(js_name = configSchema)]
pub fn config_schema() -> Result<JsValue, JsError> {
    to_js(&schema())
}

#[derive(Serialize)]
struct FieldMessage {
    field: String,
    message: String,
}

/// `[{field, message}]` for each invalid field of `json`; empty when it is valid.
#[wasm_bindgen(js_name = validateConfig)]
pub fn validate_config(json: &str) -> Result<JsValue, JsError> {
    let errors = match GanConfig::from_json(json) {
        Ok(_) => Vec::new(),
        Err(ConfigError { errors }) => errors
            .into_iter()
            .map(|e| FieldMessage {
                field: e.field,
                message: e.message,
            })
            .collect(),
    };
    to_js(&errors)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PlannedChange {
    errors: Vec<FieldMessage>,
    /// The merged config, JSON (empty with errors).
    config: String,
    changed: Vec<String>,
    labels: Vec<String>,
    rebuilds_generator: bool,
    resets_discriminator: bool,
}

/// Plans a change in one call: `input_json` (a partial config) merged over `current_json`,
/// validated, with what changes and what that rebuilds: `{errors, config, changed, labels,
/// rebuildsGenerator, resetsDiscriminator}` (see docs/wasm-api.md).
#[wasm_bindgen(js_name = planChange)]
pub fn plan_change(current_json: &str, input_json: &str) -> Result<JsValue, JsError> {
    let current = GanConfig::from_json(current_json).map_err(|e| JsError::new(&e.to_string()))?;
    let input: serde_json::Value = serde_json::from_str(input_json)
        .map_err(|e| JsError::new(&format!("not valid JSON: {e}")))?;
    let plan = edit::plan_change(&current, &input);
    to_js(&PlannedChange {
        errors: plan
            .errors
            .into_iter()
            .map(|e| FieldMessage {
                field: e.field,
                message: e.message,
            })
            .collect(),
        config: plan.config.map(|c| c.to_json()).unwrap_or_default(),
        changed: plan.changed,
        labels: plan.labels,
        rebuilds_generator: plan.rebuild.generator,
        resets_discriminator: plan.rebuild.discriminator,
    })
}

/// Whether switching from `old` to `new` rebuilds the models (false when only learning rates
/// change). Both must be valid.
#[wasm_bindgen(js_name = needsRebuild)]
pub fn needs_rebuild(old: &str, new: &str) -> Result<bool, JsError> {
    let old = GanConfig::from_json(old).map_err(|e| JsError::new(&e.to_string()))?;
    let new = GanConfig::from_json(new).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(old.needs_rebuild(&new))
}

/// The named configurations: `[{id, title, year, summary, config}]`.
#[wasm_bindgen]
pub fn presets() -> Result<JsValue, JsError> {
    to_js(&presets::presets())
}

/// The stabilizer chips: `[{id, label, explanation, on, off}]` (partial configs to merge).
#[wasm_bindgen]
pub fn stabilizers() -> Result<JsValue, JsError> {
    to_js(&stabilizers::stabilizers())
}

/// Dirac-GAN orbits for `options_json` (see docs/wasm-api.md):
/// `{simultaneous, alternating, note}` with (θ, ψ) pairs.
#[wasm_bindgen(js_name = diracGan)]
pub fn dirac_gan(options_json: &str) -> Result<JsValue, JsError> {
    let options = DiracOptions::from_json(options_json)
        .map_err(|e| JsError::new(&format!("Dirac-GAN options: {e}")))?;
    let flat = |orbit: Vec<[f64; 2]>| {
        let v: Vec<f32> = orbit.iter().flatten().map(|&x| x as f32).collect();
        JsValue::from(js_sys::Float32Array::from(v.as_slice()))
    };
    let obj = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&obj, &JsValue::from_str(k), &v);
    set("simultaneous", flat(options.simultaneous()))
        .and_then(|_| set("alternating", flat(options.alternating())))
        .and_then(|_| {
            set(
                "note",
                JsValue::from_str(
                    "data at 0, G a point θ, D(x) = ψ·x; the equilibrium is (θ, ψ) = (0, 0)",
                ),
            )
        })
        .map_err(|_| JsError::new("could not build the result object"))?;
    Ok(obj.into())
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}
