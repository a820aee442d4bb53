//! The MLP generator and discriminator of the 2-D playground.

use burn::module::Param;
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::activation;
use serde::{Deserialize, Serialize};

use crate::config::NetConfig;
use crate::rng::Rng;

/// Non-linearity after each hidden layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// max(0, x).
    #[default]
    Relu,
    /// max(0.2·x, x), as in DCGAN's discriminator.
    LeakyRelu,
    /// tanh(x).
    Tanh,
}

impl Activation {
    /// Every activation, in the order the UI lists them.
    pub const ALL: [Self; 3] = [Self::Relu, Self::LeakyRelu, Self::Tanh];

    fn apply<const D: usize>(self, x: Tensor<D>) -> Tensor<D> {
        match self {
            Self::Relu => activation::relu(x),
            Self::LeakyRelu => activation::leaky_relu(x, 0.2),
            Self::Tanh => activation::tanh(x),
        }
    }
}

/// A multilayer perceptron: `hidden_layers` layers of `width` units, then a linear output layer.
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Linear>,
    #[module(skip)]
    activation: Activation,
}

impl Mlp {
    /// A new network from `d_input` to `d_output` with the architecture of `net`, its weights
    /// drawn from `rng` (not from the backend's RNG: same seed, same weights on every backend).
    pub fn new(
        net: &NetConfig,
        d_input: usize,
        d_output: usize,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        let mut sizes = vec![d_input];
        sizes.extend(std::iter::repeat_n(net.width, net.hidden_layers));
        sizes.push(d_output);
        let layers = sizes
            .windows(2)
            .map(|w| linear(w[0], w[1], rng, device))
            .collect();
        Self {
            layers,
            activation: net.activation,
        }
    }

    /// `[batch, d_input]` → `[batch, d_output]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        self.layers.iter().enumerate().fold(x, |h, (i, layer)| {
            let h = layer.forward(h); // [batch, width] (or [batch, d_output] for the last)
            if i == last {
                h
            } else {
                self.activation.apply(h)
            }
        })
    }
}

/// A linear layer initialised as PyTorch's and Burn's default: weights and biases ~ U(−k, k),
/// k = 1/√d_input.
fn linear(d_input: usize, d_output: usize, rng: &mut Rng, device: &Device) -> Linear {
    let k = 1.0 / (d_input as f64).sqrt();
    let mut uniform = |n: usize| {
        (0..n)
            .map(|_| rng.uniform_in(-k, k) as f32)
            .collect::<Vec<_>>()
    };
    let weight = TensorData::new(uniform(d_input * d_output), [d_input, d_output]);
    let bias = TensorData::new(uniform(d_output), [d_output]);
    Linear {
        weight: Param::from_tensor(Tensor::from_data(weight, device)),
        bias: Some(Param::from_tensor(Tensor::from_data(bias, device))),
    }
}

/// G: noise `[batch, noise_dim]` → points `[batch, 2]` (linear output: the data is unbounded).
pub fn generator(net: &NetConfig, noise_dim: usize, rng: &mut Rng, device: &Device) -> Mlp {
    Mlp::new(net, noise_dim, 2, rng, device)
}

/// D: points `[batch, 2]` → logits `[batch, 1]`; D(x) = σ(logit).
pub fn discriminator(net: &NetConfig, rng: &mut Rng, device: &Device) -> Mlp {
    Mlp::new(net, 2, 1, rng, device)
}
