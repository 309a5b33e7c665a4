import { context2d, sizeCanvas } from './canvas';

/**
 * Show a chart library's canvas through a copy drawn on an offscreen-controlled canvas (see
 * drawingSurface in canvas.ts). The library keeps drawing its own canvas, which is taken out of the
 * page (its box and its mouse layer above stay), so the page neither paints nor rasters it; `copy`
 * after each of its draws puts the new image on the canvas that is seen, one blit.
 */
export interface CanvasMirror {
  copy(): void;
}

export function mirrorCanvas(source: HTMLCanvasElement): CanvasMirror {
  const mirror = document.createElement('canvas');
  mirror.className = 'canvas-mirror';
  mirror.setAttribute('aria-hidden', 'true');
  source.after(mirror);
  // Out of the page's layout altogether (not only unseen): its draws then mark nothing for repaint.
  // The library sizes its own box, so the mouse layer above keeps its place.
  source.style.display = 'none';
  return {
    copy() {
      const { width, height } = source;
      if (width === 0 || height === 0) return;
      const dpr = window.devicePixelRatio || 1;
      sizeCanvas(mirror, width, height, width / dpr, height / dpr);
      const ctx = context2d(mirror);
      if (!ctx) return;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      // 'copy' replaces the pixels instead of blending over them: no clear, no per-pixel blend.
      ctx.globalCompositeOperation = 'copy';
      ctx.drawImage(source, 0, 0);
    },
  };
}
