//! A normalizing flow trained by maximum likelihood: RealNVP's affine coupling layers (Dinh,
//! Sohl-Dickstein and Bengio 2017) on the plane.
//!
//! Why a flow and not a VAE: a flow's log-likelihood is exact (change of variables), so it
//! stands in the table beside the mixture's on equal terms, and what training maximises is
//! exactly the mean log-likelihood a reader sees rise; a VAE maximises a lower bound (the ELBO),
//! and in two dimensions its decoder noise blurs every sample, which would muddle the contrast
//! the table is there to show (mode-covering because of KL(p_data‖p_model), not because of an
//! output noise model).
//!
//! The flow maps a point x to z = f(x) with f invertible and its Jacobian determinant cheap:
//! log p(x) = log N(f(x); 0, I) + log |det ∂f/∂x|. Each coupling keeps one coordinate u and moves
//! the other, v' = v·exp(s(u)) + t(u), with s (bounded by 2·tanh) and t from a small MLP of u;
//! its log-determinant is s(u). Between couplings the plane turns by a fixed angle (a rotation:
//! log-determinant 0), so that the coordinate a coupling moves is a new direction each time (in
//! two dimensions, alternating the two axes alone leaves most shapes out of reach). A fixed
//! standardisation by the training data's mean and std comes first. Sampling inverts each step,
//! v = (v' − t(u))·exp(−s(u)), from z ~ N(0, I).

use std::f64::consts::TAU;

use burn::optim::grad_clipping::GradientClippingConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use burn::tensor::activation::tanh;
use serde::Serialize;

use crate::config::{Activation, GanConfig, NetConfig};
use crate::game::stream;
use crate::points::model::Mlp;
use crate::points::train::matrix;
use crate::rng::Rng;

use super::{Measures, measure};

/// The flow's architecture and training.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowConfig {
    /// Affine coupling layers (alternating which coordinate moves).
    pub couplings: usize,
    /// Units per hidden layer of each coupling's MLP.
    pub width: usize,
    /// Hidden layers of each coupling's MLP.
    pub hidden_layers: usize,
    /// Adam's learning rate at the start.
    pub lr: f64,
    /// Steps per halving of the learning rate (late steps refine instead of jumping about).
    pub lr_half_life: usize,
    /// Data points per gradient step.
    pub batch_size: usize,
    /// Data points drawn once to train on (and as many fresh ones to test on).
    pub points: usize,
}

impl Default for FlowConfig {
    fn default() -> Self {
        Self {
            couplings: 8,
            width: 32,
            hidden_layers: 2,
            lr: 7e-4,
            lr_half_life: 2_500,
            batch_size: 256,
            points: 5_000,
        }
    }
}

/// The turn between couplings: an irrational fraction of a full turn, so no two couplings of a
/// flow move the same direction.
const TURN: f64 = std::f64::consts::PI * 0.381_966; // (3 − √5)/2 of a half turn: the golden angle's half

/// s(u) = S_MAX·tanh(·): each coupling scales its coordinate by at most e².
const S_MAX: f64 = 2.0;

/// The largest norm of each parameter's gradient in an update.
const GRADIENT_CLIP: f32 = 1.0;

/// The flow: one MLP u → (s, t) per coupling, after a fixed standardisation.
#[derive(Module, Debug)]
pub struct Flow {
    couplings: Vec<Mlp>,
    /// The training data's mean per coordinate.
    #[module(skip)]
    mean: [f64; 2],
    /// The training data's std per coordinate.
    #[module(skip)]
    std: [f64; 2],
}

