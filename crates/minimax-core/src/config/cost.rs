//! What one training iteration costs, estimated from the config alone: multiply–adds and the
//! memory of the activations that backpropagation keeps. Validation refuses a run whose single
//! iteration would take more than a few seconds on a CPU or more memory than a browser tab has,
//! because one iteration is the smallest piece of work the engine can stop between: a bigger one
//! hangs the tab (the largest config the field bounds allow took 151 s, then ran out of memory).

use super::{GanConfig, NetConfig, NetKind};

/// Multiply–adds per second the estimate assumes: the order of Burn's `flex` backend in wasm
/// on one core (the default 2-D config, 1.4 × 10⁷ per iteration, trains at ~500 steps/s).
pub const CPU_MULTIPLY_ADDS_PER_SECOND: f64 = 1.0e10;
/// The most multiply–adds one iteration may take: about 3 s on a CPU.
pub const MAX_MULTIPLY_ADDS: f64 = 3.0e10;
/// The most bytes the activations of one iteration may take (a wasm32 tab has 4 GiB at most,
/// and browsers refuse far less on phones).
pub const MAX_ACTIVATION_BYTES: f64 = 1.0e9;

/// Backward costs about twice the forward pass.
const FORWARD_AND_BACKWARD: f64 = 3.0;
/// What backpropagation keeps per activation value: the output, the pre-activation and its
/// gradient, as f32.
const BYTES_PER_ACTIVATION: f64 = 3.0 * 4.0;

/// The estimate for one iteration (`d_steps` D updates and `g_steps` G updates).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IterationCost {
    /// Multiply–adds, forward and backward, of every network evaluation in the iteration.
    pub multiply_adds: f64,
    /// Bytes of the activations one network update keeps for its backward pass (the largest).
    pub activation_bytes: f64,
}

impl IterationCost {
    /// Seconds on a CPU at [`CPU_MULTIPLY_ADDS_PER_SECOND`].
    pub fn cpu_seconds(&self) -> f64 {
        self.multiply_adds / CPU_MULTIPLY_ADDS_PER_SECOND
    }

    /// Why this iteration is too big for a tab, in words that name the fields to lower; `None`
    /// when it fits.
    pub fn problem(&self) -> Option<String> {
        let fields =
            "lower train.batch_size, train.d_steps or the networks' width or hidden_layers";
        if self.multiply_adds > MAX_MULTIPLY_ADDS {
            let seconds = self.cpu_seconds();
            let time = if seconds < 90.0 {
                format!("about {seconds:.0} s on a CPU")
            } else {
                format!("about {:.0} minutes on a CPU", seconds / 60.0)
            };
            return Some(format!(
                "one iteration is about {} multiply–adds ({time}; the limit is {}, a few \
                 seconds): {fields}",
                scientific(self.multiply_adds),
                scientific(MAX_MULTIPLY_ADDS)
            ));
        }
        if self.activation_bytes > MAX_ACTIVATION_BYTES {
            return Some(format!(
                "one iteration keeps about {:.1} GB of activations (the limit is {:.1} GB): {fields}",
                self.activation_bytes / 1e9,
                MAX_ACTIVATION_BYTES / 1e9
            ));
        }
        None
    }
}

/// `2.3 × 10¹²`
fn scientific(value: f64) -> String {
    const SUPERSCRIPT: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let exponent = value.abs().log10().floor().max(0.0) as u32;
    let mantissa = value / 10f64.powi(exponent as i32);
    let digits: String = exponent
        .to_string()
        .chars()
        .map(|c| SUPERSCRIPT[c.to_digit(10).unwrap_or(0) as usize])
        .collect();
    format!("{mantissa:.1} × 10{digits}")
}

/// Per-sample forward multiply–adds and activation values of one network.
#[derive(Clone, Copy, Debug, Default)]
struct NetCost {
    multiply_adds: f64,
    activations: f64,
}

