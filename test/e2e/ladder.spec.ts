import { expect, test, type Page } from '@playwright/test';
import { expectReplayDone, linkCapture } from '../support/e2e-replay';
import { pickSymbol } from '../support/symbol-picker';

/** The painted grid as the canvas reports it: one row per price step, top row first. */
interface PaintedGrid {
  rows: Array<{ bid: string; price: string; ask: string }>;
  rowCount: number;
  step: string;
  walls: number;
  canvasHeight: number;
}

const ladderCanvas = (page: Page) => page.getByRole('img', { name: /^Price ladder for/ });

async function readGrid(page: Page): Promise<PaintedGrid> {
  return ladderCanvas(page).evaluate((canvas) => ({
    rows: (canvas.dataset.grid ?? '').split(';').map((r) => {
      const [bid, price, ask] = r.split('|');
      return { bid: bid!, price: price!, ask: ask! };
    }),
    rowCount: Number(canvas.dataset.rows),
    step: canvas.dataset.step ?? '',
    walls: Number(canvas.dataset.walls),
    canvasHeight: canvas.getBoundingClientRect().height,
  }));
}

/**
 * The grid once it has stopped moving: a wheel can arrive as several events on a loaded machine, so
 * the top row is read every 300 ms until two reads agree.
 */
async function settledGrid(page: Page): Promise<PaintedGrid> {
  let last = await readGrid(page);
  await expect
    .poll(
      async () => {
        await page.waitForTimeout(300);
        const now = await readGrid(page);
        const settled = now.rows[0]!.price === last.rows[0]!.price;
        last = now;
        return settled;
      },
      { timeout: 10_000 },
    )
    .toBe(true);
  return last;
}

const num = (text: string) => Number(text.replace(/,/g, ''));
const decimalsOf = (text: string) => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);

/** What every painted grid must satisfy, whatever the market. */
function expectSoundGrid(grid: PaintedGrid, bestBid: string, bestAsk: string): void {
  // As many rows as fit: 18 px rows under a 20 px header.
  expect(grid.rows).toHaveLength(grid.rowCount);
  expect(20 + grid.rowCount * 18).toBeLessThanOrEqual(grid.canvasHeight);
  expect(20 + (grid.rowCount + 1) * 18).toBeGreaterThan(grid.canvasHeight);
  // Evenly spaced prices, one step apart, descending; every price shown with the same decimals.
  const step = num(grid.step);
  expect(step).toBeGreaterThan(0);
  const shownDecimals = decimalsOf(grid.rows[0]!.price);
  grid.rows.forEach((r, i) => {
    expect(decimalsOf(r.price)).toBe(shownDecimals);
    if (i > 0) expect(num(grid.rows[i - 1]!.price) - num(r.price)).toBeCloseTo(step, 9);
  });
  // The best prices sit on their rows; no bid above the best bid, no ask below the best ask.
  const bidRow = grid.rows.findIndex((r) => num(r.price) === Number(bestBid));
  const askRow = grid.rows.findIndex((r) => num(r.price) === Number(bestAsk));
  expect(bidRow).toBeGreaterThan(askRow);
  expect(askRow).toBeGreaterThanOrEqual(0);
  expect(grid.rows[bidRow]!.bid).not.toBe('');
  expect(grid.rows[askRow]!.ask).not.toBe('');
  grid.rows.forEach((r, i) => {
    if (i < bidRow) expect(r.bid).toBe('');
    if (i > askRow) expect(r.ask).toBe('');
  });
  // Empty prices are rows too (the spread at least, or gaps in the book) unless the book is dense.
  // One size column never mixes decimals ("325,740" beside "98,634.0000").
  const sizes = grid.rows.flatMap((r) => [r.bid, r.ask]).filter(Boolean);
  expect(new Set(sizes.map(decimalsOf)).size).toBe(1);
  expect(grid.walls).toBeLessThanOrEqual(3);
}

/** A price text as the ladder shows it: thousands grouped ("2680.5" → "2,680.5"). */
function withThousands(text: string): string {
  const [int, frac] = text.split('.');
  return int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac === undefined ? '' : `.${frac}`);
}

async function bestPrices(page: Page): Promise<{ bid: string; ask: string }> {
  const ladder = page.getByRole('table', { name: /Order book ladder for/ });
  return ladder.evaluate((table) => ({
    bid: (table.querySelector('tr[data-side="bid"] td.price')!.textContent ?? '').replace(/,/g, ''),
    ask: (table.querySelector('tr[data-side="ask"] td.price')!.textContent ?? '').replace(/,/g, ''),
  }));
}

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.orderbook?.invoke('replay.control', { action: 'stop' })).catch(() => {});
});

