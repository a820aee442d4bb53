//! The image generator of a run: DCGAN's or StyleGAN-lite's, chosen by `generator.kind`.
//!
//! Checkpoint parts hold the inner network's record (as before StyleGAN existed), so DCGAN
//! checkpoints written by earlier builds still load.

use burn::prelude::*;

use super::dcgan::{DcganGenerator, DcganShape};
use super::stylegan::{STYLE_SLOTS, StyleGenerator, StyleShape, mixed_styles, truncate};
use crate::checkpoint::{load_module, module_bytes};
use crate::config::{GanConfig, NetKind};
use crate::rng::Rng;

/// G of an image run.
// One G per run, moved rarely: the size difference of the variants does not matter (and Burn
// has no Module for Box).
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum ImageGenerator {
    /// DCGAN (optionally class-conditional).
    Dcgan(DcganGenerator),
    /// StyleGAN-lite (optionally class-conditional).
    Style(StyleGenerator),
}

/// What StyleGAN's synthesis needs besides z: per-layer noise and, for mixing, a second w.
pub struct StyleInputs {
    /// Noise maps `[batch, noise_len]`.
    pub noise: Tensor<2>,
    /// Style mixing: a second source of w for some slots of each digit.
    pub mix: Option<StyleMix>,
    /// Truncation: w_avg `[1, dim]` (a conditional G: one per class, `[10, dim]`) and ψ.
    pub truncation: Option<(Tensor<2>, f32)>,
}

/// The second source of styles in style mixing.
pub struct StyleMix {
    /// The second z `[batch, dim]`.
    pub z: Tensor<2>,
    /// Its labels `[batch, 10]` (conditional G; `None` = the first z's labels, as in training).
    pub labels: Option<Tensor<2>>,
    /// Per digit, which slots take the second w.
    pub slots: Vec<[bool; STYLE_SLOTS]>,
}

impl ImageGenerator {
    /// A new G for `config` drawn from `rng`.
    pub fn new(config: &GanConfig, rng: &mut Rng, device: &Device) -> Self {
        match config.generator.kind {
            NetKind::Stylegan => {
                Self::Style(StyleGenerator::new(&StyleShape::of(config), rng, device))
            }
            _ => Self::Dcgan(DcganGenerator::new(&DcganShape::of(config), rng, device)),
        }
    }

    /// StyleGAN-lite's networks, if this is one.
    pub fn style(&self) -> Option<&StyleGenerator> {
        match self {
            Self::Style(g) => Some(g),
            Self::Dcgan(_) => None,
        }
    }

    /// z `[batch, dim]` (and one-hot labels for a conditional G; the style inputs for
    /// StyleGAN) → `[batch, 1, 28, 28]`.
    pub fn forward(
        &self,
        z: Tensor<2>,
        labels: Option<Tensor<2>>,
        style: Option<StyleInputs>,
    ) -> Tensor<4> {
        match self {
            Self::Dcgan(g) => g.forward(z, labels),
            Self::Style(g) => {
                let inputs = style.expect("a StyleGAN generator needs its noise inputs");
                let w = |z: Tensor<2>, labels: Option<Tensor<2>>| {
                    let w = g.mapping.forward(z, labels.clone()); // [batch, dim]
                    match &inputs.truncation {
                        Some((avg, psi)) => truncate(w, avg.clone(), labels, *psi),
                        None => w,
                    }
                };
                let first = w(z, labels.clone()); // [batch, dim]
                let ws: [Tensor<2>; STYLE_SLOTS] = match inputs.mix {
                    Some(mix) => {
                        let second = w(mix.z, mix.labels.or(labels)); // [batch, dim]
                        let device = first.device();
                        std::array::from_fn(|slot| {
                            let mask: Vec<f32> = mix
                                .slots
                                .iter()
                                .map(|m| f32::from(u8::from(m[slot])))
                                .collect();
                            let mask = Tensor::<2>::from_data(
                                TensorData::new(mask, [mix.slots.len(), 1]),
                                &device,
                            );
                            first.clone() + (second.clone() - first.clone()) * mask // [batch, dim]
                        })
                    }
                    None => mixed_styles(first.clone(), first, STYLE_SLOTS),
                };
                g.synthesize(ws, inputs.noise)
            }
        }
    }

    /// The inner network's record (a checkpoint part).
    pub fn record_bytes(&self) -> Vec<u8> {
        match self {
            Self::Dcgan(g) => module_bytes(g),
            Self::Style(g) => module_bytes(g),
        }
    }

    /// This G with the parameters of a checkpoint part.
    pub fn load_record(self, bytes: &[u8]) -> Result<Self, String> {
        Ok(match self {
            Self::Dcgan(g) => Self::Dcgan(load_module(g, bytes, "generator")?),
            Self::Style(g) => Self::Style(load_module(g, bytes, "generator")?),
        })
    }
}

impl crate::checkpoint::Part for ImageGenerator {
    fn part_bytes(&self) -> Vec<u8> {
        self.record_bytes()
    }
    fn load_part(self, bytes: &[u8], _name: &str) -> Result<Self, String> {
        self.load_record(bytes)
    }
    fn param_shapes(&self) -> crate::checkpoint::ParamShapes {
        let mut shapes = Default::default();
        match self {
            Self::Dcgan(g) => crate::checkpoint::add_param_shapes(g, &mut shapes),
            Self::Style(g) => crate::checkpoint::add_param_shapes(g, &mut shapes),
        }
        shapes
    }
}
