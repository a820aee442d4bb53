// Checkpoint buttons: save the run (2-D or digits) to a file, load one from a file, or load the
// pretrained runs (DCGAN, StyleGAN, the CycleGAN digit translator) that ship with the page. Pure UI: the element owns what each does. A load
// switches between 2-D data and digits as the file says.

export class CheckpointControls {
  #buttons;

  /**
   * @param {HTMLElement} container emptied and filled
   * @param {{save(): void, load(bytes: Uint8Array, name: string): void, pretrained(which: 'digits'|'stylegan'|'cyclegan'): void}} actions
   */
  constructor(container, actions) {
    container.replaceChildren();
    const save = button(container, 'Save checkpoint', 'save-checkpoint', () => actions.save());
    save.title = 'Download this run (config, step, losses, both networks) as a .ckpt file';
    const file = container.appendChild(document.createElement('input'));
    Object.assign(file, { type: 'file', accept: '.ckpt', name: 'checkpoint-file', hidden: true });
    const load = button(container, 'Load checkpoint…', 'load-checkpoint', () => file.click());
    load.title = 'Continue a run saved with "Save checkpoint"';
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0];
      file.value = ''; // choosing the same file again is a new load
      if (chosen) actions.load(new Uint8Array(await chosen.arrayBuffer()), chosen.name);
    });
    const pretrained = button(container, 'Load pretrained digits', 'load-pretrained', () => actions.pretrained('digits'));
    pretrained.title = 'A DCGAN already trained on MNIST: explore its samples, or train it further';
    const style = button(container, 'Load pretrained StyleGAN', 'load-pretrained-stylegan', () => actions.pretrained('stylegan'));
    style.title = 'StyleGAN-lite already trained on MNIST: mix the styles of its digits, truncate w';
    const translator = button(container, 'Load pretrained translator', 'load-pretrained-cyclegan', () => actions.pretrained('cyclegan'));
    translator.title = 'A CycleGAN already trained to thicken MNIST strokes (and thin them back): see the label kept';
    this.#buttons = [save, load, pretrained, style, translator];
  }

  /** Disables the buttons while a checkpoint is being saved or loaded. */
  setBusy(busy) {
    for (const b of this.#buttons) b.disabled = busy;
  }
}

function button(container, text, name, onClick) {
  const el = container.appendChild(document.createElement('button'));
  Object.assign(el, { type: 'button', textContent: text, name });
  el.addEventListener('click', onClick);
  return el;
}
