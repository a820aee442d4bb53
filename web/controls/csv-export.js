// What the page exports as CSV text: generated 2-D samples, and the loss history.

/** @param {Float32Array} xy x,y pairs @returns {string} "x,y\n" then one row per point */
export function samplesToCsv(xy) {
  const rows = ['x,y'];
  // 7 significant digits are all a float32 holds; more would only print rounding noise.
  for (let i = 0; i + 1 < xy.length; i += 2) rows.push(`${num(xy[i])},${num(xy[i + 1])}`);
  return `${rows.join('\n')}\n`;
}

/**
 * @param {import('../run/history.js').LossHistory} history
 * @returns {string} "step,d_loss,g_loss,value,grad_norm\n" then one row per training step; an
 *   empty cell where the step mode skipped that part
 */
export function historyToCsv(history) {
  const rows = ['step,d_loss,g_loss,value,grad_norm'];
  const cell = (v) => (Number.isNaN(v) ? '' : num(v));
  const { dLoss, gLoss, value, gradNorm } = history;
  for (let i = 0; i < history.length; i++) {
    rows.push(`${i + 1},${cell(dLoss[i])},${cell(gLoss[i])},${cell(value[i])},${cell(gradNorm[i])}`);
  }
  return `${rows.join('\n')}\n`;
}

function num(v) {
  return Number.isFinite(v) ? String(Number(v.toPrecision(7))) : 'NaN';
}