test('the ladder is a price grid that fills the panel, scrolls by price and recentres on the spread', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto('/');
  await expect(ladderCanvas(page)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('table', { name: /Order book ladder for/ }).locator('tr[data-side="bid"] td.price')).toHaveText(/^\d{1,3}(,\d{3})*\.\d+$/);
  const recenter = page.getByRole('button', { name: 'Recenter on spread' });
  await expect(recenter).toHaveClass(/active/);

  const { bid, ask } = await bestPrices(page);
  const before = await readGrid(page);
  // The demo book moves constantly: check the grid against the best prices read in the same instant.
  const consistent = await ladderCanvas(page).evaluate((canvas) => {
    const table = canvas.parentElement!.querySelector('table')!;
    return {
      grid: canvas.dataset.grid ?? '',
      bid: (table.querySelector('tr[data-side="bid"] td.price')!.textContent ?? '').replace(/,/g, ''),
      ask: (table.querySelector('tr[data-side="ask"] td.price')!.textContent ?? '').replace(/,/g, ''),
    };
  });
  expect(Number(bid)).toBeLessThan(Number(ask));
  const bestBidRow = consistent.grid.split(';').find((r) => num(r.split('|')[1]!) === Number(consistent.bid));
  expect(bestBidRow?.split('|')[0]).not.toBe('');
  expect(before.rowCount).toBeGreaterThan(30);

  // Five rows' worth of wheel: the grid stops following the spread and then holds still as the book moves.
  await ladderCanvas(page).hover();
  await page.mouse.wheel(0, 18 * 5);
  await expect(recenter).not.toHaveClass(/active/);
  // The wheel can arrive as several events on a loaded machine: wait until the grid has settled after it.
  const scrolled = await settledGrid(page);
  await page.waitForTimeout(600);
  expect((await readGrid(page)).rows[0]!.price).toBe(scrolled.rows[0]!.price);
  await page.screenshot({ path: testInfo.outputPath('ladder-scrolled.png') });
  // From there, three rows down by wheel and one back up by keyboard, exactly.
  const step = num(scrolled.step);
  const top = num(scrolled.rows[0]!.price);
  await page.mouse.wheel(0, 18 * 3);
  await expect.poll(async () => num((await readGrid(page)).rows[0]!.price)).toBeCloseTo(top - 3 * step, 9);
  await ladderCanvas(page).focus();
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => num((await readGrid(page)).rows[0]!.price)).toBeCloseTo(top - 2 * step, 9);
  await page.keyboard.press('c');
  await expect(recenter).toHaveClass(/active/);
  await page.mouse.wheel(0, -18 * 40);
  await expect(recenter).not.toHaveClass(/active/);
  await recenter.click();
  await expect(recenter).toHaveClass(/active/);
  await expect
    .poll(async () => {
      const g = await readGrid(page);
      const b = await bestPrices(page);
      return g.rows.some((r) => num(r.price) === Number(b.bid) && r.bid !== '');
    })
    .toBe(true);

  // Another symbol starts a fresh view that follows its spread, and scrolls like the first.
  await ladderCanvas(page).hover();
  await page.mouse.wheel(0, 18 * 3);
  await expect(recenter).not.toHaveClass(/active/);
  const picker = page.getByRole('combobox', { name: 'Symbol', exact: true });
  await picker.click();
  await picker.fill('eth usdt');
  await picker.press('Enter');
  await expect(page.getByRole('img', { name: 'Price ladder for ETHUSDT' })).toBeVisible({ timeout: 10_000 });
  await expect(recenter).toHaveClass(/active/);
  // A feed just started shows its state before its first book: wait for the grid.
  await expect.poll(async () => (await readGrid(page)).rows[0]!.price ?? '', { timeout: 10_000 }).toMatch(/\d/);
  // A wheel stops the following; the demo's spread can move many rows before it lands, so the exact
  // check is made from where the grid settled: four rows up by wheel move the top row four steps up.
  await ladderCanvas(page).hover();
  await page.mouse.wheel(0, -18);
  await expect(recenter).not.toHaveClass(/active/);
  const eth = await settledGrid(page);
  await page.mouse.wheel(0, -18 * 4);
  await expect.poll(async () => num((await readGrid(page)).rows[0]!.price)).toBeCloseTo(num(eth.rows[0]!.price) + 4 * num(eth.step), 9);

  // Cumulative columns are optional and remembered.
  await page.getByRole('checkbox', { name: 'Show cumulative size' }).check();
  await page.reload();
  await expect(page.getByRole('checkbox', { name: 'Show cumulative size' })).toBeChecked({ timeout: 15_000 });
  await expect(ladderCanvas(page)).toBeVisible({ timeout: 15_000 });
  await page.getByRole('region', { name: 'DOM ladder', exact: true }).screenshot({ path: testInfo.outputPath('ladder-cumulative.png') });
  expect(errors).toEqual([]);
});

