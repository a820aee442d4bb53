// "Loading MNIST digits: 3.1 / 7.9 MB" with a progress bar while an asset downloads; "3.1 MB
// received" (and a moving bar) when the server does not say how large it is.

export class AssetProgress {
  #root;
  #bar;
  #text;

  /** @param {HTMLElement} container emptied and filled; hidden while nothing loads */
  constructor(container) {
    this.#root = container;
    container.replaceChildren();
    container.setAttribute('role', 'status');
    this.#bar = container.appendChild(document.createElement('progress'));
    this.#text = container.appendChild(document.createElement('span'));
    this.hide();
  }

  /** @param {string} what e.g. "MNIST digits" @param {number} received bytes @param {number} total bytes, 0 if unknown */
  show(what, received, total) {
    this.#root.hidden = false;
    if (total > 0) {
      this.#bar.max = total;
      this.#bar.value = received;
      this.#text.textContent = `Loading ${what}: ${mb(received)} / ${mb(total)} MB`;
    } else {
      this.#bar.removeAttribute('value'); // indeterminate
      this.#text.textContent = `Loading ${what}: ${mb(received)} MB received`;
    }
  }

  hide() {
    this.#root.hidden = true;
  }
}

function mb(bytes) {
  return (bytes / 1e6).toFixed(1);
}
