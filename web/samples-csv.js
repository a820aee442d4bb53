// Generated 2-D samples as CSV text.

/** @param {Float32Array} xy x,y pairs @returns {string} "x,y\n" then one row per point */
export function samplesToCsv(xy) {
  const rows = ['x,y'];
  // 7 significant digits are all a float32 holds; more would only print rounding noise.
  for (let i = 0; i + 1 < xy.length; i += 2) rows.push(`${num(xy[i])},${num(xy[i + 1])}`);
  return `${rows.join('\n')}\n`;
}

function num(v) {
  return Number.isFinite(v) ? String(Number(v.toPrecision(7))) : 'NaN';
}
