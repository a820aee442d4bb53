//! Named configurations for the milestones of the field and for the failure modes, each with a
//! short explanation the page shows. The numbers of the 2-D ones were checked with
//! `minimax eval` (see docs/results.md).

use serde::Serialize;
use serde_json::{Value, json};

use crate::config::GanConfig;

/// One preset.
#[derive(Clone, Debug, Serialize)]
pub struct Preset {
    /// Stable name for URLs and the command line.
    pub id: &'static str,
    /// Title shown in the menu.
    pub title: &'static str,
    /// Year of the paper.
    pub year: u16,
    /// What to look at, in a few sentences.
    pub summary: &'static str,
    /// The full configuration.
    pub config: GanConfig,
}

/// The defaults with `patch` merged in (objects merge, other values replace).
fn config(patch: Value) -> GanConfig {
    let mut base = serde_json::to_value(GanConfig::default()).expect("config serialises");
    merge(&mut base, &patch);
    serde_json::from_value(base).expect("presets are valid configurations")
}

pub use crate::config::edit::merge;

/// Networks with room for 25 modes (the PacGAN experiments use wider ones still).
fn roomy() -> Value {
    json!({
        "generator": {"hidden_layers": 3, "width": 128},
        "discriminator": {"hidden_layers": 3, "width": 128}
    })
}

fn with(mut a: Value, b: Value) -> Value {
    merge(&mut a, &b);
    a
}

