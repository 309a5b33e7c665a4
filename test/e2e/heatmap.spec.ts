import { expect, test, type Page } from '@playwright/test';
import { expectReplayDone, openDashboard, openHeatmapWindow, SCREEN_SIZES, screenshotAtSizes, startReplay, stopReplay } from '../support/e2e-replay';

/**
 * The liquidity heatmap on real captures of different magnitudes, in its own window at three screen
 * sizes: dark background, distinct best bid/ask lines, hover read-out, and a frozen book (replay
 * ended) shown greyed and labelled instead of painted on.
 */

const CAPTURES = [
  // Kraken: 10 pairs, 30 s; the dashboard shows the first.
  { file: 'kraken_2021-04-17.capture.jsonl', speed: 1, playMs: 20_000 },
  // Bybit XRPUSDT (~2 USDT, 4.8 s of deltas): a fifth of real speed gives the heatmap ~24 s of columns.
  { file: 'bybit-linear_2024-12-01.capture.jsonl', speed: 0.2, playMs: 12_000, symbol: 'XRPUSDT' },
  // Binance USD-M ETHUSDT (~2,700 USDT, 2 min at depth 1000): 5× plays it in ~24 s.
  { file: 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', speed: 5, playMs: 18_000, symbol: 'ETHUSDT' },
];

test.afterEach(({ page }) => stopReplay(page));

/** Share of the plot's pixels that are dark (the background and thin liquidity), from a screenshot of the cells. */
async function darkShare(page: Page): Promise<number> {
  return page.locator('canvas.heatmap-cells').evaluate(async (el) => {
    const c = el as HTMLCanvasElement;
    const bitmap = await createImageBitmap(c);
    const copy = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    // The canvas holds the cells alone, one pixel per cell (the axes are on the overlay).
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! < 3 * 60) dark++;
    return dark / (data.length / 4);
  });
}

for (const cap of CAPTURES) {
  test(`heatmap of ${cap.file}: dark, two best lines, read-out, frozen at the end; three screen sizes`, async ({ page, context }, testInfo) => {
    test.setTimeout(150_000);
    await openDashboard(page);
    await startReplay(page, cap.file, cap.speed);
    if (cap.symbol) await expect(page.getByRole('table', { name: `Order book ladder for ${cap.symbol}` })).toBeVisible({ timeout: 10_000 });
    const heat = await openHeatmapWindow(context, 'heatmap-e2e');
    const img = heat.getByRole('img', { name: /^Liquidity heatmap for/ });
    // This Chromium runs without a GPU (--disable-gpu): its WebGL is software, so the cells are drawn in 2D.
    await expect(heat.locator('canvas.heatmap-cells')).toHaveAttribute('data-renderer', '2d');
    await heat.waitForTimeout(cap.playMs);
    const name = cap.file.replace(/\.capture\.jsonl$/, '');
    await screenshotAtSizes(heat, testInfo, `heatmap-${name}`);
    // Most of the plot is dark: walls stand out from a dark background, not a field of bright rows.
    expect(await darkShare(heat)).toBeGreaterThan(0.6);

    // Hover: the read-out names a time, a price range and a size.
    const box = (await img.boundingBox())!;
    await heat.mouse.move(box.x + box.width - 120, box.y + box.height / 2);
    const readout = heat.getByRole('status', { name: 'Heatmap read-out' });
    await expect(readout).toBeVisible();
    await expect(readout).toHaveText(/^\d\d:\d\d:\d\d\.\d{3} · [\d.]+ – [\d.]+ · (size [\d,.]+|no data)$/);
    await heat.screenshot({ path: testInfo.outputPath(`heatmap-${name}-hover.png`) });
    await heat.mouse.move(0, 0);

    // The end of the replay: the book is frozen, greyed and labelled, and no more columns are added.
    await page.evaluate(() => window.orderbook!.invoke('replay.control', { action: 'speed', speed: 0 }));
    await expectReplayDone(page, cap.file, 60_000);
    await expect(img).toHaveAttribute('data-frozen', 'true', { timeout: 5000 });
    const frozenCells = () => heat.locator('canvas.heatmap-cells').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await heat.waitForTimeout(600);
    const before = await frozenCells();
    await heat.waitForTimeout(1500);
    expect(await frozenCells()).toBe(before);
    await heat.screenshot({ path: testInfo.outputPath(`heatmap-${name}-frozen.png`) });
    await heat.close();
  });
}

