//! Field-level validation: every message names the field and the accepted values.

use core::fmt;

use super::{CONFIG_VERSION, GanConfig, NetConfig, NetKind, OptimizerConfig, PenaltyUnits};

/// One invalid field.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// Dotted path of the field, e.g. `optimizer_d.lr`.
    pub field: String,
    /// What is wrong and what is accepted.
    pub message: String,
}

/// Why a configuration was rejected: one entry per invalid field.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    /// The invalid fields (never empty).
    pub errors: Vec<FieldError>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        write!(f, "invalid configuration: {}", lines.join("; "))
    }
}

impl std::error::Error for ConfigError {}

impl ConfigError {
    pub(super) fn from_serde(err: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let field = err.path().to_string();
        let mut message = err.into_inner().to_string();
        // serde says "expected usize"; a person needs the accepted values of that field.
        if let Some(accepted) = super::schema::schema()
            .iter()
            .find(|f| f.path == field)
            .map(accepted)
        {
            message = format!("{message} (accepted: {accepted})");
        }
        Self {
            errors: vec![FieldError { field, message }],
        }
    }

    /// An error about the input as a whole (not JSON, not an object).
    pub(super) fn whole(message: String) -> Self {
        Self {
            errors: vec![FieldError {
                field: "(config)".to_string(),
                message,
            }],
        }
    }
}

/// The values a schema field accepts, in words.
fn accepted(field: &super::schema::SchemaField) -> String {
    use super::schema::FieldKind;
    let bound = |v: Option<f64>| v.map_or("…".to_string(), |v| v.to_string());
    match field.kind {
        FieldKind::Int => format!(
            "an integer from {} to {}",
            bound(field.min),
            bound(field.max)
        ),
        FieldKind::Float => format!("a number from {} to {}", bound(field.min), bound(field.max)),
        FieldKind::Bool => "true or false".into(),
        FieldKind::Enum => format!("one of {}", field.options.join(", ")),
    }
}

/// Collects the errors of one validation pass.
struct Check(Vec<FieldError>);

impl Check {
    fn fail(&mut self, field: &str, message: String) {
        self.0.push(FieldError {
            field: field.to_string(),
            message,
        });
    }

    fn int(&mut self, field: &str, value: usize, min: usize, max: usize) {
        if !(min..=max).contains(&value) {
            self.fail(
                field,
                format!("must be an integer from {min} to {max}, got {value}"),
            );
        }
    }

    /// `lo < value <= hi` (an open lower bound, as for learning rates) or `lo <= value < hi`.
    fn float(&mut self, field: &str, value: f64, range: FloatRange) {
        let ok = value.is_finite()
            && match range {
                FloatRange::OpenClosed(lo, hi) => value > lo && value <= hi,
                FloatRange::ClosedOpen(lo, hi) => value >= lo && value < hi,
                FloatRange::Closed(lo, hi) => value >= lo && value <= hi,
            };
        if !ok {
            let accepted = match range {
                FloatRange::OpenClosed(lo, hi) => format!("greater than {lo} and at most {hi}"),
                FloatRange::ClosedOpen(lo, hi) => format!("at least {lo} and less than {hi}"),
                FloatRange::Closed(lo, hi) => format!("from {lo} to {hi}"),
            };
            self.fail(field, format!("must be {accepted}, got {value}"));
        }
    }
}

#[derive(Clone, Copy)]
enum FloatRange {
    OpenClosed(f64, f64),
    ClosedOpen(f64, f64),
    Closed(f64, f64),
}

/// Bounds that keep a run inside a browser tab's memory and time (see docs/guide.md, "Limits and failure behaviour").
pub(crate) mod limits {
    pub const NOISE_DIM: (usize, usize) = (1, 128);
    /// DCGAN channels at 14×14 (memory and time grow with its square).
    pub const IMAGE_WIDTH: (usize, usize) = (1, 128);
    /// Digits per batch.
    pub const IMAGE_BATCH: (usize, usize) = (1, 256);
    pub const HIDDEN_LAYERS: (usize, usize) = (1, 8);
    pub const WIDTH: (usize, usize) = (1, 1024);
    pub const BATCH: (usize, usize) = (1, 4096);
    pub const STEPS: (usize, usize) = (1, 20);
    pub const LR: (f64, f64) = (0.0, 1.0);
    pub const PACKING: (usize, usize) = (1, 8);
    /// Minibatch-discrimination kernels (0 = off).
    pub const KERNELS: (usize, usize) = (0, 32);
    /// Iterations per halving of the learning rates (0 = constant), and before the decay starts.
    pub const HALF_LIFE: (usize, usize) = (0, 1_000_000);
    pub const DRAWN_POINTS: usize = 5000;
}

