//! A description of the editable fields, so the page builds its controls from Rust's single
//! source of truth (option lists and ranges are never repeated in JS).

use serde::Serialize;

use super::OptimizerKind;
use super::validate::limits;
use crate::data::{Dataset, NoiseDistribution};
use crate::model::Activation;
use crate::objective::ObjectiveKind;

/// The kind of control a field needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One of `options`.
    Enum,
    /// An integer in `[min, max]`.
    Int,
    /// A real number in `[min, max]`.
    Float,
}

/// One editable field of [`super::GanConfig`].
#[derive(Clone, Debug, Serialize)]
pub struct SchemaField {
    /// Dotted path in the config JSON.
    pub path: &'static str,
    /// Human label.
    pub label: &'static str,
    /// Heading the control is listed under.
    pub group: &'static str,
    /// Control kind.
    pub kind: FieldKind,
    /// Accepted values of an enum field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    /// Smallest accepted value of a number field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Largest accepted value of a number field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Suggested increment of a number field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    /// Whether a log-scale control suits the field (learning rates).
    pub log: bool,
    /// Whether changing the field rebuilds the models (all but the learning rates).
    pub rebuild: bool,
}

fn names<T: Serialize>(all: &[T]) -> Vec<String> {
    all.iter()
        .map(|v| {
            serde_json::to_value(v)
                .ok()
                .and_then(|j| j.as_str().map(str::to_string))
                .unwrap_or_default()
        })
        .collect()
}

fn choice(
    path: &'static str,
    label: &'static str,
    group: &'static str,
    options: Vec<String>,
) -> SchemaField {
    SchemaField {
        path,
        label,
        group,
        kind: FieldKind::Enum,
        options,
        min: None,
        max: None,
        step: None,
        log: false,
        rebuild: true,
    }
}

fn int(
    path: &'static str,
    label: &'static str,
    group: &'static str,
    (min, max): (usize, usize),
) -> SchemaField {
    SchemaField {
        path,
        label,
        group,
        kind: FieldKind::Int,
        options: Vec::new(),
        min: Some(min as f64),
        max: Some(max as f64),
        step: Some(1.0),
        log: false,
        rebuild: true,
    }
}

fn learning_rate(path: &'static str, label: &'static str) -> SchemaField {
    SchemaField {
        path,
        label,
        group: "Optimizers",
        kind: FieldKind::Float,
        options: Vec::new(),
        min: Some(1e-6),
        max: Some(limits::LR.1),
        step: None,
        log: true,
        rebuild: false,
    }
}

/// The fields the playground exposes, in display order.
pub fn schema() -> Vec<SchemaField> {
    let net = |prefix: &'static [&'static str; 3], group| {
        [
            int(prefix[0], "hidden layers", group, limits::HIDDEN_LAYERS),
            int(prefix[1], "width", group, limits::WIDTH),
            choice(prefix[2], "activation", group, names(&Activation::ALL)),
        ]
    };
    let mut fields = vec![
        choice("data.dataset", "dataset", "Data", names(&Dataset::ALL)),
        choice(
            "noise.distribution",
            "noise",
            "Data",
            names(&NoiseDistribution::ALL),
        ),
        int("noise.dim", "noise dimension", "Data", limits::NOISE_DIM),
        choice(
            "objective.kind",
            "objective",
            "Game",
            names(&ObjectiveKind::ALL),
        ),
        int(
            "train.d_steps",
            "D steps per iteration (k)",
            "Game",
            limits::STEPS,
        ),
        int(
            "train.g_steps",
            "G steps per iteration",
            "Game",
            limits::STEPS,
        ),
        int("train.batch_size", "batch size", "Game", limits::BATCH),
        int("seed", "seed", "Game", (0, u32::MAX as usize)),
    ];
    fields.extend(net(
        &[
            "generator.hidden_layers",
            "generator.width",
            "generator.activation",
        ],
        "Generator",
    ));
    fields.extend(net(
        &[
            "discriminator.hidden_layers",
            "discriminator.width",
            "discriminator.activation",
        ],
        "Discriminator",
    ));
    fields.extend([
        choice(
            "optimizer_d.kind",
            "D optimizer",
            "Optimizers",
            names(&OptimizerKind::ALL),
        ),
        learning_rate("optimizer_d.lr", "D learning rate"),
        choice(
            "optimizer_g.kind",
            "G optimizer",
            "Optimizers",
            names(&OptimizerKind::ALL),
        ),
        learning_rate("optimizer_g.lr", "G learning rate"),
    ]);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_exists_in_the_default_config() {
        let json = serde_json::to_value(super::super::GanConfig::default()).unwrap();
        for field in schema() {
            let value = field.path.split('.').try_fold(&json, |v, key| v.get(key));
            let value = value.unwrap_or_else(|| panic!("{} not in config", field.path));
            if field.kind == FieldKind::Enum {
                assert!(
                    field
                        .options
                        .iter()
                        .any(|o| Some(o.as_str()) == value.as_str()),
                    "{}",
                    field.path
                );
            }
        }
    }
}
