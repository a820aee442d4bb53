//! The training loop: shapes, seeded reproducibility, and G moving toward the data.
#![allow(clippy::unwrap_used)] // a failed unwrap in a test is a failed test

mod common;

use burn::prelude::*;
use common::floats;
use minimax_core::config::{DataConfig, GanConfig};
use minimax_core::data::Dataset;
use minimax_core::metrics::Moments;
use minimax_core::points::train::{StepMode, Trainer, VIEW_POINTS};
use minimax_core::rng::Rng;
use minimax_core::run::GanRun;

fn config(json: &str) -> GanConfig {
    GanConfig::from_json(json).unwrap()
}

#[test]
fn shapes_of_everything_the_views_read() {
    let mut t = Trainer::new(
        config(r#"{"noise": {"dim": 5}, "train": {"batch_size": 32}}"#),
        &Device::flex(),
    );
    assert_eq!(t.train(4).dims(), [16]);
    assert_eq!(t.step(), 4);
    let mut calls = 0;
    let stopped = t.train_until(10, StepMode::Both, &mut || {
        calls += 1;
        calls == 2
    });
    assert_eq!(
        stopped.dims(),
        [8],
        "stops after the iteration that says done"
    );
    assert_eq!(t.step(), 6);
    assert_eq!(t.view_fake().dims(), [VIEW_POINTS, 2]);
    assert_eq!(t.view_real().len(), 2 * VIEW_POINTS);
    assert_eq!(t.samples(10).dims(), [10, 2]);
    let (heat, probability) = t.discriminator_grid(16);
    assert!(probability);
    let heat = floats(heat);
    assert_eq!(heat.len(), 256);
    assert!(heat.iter().all(|d| (0.0..=1.0).contains(d)));
}

#[test]
fn k_steps_and_every_optimizer_run() {
    for opt in ["sgd", "adam", "rmsprop"] {
        let json = format!(
            r#"{{"train": {{"d_steps": 3, "g_steps": 2, "batch_size": 16}},
                "optimizer_d": {{"kind": "{opt}", "momentum": 0.5}}, "optimizer_g": {{"kind": "{opt}"}},
                "discriminator": {{"activation": "tanh"}}}}"#
        );
        let losses = floats(Trainer::new(config(&json), &Device::flex()).train(3));
        assert!(losses.iter().all(|v| v.is_finite()), "{opt}: {losses:?}");
    }
}

#[test]
fn same_seed_same_run_other_seed_other_run() {
    let run = |seed: u32| {
        let mut t = Trainer::new(
            config(&format!(
                r#"{{"seed": {seed}, "train": {{"batch_size": 64}}}}"#
            )),
            &Device::flex(),
        );
        let mut losses = floats(t.train(20));
        losses.extend(floats(t.samples(8)));
        losses
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn learning_rate_change_keeps_the_models() {
    let mut t = Trainer::new(GanConfig::default(), &Device::flex());
    t.train(2);
    let before = floats(t.view_fake());
    t.set_learning_rates(1e-4, 1e-4);
    assert_eq!(t.step(), 2);
    assert_eq!(floats(t.view_fake()), before);
    assert_eq!(t.config().optimizer_d.lr, 1e-4);
}

#[test]
fn training_moves_the_generated_mean_and_spread_toward_the_data() {
    for dataset in [Dataset::Gaussian, Dataset::Ring8] {
        let mut c = GanConfig::default();
        c.data.dataset = dataset;
        let mut t = Trainer::new(c, &Device::flex());
        let data = DataConfig {
            dataset,
            ..DataConfig::default()
        };
        let data = Moments::of(&data.sample(&mut Rng::new(5), 4000));
        let before = Moments::of(&floats(t.samples(4000))).distance(&data);
        t.train(1500);
        let after = Moments::of(&floats(t.samples(4000))).distance(&data);
        eprintln!("{dataset:?}: moment distance {before:.3} -> {after:.3}");
        assert!(after < 0.35 * before, "{dataset:?}: {before} -> {after}");
    }
}

#[test]
fn every_objective_and_stabilizer_trains_with_finite_losses() {
    let objectives = [
        r#"{"kind": "minimax"}"#,
        r#"{"kind": "least_squares", "ls_coding": "minus_one_one"}"#,
        r#"{"kind": "hinge"}"#,
        r#"{"kind": "wgan"}"#,
        r#"{"kind": "wgan_gp"}"#,
        r#"{"kind": "f_gan", "divergence": "kl"}"#,
        r#"{"kind": "f_gan", "divergence": "reverse_kl"}"#,
        r#"{"kind": "f_gan", "divergence": "pearson"}"#,
        r#"{"kind": "f_gan", "divergence": "squared_hellinger"}"#,
        r#"{"kind": "f_gan", "divergence": "jensen_shannon"}"#,
    ];
    for objective in objectives {
        let json = format!(
            r#"{{"objective": {objective}, "train": {{"batch_size": 32}},
                "stabilizers": {{"label_smoothing": 0.1, "instance_noise": 0.05, "packing": 2,
                                 "minibatch_std": true, "gradient_penalty": 1.0,
                                 "spectral_norm": true}}}}"#
        );
        let mut t = Trainer::new(config(&json), &Device::flex());
        let losses = floats(t.train(5));
        assert!(
            losses.iter().all(|v| v.is_finite()),
            "{objective}: {losses:?}"
        );
        let view = t.view(8);
        assert_eq!(view.arrows.dims(), [VIEW_POINTS, 2]);
        assert!(
            floats(view.heat).iter().all(|v| v.is_finite()),
            "{objective}"
        );
    }
}

