// Stabilizer chips from Rust's stabilizers(): a toggle per trick with its one-line explanation
// always visible (the point is to learn what each does). A chip is on when the current config
// contains every leaf of its `on` patch, or, for a one-field trick, any value but its `off` one (a
// preset may use packing 8 where the chip's own setting is 4); what a click applies is the
// element's business.
import { changedPaths, containsPatch, getPath } from '../run/config-paths.js';

export class StabilizerChips {
  #chips = []; // {stabilizer, button, state}

  /**
   * @param {HTMLElement} container emptied and filled with one chip per stabilizer
   * @param {{id: string, label: string, explanation: string, on: object, off: object, value_units?: object}[]} stabilizers
   * @param {(stabilizer: object) => void} onToggle called when the user clicks a chip
   */
  constructor(container, stabilizers, onToggle) {
    container.replaceChildren();
    for (const stabilizer of stabilizers) {
      const chip = container.appendChild(document.createElement('div'));
      chip.className = 'chip';
      chip.dataset.chip = stabilizer.id;
      const button = chip.appendChild(document.createElement('button'));
      button.type = 'button';
      button.name = stabilizer.id;
      button.setAttribute('aria-pressed', 'false');
      button.appendChild(document.createElement('span')).textContent = stabilizer.label;
      const state = button.appendChild(document.createElement('span'));
      state.className = 'chip-state';
      const explanation = chip.appendChild(document.createElement('p'));
      explanation.id = `chip-${stabilizer.id}-explanation`;
      explanation.textContent = stabilizer.explanation;
      button.setAttribute('aria-describedby', explanation.id);
      button.addEventListener('click', () => onToggle(stabilizer));
      this.#chips.push({ stabilizer, chip, button, state });
    }
  }

  /** Shows each chip on or off for `config`. */
  update(config) {
    for (const { stabilizer, chip, button, state } of this.#chips) {
      const { on, value, unit = '' } = chipState(config, stabilizer);
      // A trick the current objective ignores (label smoothing under a critic) says so.
      const applies = !stabilizer.objectives?.length || stabilizer.objectives.includes(config?.objective?.kind);
      chip.classList.toggle('inert', !applies);
      button.title = applies ? '' : `no effect with the ${config?.objective?.kind} objective`;
      chip.classList.toggle('on', on);
      button.setAttribute('aria-pressed', String(on));
      state.textContent = (on ? 'on' : 'off') + (value === undefined ? '' : ` · ${value}${unit}`) + (applies ? '' : ' · no effect here');
    }
  }
}

/**
 * @returns {{on: boolean, value?: unknown, unit?: string}} whether `stabilizer` is on in
 * `config`; `value` is the config's own setting when it is on with another value than the chip's
 * (packing 8, γ = 0.1), `unit` what another field says it is measured in (γ = 1·σ²)
 */
export function chipState(config, stabilizer) {
  if (containsPatch(config, stabilizer.on)) return { on: true };
  const fields = changedPaths(stabilizer.on, stabilizer.off);
  if (fields.length !== 1) return { on: false };
  // Off is the trick's own field at its off value, whatever the others say (γ = 0 in any units).
  const value = getPath(config, fields[0]);
  if (value === undefined || value === getPath(stabilizer.off, fields[0])) return { on: false };
  for (const [path, units] of Object.entries(stabilizer.value_units ?? {})) {
    const unit = units[getPath(config, path)];
    if (unit !== undefined) return { on: true, value, unit };
  }
  return { on: true, value };
}

/** @returns {object} the patch a click on `stabilizer` applies to `config`: off when on, else on */
export function togglePatch(config, stabilizer) {
  return chipState(config, stabilizer).on ? stabilizer.off : stabilizer.on;
}
