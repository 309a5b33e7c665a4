/**
 * What a panel draws a canvas with: the OffscreenCanvas that controls it, made on first use, or the
 * canvas itself where the browser has no transferControlToOffscreen. Why: a canvas drawn in the page
 * is painted into the page's layer at every change and rastered again with it, in the same commit as
 * everything else (without a GPU, a copy of its pixels on the raster threads, which the host playing a
 * capture flat out starves); a canvas controlled from an OffscreenCanvas sends its frames to the
 * compositor itself, and the page only keeps its box. Drawn on the main thread all the same: a worker
 * would take the core the page needs (`npm run bench -- --only renderer`, README's "what stands in the
 * way"). Once transferred, the element's own getContext throws and its width is not the drawing's:
 * size and draw through this surface. toDataURL and createImageBitmap on the element still give what
 * it shows (tests use them), as does a screenshot.
 */
export type DrawingSurface = HTMLCanvasElement | OffscreenCanvas;
const surfaces = new WeakMap<HTMLCanvasElement, DrawingSurface>();

export function drawingSurface(canvas: HTMLCanvasElement): DrawingSurface {
  let surface = surfaces.get(canvas);
  if (!surface) {
    surface = typeof canvas.transferControlToOffscreen === 'function' ? canvas.transferControlToOffscreen() : canvas;
    surfaces.set(canvas, surface);
  }
  return surface;
}

/** The 2D context of a canvas's drawing surface (see drawingSurface); its units are device pixels. */
export function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  // The OffscreenCanvas context draws as the element's does; the two differ only in what a canvas in
  // the page alone has (focus rings, hit regions), which no panel uses.
  return drawingSurface(canvas).getContext('2d') as CanvasRenderingContext2D | null;
}

/** Give a canvas `pixelWidth` × `pixelHeight` pixels shown at `cssWidth` × `cssHeight`; writes only on a change. */
export function sizeCanvas(canvas: HTMLCanvasElement, pixelWidth: number, pixelHeight: number, cssWidth: number, cssHeight: number): void {
  const surface = drawingSurface(canvas);
  if (surface.width !== pixelWidth || surface.height !== pixelHeight) {
    surface.width = pixelWidth;
    surface.height = pixelHeight;
    canvas.style.width = `${cssWidth}px`;
    canvas.style.height = `${cssHeight}px`;
  }
}

/**
 * Size a canvas for the panel's CSS size at the screen's pixel density and return a context whose
 * units are CSS pixels, or null when there is nothing to draw on yet.
 */
export function prepareCanvas(canvas: HTMLCanvasElement | null, width: number, height: number): CanvasRenderingContext2D | null {
  if (!canvas || width === 0 || height === 0) return null;
  const dpr = window.devicePixelRatio || 1;
  sizeCanvas(canvas, Math.round(width * dpr), Math.round(height * dpr), width, height);
  const ctx = context2d(canvas);
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}

/** Decimals that show a price grid of this step without noise. */
export function stepDecimals(step: number): number {
  return Math.max(0, Math.min(8, Math.ceil(-Math.log10(step))));
}
