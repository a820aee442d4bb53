//! The generator's input distribution.

pub use crate::config::kinds::NoiseDistribution;
use crate::rng::Rng;

impl NoiseDistribution {
    /// Every distribution, in the order the UI lists them.
    pub const ALL: [Self; 2] = [Self::Gaussian, Self::Uniform];

    /// Half-width of the noise range the manifold mesh spans: ±3 std or the whole [−1, 1].
    pub fn mesh_range(self) -> f64 {
        match self {
            Self::Gaussian => 3.0,
            Self::Uniform => 1.0,
        }
    }

    /// `n` noise vectors of dimension `dim`, row-major.
    pub fn sample(self, rng: &mut Rng, n: usize, dim: usize) -> Vec<f32> {
        (0..n * dim)
            .map(|_| match self {
                Self::Gaussian => rng.normal() as f32,
                Self::Uniform => rng.uniform_in(-1.0, 1.0) as f32,
            })
            .collect()
    }
}
