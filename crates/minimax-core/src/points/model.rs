//! The MLP generator and discriminator of the 2-D playground.

use burn::module::Param;
use burn::nn::Linear;
use burn::prelude::*;
use burn::tensor::activation;
use burn::tensor::module::linear as affine;

pub use crate::config::kinds::Activation;
use crate::config::{GanConfig, NetConfig};
use crate::points::minibatch::MinibatchDiscrimination;
use crate::rng::Rng;

impl Activation {
    /// Every activation, in the order the UI lists them.
    pub const ALL: [Self; 3] = [Self::Relu, Self::LeakyRelu, Self::Tanh];

    pub(crate) fn apply<const D: usize>(self, x: Tensor<D>) -> Tensor<D> {
        match self {
            Self::Relu if x.is_tracked() => {
                // Burn's CPU backend runs ReLU and its backward as per-element loops that branch
                // on the sign (16 % of an mlp-m step in the browser). x ⊙ [x > 0] is a compare, a
                // cast and one product, forward and backward, which the fast CPU module vectorises
                // (docs/engine.md); it gives ReLU's values and gradients up to the sign of zero,
                // which no later sum, product or update can see.
                let mask = x.clone().greater_elem(0.0).float();
                x * mask // [.., width]
            }
            Self::Relu => activation::relu(x),
            Self::LeakyRelu if x.is_tracked() => {
                // On the autodiff graph Burn composes leaky ReLU from a masked select, whose
                // forward and backward run three per-element branching loops on the CPU backend
                // (14 % of a grid-recipe step, measured with perf). x ⊙ s with the constant slope
                // s = 1 where x ≥ 0, 0.2 elsewhere is the same function, bit for bit, and its
                // backward is one product.
                let slope = x.clone().greater_equal_elem(0.0).float();
                x * slope.mul_scalar(0.8).add_scalar(0.2) // [.., width]
            }
            // Off the graph the backend's own kernel is one in-place pass.
            Self::LeakyRelu => activation::leaky_relu(x, 0.2),
            Self::Tanh => activation::tanh(x),
        }
    }

    /// The derivative at the pre-activation `z`, elementwise.
    pub(crate) fn derivative<const D: usize>(self, z: Tensor<D>) -> Tensor<D> {
        match self {
            Self::Relu => z.greater_elem(0.0).float(),
            Self::LeakyRelu => z.greater_elem(0.0).float().mul_scalar(0.8).add_scalar(0.2),
            Self::Tanh => activation::tanh(z).powi_scalar(2).neg().add_scalar(1.0),
        }
    }
}

/// A multilayer perceptron: `hidden_layers` layers of `width` units, then a linear output layer.
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Linear>,
    #[module(skip)]
    activation: Activation,
    /// Divide each weight matrix by its largest singular value (spectral normalisation).
    #[module(skip)]
    spectral_norm: bool,
}

/// Power iterations per forward for σ(W). Stateless (no persistent u vector, unlike Miyato et
/// al.'s one iteration per step), so a few more iterations buy the same accuracy.
const POWER_ITERATIONS: usize = 6;

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
            spectral_norm: false,
        }
    }

    /// Switches spectral normalisation of the weights on or off (the weights are kept).
    pub fn with_spectral_norm(mut self, on: bool) -> Self {
        self.spectral_norm = on;
        self
    }

    /// Each layer's weight `[d_in, d_out]` as used in the forward pass, and its bias `[d_out]`.
    fn weights(&self) -> Vec<(Tensor<2>, Option<Tensor<1>>)> {
        self.layers
            .iter()
            .map(|layer| {
                let w = layer.weight.val(); // [d_in, d_out]
                let w = if self.spectral_norm {
                    let sigma = largest_singular_value(w.clone()); // [1, 1]
                    w / sigma
                } else {
                    w
                };
                (w, layer.bias.as_ref().map(|b| b.val()))
            })
            .collect()
    }

    /// `[batch, d_input]` → `[batch, d_output]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.run(x, None)
    }

    /// The output and each hidden layer's pre-activation `[batch, width]`.
    fn forward_with_preactivations(&self, x: Tensor<2>) -> (Tensor<2>, Vec<Tensor<2>>) {
        let mut pre = Vec::with_capacity(self.layers.len() - 1);
        (self.run(x, Some(&mut pre)), pre)
    }

    /// The forward pass, pushing each hidden pre-activation to `keep` when given. Without it no
    /// pre-activation has a second owner, so off the autodiff graph (views, G's points for D's
    /// update) the CPU backend activates it in place; on the graph autodiff keeps its own copy.
    fn run(&self, x: Tensor<2>, mut keep: Option<&mut Vec<Tensor<2>>>) -> Tensor<2> {
        let weights = self.weights();
        let last = weights.len() - 1;
        let mut h = x;
        for (i, (w, b)) in weights.into_iter().enumerate() {
            // One fused op (one autodiff node) where matmul + broadcast bias would be three.
            let z = affine(h, w, b); // [batch, d_out]
            if i == last {
                return z;
            }
            if let Some(pre) = keep.as_deref_mut() {
                pre.push(z.clone());
            }
            h = self.activation.apply(z);
        }
        unreachable!("an Mlp has at least one layer")
    }

    /// The gradient of the (single) output with respect to the input, ∇ₓf(x): `[batch, d_input]`.
    ///
    /// Written out as the chain rule with tensor operations because Burn 0.22's autodiff is
    /// first-order only (`Tensor::grad` returns a tensor outside the graph): built this way,
    /// the result stays differentiable with respect to the weights, which is what a gradient
    /// penalty needs.
    pub fn input_gradient(&self, x: Tensor<2>) -> Tensor<2> {
        let batch = x.dims()[0];
        let (_, pre) = self.forward_with_preactivations(x.clone());
        let weights = self.weights();
        // ∂out/∂h_L = W_Lᵀ for each row.
        let (w_last, _) = weights.last().expect("at least one layer");
        let d_out = w_last.dims()[1];
        let mut g =
            Tensor::<2>::ones([batch, d_out], &x.device()).matmul(w_last.clone().transpose()); // [batch, width]
        for (i, z) in pre.iter().enumerate().rev() {
            let g_pre = g * self.activation.derivative(z.clone()); // [batch, width]
            g = g_pre.matmul(weights[i].0.clone().transpose()); // [batch, d_in of layer i]
        }
        g
    }
}