impl Flow {
    /// A new flow for `config`, standardising by the mean and std of `points` (x,y interleaved).
    pub fn new(config: &FlowConfig, points: &[f32], rng: &mut Rng, device: &Device) -> Self {
        let n = (points.len() / 2).max(1) as f64;
        let moment = |axis: usize, f: &dyn Fn(f64) -> f64| {
            points
                .chunks_exact(2)
                .map(|p| f(f64::from(p[axis])))
                .sum::<f64>()
                / n
        };
        let mean = [moment(0, &|x| x), moment(1, &|x| x)];
        let std = [0, 1].map(|a| moment(a, &|x| (x - mean[a]).powi(2)).sqrt().max(1e-3));
        let net = NetConfig {
            hidden_layers: config.hidden_layers,
            width: config.width,
            activation: Activation::LeakyRelu,
            ..NetConfig::default()
        };
        let couplings = (0..config.couplings)
            .map(|_| Mlp::new(&net, 1, 2, rng, device))
            .collect();
        Self {
            couplings,
            mean,
            std,
        }
    }

    /// Coupling `k`'s kept coordinate u and moved one v of `x` `[n, 2]`, `[n, 1]` each, and how
    /// to put them back in order.
    fn split(k: usize, x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let (a, b) = (x.clone().narrow(1, 0, 1), x.narrow(1, 1, 1));
        if k.is_multiple_of(2) { (a, b) } else { (b, a) }
    }

    fn join(k: usize, u: Tensor<2>, v: Tensor<2>) -> Tensor<2> {
        let columns = if k.is_multiple_of(2) {
            vec![u, v]
        } else {
            vec![v, u]
        };
        Tensor::cat(columns, 1)
    }

    /// s(u) ∈ (−S_MAX, S_MAX) and t(u) of coupling `k`: `[n, 1]` each.
    fn scale_shift(&self, k: usize, u: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let out = self.couplings[k].forward(u); // [n, 2]
        let s = tanh(out.clone().narrow(1, 0, 1).div_scalar(S_MAX)).mul_scalar(S_MAX);
        (s, out.narrow(1, 1, 1))
    }

    /// The rotation after each coupling, `[2, 2]` (row vectors: z ← z·R); its inverse is Rᵀ.
    fn rotation(device: &Device) -> Tensor<2> {
        let (sin, cos) = TURN.sin_cos();
        matrix(
            vec![cos as f32, sin as f32, -sin as f32, cos as f32],
            2,
            device,
        )
    }

    /// z = f(x) for each row of `x` `[n, 2]`, and log |det ∂f/∂x| without the standardisation's
    /// constant: `[n, 2]` and `[n, 1]`.
    pub fn to_latent(&self, x: Tensor<2>) -> (Tensor<2>, Tensor<2>) {
        let [n, _] = x.dims();
        let device = x.device();
        let mean = matrix(self.mean.map(|m| m as f32).to_vec(), 2, &device);
        let std = matrix(self.std.map(|s| s as f32).to_vec(), 2, &device);
        let rotation = Self::rotation(&device);
        let mut z = (x - mean) / std; // [n, 2]
        let mut log_det = Tensor::<2>::zeros([n, 1], &device);
        for k in 0..self.couplings.len() {
            let (u, v) = Self::split(k, z);
            let (s, t) = self.scale_shift(k, u.clone());
            let v = v * s.clone().exp() + t;
            log_det = log_det + s;
            z = Self::join(k, u, v).matmul(rotation.clone());
        }
        (z, log_det)
    }

    /// log p(x) for each row of `x` `[n, 2]`: `[n]` (nats).
    pub fn log_density(&self, x: Tensor<2>) -> Tensor<1> {
        let [n, _] = x.dims();
        let (z, log_det) = self.to_latent(x);
        let standardise = -(self.std[0].ln() + self.std[1].ln());
        let gaussian = z
            .powi_scalar(2)
            .sum_dim(1)
            .mul_scalar(-0.5)
            .sub_scalar(TAU.ln()); // [n, 1]
        (gaussian + log_det).add_scalar(standardise).reshape([n])
    }

