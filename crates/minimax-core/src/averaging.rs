//! Generator averaging (Yazıcı et al. 2019; as in ProGAN and StyleGAN): the views, metrics,
//! samples and scores show an exponential moving average of G's weights, θ̄ ← β·θ̄ + (1 − β)·θ
//! after every G step, while G and D train exactly as without it. One rule for every generator
//! (the 2-D MLP, DCGAN, StyleGAN-lite): every float a network holds is blended, its weights and
//! also batch norm's running statistics (as BigGAN averages its whole state), so that an
//! averaged DCGAN generator normalises with statistics that match its averaged weights.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::prelude::*;

use crate::checkpoint::Part;

/// The checkpoint part holding G's moving average.
pub const AVERAGE_PART: &str = "generator_ema";

/// One step of the moving average toward `current` (same architecture): every float of
/// `average` (without autodiff) becomes β·θ̄ + (1 − β)·θ.
pub fn averaged_toward<M: Module>(average: M, current: &M, beta: f64) -> M {
    struct Collect(Vec<Tensor<1>>);
    impl ModuleVisitor for Collect {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            let value = param.val().without_autodiff();
            let n = value.shape().num_elements();
            self.0.push(value.reshape([n]));
        }
    }
    struct Blend {
        current: std::vec::IntoIter<Tensor<1>>,
        beta: f64,
    }
    impl ModuleMapper for Blend {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            // Both modules are visited in the same (field) order: the next tensor is this one's.
            let Some(current) = self.current.next() else {
                return param;
            };
            let beta = self.beta;
            param.map(|avg| {
                let current = current.reshape(avg.dims());
                avg.mul_scalar(beta) + current.mul_scalar(1.0 - beta)
            })
        }
    }
    let mut collect = Collect(Vec::new());
    current.visit(&mut collect);
    average.map(&mut Blend {
        current: collect.0.into_iter(),
        beta,
    })
}

/// The average after a config change to `beta`: kept while averaging stays on, started from
/// the current G when it is switched on, dropped when it is switched off.
pub fn follow_config<M: Module>(average: Option<M>, beta: f64, current: &M) -> Option<M> {
    match (beta > 0.0, average) {
        (true, Some(average)) => Some(average),
        (true, None) => Some(current.valid()),
        (false, _) => None,
    }
}

/// The average a checkpoint holds, or (a file without one, e.g. saved on WebGPU) a restart
/// from the checkpoint's G.
pub fn load_average<M: Module + Part>(
    checkpoint: &crate::checkpoint::Checkpoint,
    generator: &M,
) -> Result<M, String> {
    match checkpoint.part(AVERAGE_PART) {
        Ok(bytes) => generator.valid().load_part(bytes, AVERAGE_PART),
        Err(_) => Ok(generator.valid()),
    }
}
