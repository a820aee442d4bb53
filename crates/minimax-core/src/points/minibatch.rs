//! Minibatch discrimination (Salimans et al. 2016, §3.2): D sees, for each row, how close the
//! other rows of its batch are through a learned projection, so a generator that puts its whole
//! batch in one place is caught even though each of its samples alone looks real.
//!
//! For rows f(xᵢ) ∈ ℝᴬ a learned tensor T ∈ ℝ^{A×B×C} gives Mᵢ = f(xᵢ)·T ∈ ℝ^{B×C}; kernel b
//! compares two rows by c_b(i, j) = exp(−‖M_{i,b} − M_{j,b}‖²), and D's next layer receives
//! o(xᵢ)_b = mean_j c_b(i, j) beside f(xᵢ). Three choices differ from the paper, for this
//! playground: the squared Euclidean distance instead of the L1 one, because it is a matrix
//! product per kernel (‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b) where the L1 distance materialises every
//! pair's difference: 12 times slower on the CPU (11 against 130 steps/s natively on grid25);
//! the mean instead of the sum over j keeps o in (0, 1] whatever the batch size (and lets the
//! views judge a grid against a reference batch of another size); and f is D's input itself (the
//! points, packed), not a hidden layer: in 2-D the input already is the feature, and the gradient
//! with respect to the input, which R1, WGAN-GP and the views' arrows need and which Burn's
//! first-order autodiff cannot give (see `model::Mlp::input_gradient`), stays a closed form.

use burn::module::Param;
use burn::prelude::*;

use crate::config::MINIBATCH_KERNEL_DIM;
use crate::rng::Rng;

/// The layer: T and the number of kernels B.
#[derive(Module, Debug)]
pub struct MinibatchDiscrimination {
    /// T, `[d_input, kernels · MINIBATCH_KERNEL_DIM]`.
    projection: Param<Tensor<2>>,
    /// B, the number of kernels (features added to each row).
    #[module(skip)]
    pub kernels: usize,
}

impl MinibatchDiscrimination {
    /// T ~ U(−k, k) with k = √(2 / d_input): two points of the unit-scale 2-D data one unit
    /// apart are then about exp(−1) close, two in the same mode close to 1.
    pub fn new(d_input: usize, kernels: usize, rng: &mut Rng, device: &Device) -> Self {
        let k = (2.0 / d_input as f64).sqrt();
        let n = d_input * kernels * MINIBATCH_KERNEL_DIM;
        let values: Vec<f32> = (0..n).map(|_| rng.uniform_in(-k, k) as f32).collect();
        let data = TensorData::new(values, [d_input, kernels * MINIBATCH_KERNEL_DIM]);
        Self {
            projection: Param::from_tensor(Tensor::from_data(data, device)),
            kernels,
        }
    }

    /// M for each row: `[n, d_input]` → `[n, B, C]`.
    pub fn project(&self, rows: Tensor<2>) -> Tensor<3> {
        let n = rows.dims()[0];
        rows.matmul(self.projection.val())
            .reshape([n, self.kernels, MINIBATCH_KERNEL_DIM])
    }

    /// o for rows projected `[n, B, C]` against a batch's projections `[m, B, C]`: `[n, B]`.
    pub fn closeness(rows: Tensor<3>, batch: Tensor<3>) -> Tensor<2> {
        let [n, kernels, _] = rows.dims();
        let kernel = Self::kernel(rows.swap_dims(0, 1), batch.swap_dims(0, 1)); // [B, n, m]
        kernel.mean_dim(2).reshape([kernels, n]).transpose() // [n, B]
    }

    /// c_b(i, j) for rows `[B, n, C]` against the batch `[B, m, C]`, kernel-major: `[B, n, m]`.
    fn kernel(rows: Tensor<3>, batch: Tensor<3>) -> Tensor<3> {
        let rows_sq = rows.clone().powi_scalar(2).sum_dim(2); // [B, n, 1]
        let batch_sq = batch.clone().powi_scalar(2).sum_dim(2).swap_dims(1, 2); // [B, 1, m]
        let cross = rows.matmul(batch.swap_dims(1, 2)); // [B, n, m]
        // Rounding can leave a pair's distance a hair below 0 (a row against itself).
        let distance = (rows_sq + batch_sq - cross.mul_scalar(2.0)).clamp_min(0.0);
        distance.neg().exp()
    }

    /// ∂/∂rows of Σ_b g_b · o_b(rows), the batch held fixed: `[n, d_input]`, given the rows'
    /// projections `[n, B, C]`, the batch's projections `[m, B, C]` and g `[n, B]`.
    /// ∂o_b/∂M_{i,b} = −2·mean_j c_b(i, j)·(M_{i,b} − M_{j,b}) = −2·(o_b·M_{i,b} − mean_j c_b(i, j)·M_{j,b}),
    /// then through T. Differentiable with respect to T (what a gradient penalty trains).
    pub fn input_gradient(
        &self,
        projected: Tensor<3>,
        batch: Tensor<3>,
        g: Tensor<2>,
    ) -> Tensor<2> {
        let [n, kernels, dim] = projected.dims();
        let m = batch.dims()[0];
        let (rows, batch) = (projected.swap_dims(0, 1), batch.swap_dims(0, 1)); // [B, n, C], [B, m, C]
        let kernel = Self::kernel(rows.clone(), batch.clone()); // [B, n, m]
        let o = kernel.clone().mean_dim(2); // [B, n, 1]
        let pulled = kernel.matmul(batch).div_scalar(m as f64); // [B, n, C]
        let d_rows = (rows * o - pulled).mul_scalar(-2.0); // [B, n, C]
        let g = g.transpose().reshape([kernels, n, 1]); // [B, n, 1]
        (d_rows * g)
            .swap_dims(0, 1) // [n, B, C]
            .reshape([n, kernels * dim])
            .matmul(self.projection.val().transpose()) // [n, d_input]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::points::train::matrix;

    fn floats<const D: usize>(t: Tensor<D>) -> Vec<f32> {
        t.into_data().try_into_vec::<f32>().unwrap_or_default()
    }

    #[test]
    fn closeness_is_the_mean_kernel_by_hand() {
        let device = Device::flex();
        // One kernel, C = 3: rows (0,0,0) and (1,0,−1), the batch both of them.
        let rows: Tensor<3> =
            matrix(vec![0.0, 0.0, 0.0, 1.0, 0.0, -1.0], 3, &device).reshape([2, 1, 3]);
        let o = floats(MinibatchDiscrimination::closeness(rows.clone(), rows));
        let far = (-2.0f32).exp(); // ‖(1, 0, −1)‖₁ = 2
        for (got, want) in o.iter().zip([(1.0 + far) / 2.0, (far + 1.0) / 2.0]) {
            assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        }
    }

    #[test]
    fn a_collapsed_batch_is_closer_than_a_spread_one() {
        let device = Device::flex();
        let layer = MinibatchDiscrimination::new(2, 4, &mut Rng::new(1), &device);
        let batch = |spread: f32| {
            let points =
                (0..32).flat_map(|i| [spread * (i as f32).sin(), spread * (i as f32).cos()]);
            layer.project(matrix(points.collect(), 2, &device))
        };
        let mean = |t: Tensor<2>| floats(t).iter().sum::<f32>() / 128.0;
        let (tight, spread) = (batch(0.01), batch(1.5));
        let tight = mean(MinibatchDiscrimination::closeness(tight.clone(), tight));
        let spread = mean(MinibatchDiscrimination::closeness(spread.clone(), spread));
        assert!(
            tight > 0.95 && spread < 0.5,
            "tight {tight}, spread {spread}"
        );
    }
}
