// The files the digit GAN needs, fetched from the page's assets/ folder (Trunk copies it): the
// MNIST digits (7.9 MB, so with progress), the classifier that judges the samples, and the
// pretrained checkpoints. Rust validates the bytes; here only transport failures are reported.

const ASSETS = new URL('../../assets/', import.meta.url);
const MNIST = { file: 'mnist.bin', what: 'MNIST asset', fix: 'run scripts/setup.sh' };
const CLASSIFIER = { file: 'classifier.bpk', what: 'Classifier asset', fix: 'quality scores need assets/classifier.bpk' };
/** The shipped runs, by the name the `pretrained` attribute and loadPretrained() use. */
export const PRETRAINED = {
  digits: { file: 'dcgan-mnist.ckpt', what: 'Pretrained digits', title: 'the pretrained digits', fix: 'assets/dcgan-mnist.ckpt is not in this build' },
  stylegan: { file: 'stylegan-mnist.ckpt', what: 'Pretrained StyleGAN', title: 'the pretrained StyleGAN', fix: 'assets/stylegan-mnist.ckpt is not in this build' },
  cyclegan: { file: 'cyclegan-mnist.ckpt', what: 'Pretrained digit translator', title: 'the pretrained digit translator', fix: 'assets/cyclegan-mnist.ckpt is not in this build' },
};

let digitAssets = null; // one download per page; switching presets reuses it
const progressListeners = new Set();

/**
 * The MNIST and classifier bytes, fetched once per page (a failed fetch is retried next time).
 * @param {(received: number, total: number) => void} onProgress MNIST bytes so far; total 0 when
 *   the server sends no usable Content-Length
 * @returns {Promise<{mnist: Uint8Array, classifier: Uint8Array|null, classifierProblem: string}>}
 *   classifier null (and classifierProblem saying why) when it could not be fetched: training
 *   works without it, quality scores do not
 */
export async function loadDigitAssets(onProgress = () => {}) {
  progressListeners.add(onProgress);
  if (!digitAssets) {
    digitAssets = fetchDigitAssets((received, total) => progressListeners.forEach((l) => l(received, total)));
    digitAssets.catch(() => (digitAssets = null));
  }
  try {
    return await digitAssets;
  } finally {
    progressListeners.delete(onProgress);
  }
}

/** Drops the cached bytes (Rust rejected them, say): the next load fetches again. */
export function forgetDigitAssets() {
  digitAssets = null;
}

/**
 * @param {'digits'|'stylegan'|'cyclegan'} which a key of PRETRAINED
 * @returns {Promise<Uint8Array>} the pretrained checkpoint (not cached: the HTTP cache does that)
 */
export function fetchPretrained(which, onProgress = () => {}) {
  return fetchBytes(PRETRAINED[which], onProgress);
}

async function fetchDigitAssets(onProgress) {
  const classifier = fetchBytes(CLASSIFIER).then(
    (bytes) => ({ bytes, problem: '' }),
    (error) => ({ bytes: null, problem: error.message }),
  );
  const mnist = await fetchBytes(MNIST, onProgress);
  const { bytes, problem } = await classifier;
  return { mnist, classifier: bytes, classifierProblem: problem };
}

/**
 * Reads a response body, chunk by chunk when the page shows how far the download is.
 * @param {{file: string, what: string, title?: string, fix: string}} asset where it is, what it is and what to do when it is missing
 * @param {((received: number, total: number) => void)|null} onProgress null: no progress wanted
 * @returns {Promise<Uint8Array>} rejects with an Error naming the asset and what to do
 */
async function fetchBytes({ file, what, fix }, onProgress = null) {
  let response;
  try {
    response = await fetch(new URL(file, ASSETS));
  } catch (error) {
    throw new Error(`${what} could not be fetched (${error.message}): ${fix}.`);
  }
  if (response.status === 404) throw new Error(`${what} missing (404): ${fix}.`);
  if (!response.ok) throw new Error(`${what} could not be fetched (HTTP ${response.status}): ${fix}.`);
  // A compressed response's Content-Length counts compressed bytes: then the total is unknown.
  const declared = Number(response.headers.get('content-length')) || 0;
  const total = response.headers.get('content-encoding') ? 0 : declared;
  if (!onProgress || !response.body) {
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw new Error(`${what}: the download broke off (${error.message}).`);
    }
  }
  const reader = response.body.getReader();
  const chunks = [];
  let received = 0;
  onProgress(0, total);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onProgress(received, total >= received ? total : 0);
    }
  } catch (error) {
    throw new Error(`${what}: the download broke off after ${received} bytes (${error.message}).`);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
