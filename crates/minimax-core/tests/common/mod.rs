//! Helpers shared by the native test files: reading tensors and modules back.
// Each test file is its own crate and uses some of these, so the rest would warn there.
#![allow(dead_code, clippy::unwrap_used)]

use burn::module::{Module, ModuleVisitor, Param};
use burn::prelude::*;

/// A tensor's values (as f32 whatever the backend's float type).
pub fn floats<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .unwrap()
}

/// Values as their bit patterns, for bit-exact comparisons.
pub fn bits(v: Vec<f32>) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// Every float a module holds (parameters and running statistics), in visiting order.
pub fn module_floats<M: Module>(module: &M) -> Vec<f32> {
    struct All(Vec<f32>);
    impl ModuleVisitor for All {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.extend(floats(param.val()));
        }
    }
    let mut all = All(Vec::new());
    module.visit(&mut all);
    all.0
}
