//! Least squares GAN (Mao et al. 2017, eq. 2): D regresses real to b and fake to a, G pulls its
//! samples to c.

use burn::prelude::*;

pub use crate::config::kinds::LsCoding;

use super::Objective;

impl LsCoding {
    /// Every coding, in the order the UI lists them.
    pub const ALL: [Self; 2] = [Self::ZeroOne, Self::MinusOneOne];

    /// (a, b, c): fake label, real label, the value G wants D to give its samples.
    pub fn abc(self) -> (f64, f64, f64) {
        match self {
            Self::ZeroOne => (0.0, 1.0, 1.0),
            Self::MinusOneOne => (-1.0, 1.0, 0.0),
        }
    }
}

/// D: ½E[(D(x) − b)²] + ½E[(D(G(z)) − a)²]; G: ½E[(D(G(z)) − c)²].
pub struct LeastSquares {
    a: f64,
    b: f64,
    c: f64,
}

impl LeastSquares {
    /// The objective with `coding`'s labels.
    pub fn new(coding: LsCoding) -> Self {
        let (a, b, c) = coding.abc();
        Self { a, b, c }
    }

    fn half_mse(out: Tensor<2>, target: f64) -> Tensor<1> {
        out.sub_scalar(target).powi_scalar(2).mean().mul_scalar(0.5)
    }
}

impl Objective for LeastSquares {
    fn d_loss(&self, real: Tensor<2>, fake: Tensor<2>) -> Tensor<1> {
        Self::half_mse(real, self.b) + Self::half_mse(fake, self.a)
    }

    fn g_loss(&self, fake: Tensor<2>) -> Tensor<1> {
        Self::half_mse(fake, self.c)
    }

    /// D* = (b·p_data + a·p_g) / (p_data + p_g), so (D − a) / (b − a) = p_data / (p_data + p_g).
    fn implied_logit(&self, out: Tensor<2>) -> Option<Tensor<2>> {
        const EPS: f64 = 1e-6;
        let p = out
            .sub_scalar(self.a)
            .div_scalar(self.b - self.a)
            .clamp(EPS, 1.0 - EPS);
        Some(p.clone().log() - p.neg().add_scalar(1.0).log())
    }

    /// The real target moves from b toward a by s·(b − a).
    fn smoothed_d_loss(&self, real: Tensor<2>, fake: Tensor<2>, s: f64) -> Option<Tensor<1>> {
        let target = self.b - s * (self.b - self.a);
        Some(Self::half_mse(real, target) + Self::half_mse(fake, self.a))
    }
}
