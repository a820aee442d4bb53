//! Adam with one pass over each parameter on the CPU backend.
//!
//! Burn's [`Adam`] updates a parameter with 13 tensor ops (each a dispatch, an allocation and a
//! pass over memory) and moves its two moments to the device on every step. The small 2-D
//! networks pay for every op: a [16, 16] GAN's step is more op overhead than arithmetic. On the
//! CPU (`flex`) backend the tensors already live in host memory, so [`HostAdam`] reads them,
//! updates parameter and moments in one loop, and wraps the results again. The arithmetic is
//! Burn's, operation for operation in `f32`, so both paths give the same bits (tested below); on
//! any other backend it is Burn's [`Adam`] unchanged. The state is Burn's [`AdamState`], so
//! checkpoints keep their format.

use burn::optim::{
    Adam, AdamConfig, AdamState, AdaptiveMomentumState, LearningRate, ModuleOptimizer, Optimizer,
};
use burn::prelude::*;
use burn::tensor::DType;

/// Burn's default ε, which every Adam here has always used.
const EPSILON: f32 = 1e-5;

/// Adam as Burn computes it (ε = 10⁻⁵, no weight decay, no AMSGrad), in one pass on the CPU.
#[derive(Clone)]
pub struct HostAdam {
    beta_1: f32,
    beta_2: f32,
    epsilon: f32,
    /// Burn's Adam with the same constants, for tensors that are not in host memory.
    on_device: Adam,
}

impl HostAdam {
    /// Adam with decays `beta_1` and `beta_2`.
    pub fn new(beta_1: f32, beta_2: f32) -> Self {
        Self {
            beta_1,
            beta_2,
            epsilon: EPSILON,
            on_device: AdamConfig::new()
                .with_beta_1(beta_1)
                .with_beta_2(beta_2)
                .with_epsilon(EPSILON)
                .build(),
        }
    }

    /// A whole-module optimizer applying this Adam to every parameter.
    pub fn init(self) -> ModuleOptimizer {
        ModuleOptimizer::from(self)
    }
}

/// The values of `f32` data, without a copy when nothing else holds them.
fn values(data: TensorData) -> Vec<f32> {
    match data.try_into_vec::<f32>() {
        Ok(values) => values,
        // `step` checked the dtype, the only way this read fails on the CPU backend.
        Err(error) => unreachable!("f32 data from the CPU backend: {error:?}"),
    }
}

/// Whether a tensor lives in host memory as `f32`, where [`HostAdam`] can update it.
fn on_host<const D: usize>(tensor: &Tensor<D>) -> bool {
    tensor.dtype() == DType::F32 && tensor.device() == Device::flex()
}

/// Adam's moments `(step, m₁, m₂)` in host memory.
type Moments = (usize, TensorData, TensorData);

impl HostAdam {
    /// One update of a parameter from its gradient and moments (none before the first step):
    /// the new parameter and moments. Not generic over the rank, so the page's module carries
    /// one copy of it.
    fn update(
        &self,
        lr: LearningRate,
        param: TensorData,
        grad: TensorData,
        moments: Option<Moments>,
    ) -> (TensorData, Moments) {
        let shape = param.shape().clone();
        let (mut param, grad) = (values(param), values(grad));
        let (b1, b2) = (self.beta_1, self.beta_2);
        let (f1, f2) = (1.0 - b1, 1.0 - b2);
        let (time, m1, m2) = match moments {
            Some((time, m1, m2)) => {
                let (mut m1, mut m2) = (values(m1), values(m2));
                for ((m1, m2), g) in m1.iter_mut().zip(m2.iter_mut()).zip(&grad) {
                    *m1 = *m1 * b1 + g * f1;
                    *m2 = *m2 * b2 + (g * g) * f2;
                }
                (time + 1, m1, m2)
            }
            // Burn's first step: the moments are the scaled gradient alone (no 0 · β term).
            None => (
                1,
                grad.iter().map(|g| g * f1).collect(),
                grad.iter().map(|g| (g * g) * f2).collect(),
            ),
        };
        // The bias corrections as Burn computes them.
        let t = time as i32;
        let correction_2 = (1.0 - b2.powi(t)).sqrt();
        let factor = correction_2 / (1.0 - b1.powi(t));
        let epsilon = self.epsilon * correction_2;
        let lr = lr as f32;
        for ((p, m1), m2) in param.iter_mut().zip(&m1).zip(&m2) {
            *p -= (m1 * factor) / (m2.sqrt() + epsilon) * lr;
        }
        let data = |values: Vec<f32>| TensorData::new(values, shape.clone());
        (data(param), (time, data(m1), data(m2)))
    }
}