test('the heatmap draws its cells with WebGL (asked for) or a 2D canvas, and both paths are timed to completion', async ({ page, context }, testInfo) => {
  test.setTimeout(150_000);
  await openDashboard(page);
  const timings: Record<string, number> = {};
  for (const renderer of ['webgl', '2d'] as const) {
    const heat = await openHeatmapWindow(context, 'heatmap-e2e', `&heatmapMeasure=1&heatmap=${renderer}`);
    await heat.setViewportSize({ width: 1920, height: 1080 });
    await expect(heat.locator('canvas.heatmap-cells')).toHaveAttribute('data-renderer', renderer);
    const img = heat.getByRole('img', { name: /^Liquidity heatmap for/ });
    // Cells are drawn once per 250 ms column: 40 draws take 10 s, longer on a loaded machine; the mean is
    // over the last 30 (after 10 warm-up draws).
    await expect.poll(async () => Number(await img.getAttribute('data-draws')), { timeout: 45_000 }).toBeGreaterThanOrEqual(40);
    timings[renderer] = Number(await img.getAttribute('data-draw-ms'));
    await heat.screenshot({ path: testInfo.outputPath(`heatmap-demo-${renderer}.png`) });
    await heat.close();
  }
  testInfo.annotations.push({ type: 'draw ms (mean of 30, 1920×1080, to completion)', description: JSON.stringify(timings) });
  console.log('heatmap cell draw ms', timings);
  for (const ms of Object.values(timings)) expect(ms).toBeGreaterThan(0);
});

test('past columns load from heatmap.history on open and when scrolling back; Live returns to the newest', async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  // Stand a history in for the host's in the page, built from the live stream's own grid, with a wall
  // 10 rows above mid so the loaded past is recognisable (the host's own is tested in replay.spec.ts).
  await page.addInitScript(() => {
    type Api = NonNullable<Window['orderbook']>;
    const calls: Array<{ from: number; to: number; rowStep?: number }> = [];
    (window as unknown as { historyCalls: typeof calls }).historyCalls = calls;
    let last: { basePrice: number; rowStep: number; sizes: number[]; bestBid: number | null; bestAsk: number | null } | null = null;
    let wrapped: Api | undefined;
    Object.defineProperty(window, 'orderbook', {
      configurable: true,
      get: () => wrapped,
      set(api: Api) {
        wrapped = {
          subscribe: ((stream: string, params: unknown, onFrame: (f: unknown) => void, onError?: (e: unknown) => void) =>
            api.subscribe(stream as never, params as never, (f: unknown) => {
              if (stream === 'book.heatmap') last = f as typeof last;
              onFrame(f);
            }, onError as never)) as Api['subscribe'],
          invoke: ((command: string, payload: { from: number; to: number; rowStep?: number; venue: string; symbol: string }) => {
            if (command !== 'heatmap.history') return api.invoke(command as never, payload as never);
            // Short ranges are the panel filling a skipped tick between two frames, not loads of the past.
            if (payload.to - payload.from > 5000) calls.push({ from: payload.from, to: payload.to, rowStep: payload.rowStep });
            const f = last!;
            const columns = [];
            const oldest = payload.to - 10 * 60_000;
            for (let t = Math.max(oldest, Math.ceil(payload.from / 250) * 250); t < payload.to; t += 250) {
              const sizes = f.sizes.map((s) => s / 4);
              sizes[f.sizes.length / 2 + 10] = 1e6;
              columns.push({ ts: t, basePrice: f.basePrice, sizes, bestBid: f.bestBid, bestAsk: f.bestAsk });
            }
            return Promise.resolve({ venue: payload.venue, symbol: payload.symbol, rowStep: f.rowStep, columnMs: 250, columns, oldestTs: oldest });
          }) as Api['invoke'],
        };
      },
    });
  });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/?panel=heatmap-history&kind=heatmap');
  const img = page.getByRole('img', { name: /^Liquidity heatmap for/ });
  await expect(img).toBeVisible({ timeout: 10_000 });
  const calls = () => page.evaluate(() => (window as unknown as { historyCalls: unknown[] }).historyCalls.length);
  await expect.poll(calls, { timeout: 10_000 }).toBe(1);
  const box = (await img.boundingBox())!;
  // Far left of the plot is a minute ago: only the history can have painted it.
  const readout = page.getByRole('status', { name: 'Heatmap read-out' });
  await page.mouse.move(box.x + 40, box.y + box.height / 2);
  await expect(readout).toHaveText(/ · size [\d,.]+$/);
  await page.screenshot({ path: testInfo.outputPath('heatmap-history-loaded.png') });
  // Drag to the right: back in time, following stops, and the history is asked for what lies before.
  await page.mouse.move(box.x + 200, box.y + 100);
  await page.mouse.down();
  await page.mouse.move(box.x + 1100, box.y + 100, { steps: 10 });
  await page.mouse.up();
  const live = page.getByRole('button', { name: 'Live ⇥' });
  await expect(live).toBeVisible();
  await expect.poll(calls, { timeout: 5000 }).toBeGreaterThan(1);
  const [first, second] = await page.evaluate(() => (window as unknown as { historyCalls: Array<{ from: number; to: number }> }).historyCalls);
  expect(second!.to).toBeLessThanOrEqual(first!.from + 250);
  await live.click();
  await expect(live).toBeHidden();
});

