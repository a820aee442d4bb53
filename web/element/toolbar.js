// Run controls: Play/Pause, Step, Reset, training speed and backend choice. Pure UI: each
// control calls back into the element, which owns the behaviour.

const BACKENDS = [
  ['auto', 'Auto (the faster here)'],
  ['webgpu', 'WebGPU'],
  ['cpu', 'CPU'],
];

export class Toolbar {
  #play;
  #speed;
  #speedOut;
  #backend;

  /**
   * @param {HTMLElement} container filled with the controls
   * @param {{togglePlay(): void, step(): void, reset(): void, setSpeed(n: number): void,
   *          setBackend(b: string): void}} actions
   * @param {{min: number, max: number}} speedRange allowed steps per frame
   */
  constructor(container, actions, speedRange) {
    container.replaceChildren();
    this.#play = button(container, 'Play', 'play', () => actions.togglePlay());
    this.#play.setAttribute('aria-pressed', 'false');
    button(container, 'Step', 'step', () => actions.step()).title = 'Run one training iteration';
    button(container, 'Reset', 'reset', () => actions.reset()).title = 'Rebuild both models from the current settings (step 0)';

    const speed = labelled(container, 'Training speed', 'speed');
    this.#speed = speed.appendChild(document.createElement('input'));
    Object.assign(this.#speed, { type: 'range', id: 'speed', min: speedRange.min, max: speedRange.max, step: 1 });
    this.#speed.title = 'Training iterations per animation frame';
    this.#speedOut = speed.appendChild(document.createElement('output'));
    this.#speedOut.htmlFor = 'speed';
    this.#speed.addEventListener('input', () => {
      this.#speedOut.value = `${this.#speed.value}/frame`;
      actions.setSpeed(this.#speed.valueAsNumber);
    });

    const backend = labelled(container, 'Backend', 'backend');
    this.#backend = backend.appendChild(document.createElement('select'));
    this.#backend.id = 'backend';
    for (const [value, text] of BACKENDS) {
      Object.assign(this.#backend.appendChild(document.createElement('option')), { value, textContent: text });
    }
    this.#backend.title = 'Switching backend restarts training at step 0';
    this.#backend.addEventListener('change', () => actions.setBackend(this.#backend.value));
  }

  setPlaying(playing) {
    this.#play.textContent = playing ? 'Pause' : 'Play';
    this.#play.setAttribute('aria-pressed', String(playing));
  }

  setSpeed(stepsPerFrame) {
    this.#speed.value = String(stepsPerFrame);
    this.#speedOut.value = `${stepsPerFrame}/frame`;
  }

  /** Shows the requested backend (the attribute value); unknown values show as-is. */
  setBackend(value) {
    if (![...this.#backend.options].some((o) => o.value === value)) {
      Object.assign(this.#backend.appendChild(document.createElement('option')), { value, textContent: value });
    }
    this.#backend.value = value;
  }
}

function button(container, text, name, onClick) {
  const el = container.appendChild(document.createElement('button'));
  el.type = 'button';
  el.textContent = text;
  el.name = name;
  el.addEventListener('click', onClick);
  return el;
}

function labelled(container, text, id) {
  const wrap = container.appendChild(document.createElement('span'));
  wrap.className = 'labelled';
  Object.assign(wrap.appendChild(document.createElement('label')), { htmlFor: id, textContent: text });
  return wrap;
}
