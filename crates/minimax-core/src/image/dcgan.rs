//! DCGAN (Radford et al. 2015) for 28×28 digits: G = dense → 7×7 → transposed convolutions with
//! batch norm → tanh; D = strided convolutions with LeakyReLU → logit. Class-conditional variants
//! feed G a one-hot label and give D a projection term (Miyato & Koyama 2018).

use burn::module::Param;
use burn::nn::conv::{Conv2d, Conv2dConfig, ConvTranspose2d, ConvTranspose2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, Linear, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation;
use burn::tensor::module::conv_transpose2d;
use burn::tensor::ops::ConvTransposeOptions;

use super::mnist::CLASSES;
use crate::config::GanConfig;
use crate::points::model::Activation;
use crate::rng::Rng;

/// DCGAN's weight initialisation: N(0, 0.02²).
const INIT_STD: f64 = 0.02;

/// The architecture both networks are built from (read off a [`GanConfig`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DcganShape {
    /// Dimension of z.
    pub noise_dim: usize,
    /// G's channels at 14×14 (twice as many at 7×7).
    pub g_width: usize,
    /// D's channels at 14×14 (twice as many at 7×7).
    pub d_width: usize,
    /// G and D see the digit's label.
    pub conditional: bool,
    /// D appends the batch's feature std as a channel before its last layer.
    pub minibatch_std: bool,
    /// G's non-linearity (ReLU in the paper).
    pub g_activation: Activation,
    /// D's non-linearity (LeakyReLU 0.2 in the paper).
    pub d_activation: Activation,
}

impl DcganShape {
    /// The shape a configuration asks for.
    pub fn of(config: &GanConfig) -> Self {
        Self {
            noise_dim: config.noise.dim,
            g_width: config.generator.width,
            d_width: config.discriminator.width,
            conditional: config.data.conditional,
            minibatch_std: config.stabilizers.minibatch_std,
            g_activation: config.generator.activation,
            d_activation: config.discriminator.activation,
        }
    }
}

/// One-hot labels `[n, 10]`.
pub fn one_hot(labels: &[u8], device: &Device) -> Tensor<2> {
    let mut values = vec![0f32; labels.len() * CLASSES];
    for (row, &l) in labels.iter().enumerate() {
        values[row * CLASSES + l as usize] = 1.0;
    }
    Tensor::from_data(TensorData::new(values, [labels.len(), CLASSES]), device)
}

pub(super) fn normal(rng: &mut Rng, n: usize, std: f64) -> Vec<f32> {
    (0..n).map(|_| (std * rng.normal()) as f32).collect()
}

