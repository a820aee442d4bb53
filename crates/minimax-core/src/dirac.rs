//! Dirac-GAN (Mescheder, Geiger & Nowozin 2018, §2.2): the smallest GAN. The data is a point at
//! 0, G is a point θ, and D is linear, D_ψ(x) = ψ·x. The game L(θ, ψ) = f(ψθ) + f(0) has its only
//! equilibrium at (0, 0), yet gradient steps do not reach it: simultaneous steps spiral outward,
//! alternating steps circle it. A gradient penalty on D (R1) makes both converge.

use serde::{Deserialize, Serialize};

/// The function f of L(θ, ψ) = f(ψθ) + f(0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiracLoss {
    /// The original GAN: f(t) = −log(1 + e^(−t)).
    #[default]
    Gan,
    /// WGAN: f(t) = t.
    Wgan,
}

/// Options of one Dirac-GAN simulation; missing fields take their defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DiracOptions {
    /// Which f.
    pub loss: DiracLoss,
    /// Step size h of both players.
    pub lr: f64,
    /// Number of steps.
    pub steps: usize,
    /// G's starting point θ₀.
    pub theta: f64,
    /// D's starting weight ψ₀.
    pub psi: f64,
    /// R1 penalty γ: D also minimises (γ/2)·ψ² (its gradient at the data, squared).
    pub r1: f64,
}

impl Default for DiracOptions {
    fn default() -> Self {
        Self {
            loss: DiracLoss::Gan,
            lr: 0.1,
            steps: 300,
            theta: 1.0,
            psi: 1.0,
            r1: 0.0,
        }
    }
}

impl DiracOptions {
    /// Parses and checks options from JSON; messages name the field.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let options: Self = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let finite = |name: &str, v: f64, max: f64| {
            if v.is_finite() && v.abs() <= max {
                Ok(())
            } else {
                Err(format!(
                    "{name} must be a number in [-{max}, {max}], got {v}"
                ))
            }
        };
        finite("theta", options.theta, 10.0)?;
        finite("psi", options.psi, 10.0)?;
        if !(options.lr > 0.0 && options.lr <= 2.0) {
            return Err(format!("lr must be in (0, 2], got {}", options.lr));
        }
        if !(0.0..=10.0).contains(&options.r1) {
            return Err(format!("r1 must be in [0, 10], got {}", options.r1));
        }
        if !(1..=10_000).contains(&options.steps) {
            return Err(format!(
                "steps must be from 1 to 10000, got {}",
                options.steps
            ));
        }
        Ok(options)
    }

    /// f'(t).
    fn slope(&self, t: f64) -> f64 {
        match self.loss {
            DiracLoss::Gan => 1.0 / (1.0 + t.exp()), // σ(−t)
            DiracLoss::Wgan => 1.0,
        }
    }

    /// ∂L/∂θ (G descends it) and ∂L/∂ψ minus the penalty's gradient (D ascends it).
    fn gradients(&self, theta: f64, psi: f64) -> (f64, f64) {
        let s = self.slope(theta * psi);
        (psi * s, theta * s - self.r1 * psi)
    }

    /// The orbit of simultaneous steps: both players move from the same (θ, ψ).
    pub fn simultaneous(&self) -> Vec<[f64; 2]> {
        let mut p = [self.theta, self.psi];
        let mut orbit = vec![p];
        for _ in 0..self.steps {
            let (g_theta, g_psi) = self.gradients(p[0], p[1]);
            p = [p[0] - self.lr * g_theta, p[1] + self.lr * g_psi];
            orbit.push(p);
        }
        orbit
    }

    /// The orbit of alternating steps: D moves first, then G against the new D.
    pub fn alternating(&self) -> Vec<[f64; 2]> {
        let mut p = [self.theta, self.psi];
        let mut orbit = vec![p];
        for _ in 0..self.steps {
            p[1] += self.lr * self.gradients(p[0], p[1]).1;
            p[0] -= self.lr * self.gradients(p[0], p[1]).0;
            orbit.push(p);
        }
        orbit
    }
}

/// Distance of a point of an orbit from the equilibrium (0, 0).
pub fn radius(p: [f64; 2]) -> f64 {
    p[0].hypot(p[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last_radius(orbit: &[[f64; 2]]) -> f64 {
        radius(*orbit.last().unwrap())
    }

    #[test]
    fn simultaneous_steps_spiral_out_and_alternating_steps_stay_bounded() {
        for loss in [DiracLoss::Gan, DiracLoss::Wgan] {
            let o = DiracOptions {
                loss,
                steps: 500,
                ..DiracOptions::default()
            };
            let start = radius([o.theta, o.psi]);
            assert!(last_radius(&o.simultaneous()) > 1.2 * start, "{loss:?}");
            let alt = o.alternating();
            let max = alt.iter().map(|p| radius(*p)).fold(0.0, f64::max);
            assert!(
                max < 1.5 * start && last_radius(&alt) > 0.5 * start,
                "{loss:?}"
            );
        }
    }

    #[test]
    fn a_gradient_penalty_makes_the_game_converge() {
        let o = DiracOptions {
            r1: 0.5,
            steps: 2000,
            ..DiracOptions::default()
        };
        assert!(last_radius(&o.simultaneous()) < 0.05);
        assert!(last_radius(&o.alternating()) < 0.05);
    }

    #[test]
    fn bad_options_name_the_field() {
        assert!(
            DiracOptions::from_json(r#"{"lr": 0}"#)
                .unwrap_err()
                .contains("lr")
        );
        assert!(
            DiracOptions::from_json(r#"{"step": 3}"#)
                .unwrap_err()
                .contains("step")
        );
        assert_eq!(
            DiracOptions::from_json("{}").unwrap(),
            DiracOptions::default()
        );
    }
}
