import type { Locator } from '@playwright/test';

/**
 * The RGBA pixels of what `target` shows on screen: a screenshot of it, decoded in its page. Panels
 * draw their canvases through an OffscreenCanvas (panels/canvas.ts), so a canvas element's own
 * getContext cannot read them back; what the trader sees is the better thing to check anyway.
 */
export async function shownPixels(target: Locator): Promise<{ width: number; height: number; data: Uint8Array }> {
  const png = await target.screenshot({ animations: 'disabled' });
  // A string, not a function: this folder is type-checked without the DOM's types.
  const decode = `(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const copy = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = copy.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let text = '';
    for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return { width: bitmap.width, height: bitmap.height, rgba: btoa(text) };
  })(${JSON.stringify(png.toString('base64'))})`;
  const { width, height, rgba } = (await target.page().evaluate(decode)) as { width: number; height: number; rgba: string };
  return { width, height, data: new Uint8Array(Buffer.from(rgba, 'base64')) };
}

/** The commonest colour among `pixels` (every 7th sampled), as "r,g,b". */
export function commonestColour(pixels: { data: Uint8Array }): string {
  const counts = new Map<string, number>();
  const { data } = pixels;
  for (let i = 0; i < data.length; i += 4 * 7) {
    const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}
