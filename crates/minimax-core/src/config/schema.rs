//! A description of the editable fields, so the page builds its controls from Rust's single
//! source of truth (option lists and ranges are never repeated in JS).

use serde::Serialize;

use super::kinds::Activation;
use super::kinds::{Dataset, NoiseDistribution};
use super::kinds::{Divergence, LsCoding, ObjectiveKind, PenaltyUnits};
use super::validate::limits;
use super::{GanConfig, NetKind, OptimizerKind};

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
    /// true or false.
    Bool,
}

/// A field that only matters while another field has one of some values.
#[derive(Clone, Debug, Serialize)]
pub struct Condition {
    /// The other field's path.
    pub path: &'static str,
    /// The values under which the field is used.
    pub values: Vec<String>,
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
    /// Whether changing the field restarts the run (new G and D, step 0).
    pub rebuild: bool,
    /// Whether changing the field gives D fresh weights while G keeps training.
    pub resets_discriminator: bool,
    /// When the field is used (absent: always).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// One line on what the field does.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub help: &'static str,
    /// The option of an enum field that stands for JSON null (the config reads it as null).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub null_option: Option<&'static str>,
    /// The default config's value, for a config whose JSON leaves the field's section out (a GAN
    /// from noise has no `cycle` section).
    pub default: serde_json::Value,
}

impl SchemaField {
    fn new(path: &'static str, label: &'static str, group: &'static str, kind: FieldKind) -> Self {
        Self {
            path,
            label,
            group,
            kind,
            options: Vec::new(),
            min: None,
            max: None,
            step: None,
            log: false,
            // Set from the rebuild rule once the field is complete (see `restart_marks`).
            rebuild: false,
            resets_discriminator: false,
            when: None,
            help: "",
            null_option: None,
            default: serde_json::Value::Null,
        }
    }

    fn when<S: AsRef<str>>(mut self, path: &'static str, values: &[S]) -> Self {
        self.when = Some(Condition {
            path,
            values: values.iter().map(|v| v.as_ref().to_string()).collect(),
        });
        self
    }

    fn help(mut self, help: &'static str) -> Self {
        self.help = help;
        self
    }
}

/// The form's word for "no CycleGAN source domain" (`cycle.source` null).
const CYCLE_OFF: &str = "off";

/// The datasets CycleGAN accepts as domain X: the built-in ones, digits included (the
/// validator's rule: points translate to points, digits to the other digit domain).
fn cycle_sources() -> Vec<Dataset> {
    Dataset::ALL
        .into_iter()
        .filter(|d| *d != Dataset::Drawn)
        .collect()
}

fn cycle_source_names() -> Vec<String> {
    names(&cycle_sources())
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
        options,
        ..SchemaField::new(path, label, group, FieldKind::Enum)
    }
}

fn int(
    path: &'static str,
    label: &'static str,
    group: &'static str,
    (min, max): (usize, usize),
) -> SchemaField {
    SchemaField {
        min: Some(min as f64),
        max: Some(max as f64),
        step: Some(1.0),
        ..SchemaField::new(path, label, group, FieldKind::Int)
    }
}

fn float(
    path: &'static str,
    label: &'static str,
    group: &'static str,
    (min, max, step): (f64, f64, f64),
) -> SchemaField {
    SchemaField {
        min: Some(min),
        max: Some(max),
        step: Some(step),
        ..SchemaField::new(path, label, group, FieldKind::Float)
    }
}

fn flag(path: &'static str, label: &'static str, group: &'static str) -> SchemaField {
    SchemaField::new(path, label, group, FieldKind::Bool)
}

fn learning_rate(path: &'static str, label: &'static str) -> SchemaField {
    SchemaField {
        min: Some(1e-6),
        max: Some(limits::LR.1),
        log: true,
        ..SchemaField::new(path, label, "Optimizers", FieldKind::Float)
    }
}

