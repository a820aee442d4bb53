// Drawing digits (784 bytes each, 0 = background, 255 = ink, row-major) as a grid on a canvas:
// dark ink on white paper, upscaled by a whole number with smoothing off so pixels stay sharp.

export const SIDE = 28;
const PAPER = [255, 255, 255];
const INK = [29, 31, 36];

/**
 * Draws `rows × cols` digits (missing ones blank) and returns the upscale factor used, so
 * callers can draw marks in canvas pixels (one digit is SIDE · scale wide).
 * @param {HTMLCanvasElement} canvas its CSS width decides the backing-store size
 * @param {Uint8Array|null} pixels count · 784 bytes, digit after digit
 * @param {{cols: number, rows: number}} grid
 * @returns {number} canvas pixels per digit pixel
 */
export function drawDigits(canvas, pixels, { cols, rows }) {
  const width = cols * SIDE;
  const height = rows * SIDE;
  const image = new ImageData(width, height);
  const data = image.data;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const digit = Math.floor(y / SIDE) * cols + Math.floor(x / SIDE);
      const v = (pixels?.[digit * SIDE * SIDE + (y % SIDE) * SIDE + (x % SIDE)] ?? 0) / 255;
      const o = 4 * (y * width + x);
      for (let c = 0; c < 3; c++) data[o + c] = Math.round(PAPER[c] + (INK[c] - PAPER[c]) * v);
      data[o + 3] = 255;
    }
  }
  const scratch = document.createElement('canvas');
  Object.assign(scratch, { width, height });
  scratch.getContext('2d').putImageData(image, 0, 0);
  const scale = backingScale(canvas, width);
  canvas.width = width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
  return scale;
}

// The whole-number upscale closest to the displayed size (2 while the canvas is hidden).
function backingScale(canvas, width) {
  const shown = canvas.clientWidth * (window.devicePixelRatio || 1);
  return shown > 0 ? Math.max(1, Math.round(shown / width)) : 2;
}