/// σ(W), the largest singular value, by power iteration from a fixed start: `[1, 1]`. The
/// singular vectors are constants of the graph (as in Miyato et al. 2018); σ = uᵀWv is not.
fn largest_singular_value(w: Tensor<2>) -> Tensor<2> {
    let [d_in, d_out] = w.dims();
    let plain = w.clone().detach();
    let mut v = Tensor::<2>::ones([d_out, 1], &w.device()).div_scalar((d_out as f64).sqrt());
    let mut u = Tensor::<2>::ones([d_in, 1], &w.device());
    for _ in 0..POWER_ITERATIONS {
        u = plain.clone().matmul(v); // [d_in, 1]
        u = u.clone() / u.powi_scalar(2).sum().sqrt().add_scalar(1e-12).unsqueeze();
        v = plain.clone().transpose().matmul(u.clone()); // [d_out, 1]
        v = v.clone() / v.powi_scalar(2).sum().sqrt().add_scalar(1e-12).unsqueeze();
    }
    u.transpose().matmul(w).matmul(v) // [1, 1]
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

/// D: what it judges and how. Its input is `packing` points concatenated, `[batch, 2·packing]`,
/// plus, for each row, what D knows of its batch (a [`BatchContext`]): one feature when minibatch
/// std is on and one per kernel with minibatch discrimination; its output is one raw value per
/// row `[batch, 1]` (a logit or a critic score, as the objective reads it).
#[derive(Module, Debug)]
pub struct Discriminator {
    mlp: Mlp,
    /// Minibatch discrimination's projection (Salimans et al. 2016), when on.
    minibatch_discrimination: Option<MinibatchDiscrimination>,
    /// PacGAN's m: points per row of D's input.
    #[module(skip)]
    pub packing: usize,
    /// Append the batch's mean standard deviation as an input feature (Karras et al. 2018).
    #[module(skip)]
    pub minibatch_std: bool,
}

/// What D knows of the batch a row is judged in: the minibatch-std feature `[1, 1]` and the
/// rows' minibatch-discrimination projections `[m, B, C]`, each when that stabilizer is on.
/// In training a batch is judged in its own context; the views judge a grid of points in the
/// context of the current generated batch.
#[derive(Clone, Debug, Default)]
pub struct BatchContext {
    std: Option<Tensor<2>>,
    projections: Option<Tensor<3>>,
}

impl BatchContext {
    /// The same context, outside the graph (a constant of what is differentiated).
    pub fn detach(self) -> Self {
        Self {
            std: self.std.map(Tensor::detach),
            projections: self.projections.map(Tensor::detach),
        }
    }
}

impl Discriminator {
    /// A new D for `config`'s network and stabilizers.
    pub fn new(config: &GanConfig, rng: &mut Rng, device: &Device) -> Self {
        let s = &config.stabilizers;
        let points = 2 * s.packing;
        let kernels = s.minibatch_discrimination;
        let d_input = points + usize::from(s.minibatch_std) + kernels;
        let mlp = Mlp::new(&config.discriminator, d_input, 1, rng, device)
            .with_spectral_norm(s.spectral_norm);
        // Drawn after the MLP, so a D without it has the weights it always had.
        let minibatch_discrimination =
            (kernels > 0).then(|| MinibatchDiscrimination::new(points, kernels, rng, device));
        Self {
            mlp,
            minibatch_discrimination,
            packing: s.packing,
            minibatch_std: s.minibatch_std,
        }
    }

    /// Switches spectral normalisation on or off, keeping the weights.
    pub fn with_spectral_norm(self, on: bool) -> Self {
        Self {
            mlp: self.mlp.with_spectral_norm(on),
            ..self
        }
    }

    /// Whether a row's output depends on the rest of its batch.
    pub fn sees_the_batch(&self) -> bool {
        self.minibatch_std || self.minibatch_discrimination.is_some()
    }

    /// Whether D compares each row with every row of its batch (minibatch discrimination):
    /// memory quadratic in the batch.
    pub fn compares_rows(&self) -> bool {
        self.minibatch_discrimination.is_some()
    }

    /// The minibatch-std feature of a batch: the mean over features of the per-feature std
    /// across the batch, `[1, 1]`.
    pub fn batch_std(x: Tensor<2>) -> Tensor<2> {
        x.var_bias(0).add_scalar(1e-8).sqrt().mean_dim(1) // [1, 1]
    }

    /// What D knows of the batch `[m, 2·packing]` (empty when D judges each row alone).
    pub fn context(&self, batch: Tensor<2>) -> BatchContext {
        BatchContext {
            std: self.minibatch_std.then(|| Self::batch_std(batch.clone())),
            projections: self
                .minibatch_discrimination
                .as_ref()
                .map(|m| m.project(batch)),
        }
    }

    /// `[batch, 2·packing]` → `[batch, 1]`, each row judged in the context of `x` itself.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let context = self.context(x.clone());
        self.forward_in(x, &context)
    }

    /// D on real and on generated rows `[batch, 2·packing]` each → `[batch, 1]` each. One pass
    /// over both halves stacked (half the ops of two passes: what the small 2-D steps pay for)
    /// unless D sees the batch: then each half is judged in its own context.
    pub fn forward_pair(&self, real: Tensor<2>, fake: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        if self.sees_the_batch() {
            return (self.forward(real), self.forward(fake));
        }
        let n = real.dims()[0];
        let out = self.mlp.forward(Tensor::cat(vec![real, fake], 0)); // [2·batch, 1]
        (out.clone().narrow(0, 0, n), out.narrow(0, n, n))
    }

    /// Like [`Self::forward`] in a given batch's context (the views judge a grid of points as
    /// if each came from the current generated batch).
    pub fn forward_in(&self, x: Tensor<2>, context: &BatchContext) -> Tensor<2> {
        let input = self.input(x, context).0;
        self.mlp.forward(input) // [batch, 1]
    }

    /// The MLP's input `[batch, 2·packing + features]`: the rows, the std feature, then
    /// minibatch discrimination's o `[batch, B]`; and the rows' projections `[batch, B, C]`.
    fn input(&self, x: Tensor<2>, context: &BatchContext) -> (Tensor<2>, Option<Tensor<3>>) {
        let batch = x.dims()[0];
        let projected = self
            .minibatch_discrimination
            .as_ref()
            .map(|m| m.project(x.clone()));
        let mut columns = vec![x];
        if let Some(std) = &context.std {
            columns.push(std.clone().expand([batch, 1]));
        }
        if let (Some(rows), Some(others)) = (&projected, &context.projections) {
            columns.push(MinibatchDiscrimination::closeness(
                rows.clone(),
                others.clone(),
            ));
        }
        // Without batch features D's input is the rows themselves: no copy on the training path.
        let input = if columns.len() == 1 {
            columns.remove(0)
        } else {
            Tensor::cat(columns, 1)
        };
        (input, projected)
    }

    /// ∇ₓD(x) for each row `[batch, 2·packing]`, differentiable with respect to D's weights
    /// (see [`Mlp::input_gradient`]). The row moves, its batch stays where it was: the context
    /// (std feature, the other rows' projections) is held constant.
    pub fn input_gradient(&self, x: Tensor<2>) -> Tensor<2> {
        let width = x.dims()[1];
        let context = self.context(x.clone()).detach();
        let (input, projected) = self.input(x, &context);
        let g = self.mlp.input_gradient(input); // [batch, d_input]
        let through_points = g.clone().narrow(1, 0, width);
        match (
            &self.minibatch_discrimination,
            projected,
            context.projections,
        ) {
            (Some(layer), Some(rows), Some(others)) => {
                let first = width + usize::from(self.minibatch_std);
                let g_o = g.narrow(1, first, layer.kernels); // [batch, B]
                through_points + layer.input_gradient(rows, others, g_o)
            }
            _ => through_points,
        }
    }
}