impl GanConfig {
    /// The estimated cost of one training iteration (see the module doc).
    pub fn iteration_cost(&self) -> IterationCost {
        let image = self.generator.kind.is_image() || self.discriminator.kind.is_image();
        let (g, d) = if image {
            let labels = if self.data.conditional { 10 } else { 0 };
            let g = if self.is_digit_cycle() {
                image_translator(&self.generator)
            } else {
                image_generator(&self.generator, self.noise.dim + labels)
            };
            (g, image_discriminator(&self.discriminator))
        } else {
            let packing = self.stabilizers.packing.max(1);
            let kernels = self.stabilizers.minibatch_discrimination;
            let d_input = 2 * packing + usize::from(self.stabilizers.minibatch_std) + kernels;
            let mut d = mlp(&self.discriminator, d_input, 1);
            if kernels > 0 {
                // Each row meets every row of its batch in every kernel: [rows, rows, B, C]
                // differences, absolute values and signs per evaluation, quadratic in the batch.
                let rows = (self.train.batch_size / packing).max(1) as f64;
                let projections = (kernels * super::MINIBATCH_KERNEL_DIM) as f64;
                d.multiply_adds += (2 * packing) as f64 * projections + 3.0 * rows * projections;
                d.activations += 3.0 * rows * projections;
            }
            // A CycleGAN generator maps points to points.
            let g_input = if self.cycle.is_off() {
                self.noise.dim
            } else {
                2
            };
            (mlp(&self.generator, g_input, 2), d)
        };
        let batch = self.train.batch_size as f64;
        // Packing: D sees batch/packing rows of `packing` samples each, as many multiply–adds
        // in its first layer and fewer elsewhere; counting every sample is the safe side.
        let penalty = self.objective.kind == super::ObjectiveKind::WganGp
            || self.stabilizers.gradient_penalty > 0.0;
        // A gradient penalty differentiates through D's gradient: about twice D's cost again.
        let d_factor = if penalty { 2.0 } else { 1.0 };
        // A D step: G forward (no backward into G), D on real and on fake, forward and backward.
        let d_step = g.multiply_adds + FORWARD_AND_BACKWARD * 2.0 * d.multiply_adds * d_factor;
        // CycleGAN plays the game in both directions (G with D_Y, F with D_X), and its G step
        // sends each batch through both generators (translation and round trip), and through
        // its own target's generator once more for the identity loss.
        let (directions, g_passes) = match &self.cycle {
            c if c.is_off() => (1.0, 1.0),
            c if c.identity_weight > 0.0 => (2.0, 3.0),
            _ => (2.0, 2.0),
        };
        // A G step: G and D forward and backward.
        let g_step = FORWARD_AND_BACKWARD * (g_passes * g.multiply_adds + d.multiply_adds);
        let multiply_adds = directions
            * batch
            * (self.train.d_steps as f64 * d_step + self.train.g_steps as f64 * g_step);
        let kept = (g.activations + 2.0 * d.activations * d_factor)
            .max(g_passes * g.activations + d.activations);
        IterationCost {
            multiply_adds,
            activation_bytes: batch * kept * BYTES_PER_ACTIVATION,
        }
    }
}

fn mlp(net: &NetConfig, input: usize, output: usize) -> NetCost {
    let (w, layers) = (net.width as f64, net.hidden_layers.max(1) as f64);
    NetCost {
        multiply_adds: input as f64 * w + (layers - 1.0) * w * w + w * output as f64,
        activations: layers * w + output as f64,
    }
}

/// DCGAN's G (z → 7×7×2w → 14×14×w → 28×28, 4×4 transposed convolutions) or StyleGAN-lite's
/// (mapping network, modulated 3×3 convolutions at 7, 14 and 28 with w, w and w/2 channels).
fn image_generator(net: &NetConfig, input: usize) -> NetCost {
    let w = net.width as f64;
    match net.kind {
        NetKind::Stylegan => {
            let z = input as f64;
            let mapping = net.hidden_layers.max(1) as f64 * z * z;
            // Each modulated conv also scales its weights per sample: c_in·c_out·9 more.
            let conv = |pixels: f64, c_in: f64, c_out: f64| 9.0 * c_in * c_out * (pixels + 1.0);
            NetCost {
                multiply_adds: mapping
                    + conv(49.0, w, w)
                    + conv(196.0, w, w)
                    + conv(784.0, w, w / 2.0)
                    + 784.0 * w / 2.0,
                activations: 49.0 * w + 196.0 * w + 784.0 * (w / 2.0 + 1.0),
            }
        }
        _ => NetCost {
            multiply_adds: input as f64 * 49.0 * 2.0 * w
                + 196.0 * 16.0 * 2.0 * w * w
                + 784.0 * 16.0 * w,
            activations: 49.0 * 2.0 * w + 196.0 * w + 784.0,
        },
    }
}

/// A digit CycleGAN's translator: `hidden_layers` 3×3 convolutions of `width` channels at
/// 28×28 (the first from one channel), then one back to one channel.
fn image_translator(net: &NetConfig) -> NetCost {
    let (w, layers) = (net.width as f64, net.hidden_layers.max(1) as f64);
    NetCost {
        multiply_adds: 784.0 * 9.0 * (w + (layers - 1.0) * w * w + w),
        activations: 784.0 * (layers * w + 1.0),
    }
}

