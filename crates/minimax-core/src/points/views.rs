//! What the page draws of a 2-D run, read from a [`Trainer`]: the generated points (from the
//! shown generator: G's moving average while generator averaging is on), D on a grid, where G's
//! loss pushes each point, G over a grid of noise values; and the analysis of points read back
//! (densities, JSD/KL, D*, mode coverage).

use burn::prelude::*;
use burn::tensor::activation::sigmoid;

use super::model::{BatchContext, Mlp};
use super::train::{Trainer, VIEW_POINTS, matrix, stream};
use crate::objective::Objective;
use crate::rng::Rng;
use crate::theory::{Analysis, Grid};

/// What the views draw at one moment, still on the device (see [`Trainer::view`]).
pub struct View {
    /// G on the fixed view noise `[VIEW_POINTS, 2]`.
    pub fake: Tensor<2>,
    /// D on the grid `[res²]`: a probability, or a raw critic score for critics.
    pub heat: Tensor<1>,
    /// Whether `heat` is a probability.
    pub heat_is_probability: bool,
    /// −∂L_G/∂x at each fake point `[VIEW_POINTS, 2]`.
    pub arrows: Tensor<2>,
    /// G over a grid of noise values `[rows·cols, 2]`.
    pub mesh: Tensor<2>,
    /// Mesh rows and columns.
    pub mesh_shape: (usize, usize),
    /// G on the fixed evaluation noise `[EVAL_POINTS, 2]`, for the densities and mode metrics.
    pub eval: Tensor<2>,
    /// The grid `heat` covers.
    pub grid: Grid,
}

impl Trainer {
    /// The fixed real points drawn in the views, x,y interleaved.
    pub fn view_real(&self) -> &[f32] {
        &self.view_real
    }

    /// The generator the views, metrics and samples show: G's moving average while generator
    /// averaging is on, otherwise G.
    pub fn shown_generator(&self) -> Mlp {
        self.generator_avg
            .clone()
            .unwrap_or_else(|| self.generator.valid())
    }

    /// The shown generator on the fixed view noise: `[VIEW_POINTS, 2]`.
    pub fn view_fake(&self) -> Tensor<2> {
        self.shown_generator().forward(self.view_noise.clone())
    }

    /// The shown generator on the fixed evaluation noise: `[EVAL_POINTS, 2]`.
    pub fn eval_fake(&self) -> Tensor<2> {
        self.shown_generator().forward(self.eval_noise.clone())
    }

    /// `n` generated points from fresh noise: `[n, 2]`.
    pub fn samples(&mut self, n: usize) -> Tensor<2> {
        let dim = self.config.noise.dim;
        let z = self
            .config
            .noise
            .distribution
            .sample(&mut self.samples_rng, n, dim);
        self.shown_generator()
            .forward(matrix(z, dim, &self.device).without_autodiff())
    }

    /// The grid of the views at `res` cells per side.
    pub fn grid(&self, res: usize) -> Grid {
        let (lo, hi) = self.bounds();
        Grid {
            lo: f64::from(lo),
            hi: f64::from(hi),
            res,
        }
    }

    /// `[n, 2]` points as D's input: each point repeated m times (packing), `[n, 2m]`.
    fn repeat_packed(&self, points: Tensor<2>) -> Tensor<2> {
        let m = self.discriminator.packing;
        if m == 1 {
            return points;
        }
        Tensor::cat(vec![points; m], 1)
    }

    /// D on a `res × res` grid over [`Self::bounds`] (row 0 at the top): the probability D stands
    /// for, or the raw score of a critic (second value false). With packing, D judges m copies
    /// of each grid point; where D sees the batch (minibatch std or discrimination), each point
    /// is judged as if it were one of the current generated batch.
    pub fn discriminator_grid(&self, res: usize) -> (Tensor<1>, bool) {
        let d = self.discriminator.valid();
        let grid = matrix(self.grid(res).centres(), 2, &self.device).without_autodiff();
        let context = if d.sees_the_batch() {
            // The batch D trains on comes from G itself, not from its average.
            let fake = self.generator.valid().forward(self.view_noise.clone());
            let n = VIEW_POINTS / d.packing * d.packing;
            d.context(self.pack(fake.narrow(0, 0, n)))
        } else {
            BatchContext::default()
        };
        // Minibatch discrimination compares every grid point with every row of the batch:
        // [points, rows, B, C] values, so the grid then goes through in slices.
        let packed = self.repeat_packed(grid);
        let points = res * res;
        let slice = if d.compares_rows() { 1024 } else { points };
        let out = if slice >= points {
            d.forward_in(packed, &context) // [res², 1]
        } else {
            let slices = (0..points)
                .step_by(slice)
                .map(|start| {
                    let len = slice.min(points - start);
                    d.forward_in(packed.clone().narrow(0, start, len), &context)
                })
                .collect();
            Tensor::cat(slices, 0) // [res², 1]
        };
        heat_map(&*self.config.objective.objective(), out)
    }