/// A new D for `config`.
pub fn discriminator(config: &GanConfig, rng: &mut Rng, device: &Device) -> Discriminator {
    Discriminator::new(config, rng, device)
}

// Checkpoint parts: each network's own Burn record.
crate::checkpoint::record_parts!(Mlp, Discriminator);

#[cfg(test)]
mod tests {
    use super::*;

    /// Values and gradients (bits) of `activation` on the graph and of Burn's own `burns`.
    type Bits = (Vec<u32>, Vec<u32>);
    fn ours_and_burns(activation: Activation, burns: fn(Tensor<1>) -> Tensor<1>) -> (Bits, Bits) {
        let device = Device::flex().autodiff();
        let mut rng = Rng::new(7);
        let mut xs: Vec<f32> = (0..4096).map(|_| rng.normal() as f32 * 3.0).collect();
        xs.extend([
            0.0,
            -0.0,
            1e-30,
            -1e-30,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
        ]);
        let n = xs.len();
        let weights: Vec<f32> = (0..n).map(|_| rng.normal() as f32).collect();
        let run = |ours: bool| {
            let x = Tensor::<1>::from_floats(xs.as_slice(), &device).require_grad();
            let y = if ours {
                activation.apply(x.clone())
            } else {
                burns(x.clone())
            };
            let w = Tensor::<1>::from_floats(weights.as_slice(), &device);
            let grads = (y.clone() * w).sum().backward();
            let bits = |t: Tensor<1>| {
                let v = t.into_data().try_to_vec::<f32>().unwrap();
                v.into_iter().map(f32::to_bits).collect::<Vec<_>>()
            };
            (bits(y.detach()), bits(x.grad(&grads).unwrap()))
        };
        (run(true), run(false))
    }

