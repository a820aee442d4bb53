//! Configuration helpers for the page: defaults, the control schema, validation messages.

use minimax_core::config::{ConfigError, GanConfig, schema};
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

/// Whether switching from `old` to `new` rebuilds the models (false when only learning rates
/// change). Both must be valid.
#[wasm_bindgen(js_name = needsRebuild)]
pub fn needs_rebuild(old: &str, new: &str) -> Result<bool, JsError> {
    let old = GanConfig::from_json(old).map_err(|e| JsError::new(&e.to_string()))?;
    let new = GanConfig::from_json(new).map_err(|e| JsError::new(&e.to_string()))?;
    Ok(old.needs_rebuild(&new))
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}
