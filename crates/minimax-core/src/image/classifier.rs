//! A LeNet-sized MNIST classifier (LeCun et al. 1998, ReLU and max pooling): the judge behind the
//! classifier score, the class histogram and the Fréchet distance of generated digits. Trained by
//! `minimax classifier` on the training split; its weights ship as `assets/classifier.bpk`.

use burn::module::Param;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, PaddingConfig2d};
use burn::optim::GradientsParams;
use burn::prelude::*;
use burn::store::ModuleRecord;
use burn::tensor::Bytes;
use burn::tensor::activation::{log_softmax, relu, softmax};

use super::mnist::{CLASSES, Mnist};
use crate::rng::Rng;

/// Width of the penultimate layer: the features of the Fréchet distance.
pub const FEATURES: usize = 84;

/// conv 5×5 (6) → pool → conv 5×5 (16) → pool → 120 → 84 → 10.
#[derive(Module, Debug)]
pub struct Classifier {
    conv1: Conv2d,
    conv2: Conv2d,
    pool: MaxPool2d,
    fc1: Linear,
    fc2: Linear,
    out: Linear,
}

/// Uniform(±1/√fan_in) weights from our own RNG: the same classifier on every backend.
fn uniform<const D: usize>(
    rng: &mut Rng,
    shape: [usize; D],
    fan_in: usize,
    device: &Device,
) -> Param<Tensor<D>> {
    let k = 1.0 / (fan_in as f64).sqrt();
    let n = shape.iter().product();
    let values: Vec<f32> = (0..n).map(|_| rng.uniform_in(-k, k) as f32).collect();
    Param::from_tensor(Tensor::from_data(TensorData::new(values, shape), device))
}

fn conv(c_in: usize, c_out: usize, padding: usize, rng: &mut Rng, device: &Device) -> Conv2d {
    let mut conv = Conv2dConfig::new([c_in, c_out], [5, 5])
        .with_padding(PaddingConfig2d::Explicit(
            padding, padding, padding, padding,
        ))
        .init(device);
    conv.weight = uniform(rng, [c_out, c_in, 5, 5], c_in * 25, device);
    conv.bias = Some(uniform(rng, [c_out], c_in * 25, device));
    conv
}

fn dense(d_in: usize, d_out: usize, rng: &mut Rng, device: &Device) -> Linear {
    Linear {
        weight: uniform(rng, [d_in, d_out], d_in, device),
        bias: Some(uniform(rng, [d_out], d_in, device)),
    }
}

impl Classifier {
    /// A new, untrained classifier.
    pub fn new(seed: u64, device: &Device) -> Self {
        let mut rng = Rng::new(seed);
        Self {
            conv1: conv(1, 6, 2, &mut rng, device),
            conv2: conv(6, 16, 0, &mut rng, device),
            pool: MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
            fc1: dense(400, 120, &mut rng, device),
            fc2: dense(120, FEATURES, &mut rng, device),
            out: dense(FEATURES, CLASSES, &mut rng, device),
        }
    }

    /// The shipped weights (`assets/classifier.bpk`), checked against this architecture.
    pub fn from_bytes(bytes: &[u8], device: &Device) -> Result<Self, String> {
        let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
            .map_err(|e| format!("classifier weights: not a Burn record ({e})"))?;
        Self::new(0, device)
            .try_load_record(record)
            .map_err(|e| format!("classifier weights do not fit the LeNet classifier: {e}"))
    }

    /// The weights as a Burn record (burnpack bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.clone()
            .into_record()
            .into_bytes()
            .expect("a record always serialises")
            .to_vec()
    }

    /// Digits `[n, 1, 28, 28]` in [−1, 1] → (logits `[n, 10]`, features `[n, 84]`).
    pub fn forward(&self, x: Tensor<4>) -> (Tensor<2>, Tensor<2>) {
        let x = self.pool.forward(relu(self.conv1.forward(x))); // [n, 6, 14, 14]
        let x = self.pool.forward(relu(self.conv2.forward(x))); // [n, 16, 5, 5]
        let x = relu(self.fc1.forward(x.flatten(1, 3))); // [n, 120]
        let features = relu(self.fc2.forward(x)); // [n, 84]
        (self.out.forward(features.clone()), features) // [n, 10], [n, 84]
    }

    /// Class probabilities `[n, 10]` and features `[n, 84]`.
    pub fn judge(&self, x: Tensor<4>) -> (Tensor<2>, Tensor<2>) {
        let (logits, features) = self.forward(x);
        (softmax(logits, 1), features)
    }

    /// Fraction of `set` classified correctly (in batches of 500).
    pub fn accuracy(&self, set: &Mnist, device: &Device) -> f64 {
        let mut correct = 0;
        let indices: Vec<usize> = (0..set.len()).collect();
        for chunk in indices.chunks(500) {
            let (logits, _) = self.forward(set.images(chunk, device));
            let predicted = logits
                .argmax(1)
                .into_data()
                .convert::<i64>()
                .try_into_vec::<i64>()
                .expect("argmax converted to i64 reads back as i64");
            correct += chunk
                .iter()
                .zip(predicted)
                .filter(|(i, p)| i64::from(set.label(**i)) == *p)
                .count();
        }
        correct as f64 / set.len() as f64
    }
}

/// Trains a classifier on `train` with Adam (lr 1e-3, batch 64) for `epochs` passes; `progress`
/// gets (epoch, mean loss) after each.
pub fn train_classifier(
    train: &Mnist,
    epochs: usize,
    seed: u64,
    device: &Device,
    mut progress: impl FnMut(usize, f64),
) -> Classifier {
    let steps = train.len().div_ceil(BATCH);
    let mut training = Training::new(seed, device);
    for epoch in 0..epochs {
        progress(epoch, training.steps(train, steps));
    }
    training.model.valid()
}

/// Trains a classifier on `train` (any size: a few digits per class too) for `steps` Adam
/// steps of batch 64.
pub fn train_classifier_steps(
    train: &Mnist,
    steps: usize,
    seed: u64,
    device: &Device,
) -> Classifier {
    let mut training = Training::new(seed, device);
    training.steps(train, steps);
    training.model.valid()
}

/// Digits per Adam step.
const BATCH: usize = 64;

/// A classifier in training: the model, Adam (lr 1e-3) and the batches' random stream.
struct Training {
    model: Classifier,
    optim: burn::optim::ModuleOptimizer,
    rng: Rng,
    device: Device,
}

impl Training {
    fn new(seed: u64, device: &Device) -> Self {
        let device = device.clone().autodiff();
        Self {
            model: Classifier::new(seed, &device),
            optim: crate::adam::HostAdam::new(0.9, 0.999).init(),
            rng: Rng::stream(seed, 1),
            device,
        }
    }

    /// `steps` steps on random batches of `train` (with replacement); their mean loss.
    fn steps(&mut self, train: &Mnist, steps: usize) -> f64 {
        let mut total = 0.0;
        for _ in 0..steps {
            let (x, labels) = train.batch(&mut self.rng, BATCH, &self.device);
            let (logits, _) = self.model.forward(x);
            let targets = super::dcgan::one_hot(&labels, &self.device);
            let loss = (log_softmax(logits, 1) * targets).sum_dim(1).mean().neg(); // [1]
            total += f64::from(loss.clone().into_scalar::<f32>());
            let grads = GradientsParams::from_grads(loss.backward(), &self.model);
            self.model = self.optim.step(1e-3, self.model.clone(), grads);
        }
        total / steps.max(1) as f64
    }
}
