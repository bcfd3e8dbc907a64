// Rendered views on the page: one canvas per view, and a check that a view is not blank.

/** Replaces `container`'s canvases with the C views of `rgba` (C·H·W·4 floats in [0, 1], rows top-down). */
export function drawGrid(container: HTMLElement, rgba: Float32Array, count: number, width: number, height: number, labels?: readonly string[]): void {
  const pixels = width * height;
  if (rgba.length !== count * pixels * 4) throw new Error(`drawGrid: ${rgba.length} floats for ${count} views of ${width}×${height}`);
  container.replaceChildren();
  for (let c = 0; c < count; c++) {
    const figure = document.createElement('figure');
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const image = new ImageData(width, height);
    const src = rgba.subarray(c * pixels * 4, (c + 1) * pixels * 4);
    for (let i = 0; i < pixels * 4; i++) image.data[i] = i % 4 === 3 ? 255 : Math.round(Math.min(1, Math.max(0, src[i] as number)) * 255);
    canvas.getContext('2d')?.putImageData(image, 0, 0);
    const caption = document.createElement('figcaption');
    caption.textContent = labels?.[c] ?? `view ${c}`;
    figure.append(canvas, caption);
    container.append(figure);
  }
}

/** Variance of the RGB values of each view (0 for a flat image). */
export function viewVariances(rgba: Float32Array, count: number, width: number, height: number): number[] {
  const pixels = width * height;
  return Array.from({ length: count }, (_, c) => {
    let sum = 0;
    let sq = 0;
    for (let p = 0; p < pixels; p++) {
      for (let k = 0; k < 3; k++) {
        const v = rgba[(c * pixels + p) * 4 + k] as number;
        sum += v;
        sq += v * v;
      }
    }
    const n = 3 * pixels;
    return Math.max(0, sq / n - (sum / n) ** 2);
  });
}

/** A view counts as non-blank when its RGB variance exceeds this (values in [0, 1]). */
export const NON_BLANK_VARIANCE = 1e-3;