    /// x = f⁻¹(z) for latent points `z` `[n, 2]`: `[n, 2]`.
    pub fn invert(&self, z: Tensor<2>) -> Tensor<2> {
        let device = z.device();
        let unrotate = Self::rotation(&device).transpose();
        let mut x = z;
        for k in (0..self.couplings.len()).rev() {
            let (u, v) = Self::split(k, x.matmul(unrotate.clone()));
            let (s, t) = self.scale_shift(k, u.clone());
            x = Self::join(k, u, (v - t) * s.neg().exp());
        }
        let mean = matrix(self.mean.map(|m| m as f32).to_vec(), 2, &device);
        let std = matrix(self.std.map(|s| s as f32).to_vec(), 2, &device);
        x * std + mean
    }
}

/// A flow being trained on a run's data, a few steps at a time (the page trains it between
/// frames and shows its log-likelihood rise).
pub struct FlowFit {
    config: FlowConfig,
    flow: Flow,
    optimizer: ModuleOptimizer,
    /// Training points, x,y interleaved.
    data: Vec<f32>,
    /// As many fresh points of the data, never trained on.
    held_out: Vec<f32>,
    rng: Rng,
    device: Device,
    /// Mean log-likelihood of each step's batch, before its update.
    history: Vec<f32>,
}

impl FlowFit {
    /// A new flow for `config`'s data (its seed): draws the training and held-out points. The
    /// device must have autodiff.
    pub fn new(config: &GanConfig, flow: FlowConfig, device: &Device) -> Self {
        let mut rng = Rng::stream(u64::from(config.seed), stream::LIKELIHOOD);
        let data = config.data.sample(&mut rng, flow.points);
        let held_out = config.data.sample(&mut rng, flow.points);
        let model = Flow::new(&flow, &data, &mut rng, device);
        Self {
            // Clipped: one batch of points far out in a thin tail can otherwise throw the
            // flow off for hundreds of steps.
            optimizer: AdamConfig::new()
                .with_grad_clipping(Some(GradientClippingConfig::Norm(GRADIENT_CLIP)))
                .init(),
            config: flow,
            flow: model,
            data,
            held_out,
            rng,
            device: device.clone(),
            history: Vec::new(),
        }
    }

    /// Gradient steps taken.
    pub fn step(&self) -> usize {
        self.history.len()
    }

    /// Each step's batch mean log-likelihood (nats), before its update.
    pub fn history(&self) -> &[f32] {
        &self.history
    }

    /// `steps` more gradient steps on −mean log p(batch), each batch drawn from the training
    /// points with replacement.
    pub fn train(&mut self, steps: usize) {
        let n = self.data.len() / 2;
        for _ in 0..steps {
            let batch: Vec<f32> = (0..self.config.batch_size)
                .flat_map(|_| {
                    let i = self.rng.below(n);
                    [self.data[2 * i], self.data[2 * i + 1]]
                })
                .collect();
            let x = matrix(batch, 2, &self.device);
            let mean_log_p = self.flow.log_density(x).mean(); // [1]
            let grads =
                GradientsParams::from_grads(mean_log_p.clone().neg().backward(), &self.flow);
            self.flow = self
                .optimizer
                .step(self.config.lr, self.flow.clone(), grads);
            let value = mean_log_p
                .into_data()
                .try_into_vec::<f32>()
                .unwrap_or_default();
            self.history
                .push(value.first().copied().unwrap_or(f32::NAN));
        }
    }

    /// Mean log-likelihood per point of `points` (x,y interleaved), in nats.
    pub fn mean_log_likelihood(&self, points: &[f32]) -> f64 {
        let flow = self.flow.valid();
        let x = matrix(points.to_vec(), 2, &self.device).without_autodiff();
        let values = flow
            .log_density(x)
            .into_data()
            .try_into_vec::<f32>()
            .unwrap_or_default();
        values.iter().map(|v| f64::from(*v)).sum::<f64>() / values.len().max(1) as f64
    }

