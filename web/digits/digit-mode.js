// The element's digit mode: a DCGAN or StyleGAN-lite on MNIST instead of a 2-D GAN, or a
// CycleGAN translator between MNIST and thick-stroke MNIST. It builds the digit session (after
// the assets), draws its views and keeps the extra calls (interpolation, latent walk, quality,
// style mixing, the translator's numbers) few and one at a time. The panels' code is imported
// when the first digit model is built, so a reader who trains 2-D GANs never downloads it. Training, the loss chart and the controls stay the element's.
import { mergeInto } from '../run/config-paths.js';
import { SessionDeadError } from '../engine/session.js';
import { AssetProgress } from './asset-progress.js';
import { PRETRAINED, fetchPretrained, forgetDigitAssets, loadDigitAssets } from './assets.js';
import { DigitCycleSession } from './digit-cycle-session.js';
import { DigitSession } from './digit-session.js';
import { oneInFlight } from './one-in-flight.js';

/** The digit mode's stylesheet, for the element's shadow root. */
export const DIGITS_CSS_URL = new URL('./digits.css', import.meta.url).href;

export const DIGIT_PRESET = 'dcgan_mnist';
export const TRANSLATION_PRESET = 'cyclegan_mnist';
/** The digit datasets: MNIST, and its thick-stroke version (a CycleGAN domain only). */
const DIGIT_DATASETS = ['mnist', 'mnist_thick'];
const EXTRAS_EVERY_MS = 1000; // interpolation and walk follow training at most once a second
const MARK_A = '#d9480f';
const MARK_B = '#2f6fb0';

/** @returns {boolean} the config trains on digits (the digit GAN or translator), not on 2-D points */
export function isDigitConfig(config) {
  return DIGIT_DATASETS.includes(config?.data?.dataset);
}

/** @returns {boolean} the config is a CycleGAN translator between digit domains (DigitCyclePlayground) */
export function isDigitCycleConfig(config) {
  return isDigitConfig(config) && config?.cycle?.source != null;
}

/**
 * What a dataset change from the form needs beyond itself: MNIST needs the DCGAN networks (load
 * the digit preset), thick digits or a digit source domain the translator (load its preset), 2-D
 * data the MLPs (start from the defaults with that dataset).
 * @param {object} current the config in use @param {object} requested the form's config
 * @param {{defaults: object, presets: {id: string, title: string}[]}} rust defaultConfig() and presets()
 * @returns {null | {preset?: string, config?: object, message: string}} (preset or config) null:
 *   apply the change as it is; message: what was done instead, for the page
 */
export function datasetSwitch(current, requested, { defaults, presets }) {
  const wantsTranslation = requested?.data?.dataset === 'mnist_thick' || DIGIT_DATASETS.includes(requested?.cycle?.source);
  if (wantsTranslation && !isDigitCycleConfig(current)) {
    const title = presets.find((p) => p.id === TRANSLATION_PRESET)?.title ?? TRANSLATION_PRESET;
    return { preset: TRANSLATION_PRESET, message: `Translating digits needs the translator networks and both digit domains: loaded the preset “${title}” (step 0).` };
  }
  if (isDigitConfig(current) && !isDigitConfig(requested)) {
    const { dataset, points, std } = requested.data;
    const config = mergeInto(defaults, { data: { dataset, points, std } });
    return { config, message: `2-D data uses the MLP networks: loaded the default settings with dataset ${dataset} (step 0).` };
  }
  if (isDigitConfig(requested) && (!isDigitConfig(current) || isDigitCycleConfig(current) !== isDigitCycleConfig(requested))) {
    const title = presets.find((p) => p.id === DIGIT_PRESET)?.title ?? DIGIT_PRESET;
    return { preset: DIGIT_PRESET, message: `MNIST digits need the DCGAN networks: loaded the preset “${title}” (step 0).` };
  }
  return null;
}