#[test]
fn step_modes_move_only_their_player() {
    let mut t = Trainer::new(config(r#"{"train": {"batch_size": 32}}"#), &Device::flex());
    let fake = floats(t.view_fake());
    let d_only = floats(t.train_until(1, StepMode::Discriminator, &mut || false));
    assert!(d_only[0].is_finite() && d_only[1].is_nan() && d_only[3].is_nan());
    assert_eq!(floats(t.view_fake()), fake, "G did not move");
    let (heat, _) = t.discriminator_grid(8);
    let heat = floats(heat);
    let g_only = floats(t.train_until(1, StepMode::Generator, &mut || false));
    assert!(g_only[0].is_nan() && g_only[1].is_finite() && g_only[3] > 0.0);
    assert_ne!(floats(t.view_fake()), fake, "G moved");
    assert_eq!(floats(t.discriminator_grid(8).0), heat, "D did not move");
}

/// The largest |parameter| of a module.
fn largest_parameter<M: burn::module::Module>(module: &M) -> f32 {
    struct Largest(f32);
    impl burn::module::ModuleVisitor for Largest {
        fn visit_float<const D: usize>(&mut self, param: &burn::module::Param<Tensor<D>>) {
            let values = param.val().into_data().try_into_vec::<f32>().unwrap();
            self.0 = values.iter().fold(self.0, |m, v| m.max(v.abs()));
        }
    }
    let mut largest = Largest(0.0);
    module.visit(&mut largest);
    largest.0
}

#[test]
fn wgan_clips_every_critic_weight() {
    let clipped = |objective: &str| {
        let json = format!(
            r#"{{"objective": {{"kind": "{objective}", "clip": 0.01}}, "train": {{"batch_size": 32}}}}"#
        );
        let mut t = Trainer::new(config(&json), &Device::flex());
        t.train(3);
        largest_parameter(t.models().1)
    };
    // Every weight and bias of the critic is inside [−clip, clip] after its updates ...
    let wgan = clipped("wgan");
    assert!(wgan <= 0.01 + 1e-7, "largest critic parameter {wgan}");
    // ... which is not where a critic's weights are without clipping (WGAN-GP does not clip).
    let unclipped = clipped("wgan_gp");
    assert!(
        unclipped > 0.05,
        "largest unclipped critic parameter {unclipped}"
    );
}

#[test]
fn reconfigure_keeps_what_it_can() {
    let mut t = Trainer::new(config(r#"{"train": {"batch_size": 32}}"#), &Device::flex());
    t.train(3);
    let fake = floats(t.view_fake());
    let mut c = t.config().clone();
    c.stabilizers.label_smoothing = 0.1;
    c.objective.kind = minimax_core::objective::ObjectiveKind::Hinge;
    c.data.dataset = Dataset::Grid25;
    let r = t.reconfigure(c.clone());
    assert!(!r.generator && !r.discriminator);
    assert_eq!((t.step(), floats(t.view_fake())), (3, fake.clone()));
    c.stabilizers.packing = 3;
    let r = t.reconfigure(c.clone());
    assert!(r.discriminator && !r.generator);
    assert_eq!(t.step(), 3);
    assert!(floats(t.train(2)).iter().all(|v| v.is_finite()));
    c.seed = 99;
    assert!(t.reconfigure(c).generator);
    assert_eq!(t.step(), 0);
}

#[test]
fn analysis_of_a_trained_generator() {
    let mut t = Trainer::new(GanConfig::default(), &Device::flex());
    let untrained = {
        let v = t.view(32);
        t.analyse(v.grid, &floats(v.eval), None)
    };
    t.train(1500);
    let v = t.view(32);
    let heat = floats(v.heat);
    let a = t.analyse(v.grid, &floats(v.eval), Some(&heat));
    eprintln!(
        "ring8 after 1500: JSD {:.3} (untrained {:.3}), modes {:?}, D* gap {:?}",
        a.jsd, untrained.jsd, a.modes, a.d_star_gap
    );
    assert!(a.jsd < untrained.jsd);
    assert!((0.0..=core::f64::consts::LN_2).contains(&a.jsd));
    assert!(a.modes.unwrap().covered >= 4, "{:?}", a.modes);
    assert_eq!(a.d_star.len(), 32 * 32);
}

#[test]
fn a_two_d_checkpoint_resumes_bit_exactly() {
    use minimax_core::checkpoint::Checkpoint;
    let bits = |v: Vec<f32>| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let device = Device::flex();
    // Instance noise and spectral norm: every random stream and the D wrapper take part.
    let json = r#"{"stabilizers": {"instance_noise": 0.1, "spectral_norm": true}}"#;
    let mut run = Trainer::new(config(json), &device);
    let history = floats(run.train(7));
    let checkpoint = Checkpoint::decode(&run.checkpoint(history.clone()).encode()).unwrap();
    assert_eq!(checkpoint.history, history);
    for optimizers in [true, false] {
        let resumed = Trainer::from_checkpoint(&checkpoint, &device, optimizers).unwrap();
        assert_eq!(resumed.step(), 7);
        assert_eq!(
            bits(floats(run.view_fake())),
            bits(floats(resumed.view_fake()))
        );
    }
    let mut resumed = Trainer::from_checkpoint(&checkpoint, &device, true).unwrap();
    assert_eq!(
        bits(floats(run.train(5))),
        bits(floats(resumed.train(5))),
        "same losses, bit for bit, optimizer states included"
    );
    assert_eq!(
        bits(floats(run.samples(64))),
        bits(floats(resumed.samples(64)))
    );

    let mut wrong = checkpoint.clone();
    wrong.config.discriminator.width += 1;
    let err = Trainer::from_checkpoint(&wrong, &device, true)
        .err()
        .unwrap();
    assert!(err.contains("part \"discriminator\" does not fit"), "{err}");
    let mut image = checkpoint;
    image.config.data.dataset = minimax_core::data::Dataset::Mnist;
    let err = Trainer::from_checkpoint(&image, &device, true)
        .err()
        .unwrap();
    assert!(err.contains("not a 2-D point GAN"), "{err}");
}

#[test]
fn generator_averaging_shows_an_average_and_leaves_training_alone() {
    use minimax_core::checkpoint::Checkpoint;
    let bits = |v: Vec<f32>| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    let device = Device::flex();
    let plain = config(r#"{"train": {"batch_size": 32}}"#);
    let mut averaged = plain.clone();
    averaged.stabilizers.generator_ema = 0.9;
    let (mut g, mut avg) = (
        Trainer::new(plain, &device),
        Trainer::new(averaged, &device),
    );
    assert_eq!(
        floats(g.view_fake()),
        floats(avg.view_fake()),
        "starts at G"
    );
    assert_eq!(
        bits(floats(g.train(6))),
        bits(floats(avg.train(6))),
        "G and D train exactly as without it"
    );
    let (shown_g, shown_avg) = (floats(g.view_fake()), floats(avg.view_fake()));
    assert_ne!(shown_g, shown_avg, "the views show the average, not G");
    let view = avg.view(16);
    let note = avg
        .analyse(view.grid, &floats(view.eval), None)
        .density_note;
    assert!(
        note.contains("moving average (β = 0.9)"),
        "the page says so: {note}"
    );

    // Saved with the optimizers, the average comes back exactly; without (as on WebGPU), it
    // restarts from G.
    let file = Checkpoint::decode(&avg.checkpoint(vec![]).encode()).unwrap();
    let resumed = Trainer::from_checkpoint(&file, &device, true).unwrap();
    assert_eq!(bits(floats(resumed.view_fake())), bits(shown_avg.clone()));
    let models = avg.models();
    let bare = avg.checkpoint_of(models, vec![], false);
    let restarted = Trainer::from_checkpoint(&bare, &device, false).unwrap();
    assert_eq!(bits(floats(restarted.view_fake())), bits(shown_g.clone()));

    // Switched on mid-run it starts at G; switched off the views show G again.
    let mut on = g.config().clone();
    on.stabilizers.generator_ema = 0.99;
    let r = g.reconfigure(on.clone());
    assert!(!r.generator && !r.discriminator);
    assert_eq!(floats(g.view_fake()), shown_g);
    g.train(3);
    let mut off = on;
    off.stabilizers.generator_ema = 0.0;
    let averaged_view = floats(g.view_fake());
    g.reconfigure(off);
    assert_ne!(floats(g.view_fake()), averaged_view, "G itself again");
}
