//! The stabilizer chips of the page: each a one-line explanation and the partial
//! configurations that switch it on and off (merged into the running configuration).

use serde::Serialize;
use serde_json::{Value, json};

/// One stabilizer chip.
#[derive(Clone, Debug, Serialize)]
pub struct Stabilizer {
    /// Stable name.
    pub id: &'static str,
    /// Chip label.
    pub label: &'static str,
    /// What it does and why, in one line.
    pub explanation: &'static str,
    /// Partial configuration that switches it on.
    pub on: Value,
    /// Partial configuration that switches it off (the defaults).
    pub off: Value,
    /// The objectives under which it has an effect (empty: all).
    pub objectives: Vec<&'static str>,
    /// The unit the chip's value is shown with when another field names one, as
    /// `{"dotted.path": {"value": "suffix"}}` (R1's γ given in units of the data's σ²).
    pub value_units: Value,
}

/// Every chip, in the order the page shows them.
pub fn stabilizers() -> Vec<Stabilizer> {
    let chip = |id, label, explanation, on, off| Stabilizer {
        id,
        label,
        explanation,
        on,
        off,
        objectives: Vec::new(),
        value_units: json!({}),
    };
    vec![
        chip(
            "more_d_steps",
            "k = 5 D steps",
            "D trains 5 steps per G step, staying near its optimum D* for the current G.",
            json!({"train": {"d_steps": 5}}),
            json!({"train": {"d_steps": 1}}),
        ),
        chip(
            "ttur",
            "two time-scales",
            "lr(D) = 4·lr(G) (Heusel et al. 2017): D tracks its optimum while G moves slowly.",
            json!({"optimizer_d": {"lr": 4e-4}, "optimizer_g": {"lr": 1e-4}}),
            json!({"optimizer_d": {"lr": 1e-3}, "optimizer_g": {"lr": 5e-4}}),
        ),
        Stabilizer {
            objectives: vec!["minimax", "non_saturating", "least_squares"],
            ..chip(
                "label_smoothing",
                "label smoothing",
                "D's target for real points is 0.9, not 1: an over-confident D gives G no gradient.",
                json!({"stabilizers": {"label_smoothing": 0.1}}),
                json!({"stabilizers": {"label_smoothing": 0.0}}),
            )
        },
        chip(
            "instance_noise",
            "instance noise",
            "Noise (std 0.1) on every point D sees makes both distributions overlap, so D* is smooth.",
            json!({"stabilizers": {"instance_noise": 0.1}}),
            json!({"stabilizers": {"instance_noise": 0.0}}),
        ),
        chip(
            "packing",
            "packing (m = 4)",
            "D judges 4 samples at once (PacGAN), so missing modes are easy to see. New D.",
            json!({"stabilizers": {"packing": 4}}),
            json!({"stabilizers": {"packing": 1}}),
        ),
        chip(
            "minibatch_std",
            "minibatch std",
            "D sees the batch's spread (ProGAN), so a collapsed generator is caught. New D.",
            json!({"stabilizers": {"minibatch_std": true}}),
            json!({"stabilizers": {"minibatch_std": false}}),
        ),
        chip(
            "minibatch_discrimination",
            "minibatch discrimination",
            "D sees how close each sample sits to the others in its batch, through 8 learned kernels (Salimans et al. 2016): a batch piled on one mode is caught. New D.",
            json!({"stabilizers": {"minibatch_discrimination": 8}}),
            json!({"stabilizers": {"minibatch_discrimination": 0}}),
        ),
        // Its switches reset the units, so a preset's γ = 1·σ² shows as "on · 1·σ²", not as γ = 1.
        Stabilizer {
            value_units: json!({"stabilizers.gradient_penalty_units": {"data_variance": "·σ²"}}),
            ..chip(
                "gradient_penalty",
                "gradient penalty (R1)",
                "Penalise ‖∇D‖² on real data (γ = 1, Mescheder et al. 2018): D stays smooth and training converges.",
                json!({"stabilizers": {"gradient_penalty": 1.0, "gradient_penalty_units": "absolute"}}),
                json!({"stabilizers": {"gradient_penalty": 0.0, "gradient_penalty_units": "absolute"}}),
            )
        },
        chip(
            "spectral_norm",
            "spectral norm",
            "Each D weight matrix is divided by its largest singular value (Miyato et al. 2018): D is 1-Lipschitz per layer.",
            json!({"stabilizers": {"spectral_norm": true}}),
            json!({"stabilizers": {"spectral_norm": false}}),
        ),
        chip(
            "generator_ema",
            "G averaging (EMA)",
            "Show a moving average of G's weights (β = 0.999, Yazıcı et al. 2019): G's oscillation around the modes averages out.",
            json!({"stabilizers": {"generator_ema": 0.999}}),
            json!({"stabilizers": {"generator_ema": 0.0}}),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::GanConfig;
    use crate::presets::merge;

    #[test]
    fn every_chip_gives_valid_configs_and_off_is_the_default() {
        let default = serde_json::to_value(GanConfig::default()).unwrap();
        for chip in stabilizers() {
            for patch in [&chip.on, &chip.off] {
                let mut c = default.clone();
                merge(&mut c, patch);
                GanConfig::from_json(&c.to_string()).unwrap();
            }
            let mut off = default.clone();
            merge(&mut off, &chip.off);
            assert_eq!(off, default, "{}", chip.id);
        }
    }
}
