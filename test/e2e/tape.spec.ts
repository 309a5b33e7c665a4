/**
 * The Time & Sales panel in Chromium against the `trades` stream of the contract. The main test answers
 * the page's `trades` subscriptions in the page with frames built from the real ETHUSDT prints of the
 * shared capture (each frame checked against the contract's schema first), so what it reads is known;
 * every other stream and command goes to the real web host. The last test uses the demo's own prints.
 */
import { expect, test, type Page } from '@playwright/test';
import { TradesFrameSchema, type TradePrint, type TradesFrame } from '../../src/shared/contract';
import { stopReplay } from '../support/e2e-replay';
import { ethusdtCapturePrints } from '../support/ethusdt-prints';
import { pickSymbol } from '../support/symbol-picker';

/** Frames as the publisher sends them: a backlog first, then the prints since the last tick. */
function frames(prints: TradePrint[], backlog: number, perFrame: number): TradesFrame[] {
  const out: TradesFrame[] = [];
  const frame = (trades: TradePrint[]): TradesFrame => TradesFrameSchema.parse({ venue: 'binance-usdm', symbol: 'ETHUSDT', trades, dropped: 0, priceDecimals: 2, sizeDecimals: 3 });
  out.push(frame(prints.slice(0, backlog)));
  for (let i = backlog; i < prints.length; i += perFrame) out.push(frame(prints.slice(i, i + perFrame)));
  return out;
}

async function serveTrades(page: Page, tradeFrames: TradesFrame[]): Promise<void> {
  await page.addInitScript((all: unknown[]) => {
    // Catch the web preload's `window.orderbook = …` and answer `trades` subscriptions here.
    type Api = { subscribe: (stream: unknown, params: unknown, onFrame: (f: unknown) => void, onError?: unknown) => () => void };
    let api: Api | undefined;
    Object.defineProperty(window, 'orderbook', {
      configurable: true,
      get: () => api,
      set(real: Api) {
        api = Object.freeze({
          ...real,
          subscribe(stream: unknown, params: unknown, onFrame: (f: unknown) => void, onError?: unknown) {
            if (stream !== 'trades') return real.subscribe(stream, params, onFrame, onError);
            let next = 0;
            const timer = setInterval(() => {
              if (next < all.length) onFrame(all[next++]);
            }, 50);
            return () => clearInterval(timer);
          },
        });
      },
    });
  }, tradeFrames);
}

async function openTape(page: Page) {
  await page.setViewportSize({ width: 1500, height: 950 });
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
  // The served prints are ETHUSDT's: show that symbol, so the panel's title says what it shows.
  await pickSymbol(page, 'eth usdt', 'ETH/USDT', 'ETHUSDT');
  // The default dashboard has the tape under the ladder.
  const panel = page.getByRole('region', { name: 'Time & Sales', exact: true });
  await expect(panel).toBeVisible();
  return panel;
}

