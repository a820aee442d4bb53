//! Maximum likelihood beside the GAN: two models of the 2-D data trained by maximum likelihood,
//! a Gaussian mixture fitted by EM ([`mixture`]) and a normalizing flow trained by gradient
//! ascent on the exact log-likelihood ([`flow`]). Maximum likelihood minimises
//! KL(p_data‖p_model): a model that misses a mode pays an unbounded price there, so it spreads
//! mass over every mode (and between them when it cannot separate them), where a GAN may drop
//! modes and stay sharp. Both are sampled and measured with the GAN's own metrics
//! ([`crate::theory::Analysis`]), so the three sit in one table (`minimax likelihood`).

pub mod flow;
pub mod mixture;

use burn::prelude::Device;
use serde::Serialize;

use crate::config::GanConfig;
use crate::game::stream;
use crate::points::train::{EVAL_POINTS, Trainer};
use crate::rng::Rng;
use crate::theory::{MODE_SAMPLES, ModeCoverage};

pub use mixture::FittedMixture;

/// A model's samples measured as the views measure G: mode coverage, and the divergences on the
/// 64 × 64 grid of the GAN's views.
#[derive(Clone, Debug, Serialize)]
pub struct Measures {
    /// Mode coverage of [`MODE_SAMPLES`] samples (PacGAN protocol), for mixtures.
    pub modes: Option<ModeCoverage>,
    /// JSD(p_data‖p_model) on the 64 × 64 grid of the GAN's views, from [`EVAL_POINTS`] samples.
    pub jsd: f64,
    /// KL(p_data‖p_model): what maximum likelihood minimises (in the limit of data).
    pub kl_data_model: f64,
    /// KL(p_model‖p_data): large where the model puts mass off the data.
    pub kl_model_data: f64,
    /// The [`MODE_SAMPLES`] samples the mode coverage counts, x,y interleaved (for drawing).
    #[serde(skip)]
    pub samples: Vec<f32>,
}

/// Measures a model of `config`'s data from its samples: `sample(n)` draws n points, x,y
/// interleaved. The grid, the data's cell masses and the mode protocol are the GAN's (an
/// untrained [`Trainer`] of the same config provides them).
pub fn measure(config: &GanConfig, mut sample: impl FnMut(usize) -> Vec<f32>) -> Measures {
    let samples = sample(MODE_SAMPLES);
    let eval = sample(EVAL_POINTS);
    let mut trainer = Trainer::new(config.clone(), &Device::flex());
    let grid = trainer.view(64).grid;
    let analysis = trainer.analyse(grid, &eval, None);
    Measures {
        modes: config
            .data
            .mixture()
            .map(|m| ModeCoverage::of(&samples, &m)),
        jsd: analysis.jsd,
        kl_data_model: analysis.kl_data_g,
        kl_model_data: analysis.kl_g_data,
        samples,
    }
}

/// A Gaussian mixture fitted to a 2-D dataset, measured as a GAN run is (`minimax eval`).
#[derive(Clone, Debug, Serialize)]
pub struct Baseline {
    /// Mixture components.
    pub components: usize,
    /// EM iterations.
    pub iterations: usize,
    /// Data points the mixture was fitted to.
    pub points: usize,
    /// Mean log-likelihood per point of the points it was fitted to (nats).
    pub log_likelihood: f64,
    /// The same on as many fresh points of the data.
    pub held_out_log_likelihood: f64,
    /// Its samples, measured.
    #[serde(flatten)]
    pub measures: Measures,
    /// The fitted mixture.
    pub mixture: FittedMixture,
}

/// Fits `components` Gaussians by `iterations` EM steps to `points` draws of `config`'s data
/// (its seed), and measures samples of the fit with the grid, data masses and sample counts the
/// GAN's evaluation uses.
pub fn fit_baseline(
    config: &GanConfig,
    components: usize,
    iterations: usize,
    points: usize,
) -> Baseline {
    let mut rng = Rng::stream(u64::from(config.seed), stream::LIKELIHOOD);
    let data = config.data.sample(&mut rng, points);
    let (mixture, history) = FittedMixture::fit(&data, components, iterations, &mut rng);
    let held_out = config.data.sample(&mut rng, points);
    let measures = measure(config, |n| mixture.sample(n, &mut rng));
    Baseline {
        components,
        iterations,
        points,
        log_likelihood: history.last().copied().unwrap_or(f64::NAN),
        held_out_log_likelihood: mixture.mean_log_likelihood(&held_out),
        measures,
        mixture,
    }
}
