//! Divergence guard: notices a loss that became NaN or infinite and keeps a state from before
//! the blow-up, so a diverged run can be restored with one click instead of restarted.
//!
//! A state is *verified* once a chunk trained from it came back with finite losses: its own
//! parameters produced finite numbers. But a run often blows up over several steps (losses of
//! 1e6, then 1e13, then NaN) with finite losses on the way, so the latest verified state can be
//! nearly as bad as the NaN. The guard therefore keeps two verified states at least
//! `spacing` steps apart and restores the older: one from `spacing` to `2·spacing` + a chunk
//! before the divergence. Snapshots are clones of the trainer: Burn tensors are immutable and
//! reference-counted, so a clone shares memory until training moves on.

use burn::prelude::*;

use crate::config::{GanConfig, Rebuild};
use crate::game::{LOSS_STRIDE, StepMode};
use crate::objective::ObjectiveKind;
use crate::run::GanRun;

/// Least steps between the two kept states by default.
pub const SPACING: u64 = 100;

/// What a guard keeps: a trainer's state and the step it is at.
pub trait Snapshot: Clone {
    /// Training iterations done in this state.
    fn step(&self) -> u64;
}

/// Kept states of a trainer and the one waiting for its chunk's verdict.
pub struct DivergenceGuard<T> {
    spacing: u64,
    pending: Option<T>,
    /// Verified states, oldest first, at most two, `spacing` steps apart.
    kept: Vec<T>,
}

impl<T> Default for DivergenceGuard<T> {
    fn default() -> Self {
        Self::with_spacing(SPACING)
    }
}

impl<T> DivergenceGuard<T> {
    /// A guard that keeps verified states at least `spacing` steps apart.
    pub fn with_spacing(spacing: u64) -> Self {
        Self {
            spacing,
            pending: None,
            kept: Vec::new(),
        }
    }
}

/// What diverged: the first non-finite number of a chunk.
#[derive(Clone, Debug, PartialEq)]
pub struct Diverged {
    /// The training step (1-based) whose number was not finite.
    pub step: u64,
    /// Which number: "D loss", "G loss", "V(D,G)" or "‖∂L_G/∂θ_G‖".
    pub quantity: &'static str,
    /// The number itself (NaN or ±∞).
    pub value: f32,
}

impl<T: Snapshot> DivergenceGuard<T> {
    /// Call before training a chunk from `state`. Only a state that would be kept is cloned
    /// (`spacing` steps past the newest kept one): most chunks, one per animation frame, copy
    /// nothing, and their first update can still reuse the parameters' buffers in place.
    pub fn before_chunk(&mut self, state: &T) {
        let due = self
            .kept
            .last()
            .is_none_or(|last| state.step() >= last.step() + self.spacing);
        self.pending = due.then(|| state.clone());
    }

    /// Call with whether the chunk's losses were all finite; a finite chunk verifies the state it
    /// started from, which is kept when it is `spacing` steps past the newest kept one.
    pub fn after_chunk(&mut self, finite: bool) {
        let Some(state) = self.pending.take() else {
            return;
        };
        if finite {
            self.kept.push(state);
            if self.kept.len() > 2 {
                self.kept.remove(0);
            }
        }
    }

    /// The state to restore: the older kept one, if a chunk has come back finite since the
    /// guard was cleared.
    pub fn good(&self) -> Option<&T> {
        self.kept.first()
    }

    /// Forgets every state (the models were rebuilt: an old state no longer fits).
    pub fn clear(&mut self) {
        self.pending = None;
        self.kept.clear();
    }
}

/// Every run is a state the guard can keep.
impl<R: GanRun> Snapshot for R {
    fn step(&self) -> u64 {
        GanRun::step(self)
    }
}

/// Training a run in chunks under the guard: what the page does between two frames, minus the
/// (asynchronous) readback of the losses, which happens between [`Self::train_chunk`] and
/// [`Self::judge_chunk`].
impl<R: GanRun> DivergenceGuard<R> {
    /// Up to `max_steps` iterations of `run` in `mode`, stopping once `done()`; their losses,
    /// unread. The state the chunk starts from is kept until the chunk is judged, when one is due.
    pub fn train_chunk(
        &mut self,
        run: &mut R,
        max_steps: usize,
        mode: StepMode,
        done: &mut dyn FnMut() -> bool,
    ) -> Tensor<1> {
        self.before_chunk(run);
        run.train_until(max_steps, mode, done)
    }

