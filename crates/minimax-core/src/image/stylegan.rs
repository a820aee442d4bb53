//! StyleGAN-lite for 28×28 digits (Karras et al. 2019, with StyleGAN2's modulated convolutions,
//! 2020): a mapping network z → w, a learned constant 7×7 input, and one style-modulated 3×3
//! convolution per resolution (7, 14, 28) with per-layer noise inputs and a skip "toRGB" output
//! at each. Its discriminator is the DCGAN one with minibatch standard deviation.
//!
//! Style slots: 0 = coarse (7×7), 1 = middle (14×14), 2 = fine (28×28). Each slot takes its own
//! w, which is what style mixing swaps.
//!
//! Class-conditional (optional, as StyleGAN2-ADA does it): the label's embedding, normalised
//! like z, is concatenated to z before the mapping network, so w carries the class; D gets
//! DCGAN's projection term.

use burn::module::Param;
use burn::prelude::*;
use burn::tensor::activation;
use burn::tensor::module::conv2d;
use burn::tensor::ops::ConvOptions;

use super::mnist::CLASSES;
use crate::config::GanConfig;
use crate::config::kinds::Activation;
use crate::rng::Rng;

/// Style slots (modulated layers): coarse 7×7, middle 14×14, fine 28×28.
pub const STYLE_SLOTS: usize = 3;
/// The side of each slot's feature map.
pub const SLOT_SIDES: [usize; STYLE_SLOTS] = [7, 14, 28];
/// StyleGAN's learning-rate multiplier of the mapping network.
const MAPPING_LR_MUL: f64 = 0.01;
/// StyleGAN's gain after LeakyReLU(0.2), which keeps activations at unit scale.
const ACTIVATION_GAIN: f64 = std::f64::consts::SQRT_2;
const DEMOD_EPS: f64 = 1e-8;

/// The architecture (read off a [`GanConfig`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StyleShape {
    /// Dimension of z, and of w.
    pub noise_dim: usize,
    /// Layers of the mapping network.
    pub mapping_layers: usize,
    /// Channels at 7×7 and 14×14 (half as many at 28×28).
    pub width: usize,
    /// Whether the mapping network also reads a one-hot label.
    pub conditional: bool,
}

impl StyleShape {
    /// The shape a configuration asks for.
    pub fn of(config: &GanConfig) -> Self {
        Self {
            noise_dim: config.noise.dim,
            mapping_layers: config.generator.hidden_layers,
            width: config.generator.width,
            conditional: config.data.conditional,
        }
    }

    /// Channels of each slot's feature map.
    pub fn channels(&self) -> [usize; STYLE_SLOTS] {
        [self.width, self.width, (self.width / 2).max(1)]
    }

    /// Values of per-layer noise one digit needs (one map per slot).
    pub fn noise_len(&self) -> usize {
        SLOT_SIDES.iter().map(|s| s * s).sum()
    }
}

fn param<const D: usize>(values: Vec<f32>, shape: [usize; D], device: &Device) -> Param<Tensor<D>> {
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

fn normal(rng: &mut Rng, n: usize, std: f64) -> Vec<f32> {
    (0..n).map(|_| (std * rng.normal()) as f32).collect()
}

/// A dense layer with StyleGAN's equalised learning rate: weights drawn N(0, 1/lr_mul²) and
/// scaled at run time by lr_mul/√fan_in, so Adam's step size is the same for every layer.
#[derive(Module, Debug)]
pub struct EqualLinear {
    weight: Param<Tensor<2>>,
    bias: Param<Tensor<1>>,
    #[module(skip)]
    weight_gain: f64,
    #[module(skip)]
    bias_gain: f64,
}

impl EqualLinear {
    fn new(
        d_in: usize,
        d_out: usize,
        bias_init: f32,
        lr_mul: f64,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        Self {
            weight: param(
                normal(rng, d_in * d_out, 1.0 / lr_mul),
                [d_in, d_out],
                device,
            ),
            bias: param(vec![bias_init / lr_mul as f32; d_out], [d_out], device),
            weight_gain: lr_mul / (d_in as f64).sqrt(),
            bias_gain: lr_mul,
        }
    }

    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let [_, d_out] = self.weight.dims();
        let w = self.weight.val().mul_scalar(self.weight_gain); // [in, out]
        let b = self
            .bias
            .val()
            .mul_scalar(self.bias_gain)
            .reshape([1, d_out]); // [1, out]
        x.matmul(w) + b // [batch, out]
    }
}