/** Share of the plot's pixels that are light (a light theme's background and thin liquidity). */
async function lightShare(page: Page): Promise<number> {
  return page.locator('canvas.heatmap-cells').evaluate(async (el) => {
    const c = el as HTMLCanvasElement;
    const bitmap = await createImageBitmap(c);
    const copy = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let light = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! + data[i + 1]! + data[i + 2]! > 3 * 200) light++;
    return light / (data.length / 4);
  });
}

/** The same store the settings page sets: every window of the app follows it. */
async function setTheme(page: Page, theme: 'dark' | 'light' | 'colour-blind'): Promise<void> {
  await page.evaluate((t) => {
    const text = JSON.stringify({ theme: t, numberFormat: 'grouped' });
    localStorage.setItem('obm.appearance.v1', text);
    new BroadcastChannel('obm:obm.appearance.v1').postMessage(text);
  }, theme);
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

for (const cap of CAPTURES) {
  test(`heatmap colour map per theme on ${cap.file}: dark, light (dark cells on light), colour-blind; three screen sizes`, async ({ page, context }, testInfo) => {
    test.setTimeout(150_000);
    await openDashboard(page);
    // A third of the other tests' speed: the replay is still playing (in colour, not frozen grey) when
    // the last screenshot is taken.
    await startReplay(page, cap.file, cap.speed / 3);
    if (cap.symbol) await expect(page.getByRole('table', { name: `Order book ladder for ${cap.symbol}` })).toBeVisible({ timeout: 10_000 });
    const heat = await openHeatmapWindow(context, 'heatmap-e2e');
    const img = heat.getByRole('img', { name: /^Liquidity heatmap for/ });
    await heat.waitForTimeout(cap.playMs / 2);
    const name = cap.file.replace(/\.capture\.jsonl$/, '');
    try {
      for (const theme of ['light', 'colour-blind', 'dark'] as const) {
        await setTheme(heat, theme);
        await expect(img).not.toHaveAttribute('data-frozen', 'true');
        for (const [w, h] of SCREEN_SIZES) {
          await heat.setViewportSize({ width: w, height: h });
          await heat.waitForTimeout(600);
          await heat.screenshot({ path: testInfo.outputPath(`heatmap-${theme}-${name}-${w}x${h}.png`) });
        }
        // Light: a light field with the liquidity dark on it; the dark themes: a dark field.
        if (theme === 'light') {
          expect(await lightShare(heat)).toBeGreaterThan(0.6);
          expect(await darkShare(heat)).toBeLessThan(0.2);
        } else {
          expect(await darkShare(heat)).toBeGreaterThan(0.6);
        }
      }
    } finally {
      await setTheme(heat, 'dark');
      await heat.close();
    }
  });
}
