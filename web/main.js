// The page's one script: defines <gan-playground>, <dirac-gan> and <gan-quiz>; the page markup holds the
// elements. A classic script, not a module, on purpose: a blog that embeds the playground from
// another origin loads it even when that origin forgets its CORS headers (a module script would
// fail before any of our code ran, leaving empty boxes), and then each element can say what the
// host must add. Include it as `<script src=".../web/main.js" async></script>`; twice does no harm.
//
// Each element's modules load on their own: one whose dependency fails to load or to run (a file
// the host did not serve, uPlot throwing under an unusual locale) still appears, saying why,
// instead of leaving an empty box on the page (and the other element works on).
(() => {
  const script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  const base = script?.src || document.baseURI;
  const ELEMENTS = [
    ['gan-playground', 'element/gan-playground.js'],
    ['dirac-gan', 'dirac/dirac-gan.js'],
    ['gan-quiz', 'lesson/gan-quiz.js'],
  ];
  for (const [tag, path] of ELEMENTS) {
    const url = new URL(path, base).href;
    import(url).catch(async (error) => defineUnavailable(tag, await whyNotLoaded(url, error)));
  }

  /**
   * Why `url` did not load, in words a host can act on. A module from another origin needs CORS:
   * when a CORS fetch fails but an opaque one succeeds, the header is what is missing.
   * @param {string} url
   * @param {unknown} error what import() threw
   */
  async function whyNotLoaded(url, error) {
    const thrown = error instanceof Error ? error.message : String(error);
    const cors = await fetch(url, { cache: 'no-store' }).then((r) => (r.ok ? 'ok' : `${url} answered HTTP ${r.status}`), () => null);
    if (cors === 'ok') return thrown; // the file is there: it failed to run (or a dependency did)
    if (cors) return cors;
    const opaque = await fetch(url, { mode: 'no-cors', cache: 'no-store' }).then(() => true, () => false);
    if (opaque) {
      return `${url} is served without an Access-Control-Allow-Origin header. The site that serves the ` +
        `playground must send "Access-Control-Allow-Origin: *" (or this page's origin, ${location.origin}) with its files`;
    }
    return `${url} could not be fetched (offline, or blocked by this page's Content-Security-Policy: ` +
      `its script-src and connect-src must allow ${new URL(url).origin})`;
  }

  /**
   * Defines `tag` as an element that shows why the real one could not load.
   * @param {string} tag
   * @param {string} why
   */
  function defineUnavailable(tag, why) {
    if (customElements.get(tag)) return;
    const text = `This <${tag}> could not load: ${why}. Reload the page; if this stays, ` +
      'a file of the playground is missing or blocked on this site.';
    console.error(`<${tag}> could not load: ${why}`);
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
})();
