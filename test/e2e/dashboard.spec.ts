import { expect, test } from '@playwright/test';
import { pickSymbol } from '../support/symbol-picker';

test('the dashboard shows a live ladder that moves, and the symbol picker switches it', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');

  const ladder = page.getByRole('table', { name: /Order book ladder for/ });
  await expect(ladder).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('img', { name: /^Price ladder for/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'DOM ladder', exact: true }).getByRole('status', { name: 'Feed state: live' })).toBeVisible();

  // The painted grid: prices descend a step per row, sizes sit on their side of the book, and the
  // best bid is below the best ask. Read it in one go: the ladder repaints up to 20 times a second.
  const { grid, bestBid, bestAsk } = await page.getByRole('img', { name: /^Price ladder for/ }).evaluate((canvas) => {
    const table = canvas.parentElement!.querySelector('table')!;
    return {
      grid: (canvas.dataset.grid ?? '').split(';').map((row) => row.split('|')),
      bestBid: Number(table.querySelector('tr[data-side="bid"] td.price')!.textContent!.replace(/,/g, '')),
      bestAsk: Number(table.querySelector('tr[data-side="ask"] td.price')!.textContent!.replace(/,/g, '')),
    };
  });
  const prices = grid.map(([, price]) => Number(price!.replace(/,/g, '')));
  expect([...prices].sort((a, b) => b - a)).toEqual(prices);
  expect(bestBid).toBeLessThan(bestAsk);
  grid.forEach(([bid, price, ask]) => {
    const p = Number(price!.replace(/,/g, ''));
    if (bid) expect(p).toBeLessThanOrEqual(bestBid);
    if (ask) expect(p).toBeGreaterThanOrEqual(bestAsk);
  });

  // Prices change over time.
  const before = (await ladder.locator('tbody').textContent()) ?? '';
  await expect.poll(async () => (await ladder.locator('tbody').textContent()) !== before, { timeout: 10_000 }).toBe(true);
  const health = page.getByRole('table', { name: 'Feed health' });
  await expect(health.getByRole('cell', { name: 'synced' }).first()).toBeVisible({ timeout: 5000 });
  await page.screenshot({ path: testInfo.outputPath('dashboard.png') });

  // Pick another symbol with the keyboard.
  await pickSymbol(page, 'eth usdt', 'ETH/USDT', 'ETHUSDT');
  await expect(page.getByRole('img', { name: 'Price ladder for ETHUSDT' })).toBeVisible();
  // A feed just started shows its state before its first book: wait for a price.
  await expect(page.locator('tr[data-side="bid"].best td.price')).toHaveText(/^[\d,]+\.\d+$/, { timeout: 10_000 });
  const ethBid = Number((await page.locator('tr[data-side="bid"].best td.price').textContent())!.replace(/,/g, ''));
  expect(ethBid).toBeGreaterThan(1000);
  expect(ethBid).toBeLessThan(10_000);

  // The choice survives a reload.
  await page.reload();
  await expect(page.getByRole('table', { name: 'Order book ladder for ETHUSDT' })).toBeVisible({ timeout: 10_000 });
  expect(errors).toEqual([]);
});

test('GET /api/health reports per-symbol state, uptime and memory', async ({ request, page }) => {
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
  const res = await request.get('/api/health');
  expect(res.ok()).toBe(true);
  const health = await res.json();
  expect(health.uptimeSec).toBeGreaterThanOrEqual(0);
  expect(health.memory.rssBytes).toBeGreaterThan(0);
  expect(health.venues[0]).toMatchObject({ id: 'demo', status: 'ok' });
  const synced = health.symbols.filter((s: { state: string }) => s.state === 'synced');
  expect(synced.length).toBeGreaterThan(0);
  for (const s of synced) {
    expect(s.gaps).toBe(0);
    expect(s.bboFailed).toBe(0);
    expect(s.crossed).toBe(0);
  }
});