/// The fields the playground exposes, in display order.
pub fn schema() -> Vec<SchemaField> {
    let net = |prefix: &'static [&'static str; 4], group| {
        [
            choice(prefix[3], "network", group, names(&NetKind::ALL))
                .help("mlp for 2-D data; dcgan (convolutions) for MNIST digits; stylegan (generator only)"),
            int(prefix[0], "hidden layers", group, limits::HIDDEN_LAYERS)
                .when(prefix[3], &["mlp", "stylegan"])
                .help("layers of the MLP, or of StyleGAN's mapping network z → w"),
            int(prefix[1], "width", group, limits::WIDTH)
                .help("units per layer (mlp); channels at 14×14 (dcgan) or at 7×7 and 14×14 (stylegan), at most 128"),
            choice(prefix[2], "activation", group, names(&Activation::ALL)),
        ]
    };
    let mut fields = vec![
        choice("data.dataset", "dataset", "Data", names(&Dataset::ALL)),
        float(
            "data.std",
            "drawn point spread (std)",
            "Data",
            (0.01, 1.0, 0.01),
        )
        .when("data.dataset", &["drawn"])
        .help("each drawn point is a Gaussian of this standard deviation"),
        flag(
            "data.conditional",
            "class-conditional (ask G for a digit)",
            "Data",
        )
        .when("data.dataset", &["mnist"])
        .help("G and D see the digit's label (one-hot into G, a projection term in D)"),
        SchemaField {
            null_option: Some(CYCLE_OFF),
            ..choice(
                "cycle.source",
                "CycleGAN: translate from",
                "Data",
                std::iter::once(CYCLE_OFF.to_string())
                    .chain(names(&cycle_sources()))
                    .collect(),
            )
        }
        .help("off: a GAN from noise; a dataset (domain X): G learns to turn its points (or digits: mnist → mnist_thick) into the dataset above (domain Y) and F to turn them back, without pairs"),
        float(
            "cycle.cycle_weight",
            "cycle-consistency weight λ",
            "Data",
            (0.0, 100.0, 0.5),
        )
        .when("cycle.source", &cycle_source_names())
        .help("λ·(|F(G(x)) − x| + |G(F(y)) − y|): 0 makes G and F two unrelated GANs"),
        float(
            "cycle.identity_weight",
            "identity weight",
            "Data",
            (0.0, 100.0, 0.5),
        )
        .when("cycle.source", &cycle_source_names())
        .help("weight of |G(y) − y| + |F(x) − x|: each generator leaves its own domain's points alone"),
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
        choice(
            "objective.ls_coding",
            "LSGAN labels a, b, c",
            "Game",
            names(&LsCoding::ALL),
        )
        .when("objective.kind", &["least_squares"])
        .help("zero_one: a=0, b=1, c=1; minus_one_one: a=−1, b=1, c=0"),
        choice(
            "objective.divergence",
            "f-divergence",
            "Game",
            names(&Divergence::ALL),
        )
        .when("objective.kind", &["f_gan"]),
        float(
            "objective.clip",
            "weight clip c",
            "Game",
            (0.001, 1.0, 0.001),
        )
        .when("objective.kind", &["wgan"])
        .help("critic weights are clipped to [−c, c] after each step"),
        float(
            "objective.gp_weight",
            "gradient penalty λ",
            "Game",
            (0.1, 100.0, 0.1),
        )
        .when("objective.kind", &["wgan_gp"])
        .help("λ·E[(‖∇D(x̂)‖ − 1)²] at random points between real and fake"),
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
        int(
            "train.lr_half_life",
            "learning-rate half-life (iterations)",
            "Optimizers",
            limits::HALF_LIFE,
        )
        .help("both learning rates halve every this many iterations; 0 keeps them constant"),
        int(
            "train.lr_decay_start",
            "learning-rate decay starts at (iteration)",
            "Optimizers",
            limits::HALF_LIFE,
        )
        .help("the rates stay full until this iteration, then halve every half-life"),
        int("seed", "seed", "Game", (0, u32::MAX as usize)),
    ];
    fields.extend(net(
        &[
            "generator.hidden_layers",
            "generator.width",
            "generator.activation",
            "generator.kind",
        ],
        "Generator",
    ));
    fields.push(
        float(
            "generator.style_mixing",
            "style mixing probability",
            "Generator",
            (0.0, 1.0, 0.05),
        )
        .when("generator.kind", &["stylegan"])
        .help("StyleGAN's mixing regularisation: a training digit takes its fine styles from a second z"),
    );
    fields.extend(net(
        &[
            "discriminator.hidden_layers",
            "discriminator.width",
            "discriminator.activation",
            "discriminator.kind",
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
        float(
            "stabilizers.label_smoothing",
            "one-sided label smoothing",
            "Stabilizers",
            (0.0, 0.45, 0.05),
        )
        .when(
            "objective.kind",
            &["minimax", "non_saturating", "least_squares"],
        )
        .help("D's target for real points becomes 1 − s"),
        float(
            "stabilizers.instance_noise",
            "instance noise (std)",
            "Stabilizers",
            (0.0, 1.0, 0.01),
        )
        .help("Gaussian noise on every point D sees blurs both distributions"),
        int(
            "stabilizers.packing",
            "packing m (PacGAN)",
            "Stabilizers",
            limits::PACKING,
        )
        .help("D judges m samples at once, so a collapsed G is easy to spot"),
        flag("stabilizers.minibatch_std", "minibatch std", "Stabilizers")
            .help("D also sees the batch's spread, so a collapsed batch is easy to spot"),
        int(
            "stabilizers.minibatch_discrimination",
            "minibatch discrimination (kernels)",
            "Stabilizers",
            limits::KERNELS,
        )
        .help("D sees how close each sample is to the others in its batch (0 = off)"),
        float(
            "stabilizers.gradient_penalty",
            "R1 gradient penalty γ",
            "Stabilizers",
            (0.0, 100.0, 0.1),
        )
        .help("(γ/2)·E‖∇D(x)‖² on real data keeps D smooth where the data is"),
        choice(
            "stabilizers.gradient_penalty_units",
            "R1 γ measured in",
            "Stabilizers",
            names(&[PenaltyUnits::Absolute, PenaltyUnits::DataVariance]),
        )
        .help("data_variance: γ times σ² of the 2-D data's noise, so one γ suits ring and grid"),
        flag("stabilizers.spectral_norm", "spectral norm", "Stabilizers")
            .help("each D weight matrix is divided by its largest singular value"),
        float(
            "stabilizers.generator_ema",
            "generator averaging β (EMA)",
            "Stabilizers",
            (0.0, 0.9999, 0.0001),
        )
        .help("the views show a moving average of G's weights; G itself trains as before"),
    ]);
    let defaults = default_json().unwrap_or_default();
    for field in &mut fields {
        (field.rebuild, field.resets_discriminator) = restart_marks(field);
        let pointer = format!("/{}", field.path.replace('.', "/"));
        field.default = defaults.pointer(&pointer).cloned().unwrap_or_default();
    }
    fields
}

