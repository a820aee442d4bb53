//! The digit translator of a CycleGAN run (G: X → Y and F: Y → X between two digit domains):
//! an all-convolutional net in DCGAN's spirit that keeps the 28×28 grid — `hidden_layers`
//! 3×3 convolutions of `width` channels, then a 3×3 convolution back to one channel — with a
//! skip path from its input. Translating thin strokes to thick ones (or back) is a local edit of
//! each digit, so the net starts near the identity and learns the change.

use burn::nn::PaddingConfig2d;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::prelude::*;

use super::dcgan::{normal, param};
use crate::config::NetConfig;
use crate::points::model::Activation;
use crate::rng::Rng;

/// The skip path's gain: the output is tanh(SKIP·x + convolutions(x)), so a fresh translator
/// (whose last convolution starts near zero) returns tanh(2·x): every pixel keeps its sign, ink
/// stays ink at 0.96 and the background stays background.
const SKIP: f32 = 2.0;

/// He initialisation's standard deviation for a 3×3 convolution with `c_in` inputs, scaled by
/// `gain` (the last layer starts small so that the skip path dominates).
fn conv(c_in: usize, c_out: usize, gain: f64, rng: &mut Rng, device: &Device) -> Conv2d {
    let mut conv = Conv2dConfig::new([c_in, c_out], [3, 3])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .init(device);
    let std = gain * (2.0 / (9 * c_in) as f64).sqrt();
    conv.weight = param(
        normal(rng, c_out * c_in * 9, std),
        [c_out, c_in, 3, 3],
        device,
    );
    conv.bias = Some(param(vec![0.0; c_out], [c_out], device));
    conv
}

/// A digit → digit translator: `[n, 1, 28, 28]` → `[n, 1, 28, 28]` in [−1, 1].
#[derive(Module, Debug)]
pub struct DigitTranslator {
    hidden: Vec<Conv2d>,
    out: Conv2d,
    #[module(skip)]
    activation: Activation,
}

impl DigitTranslator {
    /// A new translator of the shape `net` gives (`hidden_layers` convolutions of `width`
    /// channels and its activation), weights drawn from `rng`.
    pub fn new(net: &NetConfig, rng: &mut Rng, device: &Device) -> Self {
        let w = net.width;
        let hidden = (0..net.hidden_layers.max(1))
            .map(|i| conv(if i == 0 { 1 } else { w }, w, 1.0, rng, device))
            .collect();
        Self {
            hidden,
            out: conv(w, 1, 0.1, rng, device),
            activation: net.activation,
        }
    }

    /// `x` `[n, 1, 28, 28]` → its translation `[n, 1, 28, 28]`.
    pub fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        let mut h = x.clone();
        for layer in &self.hidden {
            h = self.activation.apply(layer.forward(h)); // [n, width, 28, 28]
        }
        let change = self.out.forward(h); // [n, 1, 28, 28]
        (x.mul_scalar(SKIP) + change).tanh()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::mnist::SIDE;

    #[test]
    fn keeps_the_grid_and_starts_near_the_identity() {
        let device = Device::flex();
        let net = NetConfig {
            width: 8,
            hidden_layers: 2,
            ..NetConfig::default()
        };
        let t = DigitTranslator::new(&net, &mut Rng::new(3), &device);
        let values: Vec<f32> = (0..2 * SIDE * SIDE)
            .map(|i| if i % 7 == 0 { 1.0 } else { -1.0 })
            .collect();
        let x =
            Tensor::<4>::from_data(TensorData::new(values.clone(), [2, 1, SIDE, SIDE]), &device);
        let y = t.forward(x);
        assert_eq!(y.dims(), [2, 1, SIDE, SIDE]);
        let y = y.into_data().try_into_vec::<f32>().unwrap();
        // Every pixel keeps its sign: ink stays ink, background stays background.
        assert!(
            values.iter().zip(&y).all(|(a, b)| a * b > 0.5),
            "{:?}",
            &y[..8]
        );
    }
}