pub(super) fn param<const D: usize>(
    values: Vec<f32>,
    shape: [usize; D],
    device: &Device,
) -> Param<Tensor<D>> {
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

fn dense(d_in: usize, d_out: usize, rng: &mut Rng, device: &Device) -> Linear {
    Linear {
        weight: param(normal(rng, d_in * d_out, INIT_STD), [d_in, d_out], device),
        bias: Some(param(vec![0.0; d_out], [d_out], device)),
    }
}

/// 4×4 kernels, stride 2, padding 1: halves (conv) or doubles (transposed) the side.
fn down(c_in: usize, c_out: usize, rng: &mut Rng, device: &Device) -> Conv2d {
    let mut conv = Conv2dConfig::new([c_in, c_out], [4, 4])
        .with_stride([2, 2])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .init(device);
    conv.weight = param(
        normal(rng, c_out * c_in * 16, INIT_STD),
        [c_out, c_in, 4, 4],
        device,
    );
    conv.bias = Some(param(vec![0.0; c_out], [c_out], device));
    conv
}

fn up(c_in: usize, c_out: usize, rng: &mut Rng, device: &Device) -> ConvTranspose2d {
    let mut conv = ConvTranspose2dConfig::new([c_in, c_out], [4, 4])
        .with_stride([2, 2])
        .with_padding([1, 1])
        .init(device);
    conv.weight = param(
        normal(rng, c_in * c_out * 16, INIT_STD),
        [c_in, c_out, 4, 4],
        device,
    );
    conv.bias = Some(param(vec![0.0; c_out], [c_out], device));
    conv
}

fn batch_norm(channels: usize, rng: &mut Rng, device: &Device) -> BatchNorm {
    let mut bn = BatchNormConfig::new(channels).init(device);
    let gamma = normal(rng, channels, INIT_STD)
        .iter()
        .map(|g| g + 1.0)
        .collect();
    bn.gamma = param(gamma, [channels], device);
    bn
}

/// G: z `[batch, noise_dim]` (and labels) → digits `[batch, 1, 28, 28]` in [−1, 1].
#[derive(Module, Debug)]
pub struct DcganGenerator {
    project: Linear,
    bn0: BatchNorm,
    up1: ConvTranspose2d,
    bn1: BatchNorm,
    up2: ConvTranspose2d,
    #[module(skip)]
    width: usize,
    #[module(skip)]
    conditional: bool,
    #[module(skip)]
    activation: Activation,
}

impl DcganGenerator {
    /// A new G with DCGAN's initialisation drawn from `rng`.
    pub fn new(shape: &DcganShape, rng: &mut Rng, device: &Device) -> Self {
        let w = shape.g_width;
        let d_in = shape.noise_dim + if shape.conditional { CLASSES } else { 0 };
        Self {
            project: dense(d_in, 2 * w * 49, rng, device),
            bn0: batch_norm(2 * w, rng, device),
            up1: up(2 * w, w, rng, device),
            bn1: batch_norm(w, rng, device),
            up2: up(w, 1, rng, device),
            width: w,
            conditional: shape.conditional,
            activation: shape.g_activation,
        }
    }

    /// `z` `[batch, noise_dim]`, `labels` `[batch, 10]` one-hot (conditional G only).
    pub fn forward(&self, z: Tensor<2>, labels: Option<Tensor<2>>) -> Tensor<4> {
        let batch = z.dims()[0];
        let input = match (self.conditional, labels) {
            (true, Some(y)) => Tensor::cat(vec![z, y], 1), // [batch, noise_dim + 10]
            (true, None) => panic!("a conditional generator needs labels"),
            (false, _) => z, // [batch, noise_dim]
        };
        let w = self.width;
        let x = self.project.forward(input); // [batch, 2w·49]
        let x = x.reshape([batch, 2 * w, 7, 7]); // [batch, 2w, 7, 7]
        let x = self.activation.apply(self.bn0.forward(x));
        let x = self.up1.forward(x); // [batch, w, 14, 14]
        let x = self.activation.apply(self.bn1.forward(x));
        let x = self.up2.forward(x); // [batch, 1, 28, 28]
        activation::tanh(x)
    }
}

/// D: digits `[batch, 1, 28, 28]` (and labels) → one raw value per digit `[batch, 1]`.
#[derive(Module, Debug)]
pub struct DcganDiscriminator {
    down1: Conv2d,
    down2: Conv2d,
    head: Linear,
    /// Projection of the one-hot label onto D's features `[10, features]` (conditional D only).
    embed: Option<Param<Tensor<2>>>,
    #[module(skip)]
    width: usize,
    #[module(skip)]
    minibatch_std: bool,
    #[module(skip)]
    activation: Activation,
}

/// What D computes on the way to its output, kept for the input gradient.
struct Trace {
    h1: Tensor<4>,
    h2: Tensor<4>,
    features: Tensor<2>,
}

impl DcganDiscriminator {
    /// A new D with DCGAN's initialisation drawn from `rng`.
    pub fn new(shape: &DcganShape, rng: &mut Rng, device: &Device) -> Self {
        let w = shape.d_width;
        let features = (2 * w + usize::from(shape.minibatch_std)) * 49;
        Self {
            down1: down(1, w, rng, device),
            down2: down(w, 2 * w, rng, device),
            head: dense(features, 1, rng, device),
            embed: shape.conditional.then(|| {
                param(
                    normal(rng, CLASSES * features, INIT_STD),
                    [CLASSES, features],
                    device,
                )
            }),
            width: w,
            minibatch_std: shape.minibatch_std,
            activation: shape.d_activation,
        }
    }

    fn trace(&self, x: Tensor<4>) -> Trace {
        let batch = x.dims()[0];
        let h1 = self.down1.forward(x); // [batch, w, 14, 14]
        let h2 = self.down2.forward(self.activation.apply(h1.clone())); // [batch, 2w, 7, 7]
        let mut a2 = self.activation.apply(h2.clone());
        if self.minibatch_std {
            // The mean over features of their std across the batch, as one more channel.
            let std = a2.clone().var_bias(0).add_scalar(1e-8).sqrt().mean(); // [1]
            let channel = std.reshape([1, 1, 1, 1]).expand([batch, 1, 7, 7]);
            a2 = Tensor::cat(vec![a2, channel], 1); // [batch, 2w + 1, 7, 7]
        }
        let features = a2.flatten(1, 3); // [batch, features]
        Trace { h1, h2, features }
    }

    /// `x` `[batch, 1, 28, 28]`, `labels` `[batch, 10]` one-hot (conditional D only).
    pub fn forward(&self, x: Tensor<4>, labels: Option<Tensor<2>>) -> Tensor<2> {
        let features = self.trace(x).features;
        let out = self.head.forward(features.clone()); // [batch, 1]
        match (&self.embed, labels) {
            // Projection: + ⟨embed(y), φ(x)⟩.
            (Some(e), Some(y)) => out + (y.matmul(e.val()) * features).sum_dim(1),
            (Some(_), None) => panic!("a conditional discriminator needs labels"),
            (None, _) => out,
        }
    }

    /// ∇ₓD(x) `[batch, 1, 28, 28]`, written out with tensor operations so that autodiff can
    /// differentiate it with respect to D's weights (Burn's autodiff is first-order): the
    /// adjoint of a strided convolution is the transposed convolution with the same kernel.
    /// The minibatch-std channel is held constant.
    pub fn input_gradient(&self, x: Tensor<4>, labels: Option<Tensor<2>>) -> Tensor<4> {
        let batch = x.dims()[0];
        let w = self.width;
        let trace = self.trace(x);
        let [features, _] = self.head.weight.dims();
        let mut g = self
            .head
            .weight
            .val()
            .reshape([1, features])
            .expand([batch, features]);
        if let (Some(e), Some(y)) = (&self.embed, labels) {
            g = g + y.matmul(e.val()); // [batch, features]
        }
        let g = g.narrow(1, 0, 2 * w * 49).reshape([batch, 2 * w, 7, 7]);
        let g = g * self.activation.derivative(trace.h2); // ∂D/∂h2
        let options = || ConvTransposeOptions::new([2, 2], [1, 1], [0, 0], [1, 1], 1);
        let g = conv_transpose2d(g, self.down2.weight.val(), None, options()); // [batch, w, 14, 14]
        let g = g * self.activation.derivative(trace.h1); // ∂D/∂h1
        conv_transpose2d(g, self.down1.weight.val(), None, options()) // [batch, 1, 28, 28]
    }
}

// Checkpoint parts: each network's own Burn record.
crate::checkpoint::record_parts!(DcganDiscriminator);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::mnist::SIDE;

    fn shape(conditional: bool, minibatch_std: bool) -> DcganShape {
        DcganShape {
            noise_dim: 5,
            g_width: 4,
            d_width: 3,
            conditional,
            minibatch_std,
            g_activation: Activation::Relu,
            d_activation: Activation::LeakyRelu,
        }
    }

    #[test]
    fn every_layer_has_the_documented_shape() {
        let device = Device::flex();
        let mut rng = Rng::new(1);
        for (conditional, mbstd) in [(false, false), (true, true)] {
            let s = shape(conditional, mbstd);
            let g = DcganGenerator::new(&s, &mut rng, &device);
            let d = DcganDiscriminator::new(&s, &mut rng, &device);
            let labels = conditional.then(|| one_hot(&[0, 7, 9], &device));
            let z = Tensor::<2>::zeros([3, 5], &device);
            let x = g.forward(z, labels.clone());
            assert_eq!(x.dims(), [3, 1, SIDE, SIDE]);
            let trace = d.trace(x.clone());
            assert_eq!(trace.h1.dims(), [3, 3, 14, 14]);
            assert_eq!(trace.h2.dims(), [3, 6, 7, 7]);
            assert_eq!(trace.features.dims(), [3, (6 + usize::from(mbstd)) * 49]);
            assert_eq!(d.forward(x.clone(), labels.clone()).dims(), [3, 1]);
            assert_eq!(d.input_gradient(x, labels).dims(), [3, 1, SIDE, SIDE]);
        }
    }

    /// ∇ₓD against central differences at a few pixels, conditional D included.
    #[test]
    fn input_gradient_matches_finite_differences() {
        let device = Device::flex();
        let mut rng = Rng::new(3);
        for conditional in [false, true] {
            let d = DcganDiscriminator::new(&shape(conditional, false), &mut rng, &device);
            // Larger weights than DCGAN's init, so the gradient is far from zero.
            let d = d.map(&mut Scale(20.0));
            let values = normal(&mut rng, 2 * SIDE * SIDE, 0.5);
            let x = Tensor::<4>::from_data(
                TensorData::new(values.clone(), [2, 1, SIDE, SIDE]),
                &device,
            );
            let labels = conditional.then(|| one_hot(&[4, 1], &device));
            let grad = d
                .input_gradient(x, labels.clone())
                .into_data()
                .try_into_vec::<f32>()
                .unwrap();
            let h = 1e-2;
            for pixel in [100, 407, 409, 700, 784 + 350, 784 + 500] {
                let eval = |delta: f32| {
                    let mut v = values.clone();
                    v[pixel] += delta;
                    let x = Tensor::<4>::from_data(TensorData::new(v, [2, 1, SIDE, SIDE]), &device);
                    d.forward(x, labels.clone())
                        .into_data()
                        .try_into_vec::<f32>()
                        .unwrap()[pixel / 784]
                };
                let numeric = (eval(h) - eval(-h)) / (2.0 * h);
                let tol = 2e-2 * numeric.abs().max(grad[pixel].abs()).max(0.05);
                assert!(
                    (numeric - grad[pixel]).abs() < tol,
                    "pixel {pixel}: analytic {} numeric {numeric}",
                    grad[pixel]
                );
            }
        }
    }

    struct Scale(f32);

    impl burn::module::ModuleMapper for Scale {
        fn map_float<const D: usize>(&mut self, p: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let s = self.0;
            p.map(|t| t.mul_scalar(s))
        }
    }
}