impl GanConfig {
    /// Checks every field; all problems are reported at once.
    pub fn validate(&self) -> Result<(), ConfigError> {
        use limits::*;
        let mut c = Check(Vec::new());
        if self.version != CONFIG_VERSION {
            c.fail(
                "version",
                format!(
                    "this build reads version {CONFIG_VERSION}, got {}",
                    self.version
                ),
            );
        }
        c.int("noise.dim", self.noise.dim, NOISE_DIM.0, NOISE_DIM.1);
        net(&mut c, "generator", &self.generator);
        net(&mut c, "discriminator", &self.discriminator);
        optimizer(&mut c, "optimizer_g", &self.optimizer_g);
        optimizer(&mut c, "optimizer_d", &self.optimizer_d);
        c.int("train.batch_size", self.train.batch_size, BATCH.0, BATCH.1);
        c.int("train.d_steps", self.train.d_steps, STEPS.0, STEPS.1);
        c.int("train.g_steps", self.train.g_steps, STEPS.0, STEPS.1);
        let half_life = usize::try_from(self.train.lr_half_life).unwrap_or(usize::MAX);
        c.int("train.lr_half_life", half_life, HALF_LIFE.0, HALF_LIFE.1);
        let start = usize::try_from(self.train.lr_decay_start).unwrap_or(usize::MAX);
        c.int("train.lr_decay_start", start, HALF_LIFE.0, HALF_LIFE.1);
        data(&mut c, self);
        image(&mut c, self);
        objective(&mut c, self);
        stabilizers(&mut c, self);
        cycle(&mut c, self);
        // Only a config whose fields are each in range is costed (one message, not two).
        if c.0.is_empty()
            && let Some(problem) = self.iteration_cost().problem()
        {
            c.fail("train.batch_size", problem);
        }
        if c.0.is_empty() {
            Ok(())
        } else {
            Err(ConfigError { errors: c.0 })
        }
    }
}

fn net(c: &mut Check, name: &str, net: &NetConfig) {
    use limits::*;
    c.int(
        &format!("{name}.hidden_layers"),
        net.hidden_layers,
        HIDDEN_LAYERS.0,
        HIDDEN_LAYERS.1,
    );
    c.int(&format!("{name}.width"), net.width, WIDTH.0, WIDTH.1);
    c.float(
        &format!("{name}.style_mixing"),
        net.style_mixing,
        FloatRange::Closed(0.0, 1.0),
    );
}

fn data(c: &mut Check, config: &GanConfig) {
    use super::kinds::{DRAWN_EXTENT, Dataset};
    let data = &config.data;
    c.float("data.std", data.std, FloatRange::OpenClosed(0.0, 1.0));
    if data.dataset == Dataset::Drawn && data.points.is_empty() {
        c.fail(
            "data.points",
            "the drawn dataset needs at least one point: draw on the plot first".into(),
        );
    }
    if data.points.len() > limits::DRAWN_POINTS {
        c.fail(
            "data.points",
            format!(
                "at most {} points, got {}",
                limits::DRAWN_POINTS,
                data.points.len()
            ),
        );
    }
    if let Some((i, p)) = data
        .points
        .iter()
        .enumerate()
        .find(|(_, p)| !p.iter().all(|v| v.is_finite() && v.abs() <= DRAWN_EXTENT))
    {
        c.fail(
            &format!("data.points[{i}]"),
            format!(
                "coordinates must lie in [-{DRAWN_EXTENT}, {DRAWN_EXTENT}], got [{}, {}]",
                p[0], p[1]
            ),
        );
    }
}