impl Optimizer for HostAdam {
    type State<const D: usize> = AdamState<D>;

    fn step<const D: usize>(
        &self,
        lr: LearningRate,
        tensor: Tensor<D>,
        grad: Tensor<D>,
        state: Option<Self::State<D>>,
    ) -> (Tensor<D>, Option<Self::State<D>>) {
        let state_on_host = state.as_ref().is_none_or(|s| {
            on_host(&s.momentum.moment_1)
                && on_host(&s.momentum.moment_2)
                && s.momentum.max_moment_2.is_none()
        });
        if !(on_host(&tensor) && on_host(&grad) && state_on_host) {
            return self.on_device.step(lr, tensor, grad, state);
        }
        let device = tensor.device();
        let moments = state.map(|AdamState { momentum: m }| {
            (m.time, m.moment_1.into_data(), m.moment_2.into_data())
        });
        let (param, (time, m1, m2)) =
            self.update(lr, tensor.into_data(), grad.into_data(), moments);
        let tensor = |data| Tensor::<D>::from_data(data, &device);
        let momentum = AdaptiveMomentumState::new(time, tensor(m1), tensor(m2));
        (tensor(param), Some(AdamState::new(momentum)))
    }

    fn to_device<const D: usize>(state: Self::State<D>, device: &Device) -> Self::State<D> {
        if state.momentum.moment_1.device() == *device {
            return state; // the usual case: no dispatch call per moment
        }
        <Adam as Optimizer>::to_device(state, device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::optim::GradientsParams;
    use burn::{module::Module, nn};

    #[derive(Module, Debug)]
    struct Net {
        a: nn::Linear,
        b: nn::Linear,
    }

    fn net(device: &Device) -> Net {
        device.seed(7);
        Net {
            a: nn::LinearConfig::new(3, 5).init(device),
            b: nn::LinearConfig::new(5, 2).init(device),
        }
    }

    /// `steps` updates of `model` on a fixed stream of batches, starting at batch `from`.
    fn train(mut model: Net, optimizer: &mut ModuleOptimizer, from: usize, steps: usize) -> Net {
        let device = model.a.weight.val().device();
        for i in from..from + steps {
            let x: Vec<f32> = (0..12).map(|k| ((k * 7 + i) % 5) as f32 - 2.0).collect();
            let x = Tensor::<2>::from_data(TensorData::new(x, [4, 3]), &device);
            let loss = model
                .b
                .forward(model.a.forward(x).tanh())
                .powi_scalar(2)
                .mean();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(1e-2, model, grads);
        }
        model
    }

    fn bits(model: &Net) -> Vec<u32> {
        [model.a.weight.val(), model.b.weight.val()]
            .into_iter()
            .flat_map(|w| w.into_data().try_into_vec::<f32>().unwrap_or_default())
            .map(f32::to_bits)
            .collect()
    }

    #[test]
    fn host_adam_gives_burns_bits_and_state() {
        let model = net(&Device::flex().autodiff());
        let mut burn = AdamConfig::new().with_beta_1(0.5).with_beta_2(0.9).init();
        let mut host = HostAdam::new(0.5, 0.9).init();
        let expected = train(model.clone(), &mut burn, 0, 25);
        let actual = train(model, &mut host, 0, 25);
        assert_eq!(bits(&expected).len(), 5 * 3 + 2 * 5);
        assert_eq!(bits(&expected), bits(&actual));
        // The same state: Burn's Adam resumes from HostAdam's and gives the same bits again.
        let Ok(saved) = host.into_bytes() else {
            panic!("the optimizer state serialises")
        };
        let Ok(mut burn_resumed) = burn.clone().from_bytes(saved) else {
            panic!("HostAdam's state loads into Burn's Adam")
        };
        let expected_next = train(actual.clone(), &mut burn_resumed, 25, 5);
        let actual_next = train(actual, &mut host, 25, 5);
        assert_eq!(bits(&expected_next), bits(&actual_next));
    }

    #[test]
    fn a_state_saved_by_burns_adam_resumes_in_host_adam_to_the_bit() {
        let model = net(&Device::flex().autodiff());
        let mut burn = AdamConfig::new().init();
        let model = train(model, &mut burn, 0, 3);
        let Ok(saved) = burn.into_bytes() else {
            panic!("the optimizer state serialises")
        };
        let Ok(mut host) = HostAdam::new(0.9, 0.999).init().from_bytes(saved) else {
            panic!("Burn's Adam state loads into HostAdam")
        };
        let expected = train(model.clone(), &mut burn, 3, 4);
        let actual = train(model, &mut host, 3, 4);
        assert_eq!(bits(&expected), bits(&actual));
    }
}