/// Scales each row to unit mean square (StyleGAN's pixel norm of z): `[batch, d]` → `[batch, d]`.
fn normalize_rows(x: Tensor<2>) -> Tensor<2> {
    let norm = x.clone().powi_scalar(2).mean_dim(1).add_scalar(1e-8).sqrt(); // [batch, 1]
    x / norm
}

/// The mapping network: z `[batch, dim]` (and, conditional, the label's embedding) → pixel
/// norm → `layers` × (dense + LeakyReLU) → w.
#[derive(Module, Debug)]
pub struct MappingNetwork {
    layers: Vec<EqualLinear>,
    /// The label's embedding, one-hot `[batch, 10]` → `[batch, dim]` (conditional G only).
    embed: Option<EqualLinear>,
}

impl MappingNetwork {
    fn new(dim: usize, layers: usize, conditional: bool, rng: &mut Rng, device: &Device) -> Self {
        // The first layer reads [z, embed(y)] when conditional.
        let d_in = |i: usize| if i == 0 && conditional { 2 * dim } else { dim };
        let layers = (0..layers)
            .map(|i| EqualLinear::new(d_in(i), dim, 0.0, MAPPING_LR_MUL, rng, device))
            .collect();
        // Drawn after the layers, so an unconditional G is the same for the same seed as before.
        let embed = conditional.then(|| EqualLinear::new(CLASSES, dim, 0.0, 1.0, rng, device));
        Self { layers, embed }
    }

    /// z `[batch, dim]` and, for a conditional G, labels `[batch, 10]` (one-hot, or a blend) →
    /// w `[batch, dim]`.
    pub fn forward(&self, z: Tensor<2>, labels: Option<Tensor<2>>) -> Tensor<2> {
        let mut x = match (&self.embed, labels) {
            (Some(embed), Some(y)) => {
                Tensor::cat(vec![normalize_rows(z), normalize_rows(embed.forward(y))], 1) // [batch, 2·dim]
            }
            (Some(_), None) => panic!("a conditional mapping network needs labels"),
            (None, _) => normalize_rows(z), // [batch, dim], unit mean square
        };
        for layer in &self.layers {
            x = Activation::LeakyRelu
                .apply(layer.forward(x))
                .mul_scalar(ACTIVATION_GAIN);
        }
        x
    }
}

/// A style-modulated convolution (StyleGAN2): the style s = A(w) scales the input channels, one
/// shared kernel convolves, and (with demodulation) each output channel is divided by the norm
/// its per-digit kernel w'ᵢⱼₖ = sᵢ·wᵢⱼₖ would have, σⱼ = √(Σᵢₖ w'ᵢⱼₖ² + ε). This is the
/// paper's per-digit kernel written without grouped convolutions.
#[derive(Module, Debug)]
pub struct ModulatedConv {
    /// A: w → one scale per input channel (bias 1, so s starts near 1).
    affine: EqualLinear,
    /// The shared kernel `[out, in, k, k]`, N(0, 1), scaled by 1/√(in·k²) at run time.
    weight: Param<Tensor<4>>,
    #[module(skip)]
    demodulate: bool,
}

impl ModulatedConv {
    fn new(
        w_dim: usize,
        c_in: usize,
        c_out: usize,
        kernel: usize,
        demodulate: bool,
        rng: &mut Rng,
        device: &Device,
    ) -> Self {
        Self {
            affine: EqualLinear::new(w_dim, c_in, 1.0, 1.0, rng, device),
            weight: param(
                normal(rng, c_out * c_in * kernel * kernel, 1.0),
                [c_out, c_in, kernel, kernel],
                device,
            ),
            demodulate,
        }
    }