/// Every preset, in the order the page lists them.
pub fn presets() -> Vec<Preset> {
    vec![
        Preset {
            id: "gan_2014",
            title: "GAN",
            year: 2014,
            summary: "Goodfellow et al.: D and G play min_G max_D E[log D(x)] + E[log(1 − D(G(z)))], \
                      one D step per G step, with the paper's non-saturating G loss −log D(G(z)). \
                      Watch D* (right) and D (left) agree as training goes on, and the value \
                      approach 2·JSD − log 4.",
            config: config(with(
                roomy(),
                json!({"objective": {"kind": "non_saturating"}}),
            )),
        },
        Preset {
            id: "wgan_2017",
            title: "WGAN (weight clipping)",
            year: 2017,
            summary: "Arjovsky et al.: a critic estimates the Wasserstein-1 distance; its weights are \
                      clipped to [−0.01, 0.01] to keep it Lipschitz; RMSProp 5e-5, 5 critic steps \
                      per G step. The value plotted is the critic's estimate E[D(x)] − E[D(G(z))]. \
                      Slow: clipping makes the critic weak.",
            config: config(with(
                roomy(),
                json!({
                    "objective": {"kind": "wgan", "clip": 0.01},
                    "optimizer_d": {"kind": "rmsprop", "lr": 5e-5},
                    "optimizer_g": {"kind": "rmsprop", "lr": 5e-5},
                    "train": {"d_steps": 5}
                }),
            )),
        },
        Preset {
            id: "wgan_gp_2017",
            title: "WGAN-GP",
            year: 2017,
            summary: "Gulrajani et al.: the critic is kept 1-Lipschitz by the penalty \
                      λ·E[(‖∇D(x̂)‖ − 1)²] at random points between real and fake (λ = 10); \
                      Adam 1e-4, β = (0.5, 0.9), 5 critic steps per G step.",
            config: config(with(
                roomy(),
                json!({
                    "objective": {"kind": "wgan_gp", "gp_weight": 10.0},
                    "optimizer_d": {"lr": 1e-4, "beta1": 0.5, "beta2": 0.9},
                    "optimizer_g": {"lr": 1e-4, "beta1": 0.5, "beta2": 0.9},
                    "train": {"d_steps": 5}
                }),
            )),
        },
        Preset {
            id: "lsgan_2017",
            title: "LSGAN",
            year: 2017,
            summary: "Mao et al.: least squares instead of log loss; D regresses real to 1 and fake \
                      to 0, G pulls its samples to 1. Its optimal D is again p_data/(p_data + p_g).",
            config: config(with(
                roomy(),
                json!({"objective": {"kind": "least_squares", "ls_coding": "zero_one"}}),
            )),
        },
        Preset {
            id: "fgan_2016",
            title: "f-GAN (Jensen–Shannon)",
            year: 2016,
            summary: "Nowozin et al.: any f-divergence through its conjugate f*: D maximises \
                      E_P[g_f(v)] − E_Q[f*(g_f(v))]. Switch the divergence (KL, reverse KL, \
                      Pearson χ², squared Hellinger, JS, GAN) and compare which modes G keeps.",
            config: config(with(
                roomy(),
                json!({"objective": {"kind": "f_gan", "divergence": "jensen_shannon"}}),
            )),
        },
        Preset {
            id: "pacgan_2018",
            title: "PacGAN (packing m = 4)",
            year: 2018,
            summary: "Lin et al.: D judges 4 samples at once, so a generator that drops modes \
                      produces packs that are easy to tell from real ones. On the 25-mode grid.",
            config: config(with(
                roomy(),
                json!({"data": {"dataset": "grid25"}, "stabilizers": {"packing": 4}}),
            )),
        },
        Preset {
            id: "grid_recipe_2019",
            title: "Mode recipe (PacGAN m = 8 + minibatch std + R1 + k = 2 + G averaging)",
            year: 2019,
            summary: "One recipe for every mode of the grid and the ring: packing m = 8 (Lin et al. \
                      2018), the minibatch-std feature (Karras et al. 2018), R1 with γ = 1·σ² of \
                      the data (Mescheder et al. 2018), two D steps per G step at lr(D) = \
                      2·lr(G), G's weights averaged with β = 0.999 (Yazıcı et al. 2019), and \
                      rates halved every 3,000 steps from step 10,000. Measured over 30 seeds \
                      none was tuned on, after 20,000 G updates: all 25 grid modes on every \
                      seed, on average 96.5 % of samples within 3 std of a mode; switch the data to \
                      the ring and the same recipe covers 8 of 8 with 97.9 %. Switch one chip \
                      off and watch modes or precision go.",
            config: config(with(
                roomy(),
                json!({
                    "data": {"dataset": "grid25"},
                    "train": {"d_steps": 2, "lr_decay_start": 10000, "lr_half_life": 3000},
                    "optimizer_g": {"lr": 1e-3},
                    "optimizer_d": {"lr": 2e-3},
                    "stabilizers": {
                        "packing": 8,
                        "minibatch_std": true,
                        "generator_ema": 0.999,
                        "gradient_penalty": 1.0,
                        "gradient_penalty_units": "data_variance"
                    }
                }),
            )),
        },
        Preset {
            id: "cyclegan_2017",
            title: "CycleGAN: two moons → ring",
            year: 2017,
            summary: "Zhu et al.: no pairs, two generators G: X → Y and F: Y → X, a discriminator \
                      for each domain, and the cycle-consistency loss λ·(|F(G(x)) − x| + \
                      |G(F(y)) − y|), λ = 10. Here X is two moons and Y the 8-mode ring. Watch \
                      the lines from each x to G(x) and the round trips F(G(x)) land back home \
                      (measured over 5 seeds at 3,000 steps: cycle error 0.04, G(X) reaches 7.6 \
                      of 8 modes) while only 8 % of G(X) lies inside a mode: a map F can undo \
                      must keep where on the moon x was. Switch the direction to see F and D_X.",
            config: config(json!({
                "data": {"dataset": "ring8"},
                "cycle": {"source": "two_moons"}
            })),
        },
        Preset {
            id: "mode_collapse",
            title: "Failure: mode collapse",
            year: 2016,
            summary: "A plain GAN whose G outpaces D (lr 2e-3 vs 1e-4, batch 64) on the 8-mode \
                      ring: G piles its samples where D is momentarily weakest instead of \
                      spreading over the modes; measured: 0–1 of 8 modes covered after 1,000 to \
                      6,000 steps. Try the packing chip or the two-time-scale chip.",
            config: config(json!({
                "optimizer_d": {"lr": 1e-4},
                "optimizer_g": {"lr": 2e-3},
                "train": {"batch_size": 64}
            })),
        },
        Preset {
            id: "vanishing_gradient",
            title: "Failure: vanishing gradient",
            year: 2014,
            summary: "The saturating G loss log(1 − D(G(z))) against a D that wins: 20 D steps \
                      per G step, and G far inside the ring. D rejects every sample, so the \
                      gradient reaching G is ~1e-6 (watch its plot and the arrows) and G, on plain \
                      SGD, does not move. Switch the objective to non_saturating: the gradient is \
                      ~1 and G reaches the ring.",
            config: config(json!({
                "data": {"dataset": "wide_ring"},
                "objective": {"kind": "minimax"},
                "discriminator": {"width": 128},
                "optimizer_d": {"lr": 5e-3},
                "optimizer_g": {"kind": "sgd", "lr": 0.01},
                "train": {"d_steps": 20}
            })),
        },
        Preset {
            id: "oscillation",
            title: "Failure: oscillation",
            year: 2018,
            summary: "Plain gradient steps with momentum on one Gaussian: the two players chase \
                      each other around the equilibrium instead of settling (as in the Dirac-GAN \
                      below). The losses and the generated cloud swing back and forth.",
            config: config(json!({
                "data": {"dataset": "gaussian"},
                "optimizer_d": {"kind": "sgd", "lr": 0.01, "momentum": 0.9},
                "optimizer_g": {"kind": "sgd", "lr": 0.01, "momentum": 0.9}
            })),
        },
        Preset {
            id: "dcgan_mnist",
            title: "DCGAN on MNIST digits",
            year: 2015,
            summary: "Radford et al.: G maps z (100-d) through a dense layer to 7×7 feature maps, \
                      then transposed convolutions with batch norm and ReLU up to a 28×28 tanh \
                      image; D is strided convolutions with LeakyReLU(0.2). Adam 2e-4, β1 = 0.5, \
                      batch 64, trained on 9,000 real MNIST digits. Width 32 (the paper's layout \
                      at a size a browser tab trains); the grid shows fixed noise, so you watch \
                      the same digits take shape.",
            config: dcgan(json!({})),
        },
        Preset {
            id: "cdcgan_mnist",
            title: "Conditional DCGAN (ask for a 7)",
            year: 2014,
            summary: "Mirza & Osindero's conditional GAN on the DCGAN networks: G also gets the \
                      one-hot label, D a projection term ⟨embed(y), φ(x)⟩ (Miyato & Koyama). \
                      Pick a digit under the grid and every sample becomes that digit.",
            config: dcgan(json!({"data": {"conditional": true}})),
        },
        Preset {
            id: "stylegan_mnist",
            title: "StyleGAN-lite on MNIST digits",
            year: 2019,
            summary: "Karras et al.: a mapping network (4 layers) turns z into w, and w sets the \
                      style of each convolution that grows a learned 7×7 constant to 28×28 — a \
                      per-channel scale with StyleGAN2's demodulation — with noise added at \
                      every layer; D is DCGAN's with minibatch standard deviation. Coarse \
                      (7×7), middle (14×14) and fine (28×28) styles can come from different z \
                      (style mixing, also used in training 90 % of the time), and the \
                      truncation ψ pulls w toward its average.",
            config: stylegan(json!({})),
        },
        Preset {
            id: "cstylegan_mnist",
            title: "Conditional StyleGAN-lite (ask for a 7)",
            year: 2020,
            summary: "StyleGAN-lite told which digit to write, as StyleGAN2-ADA conditions its \
                      generator (Karras et al. 2020): the label's embedding, normalised like z, \
                      joins z before the mapping network, so w carries the class; D gets the \
                      projection term ⟨embed(y), φ(x)⟩. Pick a digit under the grid: the \
                      samples, the style-mixing grid and the w interpolation all draw it, and \
                      truncation pulls each w toward its own class's average.",
            config: stylegan(json!({"data": {"conditional": true}})),
        },
        Preset {
            id: "cyclegan_mnist",
            title: "CycleGAN: thin digits → thick digits",
            year: 2017,
            summary: "Zhu et al. on digits: X is MNIST, Y the same kind of digits with thick \
                      strokes, cut from the other half of the training digits, so no digit ever \
                      meets its own thick version. G and F are small all-convolutional \
                      translators (two 3×3 layers of 16 channels and a skip path), D_X and D_Y \
                      DCGAN critics, LSGAN's loss as in the paper, λ = 10. The grid shows held-out \
                      digits x, G(x) and the round trip F(G(x)); the classifier checks that G \
                      changed the strokes, not the digit (label kept).",
            config: dcgan(json!({
                "data": {"dataset": "mnist_thick"},
                "cycle": {"source": "mnist"},
                "generator": {"width": 16, "hidden_layers": 2},
                "discriminator": {"width": 16},
                "objective": {"kind": "least_squares"},
                "train": {"batch_size": 32}
            })),
        },
    ]
}

