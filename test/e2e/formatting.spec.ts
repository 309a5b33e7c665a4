/**
 * Real markets of very different price magnitudes, replayed in the app, at three window sizes: the
 * header never overlaps, labelled cells never clip their text, and every chart axis shows distinct
 * labels at the instrument's precision. Screenshots of each go to the test artifacts (and, with
 * UPDATE_SCREENSHOTS=1, a few into docs/screenshots for the README).
 */
import { expect, test, type Page } from '@playwright/test';
import { expectReplayDone, playMarket, SCREEN_SIZES, stopReplay, type ReplayedMarket } from '../support/e2e-replay';

interface Market extends ReplayedMarket {
  /** Decimals of the instrument's prices, as the book's own texts carry them. */
  priceDecimals: number;
  /** Roughly where the price was, to tell the right book is on screen. */
  near: [number, number];
  /** Whether the capture holds trades for it (its README lists the captures without). */
  trades: boolean;
}

const MARKETS: Market[] = [
  { file: 'kraken_2021-04-17.capture.jsonl', venue: 'kraken', symbol: 'KSM/XBT', priceDecimals: 6, near: [0.005, 0.012], speed: 3, trades: false },
  { file: 'bybit-linear_2024-12-01.capture.jsonl', venue: 'bybit-linear', symbol: 'XRPUSDT', priceDecimals: 4, near: [0.4, 3], speed: 1, trades: false },
  { file: 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', venue: 'binance-usdm', symbol: 'ETHUSDT', priceDecimals: 2, near: [2000, 3000], speed: 12, trades: true },
  { file: 'okx_2022-05-13.capture.jsonl', venue: 'okx', symbol: 'BTC-USDT', priceDecimals: 1, near: [25_000, 35_000], speed: 1, trades: true },
];

// The host is shared by every test: never leave it replaying.
test.afterEach(({ page }) => stopReplay(page));

/** Plays the market's capture to its end, then adds a Metrics panel (its cells are checked too). */
async function replay(page: Page, m: Market): Promise<void> {
  await playMarket(page, m);
  await expectReplayDone(page, m.file, 60_000);
  await page.getByRole('button', { name: '+ Add panel' }).click();
  await page.getByRole('menuitem', { name: 'Metrics', exact: true }).click();
}

/** Header controls whose boxes intersect (each pair once), by their text. */
async function headerOverlaps(page: Page): Promise<string[]> {
  return page.locator('.app-header').evaluate((header) => {
    const items = [...header.querySelectorAll('h1, input, button, select, .record-status, .replay-name, .replay-time, progress, .venue-pill')]
      .filter((el) => (el as HTMLElement).offsetParent !== null && el.getBoundingClientRect().width > 0 && !el.closest('[role="menu"], [role="listbox"]'))
      .filter((el) => !(el.classList.contains('record-status') && el.textContent === ''));
    // Nested items (a button inside the replay bar) are separate boxes; an element never overlaps its ancestor.
    const out: string[] = [];
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const a = items[i]!;
        const b = items[j]!;
        if (a.contains(b) || b.contains(a)) continue;
        const r = a.getBoundingClientRect();
        const s = b.getBoundingClientRect();
        const overlapX = Math.min(r.right, s.right) - Math.max(r.left, s.left);
        const overlapY = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
        if (overlapX > 1 && overlapY > 1) out.push(`${a.textContent || a.getAttribute('aria-label')} × ${b.textContent || b.getAttribute('aria-label')}`);
      }
    }
    return out;
  });
}

/** Table cells, metric values and header buttons whose text is wider than their box. */
async function clippedCells(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const cells = [...document.querySelectorAll('table td, table th, .metrics-grid dd, .impact-summary dd, .app-header button, .venue-pill')];
    return cells
      .filter((el) => (el as HTMLElement).offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()} "${el.textContent}" ${el.scrollWidth} > ${el.clientWidth}`);
  });
}

function decimalsOf(label: string): number {
  const m = /\.(\d+)/.exec(label);
  return m ? m[1]!.length : 0;
}

function expectDistinctPriceLabels(text: string | null, decimals: number, where: string): void {
  const labels = (text ?? '').split(' | ').filter(Boolean);
  expect(labels.length, `${where}: labels ${text}`).toBeGreaterThanOrEqual(2);
  expect(new Set(labels).size, `${where}: repeated labels ${text}`).toBe(labels.length);
  for (const l of labels) expect(decimalsOf(l), `${where}: "${l}" at the instrument's ${decimals} decimals`).toBe(decimals);
}

