// <dirac-gan>: the smallest GAN (Mescheder, Geiger & Nowozin 2018), simulated by Rust's
// diracGan(): both players' orbits in the (θ, ψ) plane under simultaneous and alternating
// gradient steps, to show why plain gradient play does not settle and what R1 changes.
import { messageOf } from '../element/banner.js';
import { applyBackgrounds } from '../data-space/colormap.js';
import { enqueue, loadBindings } from '../engine/engine.js';

const CSS_URL = new URL('./dirac-gan.css', import.meta.url).href;

const SIMULTANEOUS_COLOR = '#c2410c';
const ALTERNATING_COLOR = '#1d4ed8';
const MARGIN = 34; // CSS px around the square plot, for tick labels

/**
 * Properties: `options` (what the controls hold), `result` ({simultaneous, alternating}: final
 * distances from (0, 0), or null before the first run or after an error), `errorText`.
 * Method: `update()` runs the simulation for the current controls. Event `update` after each run.
 */
export class DiracGan extends HTMLElement {
  #root = this.attachShadow({ mode: 'open' });
  #orbits = null; // {simultaneous, alternating} Float32Array (θ, ψ) pairs, as last drawn
  #result = null;
  #run = Promise.resolve();

  constructor() {
    super();
    this.#root.innerHTML = template();
    applyBackgrounds(this.#root);
    this.#root.querySelector('form').addEventListener('change', () => this.update());
    this.#root.querySelector('form').addEventListener('submit', (e) => e.preventDefault());
    new ResizeObserver(() => this.#draw()).observe(this.#part('canvas'));
  }

  connectedCallback() {
    this.update();
  }

  /** @returns {{loss: string, lr?: number, steps?: number, r1?: number}} empty boxes are left out (Rust's defaults) */
  get options() {
    const form = /** @type {HTMLFormElement & {elements: any}} */ (this.#root.querySelector('form'));
    const options = { loss: form.elements.loss.value };
    for (const name of ['lr', 'steps', 'r1']) {
      const text = form.elements[name].value.trim();
      if (text !== '') options[name] = Number(text);
    }
    return options;
  }

  /** Fills the controls from `options` (missing names keep their value) and reruns. */
  set options(options) {
    const form = /** @type {HTMLFormElement & {elements: any}} */ (this.#root.querySelector('form'));
    for (const [name, value] of Object.entries(options ?? {})) {
      if (form.elements[name]) form.elements[name].value = String(value);
    }
    this.update();
  }

  get result() {
    return this.#result && { ...this.#result };
  }

  get errorText() {
    const error = this.#part('error');
    return error.hidden ? '' : error.textContent;
  }

  /** Runs the simulation for the current controls; resolves once it is drawn or its error shown. */
  update() {
    this.#run = this.#run.then(() => this.#simulate());
    return this.#run;
  }

  async #simulate() {
    const options = this.options;
    const error = this.#part('error');
    try {
      const bindings = await loadBindings();
      const out = await enqueue(() => bindings.diracGan(JSON.stringify(options)));
      this.#orbits = { simultaneous: out.simultaneous, alternating: out.alternating };
      this.#result = { simultaneous: finalDistance(out.simultaneous), alternating: finalDistance(out.alternating) };
      error.hidden = true;
    } catch (e) {
      this.#result = null;
      error.textContent = `These options were not run: ${messageOf(e)}`;
      error.hidden = false;
    }
    this.#showDistances();
    this.#draw();
    this.dispatchEvent(new CustomEvent('update', { detail: this.result }));
  }

  #part(name) {
    return /** @type {any} */ (this.#root.querySelector(`[data-part="${name}"]`)); // canvas or span
  }

  #showDistances() {
    const r = this.#result;
    this.#part('sim-distance').textContent = r ? format(r.simultaneous) : '–';
    this.#part('alt-distance').textContent = r ? format(r.alternating) : '–';
  }

  #draw() {
    const canvas = this.#part('canvas');
    const dpr = window.devicePixelRatio || 1;
    const size = canvas.clientWidth;
    if (size === 0) return;
    canvas.width = canvas.height = Math.round(size * dpr);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size, size);
    if (!this.#orbits) return;
    const { simultaneous, alternating } = this.#orbits;
    // Symmetric around the fixed point, so (0, 0) is always the centre of the plot.
    const reach = 1.1 * Math.max(maxAbs(simultaneous), maxAbs(alternating), 1e-3);
    const scale = (size - 2 * MARGIN) / (2 * reach);
    const map = (theta, psi) => [size / 2 + theta * scale, size / 2 - psi * scale];
    ctx.globalAlpha = this.#result ? 1 : 0.35; // greyed while the options in the boxes failed
    drawAxes(ctx, size, reach, map);
    drawOrbit(ctx, alternating, map, ALTERNATING_COLOR);
    drawOrbit(ctx, simultaneous, map, SIMULTANEOUS_COLOR);
    // The equilibrium.
    const [cx, cy] = map(0, 0);
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(cx - 5, cy - 5);
    ctx.lineTo(cx + 5, cy + 5);
    ctx.moveTo(cx + 5, cy - 5);
    ctx.lineTo(cx - 5, cy + 5);
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
}

function drawOrbit(ctx, xy, map, color) {
  if (xy.length < 2) return;
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const [px, py] = map(xy[i], xy[i + 1]);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.stroke();
  // Start (hollow) and end (filled) of the orbit.
  ctx.fillStyle = color;
  const [sx, sy] = map(xy[0], xy[1]);
  const [ex, ey] = map(xy[xy.length - 2], xy[xy.length - 1]);
  ctx.beginPath();
  ctx.arc(sx, sy, 4, 0, 2 * Math.PI);
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(ex, ey, 4, 0, 2 * Math.PI);
  ctx.fill();
}

function drawAxes(ctx, size, reach, map) {
  ctx.strokeStyle = '#bbb';
  ctx.lineWidth = 1;
  const [left, top] = map(-reach, reach);
  const [right, bottom] = map(reach, -reach);
  ctx.strokeRect(left, top, right - left, bottom - top);
  const [cx, cy] = map(0, 0);
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  ctx.moveTo(left, cy);
  ctx.lineTo(right, cy);
  ctx.moveTo(cx, top);
  ctx.lineTo(cx, bottom);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = '#444';
  ctx.font = '12px system-ui, sans-serif';
  const edge = format(reach);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(`θ (generator) →`, cx, bottom + 16);
  ctx.fillText(`−${edge}`, left, bottom + 3);
  ctx.fillText(edge, right, bottom + 3);
  ctx.save();
  ctx.translate(left - 18, cy);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('ψ (discriminator) →', 0, -8);
  ctx.restore();
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillText(edge, left - 3, top);
  ctx.fillText(`−${edge}`, left - 3, bottom);
}

function finalDistance(xy) {
  return Math.hypot(xy[xy.length - 2], xy[xy.length - 1]);
}

function maxAbs(xy) {
  let m = 0;
  for (const v of xy) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

function format(v) {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

function template() {
  return `
<link rel="stylesheet" href="${CSS_URL}">
<section>
  <h2>Dirac-GAN: why gradient steps circle the equilibrium</h2>
  <p>In the smallest GAN (Mescheder et al. 2018) the data is a single point at 0, the generator
    is a point θ and the discriminator is linear, D(x) = ψx, so the only equilibrium is
    (θ, ψ) = (0, 0). Simultaneous gradient steps spiral away from it and alternating steps orbit
    it for ever, while an R1 gradient penalty γ on D makes both converge.</p>
  <form>
    <label>Loss <select name="loss"><option value="gan">gan</option><option value="wgan">wgan</option></select></label>
    <label>Learning rate <input name="lr" type="number" min="0" max="2" step="any" value="0.1"></label>
    <label>Steps <input name="steps" type="number" min="1" max="10000" step="1" value="300"></label>
    <label>R1 γ <input name="r1" type="number" min="0" max="10" step="any" value="0"></label>
  </form>
  <p class="error" data-part="error" role="alert" hidden></p>
  <div class="plot">
    <canvas data-part="canvas" role="img" aria-label="Orbits of (θ, ψ) under simultaneous and alternating gradient steps"></canvas>
    <div class="legend">
      <span><i data-bg="${SIMULTANEOUS_COLOR}"></i>simultaneous steps: final distance from (0, 0)
        <output data-part="sim-distance">–</output></span>
      <span><i data-bg="${ALTERNATING_COLOR}"></i>alternating steps (D, then G): final distance
        <output data-part="alt-distance">–</output></span>
      <span><i class="fixed">✕</i>the equilibrium (0, 0)</span>
      <span>○ start, ● end of each orbit</span>
    </div>
  </div>
</section>`;
}

customElements.define('dirac-gan', DiracGan);
