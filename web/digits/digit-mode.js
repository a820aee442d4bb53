// The element's digit mode: a DCGAN or StyleGAN-lite on MNIST instead of a 2-D GAN. It builds
// the digit session (after the assets), draws its views and keeps the extra calls
// (interpolation, latent walk, quality, style mixing) few and one at a time. Training, the loss chart and the controls stay the element's.
import { mergeInto } from '../run/config-paths.js';
import { SessionDeadError } from '../engine/session.js';
import { AssetProgress } from './asset-progress.js';
import { PRETRAINED, fetchPretrained, forgetDigitAssets, loadDigitAssets } from './assets.js';
import { buildDigitPanels } from './digit-panels.js';
import { DigitSession } from './digit-session.js';
import { STEPS } from './interpolation.js';
import { oneInFlight } from './one-in-flight.js';
import { COLS, ROWS } from './style-panel.js';

export const DIGIT_PRESET = 'dcgan_mnist';
const EXTRAS_EVERY_MS = 1000; // interpolation and walk follow training at most once a second
const MARK_A = '#d9480f';
const MARK_B = '#2f6fb0';

/** @returns {boolean} the config trains the digit GAN (DigitPlayground), not a 2-D one */
export function isDigitConfig(config) {
  return config?.data?.dataset === 'mnist';
}

/**
 * What a dataset change from the form needs beyond itself: MNIST needs the DCGAN networks (load
 * the digit preset), 2-D data the MLPs (start from the defaults with that dataset).
 * @param {object} current the config in use @param {object} requested the form's config
 * @param {{defaults: object, presets: {id: string, title: string}[]}} rust defaultConfig() and presets()
 * @returns {null | {preset?: string, config?: object, message: string}} (preset or config) null:
 *   apply the change as it is; message: what was done instead, for the page
 */
export function datasetSwitch(current, requested, { defaults, presets }) {
  if (isDigitConfig(requested) && !isDigitConfig(current)) {
    const title = presets.find((p) => p.id === DIGIT_PRESET)?.title ?? DIGIT_PRESET;
    return { preset: DIGIT_PRESET, message: `MNIST digits need the DCGAN networks: loaded the preset “${title}” (step 0).` };
  }
  if (isDigitConfig(current) && !isDigitConfig(requested)) {
    const { dataset, points, std } = requested.data;
    const config = mergeInto(defaults, { data: { dataset, points, std } });
    return { config, message: `2-D data uses the MLP networks: loaded the default settings with dataset ${dataset} (step 0).` };
  }
  return null;
}

export class DigitMode {
  #panels;
  #progress;
  #session;
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
      (s) => s.styleMix(ROWS, COLS, this.#panels.style.slots),
      (pixels) => this.#panels.style.drawMix(pixels),
    ),
  );
  #interpolateW = oneInFlight(() =>
    this.#call(
      (s) => s.interpolateW(this.#a, this.#b, STEPS),
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
      (s) => s.interpolate(this.#a, this.#b, STEPS, s.digit),
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
    this.#panels = buildDigitPanels(slot, {
      session: this.#session,
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
    this.#showEnds();
  }

  /** Fetches the assets (with progress) and builds a digit session; rejects with a readable message. */
  async createSession(engine, configJson, backend) {
    let assets;
    try {
      assets = await loadDigitAssets((received, total) => this.#progress.show('MNIST digits', received, total));
    } finally {
      this.#progress.hide();
    }
    this.#classifierProblem = assets.classifierProblem && `Quality scores unavailable: ${assets.classifierProblem}`;
    try {
      return await DigitSession.createWithAssets(engine, configJson, backend, assets);
    } catch (error) {
      forgetDigitAssets(); // Rust may have rejected the bytes (a truncated file): fetch anew next time
      throw error;
    }
  }

  /** @param {'digits'|'stylegan'} which @returns {Promise<Uint8Array>} the pretrained checkpoint's bytes (with progress) */
  async fetchPretrained(which) {
    try {
      return await fetchPretrained(which, (received, total) => this.#progress.show(PRETRAINED[which].title, received, total));
    } finally {
      this.#progress.hide();
    }
  }

  /** A digit session became current: it draws the chosen digit; the last run's numbers go. */
  attach(session) {
    session.digit = this.#panels.picker.digit;
    this.#lastView = null;
    this.#extrasAt = -Infinity;
    this.#panels.quality.clear(this.#classifierProblem);
    this.#panels.augmentation.clear();
  }

  /** Draws a fresh view() of the current digit session. */
  showView(view) {
    const first = this.#lastView === null;
    this.#lastView = view;
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
    if (this.#session()) this.#panels.quality.tick();
  }

  /** Training paused: the numbers for where it stopped. */
  paused() {
    if (this.#session()) this.#panels.quality.measure();
  }

  /** Test hooks: what the panels show. */
  get debug() {
    return {
      lastView: this.#lastView,
      quality: this.#panels.quality.last,
      augmentation: this.#panels.augmentation.results,
      interpolation: this.#panels.interpolation.pixels,
      ends: [this.#a, this.#b],
      digit: this.#panels.picker.digit,
      walk: { ...this.#panels.walk.position, calls: this.#walkCalls, last: this.#walkedTo, pixels: this.#panels.walk.pixels },
      style: this.#panels.style.debug,
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