/// The DCGAN defaults of the paper (width 32) with `patch` merged in.
fn dcgan(patch: Value) -> GanConfig {
    config(with(
        json!({
            "data": {"dataset": "mnist"},
            "noise": {"dim": 100},
            "generator": {"kind": "dcgan", "width": 32, "activation": "relu"},
            "discriminator": {"kind": "dcgan", "width": 32, "activation": "leaky_relu"},
            "objective": {"kind": "non_saturating"},
            "optimizer_d": {"kind": "adam", "lr": 2e-4, "beta1": 0.5, "beta2": 0.999},
            "optimizer_g": {"kind": "adam", "lr": 2e-4, "beta1": 0.5, "beta2": 0.999},
            "train": {"batch_size": 64, "d_steps": 1, "g_steps": 1}
        }),
        patch,
    ))
}

/// StyleGAN-lite on [`dcgan`]'s data, D and objective, then `patch`.
fn stylegan(patch: Value) -> GanConfig {
    dcgan(with(
        json!({
            "noise": {"dim": 64},
            "generator": {"kind": "stylegan", "width": 32, "hidden_layers": 4,
                          "activation": "leaky_relu", "style_mixing": 0.9},
            "stabilizers": {"minibatch_std": true},
            // Equalised learning rate: G's weights are N(0, 1) scaled at run time, so its
            // step size is StyleGAN's (1e-3 here; the paper's 2e-3 for bigger nets), β1 = 0.
            "optimizer_g": {"kind": "adam", "lr": 1e-3, "beta1": 0.0, "beta2": 0.99}
        }),
        patch,
    ))
}

