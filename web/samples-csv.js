// Generated samples as CSV, and saving a text as a file download.

/** @param {Float32Array} xy x,y pairs @returns {string} "x,y\n" then one row per point */
export function samplesToCsv(xy) {
  const rows = ['x,y'];
  // 7 significant digits are all a float32 holds; more would only print rounding noise.
  for (let i = 0; i + 1 < xy.length; i += 2) rows.push(`${num(xy[i])},${num(xy[i + 1])}`);
  return `${rows.join('\n')}\n`;
}

/** Offers `text` to the user as a download named `filename`. */
export function downloadText(text, filename, type = 'text/csv') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: filename });
  link.click();
  // Revoked later: the download reads the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function num(v) {
  return Number.isFinite(v) ? String(Number(v.toPrecision(7))) : 'NaN';
}