export class DigitMode {
  #panels = null; // built on first use (#loadPanels)
  #panelsLoading = null;
  #lib = null; // the panels' module: buildDigitPanels and the grids' sizes
  #build;
  #progress;
  #session;
  #translation;
  #onError;
  #a = 0;
  #b = 1;
  #nextEnd = 'a'; // which endpoint the next click on the grid sets
  #lastView = null;
  #extrasAt = -Infinity;
  #classifierProblem = '';
  #walkCalls = 0;
  #walkedTo = null; // the pad position of the last walk() call
  #style = false; // the current run's G is StyleGAN-lite
  #mix = oneInFlight(() =>
    this.#call(
      (s) => s.styleMix(this.#lib.ROWS, this.#lib.COLS, this.#panels.style.slots, s.digit),
      (pixels) => this.#panels.style.drawMix(pixels),
    ),
  );
  #interpolateW = oneInFlight(() =>
    this.#call(
      (s) => s.interpolateW(this.#a, this.#b, this.#lib.STEPS, s.digit),
      (pixels) => this.#panels.style.drawInterpolations(this.#panels.interpolation.pixels ?? new Uint8Array(), pixels),
    ),
  );
  #truncate = oneInFlight(() =>
    this.#call(
      (s) => s.setTruncation(this.#psi),
      () => {
        this.#extrasAt = -Infinity; // the grid, interpolations and mixing all show the new ψ
        this.#refreshView().catch(() => {});
      },
    ),
  );
  #psi = 1;
  #refreshView = () => Promise.resolve();
  #interpolate = oneInFlight(() =>
    this.#call(
      (s) => s.interpolate(this.#a, this.#b, this.#lib.STEPS, s.digit),
      (pixels) => this.#panels.interpolation.draw(pixels),
    ),
  );
  #walk = oneInFlight(() => {
    const { u, v } = this.#panels.walk.position;
    this.#walkCalls++;
    this.#walkedTo = { u, v };
    return this.#call(
      (s) => s.walk(this.#a, u, v, s.digit),
      (pixels) => this.#panels.walk.draw(pixels),
    );
  });

  /**
   * @param {HTMLElement} slot filled with the digit panels
   * @param {HTMLElement} progressSlot filled with the download indicator
   * @param {{session(): object|null, refreshView(): Promise<void>, onError(error: unknown): void,
   *          held(job: () => Promise<any>): Promise<any>}} host
   *   session: the element's current session; refreshView: draw a fresh view now; onError: a
   *   failed call worth telling the user about; held: runs a job with training paused
   */
  constructor(slot, progressSlot, { session, refreshView, onError, held }) {
    this.#session = () => {
      const s = session();
      return s instanceof DigitSession && !s.deadReason ? s : null;
    };
    this.#onError = onError;
    this.#refreshView = refreshView;
    this.#progress = new AssetProgress(progressSlot);
    this.#translation = () => {
      const s = session();
      return s instanceof DigitCycleSession && !s.deadReason ? s : null;
    };
    this.#build = (buildDigitPanels) => buildDigitPanels(slot, {
      session: this.#session,
      translation: this.#translation,
      held,
      onError,
      pick: (index) => this.#pick(index),
      pickDigit: (digit) => {
        const s = this.#session();
        if (s) s.digit = digit;
        this.#extrasAt = -Infinity; // the next view redraws interpolation and walk for the digit too
        refreshView().catch(() => {}); // a failure has its own banner
      },
      walk: () => this.#walk(),
      style: {
        mix: () => this.#mix(),
        truncate: (psi) => {
          this.#psi = psi;
          this.#truncate();
        },
      },
    });
  }

  /** Imports and builds the panels, once; later calls wait for the same build. */
  #loadPanels() {
    this.#panelsLoading ??= import('./digit-panels.js').then((lib) => {
      this.#lib = lib;
      this.#panels = this.#build(lib.buildDigitPanels);
      this.#showEnds();
    });
    this.#panelsLoading.catch(() => (this.#panelsLoading = null)); // a failed download is retried
    return this.#panelsLoading;
  }

  /** Fetches the assets (with progress) and builds a digit session; rejects with a readable message. */
  async createSession(engine, configJson, backend) {
    let assets;
    try {
      const panels = this.#loadPanels();
      assets = await loadDigitAssets((received, total) => this.#progress.show('MNIST digits', received, total));
      await panels;
    } finally {
      this.#progress.hide();
    }
    this.#classifierProblem = assets.classifierProblem && `Quality scores unavailable: ${assets.classifierProblem}`;
    try {
      const translator = isDigitCycleConfig(JSON.parse(configJson));
      if (translator) this.#classifierProblem = assets.classifierProblem && `Translation numbers unavailable: ${assets.classifierProblem}`;
      const Kind = translator ? DigitCycleSession : DigitSession;
      return await Kind.createWithAssets(engine, configJson, backend, assets);
    } catch (error) {
      forgetDigitAssets(); // Rust may have rejected the bytes (a truncated file): fetch anew next time
      throw error;
    }
  }

  /** @param {'digits'|'stylegan'|'cyclegan'} which @returns {Promise<Uint8Array>} the pretrained checkpoint's bytes (with progress) */
  async fetchPretrained(which) {
    try {
      return await fetchPretrained(which, (received, total) => this.#progress.show(PRETRAINED[which].title, received, total));
    } finally {
      this.#progress.hide();
    }
  }

  /** A digit session became current: it draws the chosen digit; the last run's numbers go. */
  attach(session) {
    if (!this.#panels) return; // createSession built them; nothing is shown before
    if (session instanceof DigitCycleSession) {
      this.#lastView = null;
      this.#panels.translation.clear(this.#classifierProblem);
      return;
    }
    session.digit = this.#panels.picker.digit;
    this.#lastView = null;
    this.#extrasAt = -Infinity;
    this.#panels.quality.clear(this.#classifierProblem);
    this.#panels.augmentation.clear();
  }

  /** Draws a fresh view() of the current digit session. */
  showView(view) {
    if (!this.#panels) return;
    const first = this.#lastView === null;
    this.#lastView = view;
    if (view.kind === 'digit-cycle') {
      this.#panels.translation.draw(view);
      if (first) this.#panels.translation.measure();
      return;
    }
    this.#panels.fake.draw(view.fake);
    this.#panels.real.draw(view.real);
    this.#panels.picker.setVisible(view.conditional === true);
    this.#style = view.style === true;
    this.#panels.style.setVisible(this.#style, view.truncation ?? 1);
    if (performance.now() - this.#extrasAt >= EXTRAS_EVERY_MS) this.#refreshExtras();
    if (first) this.#panels.quality.measure(); // the numbers of a new or restored run at once
  }

  /** After training (a chunk while playing, or step(n)): quality every few seconds. */
  tick() {
    if (!this.#panels) return;
    if (this.#session()) this.#panels.quality.tick();
    if (this.#translation()) this.#panels.translation.tick();
  }

  /** Training paused: the numbers for where it stopped. */
  paused() {
    if (!this.#panels) return;
    if (this.#session()) this.#panels.quality.measure();
    if (this.#translation()) this.#panels.translation.measure();
  }

  /** Test hooks: what the panels show (nothing before the first digit model). */
  get debug() {
    const p = this.#panels;
    return {
      lastView: this.#lastView,
      quality: p?.quality.last ?? null,
      augmentation: p?.augmentation.results ?? [],
      interpolation: p?.interpolation.pixels ?? null,
      ends: [this.#a, this.#b],
      digit: p?.picker.digit ?? null,
      walk: p ? { ...p.walk.position, calls: this.#walkCalls, last: this.#walkedTo, pixels: p.walk.pixels } : null,
      style: p?.style.debug ?? null,
      translation: p?.translation.debug ?? { metrics: null, pixels: null },
    };
  }

  #pick(index) {
    if (this.#nextEnd === 'a') this.#a = index;
    else this.#b = index;
    this.#nextEnd = this.#nextEnd === 'a' ? 'b' : 'a';
    this.#showEnds();
    this.#refreshExtras();
  }

  #showEnds() {
    const marks = [{ index: this.#a, label: 'A', color: MARK_A }];
    if (this.#b !== this.#a) marks.push({ index: this.#b, label: 'B', color: MARK_B });
    this.#panels.fake.setMarks(marks);
    this.#panels.interpolation.show(this.#a, this.#b);
    this.#panels.walk.describe(`sample A (#${this.#a + 1})`);
  }

  #refreshExtras() {
    this.#extrasAt = performance.now();
    this.#interpolate();
    this.#walk();
    if (this.#style) {
      this.#mix();
      this.#interpolateW();
    }
  }

  // One extra call on the current session; a replaced or dead session's results are dropped.
  async #call(fetch, draw) {
    const session = this.#session();
    if (!session) return;
    try {
      const result = await fetch(session);
      if (session === this.#session()) draw(result);
    } catch (error) {
      if (!(error instanceof SessionDeadError) && session === this.#session()) this.#onError(error);
    }
  }
}