    /// `n` samples, x,y interleaved.
    pub fn sample(&self, n: usize, rng: &mut Rng) -> Vec<f32> {
        let z: Vec<f32> = (0..2 * n).map(|_| rng.normal() as f32).collect();
        let x = self
            .flow
            .valid()
            .invert(matrix(z, 2, &self.device).without_autodiff());
        x.into_data().try_into_vec::<f32>().unwrap_or_default()
    }

    /// The flow as it stands, measured as a GAN run is.
    pub fn result(&self, gan: &GanConfig) -> FlowResult {
        let mut rng = Rng::stream(u64::from(gan.seed), stream::LIKELIHOOD + stream::NEW_D);
        FlowResult {
            flow: self.config.clone(),
            steps: self.step(),
            log_likelihood: self.mean_log_likelihood(&self.data),
            held_out_log_likelihood: self.mean_log_likelihood(&self.held_out),
            measures: measure(gan, |n| self.sample(n, &mut rng)),
        }
    }
}

/// A flow trained on a 2-D dataset, measured as a GAN run is.
#[derive(Clone, Debug, Serialize)]
pub struct FlowResult {
    /// Its architecture and training.
    pub flow: FlowConfig,
    /// Gradient steps taken.
    pub steps: usize,
    /// Mean log-likelihood per point of the points it trained on (nats).
    pub log_likelihood: f64,
    /// The same on as many fresh points of the data.
    pub held_out_log_likelihood: f64,
    /// Its samples, measured.
    #[serde(flatten)]
    pub measures: Measures,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_density_integrates_to_one_and_sampling_inverts_it() {
        let device = Device::flex();
        let mut rng = Rng::new(4);
        let data: Vec<f32> = (0..400)
            .map(|_| (rng.normal() * 0.7 + 0.3) as f32)
            .collect();
        let config = FlowConfig {
            couplings: 2,
            ..FlowConfig::default()
        };
        let flow = Flow::new(&config, &data, &mut rng, &device);
        // ∫ p over [−6, 6]² on a 240 × 240 grid of cells: 1 (an untrained flow is a density).
        let (cells, half) = (240usize, 6.0f32);
        let h = 2.0 * half / cells as f32;
        let grid: Vec<f32> = (0..cells * cells)
            .flat_map(|i| {
                let (r, c) = (i / cells, i % cells);
                [-half + (c as f32 + 0.5) * h, -half + (r as f32 + 0.5) * h]
            })
            .collect();
        let logs = flow.log_density(matrix(grid, 2, &device));
        let mass: f32 = logs
            .exp()
            .into_data()
            .try_into_vec::<f32>()
            .unwrap_or_default()
            .iter()
            .sum::<f32>()
            * h
            * h;
        assert!((mass - 1.0).abs() < 0.02, "∫p = {mass}");
        // f⁻¹ undoes f: points through the flow and back.
        let x: Vec<f32> = (0..40).map(|_| rng.normal() as f32).collect();
        let (z, _) = flow.to_latent(matrix(x.clone(), 2, &device));
        let back = flow
            .invert(z)
            .into_data()
            .try_into_vec::<f32>()
            .unwrap_or_default();
        for (a, b) in x.iter().zip(&back) {
            assert!((a - b).abs() < 1e-4, "{a} → {b}");
        }
    }

    #[test]
    fn training_raises_the_held_out_log_likelihood() {
        let config = GanConfig::default(); // ring8
        let flow = FlowConfig {
            points: 2000,
            ..FlowConfig::default()
        };
        let mut fit = FlowFit::new(&config, flow, &Device::flex().autodiff());
        let before = fit.mean_log_likelihood(&fit.held_out.clone());
        fit.train(300);
        let after = fit.mean_log_likelihood(&fit.held_out.clone());
        assert!(
            after > before + 0.5,
            "held-out log-likelihood {before} → {after}"
        );
        let h = fit.history();
        let early: f32 = h[..30].iter().sum::<f32>() / 30.0;
        let late: f32 = h[h.len() - 30..].iter().sum::<f32>() / 30.0;
        assert!(late > early, "batch log-likelihood {early} → {late}");
    }
}
