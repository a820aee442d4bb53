//! The MLP generator and discriminator of the 2-D playground.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation;
use serde::{Deserialize, Serialize};

use crate::config::NetConfig;

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
    /// A new network from `d_input` to `d_output` with the architecture of `net`.
    pub fn new(net: &NetConfig, d_input: usize, d_output: usize, device: &Device) -> Self {
        let mut sizes = vec![d_input];
        sizes.extend(std::iter::repeat_n(net.width, net.hidden_layers));
        sizes.push(d_output);
        let layers = sizes
            .windows(2)
            .map(|w| LinearConfig::new(w[0], w[1]).init(device))
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

/// G: noise `[batch, noise_dim]` → points `[batch, 2]` (linear output: the data is unbounded).
pub fn generator(net: &NetConfig, noise_dim: usize, device: &Device) -> Mlp {
    Mlp::new(net, noise_dim, 2, device)
}

/// D: points `[batch, 2]` → logits `[batch, 1]`; D(x) = σ(logit).
pub fn discriminator(net: &NetConfig, device: &Device) -> Mlp {
    Mlp::new(net, 2, 1, device)
}