/// The default config as JSON with every section written out (a GAN's JSON leaves `cycle` out).
fn default_json() -> serde_json::Result<serde_json::Value> {
    let base = GanConfig::default();
    let mut json = serde_json::to_value(&base)?;
    if let Some(object) = json.as_object_mut() {
        object.insert("cycle".into(), serde_json::to_value(&base.cycle)?);
    }
    Ok(json)
}

/// Whether changing `field` restarts the run and whether it gives D fresh weights: read off the
/// rule the trainers apply (`GanConfig::rebuild`) by changing the field in the default config to
/// another value (the next option, the other boolean, a different number), so the page's ↻ marks
/// cannot drift from what a change really does.
fn restart_marks(field: &SchemaField) -> (bool, bool) {
    let base = GanConfig::default();
    let Ok(mut json) = default_json() else {
        return (false, false);
    };
    let pointer = format!("/{}", field.path.replace('.', "/"));
    let Some(value) = json.pointer_mut(&pointer) else {
        return (false, false);
    };
    *value = match field.kind {
        FieldKind::Bool => serde_json::Value::Bool(!value.as_bool().unwrap_or(false)),
        FieldKind::Enum => {
            let shown = value.as_str().or(field.null_option);
            let other = field.options.iter().find(|o| Some(o.as_str()) != shown);
            match other {
                Some(o) => serde_json::Value::String(o.clone()),
                None => return (false, false),
            }
        }
        FieldKind::Int => {
            let n = value.as_u64().unwrap_or(0);
            serde_json::Value::from(if n > 0 { n - 1 } else { n + 1 })
        }
        FieldKind::Float => serde_json::Value::from(value.as_f64().unwrap_or(0.0) + 0.5),
    };
    match serde_json::from_value::<GanConfig>(json) {
        Ok(changed) => {
            let rebuilt = base.rebuild(&changed);
            (rebuilt.generator, rebuilt.discriminator)
        }
        Err(_) => (false, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restart_marks_follow_the_rebuild_rule() {
        let marks = |path: &str| {
            let f = schema().into_iter().find(|f| f.path == path).unwrap();
            (f.rebuild, f.resets_discriminator)
        };
        // A new generator: the run restarts (D is new too).
        for path in [
            "seed",
            "noise.dim",
            "generator.width",
            "data.conditional",
            "cycle.source",
        ] {
            assert_eq!(marks(path), (true, true), "{path}");
        }
        // A new D only; G keeps training.
        for path in [
            "discriminator.width",
            "stabilizers.packing",
            "stabilizers.minibatch_std",
            "stabilizers.minibatch_discrimination",
        ] {
            assert_eq!(marks(path), (false, true), "{path}");
        }
        // Live.
        for path in [
            "optimizer_d.lr",
            "train.d_steps",
            "objective.kind",
            "generator.style_mixing",
            "data.dataset",
            "cycle.cycle_weight",
            "stabilizers.gradient_penalty_units",
        ] {
            assert_eq!(marks(path), (false, false), "{path}");
        }
    }

    #[test]
    fn every_path_exists_in_the_default_config() {
        let json = default_json().unwrap();
        for field in schema() {
            let value = field.path.split('.').try_fold(&json, |v, key| v.get(key));
            let value = value.unwrap_or_else(|| panic!("{} not in config", field.path));
            if let Some(when) = &field.when {
                assert!(
                    schema().iter().any(|f| f.path == when.path),
                    "{}",
                    field.path
                );
            }
            if field.kind == FieldKind::Bool {
                assert!(value.is_boolean(), "{}", field.path);
            }
            if field.kind == FieldKind::Enum {
                let shown = value.as_str().or(field.null_option);
                assert!(
                    field.options.iter().any(|o| Some(o.as_str()) == shown),
                    "{}",
                    field.path
                );
            }
        }
    }
}