/// The preset called `id`.
pub fn preset(id: &str) -> Result<Preset, String> {
    presets().into_iter().find(|p| p.id == id).ok_or_else(|| {
        let ids: Vec<&str> = presets().iter().map(|p| p.id).collect();
        format!("no preset {id:?}; presets: {}", ids.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_is_valid_and_ids_are_unique() {
        let all = presets();
        for p in &all {
            p.config.validate().unwrap();
            assert_eq!(all.iter().filter(|q| q.id == p.id).count(), 1);
        }
        assert!(preset("nope").unwrap_err().contains("gan_2014"));
    }

    #[test]
    fn every_preset_trains_with_finite_losses() {
        use crate::cycle::points::CycleTrainer;
        use crate::points::train::Trainer;
        use burn::prelude::*;
        for p in presets()
            .into_iter()
            .filter(|p| !p.config.data.dataset.is_image())
        {
            let mut config = p.config;
            config.train.batch_size = 16;
            let device = Device::flex();
            let losses = if config.cycle.is_off() {
                Trainer::new(config, &device).train(2)
            } else {
                CycleTrainer::new(config, &device).train(2)
            };
            let losses = losses.into_data().try_into_vec::<f32>().unwrap();
            assert!(losses.iter().all(|v| v.is_finite()), "{}: {losses:?}", p.id);
        }
    }
}