test('an unknown symbol gets a clear message, not a crash', async ({ page }) => {
  await page.goto('/');
  const result = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        window.orderbook!.subscribe('book.ladder', { venue: 'demo', symbol: 'NOPEUSDT', depth: 20 }, () => resolve('frame'), (e) => resolve(e.message));
      }),
  );
  expect(result).toBe('NOPEUSDT is not listed on Demo (synthetic market)');
  const bad = await page.evaluate(() =>
    window.orderbook!.invoke('instruments.list', { venue: 'nowhere' } as never).then(
      () => 'ok',
      (e: Error) => e.message,
    ),
  );
  expect(bad).toMatch(/^instruments.list: venue:/);
});

test('records the current symbol from the dashboard', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: 'Start recording' }).click();
  const status = page.getByRole('status', { name: 'Recording status' });
  await expect(status).toContainText(/REC \w+ · \d+ s · \d+/, { timeout: 5000 });
  await page.waitForTimeout(1200);
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(status).toContainText(/saved .*recordings.*\.capture\.jsonl\.gz/, { timeout: 5000 });
});

test('exports the recorded top of book as CSV with progress, and a depth snapshot as JSON', async ({ page, request }) => {
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
  // Let a few seconds of top-of-book changes reach the database.
  await page.waitForTimeout(3000);
  await page.getByRole('button', { name: /Export .* top of book as CSV/ }).click();
  const link = page.getByRole('status', { name: 'Export status' }).getByRole('link', { name: /Download CSV \([\d,]+ rows\)/ });
  await expect(link).toBeVisible({ timeout: 20_000 });
  const href = await link.getAttribute('href');
  const csv = await (await request.get(href!)).text();
  const lines = csv.trim().split('\n');
  expect(lines[0]).toBe('ts_iso,provider,symbol,bid,ask,spread,mid,bid_size,ask_size');
  expect(lines.length).toBeGreaterThan(5);
  const [ts, provider, symbol, bid, ask, spread, mid] = lines[1]!.split(',');
  expect(new Date(ts!).toISOString()).toBe(ts);
  expect(provider).toBe('demo');
  expect(symbol).toMatch(/USDT$|BTC$/);
  expect(Number(ask) - Number(bid)).toBeCloseTo(Number(spread), 8);
  expect((Number(ask) + Number(bid)) / 2).toBeCloseTo(Number(mid), 8);

  await page.getByRole('button', { name: /Export .* depth snapshot as JSON/ }).click();
  const depthLink = page.getByRole('status', { name: 'Depth snapshot status' }).getByRole('link');
  await expect(depthLink).toBeVisible({ timeout: 10_000 });
  const depth = await (await request.get((await depthLink.getAttribute('href'))!)).json();
  expect(depth.bids.length).toBe(40);
  expect(depth.asks.length).toBe(40);
});

test('exports the recorded trades as CSV from the same controls, served the same way', async ({ page, request }) => {
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
  await page.getByRole('button', { name: /Export .* trades as CSV/ }).click();
  const link = page.getByRole('status', { name: 'Export status' }).getByRole('link', { name: /Download trades CSV \([\d,]+ rows\)/ });
  await expect(link).toBeVisible({ timeout: 20_000 });
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/api\/exports\/demo_[A-Z]+_trades_\d{8}T\d{6}Z_[0-9a-f]{12}\.csv$/);
  const response = await request.get(href!);
  expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
  const lines = (await response.text()).trim().split('\n');
  expect(lines[0]).toBe('ts_iso,provider,symbol,trade_id,side,price,size');
  // Whatever the demo printed: one well-formed print per line.
  for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,demo,[A-Z]+,[^,]*,(buy|sell|unknown),\d+(\.\d+)?,\d+(\.\d+)?$/);
  expect(Number((await link.textContent())!.match(/\(([\d,]+) rows\)/)![1]!.replace(/,/g, ''))).toBe(lines.length - 1);
});
