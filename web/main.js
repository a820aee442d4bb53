// Page entry point: defines <gan-playground> and <dirac-gan>; the page markup holds the elements.
// Each element's modules load on their own: one whose dependency fails to load or to run (a file
// the host did not serve, uPlot throwing under an unusual locale) still appears, saying why,
// instead of leaving an empty box on the page (and the other element works on).

const ELEMENTS = [
  ['gan-playground', './element/gan-playground.js'],
  ['dirac-gan', './dirac/dirac-gan.js'],
];

for (const [tag, url] of ELEMENTS) {
  import(url).catch((error) => defineUnavailable(tag, error));
}

/**
 * Defines `tag` as an element that shows why the real one could not load.
 * @param {string} tag
 * @param {unknown} error
 */
function defineUnavailable(tag, error) {
  if (customElements.get(tag)) return;
  const why = error instanceof Error ? error.message : String(error);
  const text = `This <${tag}> could not load: ${why}. Reload the page; if this stays, ` +
    'a file of the playground is missing or blocked on this site.';
  console.error(`<${tag}> could not load:`, error);
  customElements.define(
    tag,
    class extends HTMLElement {
      connectedCallback() {
        const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
        const message = document.createElement('p');
        message.setAttribute('role', 'alert');
        message.textContent = text;
        root.replaceChildren(message);
      }

      /** The same hook as the real element's, for tests. */
      get debug() {
        return { errorText: text };
      }
    },
  );
}
