/**
 * The Footprint and Traded volume profile panels in Chromium, on real captures replayed by the web
 * host at two price magnitudes: Binance USD-M ETHUSDT (~2,680, 2 decimals) and Coinbase SKL-USD
 * (~0.79, 4 decimals). Each panel is opened as its own window, screenshot at three viewports, and
 * checked through what it reports having drawn (data attributes on its chart box): price labels at
 * the instrument's precision, a POC per candle, and the profile's POC inside its value area. The
 * ETHUSDT profile's POC is checked against a computation straight from the capture's trade frames.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { linkCapture, stopReplay } from '../support/e2e-replay';
import { capture } from '../support/paths';

const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1600, height: 1000 },
  { width: 1920, height: 1080 },
];

// The host is shared by every test: never leave it replaying.
test.afterEach(({ page }) => stopReplay(page));

/** Play a capture to its end as fast as possible, with the dashboard link on venue:symbol. */
async function replay(page: Page, file: string, venue: string, symbol: string): Promise<void> {
  linkCapture(file);
  await page.goto('/?panel=e2e-probe&kind=metrics');
  await page.waitForFunction(() => window.orderbook !== undefined);
  await page.evaluate(
    async ({ file, venue, symbol }) => {
      localStorage.setItem('obm.links.v1', JSON.stringify({ dashboard: { venue, symbol } }));
      await window.orderbook!.invoke('replay.open', { name: file, speed: 0 });
    },
    { file, venue, symbol },
  );
  await expect
    .poll(async () => page.evaluate(async () => (await window.orderbook!.invoke('replay.control', { action: 'speed', speed: 0 })).done), { timeout: 45_000 })
    .toBe(true);
}

/** A panel in its own window, following the dashboard link. */
async function openPanel(page: Page, kind: 'footprint' | 'traded-profile', name: RegExp): Promise<Locator> {
  await page.goto(`/?panel=e2e-${kind}&kind=${kind}`);
  const chart = page.getByRole('img', { name });
  await expect(chart).toBeVisible({ timeout: 15_000 });
  return chart;
}

const labelsOf = async (chart: Locator, name: string): Promise<string[]> => ((await chart.getAttribute(`data-${name}`)) ?? '').split(' | ').filter(Boolean);
const price = (label: string): number => Number(label.replace(/,/g, ''));

async function checkFootprint(page: Page, chart: Locator, labelPattern: RegExp, shot: string): Promise<void> {
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await expect.poll(async () => Number(await chart.getAttribute('data-candles')), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    const labels = await labelsOf(chart, 'price-labels');
    expect(labels.length).toBeGreaterThan(3);
    for (const label of labels) expect(label).toMatch(labelPattern);
    // Axis labels go down in price.
    expect(labels.map(price)).toEqual([...labels.map(price)].sort((a, b) => b - a));
    // Every candle drawn has its point of control.
    const pocs = ((await chart.getAttribute('data-poc')) ?? '').split(' | ');
    expect(pocs.length).toBe(Number(await chart.getAttribute('data-candles')));
    for (const poc of pocs) expect(poc).toMatch(/^\d+(\.\d+)?$/);
    await page.screenshot({ path: test.info().outputPath(`${shot}-${viewport.width}x${viewport.height}.png`) });
  }
}

async function checkProfile(page: Page, chart: Locator, labelPattern: RegExp, shot: string): Promise<{ poc: string; vah: string; val: string }> {
  let drawn = { poc: '', vah: '', val: '' };
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await expect.poll(async () => Number(await chart.getAttribute('data-rows')), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(async () => chart.getAttribute('data-poc'), { timeout: 20_000 }).toMatch(labelPattern);
    await page.waitForTimeout(500);
    for (const label of await labelsOf(chart, 'price-labels')) expect(label).toMatch(labelPattern);
    drawn = { poc: (await chart.getAttribute('data-poc'))!, vah: (await chart.getAttribute('data-vah'))!, val: (await chart.getAttribute('data-val'))! };
    for (const label of Object.values(drawn)) expect(label).toMatch(labelPattern);
    // The POC lies inside the value area, which is a band (VAL ≤ POC ≤ VAH).
    expect(price(drawn.val)).toBeLessThanOrEqual(price(drawn.poc));
    expect(price(drawn.poc)).toBeLessThanOrEqual(price(drawn.vah));
    await expect(page.getByLabel('Profile summary')).toContainText(`POC ${drawn.poc}`, { timeout: 10_000 });
    await page.screenshot({ path: test.info().outputPath(`${shot}-${viewport.width}x${viewport.height}.png`) });
  }
  return drawn;
}