/// Image data and image networks go together; image models have their own limits and do not
/// support the 2-D-only stabilizers.
fn image(c: &mut Check, config: &GanConfig) {
    use limits::*;
    let image = config.data.dataset.is_image();
    for (name, net) in [
        ("generator", &config.generator),
        ("discriminator", &config.discriminator),
    ] {
        if net.kind.is_image() != image {
            let why = if image {
                "image data (mnist) needs \"dcgan\" networks (or a \"stylegan\" generator): load the dcgan_mnist preset"
            } else {
                "image networks (\"dcgan\", \"stylegan\") need image data: set data.dataset to \"mnist\""
            };
            c.fail(&format!("{name}.kind"), why.into());
        } else if name == "discriminator" && net.kind == NetKind::Stylegan {
            c.fail(
                "discriminator.kind",
                "stylegan is a generator; its discriminator is \"dcgan\" (with minibatch std)"
                    .into(),
            );
        } else if image {
            c.int(
                &format!("{name}.width"),
                net.width,
                IMAGE_WIDTH.0,
                IMAGE_WIDTH.1,
            );
        }
    }
    if config.data.conditional && !image {
        c.fail(
            "data.conditional",
            "class labels exist for image data (mnist) only".into(),
        );
    }
    if image {
        let batch = config.train.batch_size;
        c.int("train.batch_size", batch, IMAGE_BATCH.0, IMAGE_BATCH.1);
        let s = &config.stabilizers;
        if s.packing != 1 {
            c.fail(
                "stabilizers.packing",
                "packing is for 2-D data only; image models need 1".into(),
            );
        }
        if s.minibatch_discrimination != 0 {
            c.fail(
                "stabilizers.minibatch_discrimination",
                "minibatch discrimination is for 2-D data only; image models need 0 (their D \
                 has minibatch std)"
                    .into(),
            );
        }
        if s.gradient_penalty_units != PenaltyUnits::Absolute {
            c.fail(
                "stabilizers.gradient_penalty_units",
                "digits have no noise scale σ: image models read R1's γ as it is (\"absolute\")"
                    .into(),
            );
        }
        if s.spectral_norm {
            c.fail(
                "stabilizers.spectral_norm",
                "spectral normalisation is for the 2-D MLP only, not yet for convolutions".into(),
            );
        }
    }
}

fn objective(c: &mut Check, config: &GanConfig) {
    let o = &config.objective;
    c.float("objective.clip", o.clip, FloatRange::OpenClosed(0.0, 10.0));
    c.float(
        "objective.gp_weight",
        o.gp_weight,
        FloatRange::OpenClosed(0.0, 1000.0),
    );
}

fn stabilizers(c: &mut Check, config: &GanConfig) {
    let s = &config.stabilizers;
    c.float(
        "stabilizers.label_smoothing",
        s.label_smoothing,
        FloatRange::ClosedOpen(0.0, 0.5),
    );
    c.float(
        "stabilizers.instance_noise",
        s.instance_noise,
        FloatRange::ClosedOpen(0.0, 5.0),
    );
    c.int(
        "stabilizers.packing",
        s.packing,
        limits::PACKING.0,
        limits::PACKING.1,
    );
    c.int(
        "stabilizers.minibatch_discrimination",
        s.minibatch_discrimination,
        limits::KERNELS.0,
        limits::KERNELS.1,
    );
    c.float(
        "stabilizers.gradient_penalty",
        s.gradient_penalty,
        FloatRange::ClosedOpen(0.0, 1000.0),
    );
    c.float(
        "stabilizers.generator_ema",
        s.generator_ema,
        FloatRange::ClosedOpen(0.0, 1.0),
    );
}

