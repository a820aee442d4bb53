// The setup of a playground as text a reader can share: a URL hash entry (as TF Playground
// does: the whole config, seed included, so the link reproduces the run) and the HTML snippet
// that embeds the same setup in another page.
import { changedPaths, getPath, lengthProblem, nestingProblem, setPath } from '../run/config-paths.js';

const MAIN_JS = new URL('../main.js', import.meta.url).href;

/** The hash key of a playground: its id, or "playground" (several on a page need ids). */
export function hashKey(el) {
  return el.id || 'playground';
}

/**
 * The config a shared link carries for `key` (`#key=<base64url JSON>`), if any.
 * @returns {{config?: object, error?: string}|null} one of config and error
 */
export function readShared(key, hash = location.hash) {
  const entry = new URLSearchParams(hash.replace(/^#/, '')).get(key);
  if (entry === null) return null;
  try {
    const tooLong = lengthProblem(entry);
    if (tooLong) throw new Error(tooLong);
    const config = JSON.parse(fromBase64Url(entry));
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error('not a config object');
    const tooDeep = nestingProblem(config);
    if (tooDeep) throw new Error(tooDeep);
    return { config };
  } catch (e) {
    return { error: `The shared link's setup could not be read (${e.message}); using the page's.` };
  }
}

/** This page's URL with `config` stored under `key` in the hash (other keys kept). */
export function shareUrl(key, config, href = location.href) {
  const url = new URL(href);
  const params = new URLSearchParams(url.hash.replace(/^#/, ''));
  params.set(key, toBase64Url(JSON.stringify(config)));
  url.hash = params.toString();
  return url.href;
}

/**
 * The HTML that embeds this setup: the page's script (web/main.js, classic and async) and the element, with `preset` and only
 * the settings that differ from it (or from the defaults) in `config`.
 */
export function embedCode(config, { defaults, preset = null }) {
  const base = preset?.config ?? defaults;
  const patch = {};
  for (const path of changedPaths(base, config)) setPath(patch, path, getPath(config, path));
  const attrs = [];
  if (preset) attrs.push(`preset="${preset.id}"`);
  if (Object.keys(patch).length) attrs.push(`config='${escapeAttribute(JSON.stringify(patch))}'`);
  return `<script src="${MAIN_JS}" async></script>\n<gan-playground ${attrs.join(' ')}></gan-playground>`.replace(' >', '>');
}

function escapeAttribute(text) {
  return text.replaceAll('&', '&amp;').replaceAll("'", '&#39;').replaceAll('<', '&lt;');
}

function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}