for (const m of MARKETS) {
  test(`${m.venue} ${m.symbol}: header, cells and axes at 1280, 1600 and 1920 px`, async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: 1600, height: 1000 });
    await replay(page, m);

    // The right book, priced at its own precision, grouped.
    const bestBid = (await page.locator('tr[data-side="bid"].best td.price').textContent())!;
    expect(decimalsOf(bestBid)).toBe(m.priceDecimals);
    const bid = Number(bestBid.replace(/,/g, ''));
    expect(bid).toBeGreaterThan(m.near[0]);
    expect(bid).toBeLessThan(m.near[1]);
    if (bid >= 1000) expect(bestBid).toContain(',');

    const depthBox = page.getByRole('img', { name: `Depth chart for ${m.symbol}` });
    const seriesBox = page.getByRole('img', { name: `Bid, ask and mid over time for ${m.symbol}` });
    for (const [width, height] of SCREEN_SIZES) {
      await page.setViewportSize({ width, height });
      const where = `${m.symbol} at ${width}×${height}`;
      // Let the charts lay out and draw at this size.
      await expect.poll(() => depthBox.getAttribute('data-x-labels'), { timeout: 10_000 }).toBeTruthy();
      await page.waitForTimeout(500);
      await page.screenshot({ path: testInfo.outputPath(`${m.venue}-${width}.png`) });
      if (process.env.UPDATE_SCREENSHOTS && width === 1600) await page.screenshot({ path: `docs/screenshots/replay-${m.venue}-${m.symbol.replace(/\W/g, '')}.png` });

      expect(await headerOverlaps(page), `${where}: header overlaps`).toEqual([]);
      expect(await clippedCells(page), `${where}: clipped cells`).toEqual([]);

      expectDistinctPriceLabels(await depthBox.getAttribute('data-x-labels'), m.priceDecimals, `${where} depth x axis`);
      const y = ((await depthBox.getAttribute('data-y-labels')) ?? '').split(' | ').filter(Boolean);
      expect(y.length, `${where}: depth y labels`).toBeGreaterThanOrEqual(2);
      expect(new Set(y).size, `${where}: depth y labels ${y.join(' ')}`).toBe(y.length);
      // Leading digits are never lost: every label starts with a digit other than a bare group of zeros.
      for (const l of y) expect(l, `${where}: depth y label`).toMatch(/^(0|[1-9][\d,]*)(\.\d+)?[KMBT]?$|^0\.\d+$/);

      await expect.poll(() => seriesBox.getAttribute('data-price-labels'), { timeout: 10_000 }).toBeTruthy();
      expectDistinctPriceLabels(await seriesBox.getAttribute('data-price-labels'), m.priceDecimals, `${where} time series price axis`);
      // The volume pane has a scale only once trades have filled it (the capture's README says which hold none).
      const volumeLabels = ((await seriesBox.getAttribute('data-volume-labels')) ?? '').split(' | ').filter(Boolean);
      if (m.trades) expect(volumeLabels.length, `${where}: volume labels`).toBeGreaterThanOrEqual(1);
      else expect(volumeLabels, `${where}: a volume pane without trades has no scale`).toEqual([]);

    }
    expect(errors).toEqual([]);
  });
}

test('live demo: header and cells at 1280, 1600 and 1920 px', async ({ page }, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
  for (const [width, height] of SCREEN_SIZES) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(500);
    const where = `demo at ${width}×${height}`;
    expect(await headerOverlaps(page), `${where}: header overlaps`).toEqual([]);
    expect(await clippedCells(page), `${where}: clipped cells`).toEqual([]);
    // One header row when nothing is replaying, from 1280 px up.
    const header = await page.locator('.app-header').boundingBox();
    expect(header!.height, `${where}: header height`).toBeLessThan(52);
    await page.screenshot({ path: testInfo.outputPath(`demo-${width}.png`) });
  }
});