/** The price (in cents) with the most ETHUSDT volume in the capture, straight from its trade frames. */
function ethPocFromFrames(): string {
  const volume = new Map<number, number>();
  for (const text of readFileSync(capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl'), 'utf8').split('\n')) {
    if (!text.includes('@trade')) continue;
    const line = JSON.parse(text) as { kind: string; data?: string };
    if (line.kind !== 'recv' || !line.data) continue;
    const d = (JSON.parse(line.data) as { data: { p: string; q: string } }).data;
    const cents = Math.round(Number(d.p) * 100);
    volume.set(cents, (volume.get(cents) ?? 0) + Math.round(Number(d.q) * 1000));
  }
  const [cents] = [...volume.entries()].sort((a, b) => b[1] - a[1])[0]!;
  return (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

test('footprint and traded profile of a real ETHUSDT replay (prices ~2,680, 2 decimals)', async ({ page }) => {
  test.setTimeout(120_000);
  await replay(page, 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl', 'binance-usdm', 'ETHUSDT');
  const footprint = await openPanel(page, 'footprint', /^Footprint for ETHUSDT$/);
  // 15 s candles: the two minutes make about nine columns.
  await page.getByRole('combobox', { name: 'Footprint interval' }).selectOption('15000');
  await expect.poll(async () => Number(await footprint.getAttribute('data-candles')), { timeout: 20_000 }).toBeGreaterThan(4);
  // A real two minutes of ETHUSDT shows some 3:1 diagonal imbalances.
  await expect.poll(async () => Number(await footprint.getAttribute('data-imbalances')), { timeout: 15_000 }).toBeGreaterThan(0);
  await checkFootprint(page, footprint, /^\d,\d{3}\.\d{2}$/, 'footprint-ethusdt');

  const profile = await openPanel(page, 'traded-profile', /^Traded volume profile for ETHUSDT$/);
  await checkProfile(page, profile, /^\d,\d{3}\.\d{2}$/, 'traded-profile-ethusdt');
  // Rows of one tick: the POC is the single price with the most volume.
  await page.getByRole('combobox', { name: 'Traded profile row size in ticks' }).selectOption('1');
  await expect.poll(async () => profile.getAttribute('data-poc'), { timeout: 15_000 }).toBe(ethPocFromFrames());
  await expect(page.getByLabel('Profile summary')).toContainText('vol 2,298');
});

test('footprint and traded profile of a real Coinbase SKL-USD replay (prices ~0.79, 4 decimals)', async ({ page }) => {
  test.setTimeout(120_000);
  await replay(page, 'coinbase_2021-04-17.capture.jsonl', 'coinbase', 'SKL-USD');
  const footprint = await openPanel(page, 'footprint', /^Footprint for SKL-USD$/);
  await page.getByRole('combobox', { name: 'Footprint interval' }).selectOption('5000');
  await expect.poll(async () => Number(await footprint.getAttribute('data-candles')), { timeout: 20_000 }).toBeGreaterThan(2);
  await checkFootprint(page, footprint, /^0\.\d{4}$/, 'footprint-skl-usd');

  const profile = await openPanel(page, 'traded-profile', /^Traded volume profile for SKL-USD$/);
  await checkProfile(page, profile, /^0\.\d{4}$/, 'traded-profile-skl-usd');
  // The captures README: 52 SKL-USD trades, 46,731.3 traded.
  await expect(page.getByLabel('Profile summary')).toContainText('vol 46.7K');
});
