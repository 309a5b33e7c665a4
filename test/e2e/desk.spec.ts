import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Instrument } from '../../src/shared/market';
import { collectCapture } from '../support/desk';
import { freePort, natsServerPath, startNatsServer, type NatsCluster } from '../support/nats-server';
import { capture, repoRoot } from '../support/paths';

/**
 * Desk mode as a user sees it: real captures published through `collect --capture` into a real
 * nats-server, a web host of this test's own started with `--nats`, and the dashboard on it: the picker
 * lists the desk's books, the ladder shows the capture's final book (its best bid and ask equal
 * /api/book), the tape shows the trades from before the window opened, and the state badge reads
 * "ended" (the collector's capture played to its end), not live.
 */

const ETHUSDT: Instrument = {
  venue: 'binance-usdm',
  symbol: 'ETHUSDT',
  display: 'ETHUSDT',
  base: 'ETH',
  quote: 'USDT',
  tickSize: '0.01',
  lotSize: '0.001',
  pricePrecision: 2,
  sizePrecision: 3,
  status: 'trading',
};

let nats: NatsCluster | undefined;
let host: ChildProcess | undefined;
let hostUrl = '';

test.describe.configure({ mode: 'serial' });
test.skip(!natsServerPath(), 'nats-server is not installed (ensure-system-tool installs it in CI)');

test.beforeAll(async () => {
  test.setTimeout(180_000);
  nats = await startNatsServer();
  // The collector's data folder holds a saved Binance USD-M instrument list: it publishes ETHUSDT's.
  const collectorData = mkdtempSync(join(tmpdir(), 'obm-e2e-desk-collector-'));
  mkdirSync(join(collectorData, 'instruments'));
  writeFileSync(join(collectorData, 'instruments', 'binance-usdm.json'), JSON.stringify({ savedAt: Date.now(), instruments: [ETHUSDT] }));
  await collectCapture(nats.urls, capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl'), ['--data', collectorData]);
  await collectCapture(nats.urls, capture('coinbase_2021-04-17.capture.jsonl'), ['--data', mkdtempSync(join(tmpdir(), 'obm-e2e-desk-empty-'))]);

  const port = await freePort();
  hostUrl = `http://127.0.0.1:${port}`;
  const hostData = mkdtempSync(join(tmpdir(), 'obm-e2e-desk-host-'));
  host = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/main/web/main.ts'), '--port', String(port), '--data', hostData, '--nats', nats.urls], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  host.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  host.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`${hostUrl}/api/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline || host.exitCode !== null) throw new Error(`the desk web host did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

test.afterAll(async () => {
  host?.kill('SIGTERM');
  await nats?.stop();
});

async function pick(page: Page, query: string, option: RegExp, symbol: string): Promise<void> {
  const picker = page.getByRole('combobox', { name: 'Symbol', exact: true });
  await picker.click();
  await picker.fill(query);
  await expect(page.getByRole('option', { name: option }).first()).toBeVisible({ timeout: 10_000 });
  await page.getByRole('option', { name: option }).first().click();
  await expect(page.getByRole('table', { name: `Order book ladder for ${symbol}` })).toBeVisible({ timeout: 15_000 });
}

async function bestPrices(page: Page): Promise<[number, number]> {
  const bid = page.locator('tr[data-side="bid"].best td.price');
  const ask = page.locator('tr[data-side="ask"].best td.price');
  await expect(bid).toHaveText(/^[\d,]+(\.\d+)?$/, { timeout: 15_000 });
  await expect(ask).toHaveText(/^[\d,]+(\.\d+)?$/);
  const number = async (l: typeof bid) => Number((await l.textContent())!.replace(/,/g, ''));
  return [await number(bid), await number(ask)];
}

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1600, height: 1000 },
  { width: 1920, height: 1080 },
];

for (const book of [
  { venue: 'binance-usdm', symbol: 'ETHUSDT', query: 'ethusdt', option: /ETHUSDT/, priceText: /^\d,\d{3}\.\d{2}$/ },
  { venue: 'coinbase', symbol: 'SKL-USD', query: 'skl-usd', option: /SKL-USD/, priceText: /^0\.\d+$/ },
]) {
  test(`desk mode: ${book.symbol} from the desk shows the capture's final book, its trades and an ended badge`, async ({ page }) => {
    test.setTimeout(120_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize(VIEWPORTS[1]!);
    await page.goto(hostUrl);
    await expect(page.getByRole('combobox', { name: 'Symbol', exact: true })).toBeVisible({ timeout: 15_000 });
    await pick(page, book.query, book.option, book.symbol);

    const apiBook = async () => (await fetch(`${hostUrl}/api/book?venue=${book.venue}&symbol=${encodeURIComponent(book.symbol)}&levels=1`)).json();
    await expect.poll(async () => (await apiBook()).state, { timeout: 15_000 }).toBe('synced');
    const api = await apiBook();
    await expect.poll(() => bestPrices(page), { timeout: 15_000 }).toEqual([Number(api.bids[0][0]), Number(api.asks[0][0])]);

    // The tape starts with the prints published before this window opened.
    const tape = page.getByRole('region', { name: 'Time & Sales', exact: true }).getByRole('table', { name: 'Time and sales' });
    await expect(tape.locator('.tape-row').first()).toBeVisible({ timeout: 15_000 });
    await expect(tape.locator('.tape-row').first().locator('.price')).toHaveText(book.priceText);

    // The collector's capture has ended: the book is final, not live.
    await expect(page.getByRole('region', { name: 'DOM ladder', exact: true }).getByRole('status', { name: /^Feed state/ })).toHaveText('ended', { timeout: 10_000 });
    await expect(page.getByRole('status', { name: 'Feed state: live' })).toHaveCount(0);

    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(500);
      await page.screenshot({ path: test.info().outputPath(`desk-${book.symbol}-${viewport.width}x${viewport.height}.png`) });
    }
    expect(errors).toEqual([]);
  });
}