    /// `x` `[batch, in, h, w]` modulated by the style of `w` `[batch, w_dim]` → `[batch, out, h, w]`.
    pub fn forward(&self, x: Tensor<4>, w: Tensor<2>) -> Tensor<4> {
        let [c_out, c_in, k, _] = self.weight.dims();
        let [batch, ..] = x.dims();
        let s = self.affine.forward(w); // [batch, in]
        let gain = 1.0 / ((c_in * k * k) as f64).sqrt();
        let kernel = self.weight.val().mul_scalar(gain); // [out, in, k, k]
        let x = x * s.clone().reshape([batch, c_in, 1, 1]); // [batch, in, h, w]
        let pad = k / 2;
        let options = ConvOptions::new([1, 1], [pad, pad], [1, 1], 1);
        let y = conv2d(x, kernel.clone(), None, options); // [batch, out, h, w]
        if !self.demodulate {
            return y;
        }
        let energy = kernel
            .powi_scalar(2)
            .sum_dim(3)
            .sum_dim(2)
            .reshape([c_out, c_in]); // Σₖ wᵢⱼₖ²  [out, in]
        let sigma = s
            .powi_scalar(2)
            .matmul(energy.transpose())
            .add_scalar(DEMOD_EPS)
            .sqrt(); // [batch, out]
        y / sigma.reshape([batch, c_out, 1, 1])
    }
}

/// One resolution of the synthesis network: modulated 3×3 conv, noise, bias, LeakyReLU, and a
/// modulated 1×1 "toRGB" (no demodulation) to one channel.
#[derive(Module, Debug)]
pub struct SynthesisBlock {
    conv: ModulatedConv,
    /// Per-channel strength of the noise input `[out]` (starts at 0: noise is learned in).
    noise_strength: Param<Tensor<1>>,
    bias: Param<Tensor<1>>,
    to_rgb: ModulatedConv,
    rgb_bias: Param<Tensor<1>>,
}

impl SynthesisBlock {
    fn new(w_dim: usize, c_in: usize, c_out: usize, rng: &mut Rng, device: &Device) -> Self {
        Self {
            conv: ModulatedConv::new(w_dim, c_in, c_out, 3, true, rng, device),
            noise_strength: param(vec![0.0; c_out], [c_out], device),
            bias: param(vec![0.0; c_out], [c_out], device),
            to_rgb: ModulatedConv::new(w_dim, c_out, 1, 1, false, rng, device),
            rgb_bias: param(vec![0.0], [1], device),
        }
    }

    /// `x` `[batch, in, s, s]`, `w` `[batch, w_dim]`, `noise` `[batch, 1, s, s]` →
    /// (features `[batch, out, s, s]`, image `[batch, 1, s, s]`).
    fn forward(&self, x: Tensor<4>, w: Tensor<2>, noise: Tensor<4>) -> (Tensor<4>, Tensor<4>) {
        let [c_out] = self.bias.dims();
        let y = self.conv.forward(x, w.clone()); // [batch, out, s, s]
        let y = y + noise * self.noise_strength.val().reshape([1, c_out, 1, 1]);
        let y = y + self.bias.val().reshape([1, c_out, 1, 1]);
        let y = Activation::LeakyRelu.apply(y).mul_scalar(ACTIVATION_GAIN);
        let rgb = self.to_rgb.forward(y.clone(), w) + self.rgb_bias.val().reshape([1, 1, 1, 1]); // [batch, 1, s, s]
        (y, rgb)
    }
}

/// Nearest-neighbour ×2 upsampling: `[batch, c, s, s]` → `[batch, c, 2s, 2s]`.
fn upsample(x: Tensor<4>) -> Tensor<4> {
    let [b, c, h, w] = x.dims();
    x.reshape([b, c, h, 1, w, 1])
        .expand([b, c, h, 2, w, 2])
        .reshape([b, c, 2 * h, 2 * w])
}

/// G: z → w (mapping) → a style per slot → digits `[batch, 1, 28, 28]` in [−1, 1].
#[derive(Module, Debug)]
pub struct StyleGenerator {
    pub mapping: MappingNetwork,
    /// The learned constant input `[width, 7, 7]`.
    constant: Param<Tensor<3>>,
    blocks: Vec<SynthesisBlock>,
}

