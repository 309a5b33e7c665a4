import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startDeskWithCaptures, startWebHost } from '../support/desk';
import { screenshotAtSizes } from '../support/e2e-replay';
import { natsServerPath, type NatsCluster } from '../support/nats-server';

/**
 * Desk mode as a user sees it: real captures published through `collect --capture` into a real
 * nats-server, a web host of this test's own started with `--nats`, and the dashboard on it: the picker
 * lists the desk's books, the ladder shows the capture's final book (its best bid and ask equal
 * /api/book), the tape shows the trades from before the window opened, and the state badge reads
 * "ended" (the collector's capture played to its end), not live.
 */

let nats: NatsCluster | undefined;
let host: Awaited<ReturnType<typeof startWebHost>> | undefined;
let hostUrl = '';

test.describe.configure({ mode: 'serial' });
test.skip(!natsServerPath(), 'nats-server is not installed (ensure-system-tool installs it in CI)');

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Binance USD-M ETHUSDT published with its instrument, Coinbase 2021-04-17 without any.
  nats = (await startDeskWithCaptures()).nats;
  host = await startWebHost(['--data', mkdtempSync(join(tmpdir(), 'obm-e2e-desk-host-')), '--nats', nats.urls]);
  hostUrl = host.url;
});

test.afterAll(async () => {
  host?.child.kill('SIGTERM');
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

for (const book of [
  { venue: 'binance-usdm', symbol: 'ETHUSDT', query: 'ethusdt', option: /ETHUSDT/, priceText: /^\d,\d{3}\.\d{2}$/ },
  { venue: 'coinbase', symbol: 'SKL-USD', query: 'skl-usd', option: /SKL-USD/, priceText: /^0\.\d+$/ },
]) {
  test(`desk mode: ${book.symbol} from the desk shows the capture's final book, its trades and an ended badge`, async ({ page }) => {
    test.setTimeout(120_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: 1600, height: 1000 });
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

    await screenshotAtSizes(page, test.info(), `desk-${book.symbol}`, 500);
    expect(errors).toEqual([]);
  });
}
