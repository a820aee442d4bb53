// The public API of <gan-playground> (web/element/gan-playground.js), for hosts that type-check their
// code. docs/embedding.md says what each member does; `tsc -p jsconfig.json` (scripts/test.sh)
// checks this file together with the modules.

/** The latest iteration's numbers (NaN for a part the step mode skipped). */
export interface PlaygroundStats {
  step: number;
  backend: 'webgpu' | 'cpu' | null;
  dLoss: number;
  gLoss: number;
  value: number;
  gradNorm: number;
  stepsPerSecond: number;
}

/** A field Rust refused, with its message. */
export interface FieldError {
  field: string;
  message: string;
}

/** What setConfig(), loadPreset() and setDrawnPoints() resolve to. */
export interface ConfigResult {
  ok: boolean;
  errors: FieldError[];
  /** The generator was rebuilt: the run restarted at step 0. */
  rebuilt: boolean;
  /** D got fresh weights; G kept training. */
  discriminatorReset: boolean;
}

export interface PlaygroundEvents {
  ready: CustomEvent<PlaygroundStats>;
  step: CustomEvent<PlaygroundStats>;
  diverged: CustomEvent<{ step: number; quantity: string; message: string; goodStep: number | null }>;
  devicelost: CustomEvent<{ reason: string; step: number; lostSteps: number }>;
  crashed: CustomEvent<{ message: string }>;
  backendchange: CustomEvent<{ from: string; to: string; step: number }>;
}

/** A CycleGAN view's metrics: G(X)'s coverage of Y, F(Y)'s of X (null where not a mixture), the round trips' errors. */
export interface CycleMetrics {
  modesCovered: number | null; modesTotal: number | null; highQuality: number | null;
  sourceModesCovered: number | null; sourceModesTotal: number | null; sourceHighQuality: number | null;
  /** mean |F(G(x)) − x| per coordinate */ cycleErrorX: number;
  /** mean |G(F(y)) − y| per coordinate */ cycleErrorY: number;
  cycleError: number; samples: number;
}

/** The digit translator's metrics on the held-out digits (mode 'digit-cycle'; shares in [0, 1]). */
export interface DigitCycleMetrics {
  /** share of x whose G(x) the classifier reads as x's label */ labelKeptX: number;
  /** share of y whose F(y) keeps y's label */ labelKeptY: number;
  /** mean |F(G(x)) − x| per pixel */ cycleErrorX: number;
  /** mean |G(F(y)) − y| per pixel */ cycleErrorY: number;
  cycleError: number; classifierScoreGx: number; classifierScoreFy: number;
  /** share of pixels above mid-grey */ inkX: number; inkGx: number; inkY: number; inkFy: number;
  samples: number;
}

export interface GanPlaygroundElement extends HTMLElement {
  readonly stats: PlaygroundStats;
  readonly playing: boolean;
  /** A copy of the config in use (see docs/configuration.md). */
  readonly config: object;
  /** '2d': a GAN from noise on 2-D data; 'cycle': a CycleGAN translation between two 2-D datasets; 'digits': the digit GAN; 'digit-cycle': the digit translator. */
  readonly mode: '2d' | 'cycle' | 'digits' | 'digit-cycle';
  readonly presetId: string | null;
  stepsPerFrame: number;
  stepMode: 'both' | 'd' | 'g';
  slowMotion: boolean;

  play(): void;
  pause(): void;
  step(n?: number): Promise<PlaygroundStats>;
  reset(): Promise<unknown>;
  restoreLastGood(): Promise<number>;
  setConfig(input: object | string): Promise<ConfigResult>;
  loadPreset(id: string): Promise<ConfigResult>;
  setDrawnPoints(points: [number, number][]): Promise<ConfigResult>;
  samples(n: number): Promise<Float32Array>;
  samplesCsv(n: number): Promise<string>;
  exportSamples(): Promise<unknown>;
  historyCsv(): string;
  /**
   * The latest metrics: a GAN's theory metrics, (mode 'cycle') the translation's, (mode
   * 'digit-cycle') the digit translator's; null for the digit GAN or before the first view.
   */
  readonly metrics: {
    jsd: number; klDataG: number; klGData: number; valueAtOptimum: number; dStarGap: number | null;
    modesCovered: number | null; modesTotal: number | null; highQuality: number | null;
    samples: number; densityNote: string;
  } | CycleMetrics | DigitCycleMetrics | null;
  exportLosses(): unknown;
  exportImage(): Promise<Blob | null>;
  saveCheckpoint(): Promise<Uint8Array>;
  loadCheckpoint(bytes: Uint8Array, name?: string): Promise<boolean>;
  loadPretrained(which?: 'digits' | 'stylegan' | 'cyclegan'): Promise<boolean>;
  shareLink(): string;
  embedCode(): string;

  addEventListener<K extends keyof PlaygroundEvents>(
    type: K,
    listener: (this: GanPlaygroundElement, event: PlaygroundEvents[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'gan-playground': GanPlaygroundElement;
  }
}