impl StyleGenerator {
    /// A new G drawn from `rng`.
    pub fn new(shape: &StyleShape, rng: &mut Rng, device: &Device) -> Self {
        let dim = shape.noise_dim;
        let c = shape.channels();
        Self {
            mapping: MappingNetwork::new(dim, shape.mapping_layers, shape.conditional, rng, device),
            constant: param(normal(rng, c[0] * 49, 1.0), [c[0], 7, 7], device),
            blocks: vec![
                SynthesisBlock::new(dim, c[0], c[0], rng, device),
                SynthesisBlock::new(dim, c[0], c[1], rng, device),
                SynthesisBlock::new(dim, c[1], c[2], rng, device),
            ],
        }
    }

    /// The synthesis network: one w per slot (each `[batch, w_dim]`) and the per-layer noise
    /// `[batch, noise_len]` (maps of 7², 14², 28² values, in slot order) → `[batch, 1, 28, 28]`.
    pub fn synthesize(&self, ws: [Tensor<2>; STYLE_SLOTS], noise: Tensor<2>) -> Tensor<4> {
        let [batch, _] = ws[0].dims();
        let [c0, ..] = self.constant.dims();
        let mut x = self
            .constant
            .val()
            .unsqueeze::<4>()
            .expand([batch, c0, 7, 7]); // [batch, c0, 7, 7]
        let mut rgb: Option<Tensor<4>> = None;
        let mut offset = 0;
        for (slot, (block, w)) in self.blocks.iter().zip(ws).enumerate() {
            let side = SLOT_SIDES[slot];
            if slot > 0 {
                x = upsample(x); // [batch, c, side, side]
            }
            let n = noise
                .clone()
                .narrow(1, offset, side * side)
                .reshape([batch, 1, side, side]);
            offset += side * side;
            let (features, image) = block.forward(x, w, n);
            x = features;
            // Skip architecture: the coarser image, upsampled, plus this resolution's.
            rgb = Some(match rgb {
                Some(coarser) => upsample(coarser) + image,
                None => image,
            });
        }
        activation::tanh(rgb.expect("three blocks")) // [batch, 1, 28, 28]
    }

    /// z `[batch, dim]` (and labels `[batch, 10]`, conditional G) with the same w in every slot.
    pub fn forward(&self, z: Tensor<2>, labels: Option<Tensor<2>>, noise: Tensor<2>) -> Tensor<4> {
        let w = self.mapping.forward(z, labels); // [batch, dim]
        self.synthesize([w.clone(), w.clone(), w], noise)
    }
}

/// w for every slot: `first` for slots before `crossover`, `second` from it on (style mixing;
/// `crossover` = 3 uses `first` everywhere).
pub fn mixed_styles(
    first: Tensor<2>,
    second: Tensor<2>,
    crossover: usize,
) -> [Tensor<2>; STYLE_SLOTS] {
    std::array::from_fn(|slot| {
        if slot < crossover {
            first.clone()
        } else {
            second.clone()
        }
    })
}