/// DCGAN's D: 28×28 → 14×14×w → 7×7×2w (4×4 convolutions, stride 2) → one value.
fn image_discriminator(net: &NetConfig) -> NetCost {
    let w = net.width as f64;
    NetCost {
        multiply_adds: 196.0 * 16.0 * w + 49.0 * 16.0 * w * 2.0 * w + 49.0 * 2.0 * w,
        activations: 784.0 + 196.0 * w + 49.0 * 2.0 * w,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_config_costs_what_the_doc_says() {
        let cost = GanConfig::default().iteration_cost();
        // G: 2·64 + 64·64 + 64·2 = 4,352; D: 2·64 + 64·64 + 64·1 = 4,288. A D step: G forward
        // and D forward + backward on real and fake (3·2·4,288); a G step: 3·(4,352 + 4,288).
        // Times batch 256: 1.4 × 10⁷.
        let expected = 256.0 * (4352.0 + 6.0 * 4288.0 + 3.0 * (4352.0 + 4288.0));
        assert_eq!(cost.multiply_adds, expected);
        assert!(cost.problem().is_none());
    }

    #[test]
    fn every_preset_fits() {
        for preset in crate::presets::presets() {
            let cost = preset.config.iteration_cost();
            assert!(cost.problem().is_none(), "{}: {cost:?}", preset.id);
            preset
                .config
                .validate()
                .unwrap_or_else(|e| panic!("{}: {e}", preset.id));
        }
    }

    #[test]
    fn the_largest_config_the_field_bounds_allow_is_refused_with_its_estimate() {
        // 8 × 1024 nets, batch 4,096, 20 D steps: hung a tab for 151 s, then trapped.
        let json = r#"{"generator": {"hidden_layers": 8, "width": 1024},
            "discriminator": {"hidden_layers": 8, "width": 1024},
            "train": {"batch_size": 4096, "d_steps": 20}}"#;
        let error = GanConfig::from_json(json).unwrap_err();
        assert_eq!(error.errors.len(), 1, "{error}");
        assert_eq!(error.errors[0].field, "train.batch_size");
        let message = &error.errors[0].message;
        assert!(message.contains("× 10¹² multiply–adds"), "{message}");
        assert!(message.contains("minutes on a CPU"), "{message}");
        assert!(
            message.contains("lower train.batch_size, train.d_steps"),
            "{message}"
        );
        // The same schedule with 64-wide nets fits (about 1.7 × 10¹⁰).
        let narrower = json.replace("1024", "64");
        assert!(GanConfig::from_json(&narrower).is_ok());
    }

    #[test]
    fn a_wide_dcgan_at_the_largest_batch_is_refused_and_the_gradient_penalty_counts() {
        let wide = r#"{"data": {"dataset": "mnist"}, "noise": {"dim": 100},
            "generator": {"kind": "dcgan", "width": 128}, "discriminator": {"kind": "dcgan", "width": 128},
            "train": {"batch_size": 256}}"#;
        let error = GanConfig::from_json(wide).unwrap_err();
        assert!(error.errors[0].message.contains("multiply–adds"), "{error}");
        let mut config = GanConfig::default();
        let plain = config.iteration_cost().multiply_adds;
        config.stabilizers.gradient_penalty = 1.0;
        // D's forward and backward counted twice in D steps: 56,000 → 81,728 per sample.
        assert_eq!(config.iteration_cost().multiply_adds, 256.0 * 81_728.0);
        assert!(plain < config.iteration_cost().multiply_adds);
    }

    #[test]
    fn minibatch_discrimination_costs_the_square_of_the_batch() {
        let mut config = GanConfig::default();
        config.stabilizers.minibatch_discrimination = 8;
        let at = |batch: usize| {
            let mut c = config.clone();
            c.train.batch_size = batch;
            c.iteration_cost()
        };
        // Per sample it grows with the batch; the default batch fits, the largest does not.
        let per_sample = |batch: usize| at(batch).activation_bytes / batch as f64;
        assert!(per_sample(512) > 1.9 * per_sample(256));
        assert!(at(256).problem().is_none(), "{:?}", at(256));
        let problem = at(4096).problem().unwrap_or_default();
        assert!(problem.contains("GB of activations"), "{problem}");
        assert!(
            GanConfig::from_json(
                r#"{"train": {"batch_size": 4096}, "stabilizers": {"minibatch_discrimination": 8}}"#
            )
            .is_err()
        );
    }

    #[test]
    fn scientific_notation_reads_well() {
        assert_eq!(scientific(2.3e12), "2.3 × 10¹²");
        assert_eq!(scientific(3.0e10), "3.0 × 10¹⁰");
    }
}
