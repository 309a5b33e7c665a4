/**
 * Size a canvas for the panel's CSS size at the screen's pixel density and return a context whose
 * units are CSS pixels, or null when there is nothing to draw on yet.
 */
export function prepareCanvas(canvas: HTMLCanvasElement | null, width: number, height: number): CanvasRenderingContext2D | null {
  if (!canvas || width === 0 || height === 0) return null;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** Decimals that show a price grid of this step without noise. */
export function stepDecimals(step: number): number {
  return Math.max(0, Math.min(8, Math.ceil(-Math.log10(step))));
}