test('on a high-density screen the canvas has a pixel per device pixel', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto('/');
  await expect(ladderCanvas(page)).toBeVisible({ timeout: 15_000 });
  await expect.poll(async () => (await readGrid(page)).rowCount).toBeGreaterThan(10);
  const size = await ladderCanvas(page).evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    return { width: canvas.width, height: canvas.height, cssWidth: canvas.getBoundingClientRect().width, cssHeight: canvas.getBoundingClientRect().height };
  });
  expect(size.width).toBe(Math.round(size.cssWidth * 2));
  expect(size.height).toBe(Math.round(size.cssHeight * 2));
  await page.getByRole('region', { name: 'DOM ladder', exact: true }).screenshot({ path: testInfo.outputPath('ladder-dpr2.png') });
  await context.close();
});

/** Real captures of several price magnitudes, and the final book each replay must show. */
const MARKETS = [
  { file: 'kraken_2021-04-17.capture.jsonl', search: 'ksm', symbol: 'KSM/XBT', bid: '0.007560', ask: '0.007566' },
  { file: 'bybit-linear_2024-12-01.capture.jsonl', search: 'xrp', symbol: 'XRPUSDT', bid: '1.9537', ask: '1.9538' },
  // Its last print (trade 4308072551) lifted the ask at 2680.19: the ladder marks that row as a buy.
  { file: 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', search: 'eth', symbol: 'ETHUSDT', bid: '2680.18', ask: '2680.19', lastTrade: '2,680.19|buy' },
  { file: 'okx_2022-05-13.capture.jsonl', search: 'btc usdt', symbol: 'BTC-USDT', bid: '30236.1', ask: '30236.2' },
];
const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1600, height: 1000 },
  { width: 1920, height: 1080 },
];

for (const market of MARKETS) {
  test(`a replayed ${market.symbol} book shows on the grid at every screen size`, async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    linkCapture(market.file);
    await page.setViewportSize(VIEWPORTS[0]!);
    await page.goto('/');
    await expect(ladderCanvas(page)).toBeVisible({ timeout: 15_000 });
    await page.evaluate((name) => window.orderbook!.invoke('replay.open', { name, speed: 0 }), market.file);
    await expectReplayDone(page, market.file, 60_000);
    await pickSymbol(page, market.search, market.symbol, market.symbol, 15_000);
    const summary = page.getByRole('table', { name: `Order book ladder for ${market.symbol}` });
    await expect(summary.locator('tr[data-side="bid"] td.price')).toHaveText(new RegExp(`^${withThousands(market.bid).replace('.', '\\.')}0*$`));
    await expect(summary.locator('tr[data-side="ask"] td.price')).toHaveText(new RegExp(`^${withThousands(market.ask).replace('.', '\\.')}0*$`));

    const panel = page.getByRole('region', { name: 'DOM ladder', exact: true });
    const slug = market.symbol.replace(/\W+/g, '').toLowerCase();
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await expect.poll(async () => Math.abs((await readGrid(page)).canvasHeight - ((await readGrid(page)).rowCount * 18 + 20)) < 18).toBe(true);
      const grid = await readGrid(page);
      expectSoundGrid(grid, market.bid, market.ask);
      await panel.screenshot({ path: testInfo.outputPath(`ladder-${slug}-${viewport.width}x${viewport.height}.png`) });
    }
    if (market.lastTrade) {
      const canvas = ladderCanvas(page);
      await expect(canvas).toHaveAttribute('data-last-trade', market.lastTrade);
      // Traded volume columns on demand: sold | bought per row, numbers on the rows that traded.
      await expect(canvas).toHaveAttribute('data-volume', '');
      await page.getByRole('checkbox', { name: 'Show traded volume' }).check();
      await expect(canvas).toHaveAttribute('data-volume', /\d/);
      const volumes = (await canvas.getAttribute('data-volume'))!.split(';');
      const rows = (await readGrid(page)).rows;
      const lastRow = rows.findIndex((r) => `${r.price}|buy` === market.lastTrade);
      expect(lastRow).toBeGreaterThanOrEqual(0);
      expect(volumes[lastRow]).toMatch(/\|\d/);
      await panel.screenshot({ path: testInfo.outputPath(`ladder-${slug}-volume.png`) });
      await page.getByRole('checkbox', { name: 'Show traded volume' }).uncheck();
    }
    // Grouped 10 ticks to a row: the grid's step grows tenfold and the book still sits on it.
    const ungrouped = num((await readGrid(page)).step);
    await page.getByRole('combobox', { name: 'Price grouping in ticks' }).selectOption('10');
    await expect.poll(async () => num((await readGrid(page)).step) / ungrouped, { timeout: 10_000 }).toBeCloseTo(10, 6);
    const grouped = await readGrid(page);
    testInfo.annotations.push({ type: 'grouped step', description: grouped.step });
    await panel.screenshot({ path: testInfo.outputPath(`ladder-${slug}-grouped.png`) });
    await page.getByRole('combobox', { name: 'Price grouping in ticks' }).selectOption('1');
  });
}