/// The truncation trick: w_avg + ψ·(w − w_avg), `w` `[batch, dim]`, `w_avg` `[1, dim]`; a
/// conditional G has one average per class `[10, dim]`, each digit's picked by its `labels`
/// row `[batch, 10]` (so truncation keeps the digit).
pub fn truncate(w: Tensor<2>, w_avg: Tensor<2>, labels: Option<Tensor<2>>, psi: f32) -> Tensor<2> {
    let [batch, dim] = w.dims();
    let avg = match labels {
        Some(y) => y.matmul(w_avg), // [batch, dim]
        None => w_avg.expand([batch, dim]),
    };
    avg.clone() + (w - avg).mul_scalar(psi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape() -> StyleShape {
        StyleShape {
            noise_dim: 6,
            mapping_layers: 2,
            width: 4,
            conditional: false,
        }
    }

    fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
        t.into_data().try_into_vec::<f32>().unwrap()
    }

    #[test]
    fn every_layer_has_the_documented_shape() {
        let device = Device::flex();
        let s = shape();
        let g = StyleGenerator::new(&s, &mut Rng::new(1), &device);
        assert_eq!(s.noise_len(), 49 + 196 + 784);
        let z = Tensor::<2>::ones([3, 6], &device);
        let w = g.mapping.forward(z.clone(), None);
        assert_eq!(w.dims(), [3, 6]);
        let noise = Tensor::<2>::zeros([3, s.noise_len()], &device);
        let x = g.forward(z, None, noise);
        assert_eq!(x.dims(), [3, 1, 28, 28]);
        assert!(values(x).iter().all(|v| v.abs() <= 1.0 && v.is_finite()));
        let up = upsample(Tensor::<4>::from_data(
            TensorData::new(vec![1f32, 2., 3., 4.], [1, 1, 2, 2]),
            &device,
        ));
        assert_eq!(
            values(up),
            [
                1., 1., 2., 2., 1., 1., 2., 2., 3., 3., 4., 4., 3., 3., 4., 4.
            ]
        );
    }

    /// Modulation and demodulation by hand: one digit, 2 input channels of a single pixel, a 1×1
    /// kernel to 2 outputs, style s = A(w) set exactly.
    #[test]
    fn modulation_and_demodulation_match_hand_computed_values() {
        let device = Device::flex();
        let mut rng = Rng::new(2);
        for demodulate in [false, true] {
            let mut conv = ModulatedConv::new(1, 2, 2, 1, demodulate, &mut rng, &device);
            // A(w) = w·[2, 3]·1/√1 + [0, 0]: with w = 1, s = (2, 3).
            conv.affine.weight = param(vec![2.0, 3.0], [1, 2], &device);
            conv.affine.bias = param(vec![0.0, 0.0], [2], &device);
            // Kernel rows (out): [1, 2] and [−1, 1], scaled by 1/√2 at run time.
            conv.weight = param(vec![1.0, 2.0, -1.0, 1.0], [2, 2, 1, 1], &device);
            let x =
                Tensor::<4>::from_data(TensorData::new(vec![0.5f32, -1.0], [1, 2, 1, 1]), &device);
            let w = Tensor::<2>::ones([1, 1], &device);
            let y = values(conv.forward(x, w));
            // Modulated kernel w' = w·s/√2: [2, 6]/√2 and [−2, 3]/√2; x = (0.5, −1).
            let r = std::f32::consts::FRAC_1_SQRT_2;
            let plain = [(2.0 * 0.5 - 6.0) * r, (-2.0 * 0.5 - 3.0) * r];
            let expected = if demodulate {
                // σ = ‖w'‖: √((4 + 36)/2) and √((4 + 9)/2).
                [plain[0] / 20f32.sqrt(), plain[1] / 6.5f32.sqrt()]
            } else {
                plain
            };
            for (a, e) in y.iter().zip(expected) {
                assert!(
                    (a - e).abs() < 1e-5,
                    "demodulate {demodulate}: {y:?} vs {expected:?}"
                );
            }
        }
    }

    /// Demodulation restores unit scale: for unit-variance input the output's std is ≈ 1
    /// whatever the style's size.
    #[test]
    fn demodulated_output_has_unit_scale() {
        let device = Device::flex();
        let mut rng = Rng::new(5);
        let conv = ModulatedConv::new(4, 16, 8, 3, true, &mut rng, &device);
        let x = Tensor::<4>::from_data(
            TensorData::new(normal(&mut rng, 4 * 16 * 32 * 32, 1.0), [4, 16, 32, 32]),
            &device,
        );
        for scale in [0.1f32, 1.0, 10.0] {
            let w =
                Tensor::<2>::from_data(TensorData::new(normal(&mut rng, 16, 1.0), [4, 4]), &device)
                    .mul_scalar(scale);
            // Interior pixels only: padding zeros shrink the border.
            let y = conv.forward(x.clone(), w).slice([0..4, 0..8, 1..31, 1..31]);
            let std = values(y.var(0).mean().sqrt())[0];
            assert!((std - 1.0).abs() < 0.15, "scale {scale}: std {std}");
        }
    }

    /// Style mixing: a slot's output depends only on the w given to that slot.
    #[test]
    fn style_mixing_uses_the_right_w_per_slot() {
        let device = Device::flex();
        let s = shape();
        let g = StyleGenerator::new(&s, &mut Rng::new(3), &device);
        let w1 = g.mapping.forward(
            Tensor::from_data(
                TensorData::new(normal(&mut Rng::new(7), 6, 1.0), [1, 6]),
                &device,
            ),
            None,
        );
        let w2 = g.mapping.forward(
            Tensor::from_data(
                TensorData::new(normal(&mut Rng::new(8), 6, 1.0), [1, 6]),
                &device,
            ),
            None,
        );
        let noise = || Tensor::<2>::zeros([1, s.noise_len()], &device);
        let image = |ws: [Tensor<2>; 3]| values(g.synthesize(ws, noise()));
        let pure1 = image(mixed_styles(w1.clone(), w2.clone(), 3));
        let pure2 = image(mixed_styles(w2.clone(), w1.clone(), 3));
        assert_eq!(pure1, image([w1.clone(), w1.clone(), w1.clone()]));
        assert_ne!(pure1, pure2);
        for crossover in 0..3 {
            let mixed = mixed_styles(w1.clone(), w2.clone(), crossover);
            let expected: [Tensor<2>; 3] = std::array::from_fn(|slot| {
                if slot < crossover {
                    w1.clone()
                } else {
                    w2.clone()
                }
            });
            assert_eq!(image(mixed), image(expected), "crossover {crossover}");
        }
        // Changing only the fine slot's w changes the image, and differently from the coarse one.
        let fine = image([w1.clone(), w1.clone(), w2.clone()]);
        let coarse = image([w2.clone(), w1.clone(), w1.clone()]);
        assert_ne!(fine, pure1);
        assert_ne!(coarse, pure1);
        assert_ne!(fine, coarse);
    }

    /// A conditional mapping network: the label changes w (the same z, two classes).
    #[test]
    fn a_conditional_mapping_network_reads_the_label() {
        let device = Device::flex();
        let conditional = StyleShape {
            conditional: true,
            ..shape()
        };
        let g = StyleGenerator::new(&conditional, &mut Rng::new(4), &device);
        let plain = StyleGenerator::new(&shape(), &mut Rng::new(4), &device);
        assert_eq!(
            g.num_params(),
            plain.num_params() + 6 * 6 + (CLASSES * 6 + 6),
            "the first layer reads 2·dim, the embedding maps 10 → dim"
        );
        let z = Tensor::<2>::from_data(
            TensorData::new(normal(&mut Rng::new(9), 12, 1.0), [2, 6]),
            &device,
        );
        let z = Tensor::cat(vec![z.clone().narrow(0, 0, 1), z.narrow(0, 0, 1)], 0); // one z twice
        let labels = crate::image::dcgan::one_hot(&[3, 8], &device);
        let w = values(g.mapping.forward(z.clone(), Some(labels.clone())));
        assert_ne!(w[..6], w[6..], "two classes, one z: two w");
        let noise = Tensor::<2>::zeros([2, conditional.noise_len()], &device);
        assert_eq!(g.forward(z, Some(labels), noise).dims(), [2, 1, 28, 28]);
    }

    #[test]
    fn truncation_moves_w_toward_the_average() {
        let device = Device::flex();
        let w = Tensor::<2>::from_data(TensorData::new(vec![2f32, 4., -2., 0.], [2, 2]), &device);
        let avg = Tensor::<2>::from_data(TensorData::new(vec![1f32, 1.], [1, 2]), &device);
        assert_eq!(
            values(truncate(w.clone(), avg.clone(), None, 0.5)),
            [1.5, 2.5, -0.5, 0.5]
        );
        assert_eq!(
            values(truncate(w.clone(), avg.clone(), None, 1.0)),
            values(w)
        );
        assert_eq!(
            values(truncate(Tensor::zeros([1, 2], &device), avg, None, 0.0)),
            [1., 1.]
        );
    }
}