    #[test]
    fn leaky_relu_on_the_graph_gives_burns_values_and_gradients_bit_for_bit() {
        let (ours, burns) =
            ours_and_burns(Activation::LeakyRelu, |x| activation::leaky_relu(x, 0.2));
        assert_eq!(ours.0, burns.0, "values");
        assert_eq!(ours.1, burns.1, "gradients");
    }

    #[test]
    fn relu_on_the_graph_gives_burns_values_and_gradients_up_to_the_sign_of_zero() {
        let (ours, burns) = ours_and_burns(Activation::Relu, activation::relu);
        // x ⊙ [x > 0] is −0 where x < 0: the same number, and the only difference allowed.
        let same = |a: &[u32], b: &[u32]| {
            a.len() == b.len() && a.iter().zip(b).all(|(&a, &b)| a == b || (a | b) == 1 << 31)
        };
        assert!(same(&ours.0, &burns.0), "values");
        assert!(same(&ours.1, &burns.1), "gradients");
        // Not vacuous: the inputs have negatives, zeros and positives.
        assert!(burns.0.iter().filter(|&&b| b == 0).count() > 1000);
        assert!(burns.0.iter().filter(|&&b| b != 0).count() > 1000);
    }

    fn values(m: &Mlp) -> Vec<f32> {
        m.layers
            .iter()
            .flat_map(|l| {
                let w = l.weight.val().into_data().try_to_vec::<f32>().unwrap();
                let b = l
                    .bias
                    .as_ref()
                    .unwrap()
                    .val()
                    .into_data()
                    .try_to_vec::<f32>()
                    .unwrap();
                w.into_iter().chain(b)
            })
            .collect()
    }

    #[test]
    fn averaging_blends_every_weight_and_bias() {
        let device = Device::flex().autodiff();
        let net = NetConfig {
            hidden_layers: 2,
            width: 3,
            ..NetConfig::default()
        };
        let avg = Mlp::new(&net, 2, 1, &mut Rng::new(1), &device).valid();
        let current = Mlp::new(&net, 2, 1, &mut Rng::new(2), &device);
        let (a, c) = (values(&avg), values(&current));
        let blended = values(&crate::averaging::averaged_toward(avg, &current, 0.75));
        assert_eq!(blended.len(), 2 * 3 + 3 + 3 * 3 + 3 + 3 + 1);
        for ((b, a), c) in blended.iter().zip(&a).zip(&c) {
            assert!((b - (0.75 * a + 0.25 * c)).abs() < 1e-6, "{b} vs {a}, {c}");
        }
    }
}
