/** Canvas setup shared by the map, the pixel heatmap and the flipping chart. */

/**
 * Sizes `canvas` to `cssWidth` x `cssHeight` CSS pixels with a backing store scaled by
 * devicePixelRatio (sharp on HiDPI), and returns a context drawing in CSS pixels.
 * Sizes are set through CSSOM (element.style), which the webview CSP allows.
 */
export function prepareCanvas(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): CanvasRenderingContext2D | undefined {
  const dpr = Math.max(1, window.devicePixelRatio || 1);
  const w = Math.max(1, Math.round(cssWidth));
  const hgt = Math.max(1, Math.round(cssHeight));
  canvas.style.width = `${w}px`;
  canvas.style.height = `${hgt}px`;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(hgt * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(hgt * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, hgt);
  return ctx;
}