/// A CycleGAN run translates between two built-in 2-D datasets with MLPs, or between MNIST and
/// thick-stroke MNIST with convolutional translators; the stabilizers that change what D sees of
/// a batch, or average G, are not part of it. `mnist_thick` exists only as a CycleGAN domain.
fn cycle(c: &mut Check, config: &GanConfig) {
    use super::kinds::Dataset;
    let cycle = &config.cycle;
    c.float(
        "cycle.cycle_weight",
        cycle.cycle_weight,
        FloatRange::Closed(0.0, 100.0),
    );
    c.float(
        "cycle.identity_weight",
        cycle.identity_weight,
        FloatRange::Closed(0.0, 100.0),
    );
    let target = config.data.dataset;
    let Some(source) = cycle.source else {
        if target == Dataset::MnistThick {
            c.fail(
                "data.dataset",
                "mnist_thick (thick-stroke digits) is a CycleGAN domain: set cycle.source to \"mnist\" (the cyclegan_mnist preset) or choose mnist".into(),
            );
        }
        return;
    };
    if source == Dataset::Drawn {
        c.fail(
            "cycle.source",
            "domain X must be a built-in dataset (not a drawing)".into(),
        );
    } else if source.is_image() != target.is_image() {
        let why = if source.is_image() {
            "digits translate to digits: set data.dataset to mnist_thick (or mnist) as domain Y"
        } else {
            "points translate to points: choose a 2-D dataset as domain Y (or mnist as domain X)"
        };
        c.fail("data.dataset", why.into());
    } else if source.is_image() && source == target {
        c.fail(
            "cycle.source",
            "domains X and Y are the same digits: translate mnist to mnist_thick (or back)".into(),
        );
    }
    if config.is_digit_cycle() {
        if config.generator.kind != NetKind::Dcgan {
            c.fail(
                "generator.kind",
                "the digit translators are \"dcgan\"-style convolutions (width channels, hidden_layers 3×3 layers)".into(),
            );
        }
        if config.data.conditional {
            c.fail(
                "data.conditional",
                "a translator keeps the digit it is given: switch class labels off".into(),
            );
        }
    }
    let s = &config.stabilizers;
    let unsupported = [
        ("stabilizers.packing", s.packing != 1, "packing"),
        (
            "stabilizers.minibatch_std",
            s.minibatch_std,
            "minibatch std",
        ),
        (
            "stabilizers.minibatch_discrimination",
            s.minibatch_discrimination != 0,
            "minibatch discrimination",
        ),
        (
            "stabilizers.instance_noise",
            s.instance_noise != 0.0,
            "instance noise",
        ),
        (
            "stabilizers.generator_ema",
            s.generator_ema != 0.0,
            "generator averaging",
        ),
        // Its two domains have two σ; give γ as it is.
        (
            "stabilizers.gradient_penalty_units",
            s.gradient_penalty_units != PenaltyUnits::Absolute,
            "R1 in units of the data's variance",
        ),
    ];
    for (field, on, name) in unsupported {
        if on {
            c.fail(
                field,
                format!("{name} is not part of CycleGAN runs: switch it off or clear cycle.source"),
            );
        }
    }
}

fn optimizer(c: &mut Check, name: &str, opt: &OptimizerConfig) {
    c.float(
        &format!("{name}.lr"),
        opt.lr,
        FloatRange::OpenClosed(limits::LR.0, limits::LR.1),
    );
    c.float(
        &format!("{name}.beta1"),
        opt.beta1,
        FloatRange::ClosedOpen(0.0, 1.0),
    );
    c.float(
        &format!("{name}.beta2"),
        opt.beta2,
        FloatRange::ClosedOpen(0.0, 1.0),
    );
    c.float(
        &format!("{name}.momentum"),
        opt.momentum,
        FloatRange::ClosedOpen(0.0, 1.0),
    );
    c.float(
        &format!("{name}.alpha"),
        opt.alpha,
        FloatRange::ClosedOpen(0.0, 1.0),
    );
}

#[cfg(test)]
mod tests {
    use super::super::GanConfig;

