//! Statistics of point clouds, used by tests and the command line to say whether G moves toward
//! the data. (Mode coverage and divergences belong to the theory views.)

/// Per-coordinate mean and standard deviation of 2-D points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moments {
    /// Mean of x and of y.
    pub mean: [f64; 2],
    /// Standard deviation of x and of y.
    pub std: [f64; 2],
}

impl Moments {
    /// Moments of interleaved x, y points.
    pub fn of(points: &[f32]) -> Self {
        let n = (points.len() / 2).max(1) as f64;
        let mut mean = [0.0; 2];
        for p in points.chunks_exact(2) {
            mean[0] += f64::from(p[0]) / n;
            mean[1] += f64::from(p[1]) / n;
        }
        let mut var = [0.0; 2];
        for p in points.chunks_exact(2) {
            var[0] += (f64::from(p[0]) - mean[0]).powi(2) / n;
            var[1] += (f64::from(p[1]) - mean[1]).powi(2) / n;
        }
        Self {
            mean,
            std: [var[0].sqrt(), var[1].sqrt()],
        }
    }

    /// Distance between two clouds' moments: |Δmean| + |Δstd| (Euclidean in each).
    pub fn distance(&self, other: &Self) -> f64 {
        let d = |a: [f64; 2], b: [f64; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
        d(self.mean, other.mean) + d(self.std, other.std)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_of_known_points() {
        let m = Moments::of(&[0.0, 1.0, 2.0, 3.0]);
        assert_eq!(m.mean, [1.0, 2.0]);
        assert_eq!(m.std, [1.0, 1.0]);
        assert_eq!(m.distance(&m), 0.0);
    }
}
