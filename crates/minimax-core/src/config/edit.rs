//! Editing a config as JSON, in one place for the presets, the stabilizer chips, the CLI's
//! `--set` and the page: merging a partial config over a whole one, listing what changed, and
//! planning a change (what is wrong with it, or the merged config, what changed and what it
//! rebuilds).

use serde_json::Value;

use super::schema::{SchemaField, schema};
use super::validate::{ConfigError, FieldError};
use super::{GanConfig, Rebuild};

/// Merges `patch` into `target`: objects key by key, anything else replaced.
pub fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                merge(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// The dotted paths of the leaves whose values differ between `before` and `after` (objects are
/// walked key by key; arrays, like drawn points, are one leaf), in `after`'s key order.
pub fn changed_paths(before: &Value, after: &Value) -> Vec<String> {
    fn walk(before: Option<&Value>, after: &Value, prefix: &str, out: &mut Vec<String>) {
        match after {
            Value::Object(map) => {
                for (key, value) in map {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    walk(before.and_then(|b| b.get(key)), value, &path, out);
                }
            }
            leaf if before != Some(leaf) => out.push(prefix.to_string()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(Some(before), after, "", &mut out);
    out
}

/// What a requested change would do.
#[derive(Clone, Debug)]
pub struct ChangePlan {
    /// Why it cannot be applied (empty when it can).
    pub errors: Vec<FieldError>,
    /// The config it leads to (the input merged over the current config); `None` with errors.
    pub config: Option<GanConfig>,
    /// The paths whose values change.
    pub changed: Vec<String>,
    /// A label per changed path for the page's messages ("D learning rate").
    pub labels: Vec<String>,
    /// What the change rebuilds in a running trainer (see [`GanConfig::rebuild`]).
    pub rebuild: Rebuild,
}

/// Plans `input` (a partial config: fields it leaves out keep their current values) against
/// `current`: Rust's validation of the merged config, what changes and what that rebuilds.
pub fn plan_change(current: &GanConfig, input: &Value) -> ChangePlan {
    let refuse = |errors: Vec<FieldError>| ChangePlan {
        errors,
        config: None,
        changed: Vec::new(),
        labels: Vec::new(),
        rebuild: Rebuild::default(),
    };
    if !input.is_object() {
        return refuse(vec![FieldError {
            field: String::new(),
            message: "must be a JSON object, e.g. {\"seed\": 2}".into(),
        }]);
    }
    let before = match serde_json::to_value(current) {
        Ok(v) => v,
        Err(e) => {
            return refuse(vec![FieldError {
                field: String::new(),
                message: e.to_string(),
            }]);
        }
    };
    let mut merged = before.clone();
    merge(&mut merged, input);
    let config = match GanConfig::from_json(&merged.to_string()) {
        Ok(c) => c,
        Err(ConfigError { errors }) => return refuse(errors),
    };
    let after = serde_json::to_value(&config).unwrap_or(merged);
    let changed = changed_paths(&before, &after);
    // One schema for all the labels: building it reads every field's restart marks off the
    // rebuild rule (a config round trip per field).
    let fields = schema();
    let labels = changed.iter().map(|p| label_of(&fields, p)).collect();
    ChangePlan {
        errors: Vec::new(),
        rebuild: current.rebuild(&config),
        config: Some(config),
        changed,
        labels,
    }
}

/// A field's label, prefixed with its group where the label alone is ambiguous ("width"); the
/// path itself for a field the form does not show.
fn label_of(fields: &[SchemaField], path: &str) -> String {
    let Some(field) = fields.iter().find(|f| f.path == path) else {
        return path.to_string();
    };
    let shared = fields.iter().filter(|f| f.label == field.label).count() > 1;
    if shared {
        format!("{} {}", field.group, field.label)
    } else {
        field.label.to_string()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_change_is_merged_validated_listed_and_its_rebuild_named() {
        let current = GanConfig::default();
        let plan = plan_change(&current, &json!({"optimizer_d": {"lr": 0.0003}}));
        assert!(plan.errors.is_empty());
        assert_eq!(plan.changed, ["optimizer_d.lr"]);
        assert!(!plan.rebuild.generator && !plan.rebuild.discriminator);
        let config = plan.config.unwrap();
        assert_eq!(config.optimizer_d.lr, 0.0003);
        assert_eq!(
            config.train, current.train,
            "fields left out keep their values"
        );

        let plan = plan_change(
            &current,
            &json!({"discriminator": {"width": 32}, "seed": 9}),
        );
        assert_eq!(plan.changed, ["discriminator.width", "seed"]);
        assert!(plan.labels[0].contains("width") && plan.labels[0].len() > "width".len());
        assert!(plan.rebuild.generator);

        let plan = plan_change(&current, &json!({"train": {"batch_size": -3}}));
        assert_eq!(plan.errors[0].field, "train.batch_size");
        assert!(plan.config.is_none());
        let plan = plan_change(&current, &json!({"__proto__": {"x": 1}}));
        assert!(
            plan.errors[0].message.contains("__proto__"),
            "{:?}",
            plan.errors
        );
        assert!(!plan_change(&current, &json!([1])).errors.is_empty());
        assert!(plan_change(&current, &json!({})).changed.is_empty());
    }
}
