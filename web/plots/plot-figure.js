// The frame every small chart sits in: a title, the chart area and a caption that explains what
// to look for. Returns the parts so the chart module can fill and update them.

/**
 * @param {HTMLElement} container emptied and filled
 * @param {string} title
 * @param {string} caption plain text
 * @returns {{chart: HTMLElement, note: HTMLElement}} the chart area, and a second caption line
 *   for run-dependent remarks (hidden while empty)
 */
export function plotFigure(container, title, caption) {
  container.replaceChildren();
  const heading = container.appendChild(document.createElement('h3'));
  heading.textContent = title;
  const chart = container.appendChild(document.createElement('div'));
  chart.className = 'chart';
  const text = container.appendChild(document.createElement('p'));
  text.className = 'caption';
  text.textContent = caption;
  const note = container.appendChild(document.createElement('p'));
  note.className = 'caption note-line';
  note.hidden = true;
  return { chart, note };
}

/** Sets a figure's run-dependent remark; '' hides it. */
export function setNote(note, text) {
  note.textContent = text;
  note.hidden = !text;
}

/** Chart height for the small charts beside the loss plot. */
export function smallHeight(width) {
  return Math.round(Math.min(240, Math.max(180, width * 0.5)));
}