test('Time & Sales shows real prints newest first, merges orders, filters, highlights and pauses on hover', async ({ page }, testInfo) => {
  const prints = ethusdtCapturePrints();
  expect(prints).toHaveLength(4029);
  await serveTrades(page, frames(prints, 300, 8));
  const panel = await openTape(page);
  const tape = panel.getByRole('table', { name: 'Time and sales' });
  const rows = tape.getByRole('row');
  await expect(rows.first()).toBeVisible({ timeout: 10_000 });

  // Newest on top: times never increase going down the visible rows.
  const times = await rows.locator('.time').allTextContents();
  expect(times.length).toBeGreaterThan(5);
  expect([...times].sort().reverse()).toEqual(times);
  // Prices as the instrument shows them, sides coloured by class.
  await expect(rows.first().locator('.price')).toHaveText(/^\d,\d{3}\.\d{2}$/);
  expect(await tape.locator('.tape-row.buy').count()).toBeGreaterThan(0);
  expect(await tape.locator('.tape-row.sell').count()).toBeGreaterThan(0);
  // Only the rows in view are in the page, however many lines the tape holds.
  await expect.poll(async () => Number(await tape.getAttribute('aria-rowcount')), { timeout: 15_000 }).toBeGreaterThan(200);
  expect(await rows.count()).toBeLessThan(80);

  // Merged orders (the default) show fewer lines than one per print; some carry a print count.
  await expect(tape.locator('.prints', { hasText: /^×\d+$/ }).first()).toBeVisible();
  const status = panel.getByLabel('Tape status');
  const merged = Number((await status.textContent())!.match(/(\d+) lines/)![1]);
  await panel.getByRole('button', { name: 'Merge orders' }).click();
  await expect(panel.getByRole('button', { name: 'Merge orders' })).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => Number((await status.textContent())!.match(/(\d+) lines/)![1])).toBeGreaterThan(merged);
  await expect(tape.locator('.prints', { hasText: /^×\d+$/ })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Merge orders' }).click();

  // Minimum size: every line shown is at least that big.
  await panel.getByRole('combobox', { name: 'Minimum size' }).selectOption('1');
  const sizes = async () => (await rows.locator('.size').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
  await expect.poll(async () => (await sizes()).length > 0 && (await sizes()).every((n) => n >= 1)).toBe(true);
  await panel.getByRole('combobox', { name: 'Minimum size' }).selectOption('0');

  // Large prints: with a fixed threshold of 1, exactly the lines of 1 or more are highlighted.
  await panel.getByRole('combobox', { name: 'Large print threshold' }).selectOption('size:1');
  const largeRows = () =>
    tape.evaluate((el) =>
      [...el.querySelectorAll('.tape-row')].map((row) => ({ size: Number(row.querySelector('.size')!.textContent!.replace(/,/g, '')), large: row.classList.contains('large') })),
    );
  // The rows in view move with the prints: wait for a view holding both kinds, each marked right.
  await expect
    .poll(async () => {
      const shown = await largeRows();
      return shown.every((r) => r.large === r.size >= 1) && shown.some((r) => r.large) && shown.some((r) => !r.large);
    })
    .toBe(true);
  await panel.getByRole('combobox', { name: 'Large print threshold' }).selectOption('median:10');

  // Hover pauses: the top line stays while new prints are counted; leaving resumes.
  await tape.hover();
  await expect(status).toContainText('Paused');
  const top = await rows.first().textContent();
  // What is seen is the canvas over the table: it draws the same lines, its top one read back from its data.
  const canvas = panel.locator('canvas.tape-canvas');
  const firstCells = await Promise.all(['.time', '.price', '.size'].map((cell) => rows.first().locator(cell).textContent()));
  await expect(canvas).toHaveAttribute('data-first', firstCells.join('|'));
  expect(Number(await canvas.getAttribute('data-lines'))).toBeGreaterThan(5);
  await expect.poll(async () => Number((await status.textContent())!.match(/Paused · (\d+) new/)?.[1] ?? 0), { timeout: 10_000 }).toBeGreaterThan(20);
  expect(await rows.first().textContent()).toBe(top);
  await page.mouse.move(5, 5);
  await expect(status).not.toContainText('Paused');
  await expect.poll(async () => rows.first().textContent(), { timeout: 10_000 }).not.toBe(top);
  await panel.screenshot({ path: testInfo.outputPath('panel-time-sales.png') });
  if (process.env.UPDATE_SCREENSHOTS) await panel.screenshot({ path: 'docs/screenshots/panel-time-sales.png' });
});

test('the "waiting for trades" placeholder goes on the frame the first lines are drawn, not up to half a second later', async ({ page }) => {
  // Every change of the canvas's drawn line count is checked, as it happens, against the placeholder
  // lying over it. The demo's first prints come after the tape's first (empty) paint.
  await page.addInitScript(() => {
    const seen = { drawn: 0, overlapped: 0 };
    (window as unknown as { tapeSeen: typeof seen }).tapeSeen = seen;
    new MutationObserver((records) => {
      for (const r of records) {
        const canvas = r.target as HTMLCanvasElement;
        if (!canvas.classList.contains('tape-canvas') || Number(canvas.dataset.lines) === 0) continue;
        seen.drawn++;
        const placeholder = canvas.parentElement!.querySelector<HTMLElement>('.empty-state');
        if (placeholder && !placeholder.hidden) seen.overlapped++;
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-lines'] });
  });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  // The host is shared: an earlier spec's replay would hold the dashboard on its capture's book.
  await stopReplay(page);
  await page.evaluate(() => localStorage.setItem('obm.links.v1', JSON.stringify({ dashboard: { venue: 'demo', symbol: 'BTCUSDT' } })));
  await page.reload();
  const panel = page.getByRole('region', { name: 'Time & Sales', exact: true });
  await expect(panel).toContainText('BTCUSDT', { timeout: 15_000 });
  await expect(panel.locator('canvas.tape-canvas')).toHaveAttribute('data-lines', /^[1-9]/, { timeout: 15_000 });
  await expect(panel.getByText('Waiting for trades…')).toBeHidden();
  const seen = await page.evaluate(() => (window as unknown as { tapeSeen: { drawn: number; overlapped: number } }).tapeSeen);
  expect(seen.drawn).toBeGreaterThan(0);
  expect(seen.overlapped).toBe(0);
});