    /// −∂L_G/∂x at each view point: where G's loss pushes each generated point, `[VIEW_POINTS, 2]`.
    /// The loss is scaled by the number of rows so that each arrow does not shrink with it.
    pub fn view_arrows(&self) -> Tensor<2> {
        let x = self.view_fake().autodiff().require_grad(); // [n, 2]
        let m = self.discriminator.packing;
        // Pack each point with the next m − 1 (cyclically), so every point is judged m times.
        let packed = if m == 1 {
            x.clone()
        } else {
            let shifted = (0..m)
                .map(|k| {
                    let head = x.clone().narrow(0, k, VIEW_POINTS - k);
                    if k == 0 {
                        head
                    } else {
                        Tensor::cat(vec![head, x.clone().narrow(0, 0, k)], 0)
                    }
                })
                .collect();
            Tensor::cat(shifted, 1) // [n, 2m]
        };
        let objective = self.config.objective.objective();
        let loss = objective
            .g_loss(self.discriminator.forward(packed))
            .mul_scalar(VIEW_POINTS as f64);
        let grads = loss.backward();
        x.grad(&grads)
            .map_or_else(
                || Tensor::zeros([VIEW_POINTS, 2], &self.device),
                |g| g.neg(),
            )
            .without_autodiff()
    }

    /// G over a grid of noise values: 1-D noise gives a line of 101 values, otherwise a 21 × 21
    /// grid over the first two coordinates (the others 0). Ranges: ±3 for Gaussian noise, ±1
    /// for uniform. Returns `[rows·cols, 2]` and (rows, cols).
    pub fn manifold(&self) -> (Tensor<2>, (usize, usize)) {
        let dim = self.config.noise.dim;
        let r = self.config.noise.distribution.mesh_range();
        let (rows, cols) = if dim == 1 { (1, 101) } else { (21, 21) };
        let at = |i: usize, n: usize| (-r + 2.0 * r * i as f64 / (n - 1).max(1) as f64) as f32;
        let mut z = vec![0.0f32; rows * cols * dim];
        for row in 0..rows {
            for col in 0..cols {
                let base = (row * cols + col) * dim;
                z[base] = at(col, cols);
                if dim > 1 {
                    z[base + 1] = at(row, rows);
                }
            }
        }
        let z = matrix(z, dim, &self.device).without_autodiff();
        (self.shown_generator().forward(z), (rows, cols))
    }

    /// Everything the views draw, still on the device.
    pub fn view(&self, res: usize) -> View {
        let (heat, heat_is_probability) = self.discriminator_grid(res);
        let (mesh, mesh_shape) = self.manifold();
        View {
            fake: self.view_fake(),
            heat,
            heat_is_probability,
            arrows: self.view_arrows(),
            mesh,
            mesh_shape,
            eval: self.eval_fake(),
            grid: self.grid(res),
        }
    }

    /// Divergences, D* and mode coverage from points read back: `eval` are the [`View::eval`]
    /// points, `heat` the grid values when D is a probability.
    pub fn analyse(&mut self, grid: Grid, eval: &[f32], heat: Option<&[f32]>) -> Analysis {
        if self.data_masses.as_ref().is_none_or(|(g, ..)| *g != grid) {
            let mut rng = Rng::stream(u64::from(self.config.seed), stream::EVAL);
            let (masses, method) = grid.data_masses(&self.config.data, &mut rng);
            self.data_masses = Some((grid, masses, method));
        }
        let (_, p_data, method) = self.data_masses.as_ref().expect("computed above");
        let mut analysis = Analysis::new(&grid, &self.config.data, p_data, method, eval, heat);
        if self.generator_avg.is_some() {
            let beta = self.config.stabilizers.generator_ema;
            let note = format!(" Generated points come from G's moving average (β = {beta}).");
            analysis.density_note.push_str(&note);
        }
        analysis
    }

    /// The square `[lo, hi]²` the views draw.
    pub fn bounds(&self) -> (f32, f32) {
        self.config.data.bounds()
    }
}

/// D's outputs `[n, 1]` as the heat map draws them, `[n]`: the probability that D's objective
/// implies (the sigmoid of its logit), or the raw score of a critic (second value false).
pub fn heat_map(objective: &dyn Objective, out: Tensor<2>) -> (Tensor<1>, bool) {
    let n = out.dims()[0];
    match objective.implied_logit(out.clone()) {
        Some(logit) => (sigmoid(logit).reshape([n]), true),
        None => (out.reshape([n]), false),
    }
}
