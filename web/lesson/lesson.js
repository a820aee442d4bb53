// The lesson page (lesson.html): the timeline's milestones load their preset into the page's one
// playground, and the proofs' live lines show the running playground's own numbers (D* against
// the trained D; 2·JSD − log 4 against the global minimum −log 4). Plain DOM wiring over the
// element's public API (the `preset` attribute, the `step` event, `metrics`): a blogger can
// build the same page from the same pieces.

const LOG_4 = Math.log(4);

const playground = /** @type {any} */ (document.getElementById('lesson-playground'));
const buttons = /** @type {HTMLButtonElement[]} */ ([...document.querySelectorAll('[data-milestone]')]);
const texts = /** @type {HTMLElement[]} */ ([...document.querySelectorAll('[data-milestone-text]')]);
const live = {
  dstar: /** @type {HTMLElement} */ (document.querySelector('[data-live="dstar"]')),
  value: /** @type {HTMLElement} */ (document.querySelector('[data-live="value"]')),
  fgan: /** @type {HTMLElement} */ (document.querySelector('[data-live="fgan"]')),
};

/** The f-GAN divergences the grid measures too: their name and the grid's value for D_f(P‖Q). */
const GRID_DIVERGENCE = {
  jensen_shannon: ['D_f = 2·JSD(P‖Q)', (m) => 2 * m.jsd],
  kl: ['D_f = KL(P‖Q)', (m) => m.klDataG],
  reverse_kl: ['D_f = KL(Q‖P)', (m) => m.klGData],
};

/** Shows milestone `id` and loads its preset (the playground restarts on it). */
function choose(id) {
  for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.milestone === id));
  for (const text of texts) text.hidden = text.dataset.milestoneText !== id;
  playground.setAttribute('preset', id);
  showNumbers();
}

function showNumbers() {
  const m = playground.mode === 'cycle' ? null : playground.metrics;
  if (!m) {
    const why = {
      digits: 'a digit GAN has no density on a grid: pick a 2-D milestone',
      cycle: 'a CycleGAN translates one dataset into another: the proofs are about one GAN from noise, pick GAN or WGAN',
    }[playground.mode] ?? 'train a few steps';
    live.dstar.textContent = `mean |D* − D| over the plot: – (${why})`;
    live.value.textContent = `JSD –, 2·JSD − log 4 = – (${why})`;
    return;
  }
  live.dstar.textContent = m.dStarGap == null
    ? 'mean |D* − D|: not defined for a critic (its score is not a probability; proof 1 is about the original game)'
    : `mean |D* − D| over the plot: ${m.dStarGap.toFixed(3)} (0 would be a perfectly trained D)`;
  live.value.textContent = `JSD ${m.jsd.toFixed(3)} (at most log 2 = 0.693), 2·JSD − log 4 = ` +
    `${m.valueAtOptimum.toFixed(3)}, ${(m.valueAtOptimum + LOG_4).toFixed(3)} above the minimum −log 4 = −1.386`;
  showBound(m);
}

/** Proof 3's line: the f-GAN's variational bound (minus its last D loss) beside D_f on the grid. */
function showBound(m) {
  const objective = playground.config?.objective;
  const grid = objective?.kind === 'f_gan' ? GRID_DIVERGENCE[objective.divergence] : null;
  if (!grid) {
    live.fgan.textContent = 'Load an f-GAN (Jensen–Shannon, KL or reverse KL) to see its bound.';
    return;
  }
  const bound = -playground.stats.dLoss;
  live.fgan.textContent = Number.isFinite(bound)
    ? `E_P[T] − E_Q[f*(T)] = ${bound.toFixed(3)} on the last batch; ${grid[0]} on the grid = ${grid[1](m).toFixed(3)}`
    : `${grid[0]} on the grid = ${grid[1](m).toFixed(3)}; train a step to read the bound`;
}

for (const button of /** @type {HTMLButtonElement[]} */ ([...document.querySelectorAll('[data-divergence]')])) {
  button.addEventListener('click', async () => {
    if (playground.presetId !== 'fgan_2016') await playground.loadPreset('fgan_2016');
    const outcome = await playground.setConfig({ objective: { kind: 'f_gan', divergence: button.dataset.divergence } });
    live.fgan.textContent = outcome.ok ? 'Loaded: press Play (or Step) and watch the two numbers.'
      : `Refused: ${outcome.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`;
  });
}

for (const button of buttons) button.addEventListener('click', () => choose(button.dataset.milestone));

// The failures: "Show it" loads the failure's preset; "Fix it" loads it too (if another run is
// showing) and applies the remedy's settings to the running training, where Rust validates them.
const failureLine = /** @type {HTMLElement} */ (document.querySelector('[data-live="failure"]'));
for (const button of /** @type {HTMLButtonElement[]} */ ([...document.querySelectorAll('[data-show]')])) {
  button.addEventListener('click', async () => {
    const { show, fix } = button.dataset;
    failureLine.textContent = `Loading ${show}…`;
    if (playground.presetId !== show || !fix) await playground.loadPreset(show);
    if (!fix) {
      failureLine.textContent = `${show} loaded: press Play above and watch the plots.`;
      return;
    }
    const outcome = await playground.setConfig(JSON.parse(fix));
    failureLine.textContent = outcome.ok
      ? `${show} with the remedy (${Object.keys(JSON.parse(fix)).join(', ')} changed): press Play and compare.`
      : `The remedy was refused: ${outcome.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}.`;
    playground.play();
  });
}

// The numbers follow the run: after each chunk of training (the views refresh a few times a
// second), at most four times a second.
let pending = false;
playground.addEventListener('step', () => {
  if (pending) return;
  pending = true;
  setTimeout(() => {
    pending = false;
    showNumbers();
  }, 250);
});
customElements.whenDefined('gan-playground').then(showNumbers);