    /// The chunk's losses, read back: the first divergence in them (the kept states move on only
    /// when there is none). `run` is the run after the chunk.
    pub fn judge_chunk(&mut self, run: &R, losses: &[f32], mode: StepMode) -> Option<Diverged> {
        let diverged = first_divergence(losses, run.step(), mode, run.config());
        self.after_chunk(diverged.is_none());
        diverged
    }

    /// Applies a config to `run`; a rebuilt network makes every kept state unfit to restore.
    pub fn reconfigure(&mut self, run: &mut R, config: GanConfig) -> Rebuild {
        let rebuilt = run.reconfigure(config);
        if rebuilt.generator || rebuilt.discriminator {
            self.clear();
        }
        rebuilt
    }

    /// Puts `run` back to the last good state, under its current config (the kept state has
    /// the same networks, since a rebuild clears the guard: this re-applies live settings such
    /// as the learning rates). Returns the step it is back at.
    pub fn restore_last_good(&self, run: &mut R) -> Result<u64, String> {
        let good = self.good().cloned().ok_or_else(|| {
            "no good state to restore: the run diverged before any chunk came back finite; \
             reset it instead"
                .to_string()
        })?;
        let config = run.config().clone();
        *run = good;
        run.reconfigure(config);
        Ok(run.step())
    }
}

/// Names of the numbers of one iteration, in the loss layout of the trainers.
const QUANTITIES: [&str; LOSS_STRIDE] = ["D loss", "G loss", "V(D,G)", "‖∂L_G/∂θ_G‖"];

/// The first number of `losses` (`[steps · LOSS_STRIDE]`, the chunk ending at `last_step`) that
/// is not finite, ignoring the NaN placeholders of a part the iteration did not run (D-only or
/// G-only steps, or zero steps of a player in `config`).
pub fn first_divergence(
    losses: &[f32],
    last_step: u64,
    mode: StepMode,
    config: &GanConfig,
) -> Option<Diverged> {
    let (d_runs, g_runs) = match mode {
        StepMode::Both => (config.train.d_steps > 0, config.train.g_steps > 0),
        StepMode::Discriminator => (true, false),
        StepMode::Generator => (false, true),
    };
    // Columns 0 and 2 come from D's update, 1 and 3 from G's.
    let runs = [d_runs, g_runs, d_runs, g_runs];
    let steps = losses.len() / LOSS_STRIDE;
    losses
        .chunks_exact(LOSS_STRIDE)
        .enumerate()
        .find_map(|(i, row)| {
            let j = (0..LOSS_STRIDE)
                .find(|&j| !row[j].is_finite() && (runs[j] || row[j].is_infinite()))?;
            Some(Diverged {
                step: last_step + 1 + i as u64 - steps as u64,
                quantity: QUANTITIES[j],
                value: row[j],
            })
        })
}