    fn errors(json: &str) -> Vec<(String, String)> {
        GanConfig::from_json(json)
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn out_of_range_values_name_field_and_range() {
        let errs = errors(r#"{"train": {"batch_size": 0}, "optimizer_d": {"lr": 2.0}}"#);
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(errs[0].0, "optimizer_d.lr");
        assert!(errs[0].1.contains("at most 1"), "{}", errs[0].1);
        assert_eq!(errs[1].0, "train.batch_size");
        assert!(errs[1].1.contains("from 1 to 4096"), "{}", errs[1].1);
    }

    #[test]
    fn wrong_types_and_unknown_fields_name_the_path() {
        let errs = errors(r#"{"generator": {"width": "wide"}}"#);
        assert_eq!(errs[0].0, "generator.width");
        let errs = errors(r#"{"generator": {"depth": 3}}"#);
        assert_eq!(errs[0].0, "generator.depth");
        assert!(errs[0].1.contains("unknown field"), "{}", errs[0].1);
        let errs = errors(r#"{"data": {"dataset": "cifar10"}}"#);
        assert!(
            errs[0].1.contains("ring8"),
            "lists accepted datasets: {}",
            errs[0].1
        );
    }

    #[test]
    fn stylegan_is_an_image_generator() {
        let ok = r#"{"data": {"dataset": "mnist"}, "train": {"batch_size": 64},
                     "generator": {"kind": "stylegan", "style_mixing": 0.9, "width": 32},
                     "discriminator": {"kind": "dcgan", "width": 32}}"#;
        GanConfig::from_json(ok).unwrap();
        // Class-conditional too (the label joins z before the mapping network).
        GanConfig::from_json(&ok.replace(r#""mnist""#, r#""mnist", "conditional": true"#)).unwrap();
        let errs = errors(
            r#"{"data": {"dataset": "mnist", "conditional": true}, "generator": {"kind": "stylegan",
                "style_mixing": 1.5}, "discriminator": {"kind": "stylegan"}}"#,
        );
        let fields: Vec<&str> = errs.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(fields, ["generator.style_mixing", "discriminator.kind"]);
        assert!(
            errs[1].1.contains("its discriminator is \"dcgan\""),
            "{}",
            errs[1].1
        );
        let errs = errors(r#"{"generator": {"kind": "stylegan"}}"#);
        assert!(errs[0].1.contains("need image data"), "{}", errs[0].1);
    }

    #[test]
    fn image_data_and_image_networks_go_together() {
        let errs = errors(r#"{"data": {"dataset": "mnist"}}"#);
        let fields: Vec<&str> = errs.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(fields, ["generator.kind", "discriminator.kind"]);
        assert!(errs[0].1.contains("dcgan_mnist preset"), "{}", errs[0].1);
        let errs = errors(r#"{"generator": {"kind": "dcgan"}, "data": {"conditional": true}}"#);
        assert_eq!(errs[0].0, "generator.kind");
        assert!(errs[0].1.contains("need image data"), "{}", errs[0].1);
        assert_eq!(errs[1].0, "data.conditional");
        let errs = errors(
            r#"{"data": {"dataset": "mnist"}, "generator": {"kind": "dcgan", "width": 512},
                "discriminator": {"kind": "dcgan"}, "train": {"batch_size": 1024},
                "stabilizers": {"packing": 2, "spectral_norm": true}}"#,
        );
        let fields: Vec<&str> = errs.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            fields,
            [
                "generator.width",
                "train.batch_size",
                "stabilizers.packing",
                "stabilizers.spectral_norm"
            ]
        );
        assert!(errs[0].1.contains("from 1 to 128"), "{}", errs[0].1);
    }

    #[test]
    fn drawn_data_and_stabilizers_are_checked() {
        let errs = errors(r#"{"data": {"dataset": "drawn"}}"#);
        assert_eq!(errs[0].0, "data.points");
        let errs = errors(r#"{"data": {"dataset": "drawn", "points": [[0, 0], [9, 1]]}}"#);
        assert_eq!(errs[0].0, "data.points[1]");
        let errs = errors(r#"{"stabilizers": {"packing": 0, "label_smoothing": 0.5}}"#);
        let fields: Vec<&str> = errs.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            fields,
            ["stabilizers.label_smoothing", "stabilizers.packing"]
        );
    }

    #[test]
    fn other_versions_are_refused() {
        assert_eq!(errors(r#"{"version": 2}"#)[0].0, "version");
        assert_eq!(errors("[1, 2]")[0].0, "(config)");
        assert_eq!(errors("{").len(), 1);
    }
}