impl Diverged {
    /// A sentence for the page: what happened, and what usually fixes it for this config.
    pub fn explain(&self, config: &GanConfig) -> String {
        let (lr_d, lr_g) = (config.optimizer_d.lr, config.optimizer_g.lr);
        let mut fixes = vec![format!(
            "lower the learning rates (now lr D {lr_d}, lr G {lr_g}; try {} and {})",
            lr_d / 10.0,
            lr_g / 10.0
        )];
        match config.objective.kind {
            ObjectiveKind::Wgan | ObjectiveKind::WganGp | ObjectiveKind::LeastSquares => {}
            ObjectiveKind::FGan => fixes.push(
                "use a divergence with a bounded conjugate (Jensen–Shannon or the original GAN's)"
                    .into(),
            ),
            _ => fixes.push("try WGAN-GP or LSGAN, whose losses do not saturate".into()),
        }
        format!(
            "Training diverged: the {} became {} at step {}. Training paused. To fix it: {}.",
            self.quantity,
            self.value,
            self.step,
            fixes.join("; or ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f32 = f32::NAN;

    #[test]
    fn the_first_non_finite_number_names_its_step_and_quantity() {
        let config = GanConfig::default();
        let losses = [
            0.7,
            0.7,
            -1.4,
            0.1,
            0.7,
            f32::INFINITY,
            -1.4,
            0.1,
            NAN,
            NAN,
            NAN,
            NAN,
        ];
        // The chunk is steps 8, 9 and 10.
        let d = first_divergence(&losses, 10, StepMode::Both, &config).unwrap();
        assert_eq!((d.step, d.quantity), (9, "G loss"));
        assert!(d.value.is_infinite());
        assert_eq!(
            first_divergence(&losses[..4], 8, StepMode::Both, &config),
            None
        );
    }

    #[test]
    fn placeholders_of_a_skipped_player_are_not_a_divergence() {
        let config = GanConfig::default();
        let d_only = [0.7, NAN, -1.4, NAN];
        assert_eq!(
            first_divergence(&d_only, 1, StepMode::Discriminator, &config),
            None
        );
        let g_only = [NAN, 0.7, NAN, 0.2];
        assert_eq!(
            first_divergence(&g_only, 1, StepMode::Generator, &config),
            None
        );
        // ...but a NaN where the player did move is one.
        let bad = [NAN, 0.7, -1.4, NAN];
        let d = first_divergence(&bad, 1, StepMode::Discriminator, &config).unwrap();
        assert_eq!(d.quantity, "D loss");
        let mut no_g = config.clone();
        no_g.train.g_steps = 0;
        assert_eq!(first_divergence(&d_only, 1, StepMode::Both, &no_g), None);
    }

    #[test]
    fn the_explanation_suggests_lower_rates_and_a_non_saturating_objective() {
        let d = Diverged {
            step: 12,
            quantity: "D loss",
            value: NAN,
        };
        let text = d.explain(&GanConfig::default());
        assert!(text.contains("D loss became NaN at step 12"), "{text}");
        assert!(
            text.contains("lr D 0.001") && text.contains("WGAN-GP"),
            "{text}"
        );
    }

    impl Snapshot for u64 {
        fn step(&self) -> u64 {
            *self
        }
    }

    /// Chunks of 20 steps from 0, finite until `diverge_at`; the state the guard would restore.
    fn restore_point(guard: &mut DivergenceGuard<u64>, diverge_at: u64) -> Option<u64> {
        for start in (0..diverge_at).step_by(20) {
            guard.before_chunk(&start);
            guard.after_chunk(start + 20 < diverge_at);
        }
        guard.good().copied()
    }

    #[test]
    fn a_state_is_good_only_once_its_chunk_came_back_finite() {
        let mut guard = DivergenceGuard::with_spacing(1);
        guard.before_chunk(&1);
        assert_eq!(guard.good(), None);
        guard.after_chunk(true);
        assert_eq!(guard.good(), Some(&1));
        guard.before_chunk(&2);
        guard.after_chunk(false);
        assert_eq!(
            guard.good(),
            Some(&1),
            "a diverged chunk keeps the older good state"
        );
        guard.clear();
        assert_eq!(guard.good(), None);
        assert_eq!(
            restore_point(&mut guard, 10),
            None,
            "the first chunk diverged"
        );
    }

    /// A state that counts its clones.
    struct Counted(u64, std::rc::Rc<std::cell::Cell<usize>>);
    impl Clone for Counted {
        fn clone(&self) -> Self {
            self.1.set(self.1.get() + 1);
            Self(self.0, self.1.clone())
        }
    }
    impl Snapshot for Counted {
        fn step(&self) -> u64 {
            self.0
        }
    }

    #[test]
    fn only_states_due_to_be_kept_are_copied() {
        let clones = std::rc::Rc::new(std::cell::Cell::new(0));
        let mut guard = DivergenceGuard::default();
        for start in (0..1000).step_by(20) {
            guard.before_chunk(&Counted(start, clones.clone()));
            guard.after_chunk(true);
        }
        // 50 chunks; states 0, 100, …, 900 are kept: one copy each, none for the rest.
        assert_eq!(clones.get(), 10);
        assert_eq!(guard.good().map(|c| c.0), Some(800));
    }

    #[test]
    fn the_restored_state_is_one_to_two_spacings_before_the_divergence() {
        for diverge_at in [150, 333, 1000, 5017] {
            let restored = restore_point(&mut DivergenceGuard::default(), diverge_at).unwrap();
            let back = diverge_at - restored;
            assert!(
                (SPACING..=2 * SPACING + 40).contains(&back),
                "{diverge_at}: {restored}"
            );
        }
        // Before two spacings have passed, the run's first state is what there is.
        assert_eq!(restore_point(&mut DivergenceGuard::default(), 90), Some(0));
    }
}
