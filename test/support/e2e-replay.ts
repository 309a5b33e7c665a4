/**
 * Playwright set-up shared by the specs that replay a real capture in the web host (heatmap, trade
 * bubbles, metrics, candles, footprint, market maker, replay, formatting, time series).
 */
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import type { OrderbookApi } from '../../src/shared/contract';
import type { VenueId } from '../../src/shared/market';
import { capture } from './paths';

/**
 * The app's API in a page. (This folder is type-checked for Node as well, without the DOM, so the
 * helpers reach it through globalThis rather than window.)
 */
interface AppGlobal {
  orderbook?: OrderbookApi;
}

/** The screen sizes every panel is screenshot at. */
export const SCREEN_SIZES = [
  [1280, 720],
  [1600, 1000],
  [1920, 1080],
] as const;

/** Ends a replay a test left running (the web host is shared by the specs); never fails. */
export async function stopReplay(page: Page): Promise<void> {
  await page.evaluate(() => (globalThis as AppGlobal).orderbook?.invoke('replay.control', { action: 'stop' })).catch(() => {});
}

/** The dashboard, once its ladder shows. */
export async function openDashboard(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
}

/** The heatmap in its own window at the smallest screen size (it follows the dashboard's symbol). */
export async function openHeatmapWindow(context: BrowserContext, panelId: string, query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width: SCREEN_SIZES[0][0], height: SCREEN_SIZES[0][1] });
  await page.goto(`/?panel=${panelId}&kind=heatmap${query}`);
  await expect(page.getByRole('img', { name: /^Liquidity heatmap for/ })).toBeVisible({ timeout: 10_000 });
  return page;
}

/** Makes a shared capture replayable from the web host's recordings folder (a link, not a copy). */
export function linkCapture(file: string): void {
  const recordings = join('test-results', 'e2e-data', 'recordings');
  mkdirSync(recordings, { recursive: true });
  const target = join(recordings, file);
  if (!existsSync(target)) symlinkSync(resolve(capture(file)), target);
}

/** Replays a capture from the dashboard's Replay menu at `speed` × real time. */
export async function startReplay(page: Page, file: string, speed: number): Promise<void> {
  linkCapture(file);
  await page.getByRole('button', { name: '⟲ Replay…' }).click();
  await page.getByRole('menuitem', { name: new RegExp(file.replace(/\./g, '\\.')) }).click();
  await expect(page.getByRole('group', { name: 'Replay' })).toBeVisible();
  await page.evaluate((s) => (globalThis as AppGlobal).orderbook!.invoke('replay.control', { action: 'speed', speed: s }), speed);
}

/**
 * Waits until the header's replay control shows `file` played to its end: its name first. The host is
 * shared by the tests, so a page opened after an earlier test's replay reads that replay's "done" until
 * the new replay's status reaches the control, and the dashboard moves to the new capture's first book
 * only then (a symbol picked before that is replaced by it).
 */
export async function expectReplayDone(page: Page, file: string, timeout: number): Promise<void> {
  const bar = page.getByRole('group', { name: 'Replay' });
  await expect(bar).toContainText(file, { timeout });
  await expect(bar.getByRole('status', { name: 'Replay position' })).toContainText('done', { timeout });
}

/** Screenshots `page` at every screen size as `<name>-<w>x<h>.png`, each after `settleMs` to redraw. */
export async function screenshotAtSizes(page: Page, testInfo: TestInfo, name: string, settleMs = 700): Promise<void> {
  for (const [width, height] of SCREEN_SIZES) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(settleMs);
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}x${height}.png`) });
  }
}

/** A real capture's market, as the specs that play one to the dashboard name it. */
export interface ReplayedMarket {
  file: string;
  venue: string;
  symbol: string;
  /** Replay speed that plays the capture in about ten seconds. */
  speed: number;
}

/**
 * Opens the capture paused, points the dashboard at its market with a 1 min time series window, then
 * plays it at the market's speed, so that every panel (the time series too) follows the whole
 * recording. Returns once it plays; the spec decides how far to let it go.
 */
export async function playMarket(page: Page, m: ReplayedMarket): Promise<void> {
  linkCapture(m.file);
  await page.goto('/');
  await expect(page.getByRole('table', { name: /Order book ladder for/ })).toBeVisible({ timeout: 15_000 });
  await page.evaluate((name) => (globalThis as AppGlobal).orderbook!.invoke('replay.open', { name, speed: 1 }), m.file);
  // The market is pickable once the replay has met its book.
  await expect
    .poll(
      () =>
        page.evaluate(
          ([venue, symbol]) =>
            (globalThis as AppGlobal).orderbook!.invoke('instruments.list', { venue: venue as VenueId }).then(
              (list) => list.some((i) => i.symbol === symbol),
              () => false,
            ),
          [m.venue, m.symbol],
        ),
      { timeout: 15_000 },
    )
    .toBe(true);
  await page.evaluate(() => (globalThis as AppGlobal).orderbook!.invoke('replay.control', { action: 'pause' }));
  await expect(page.getByRole('group', { name: 'Replay' })).toBeVisible();
  const picker = page.getByRole('combobox', { name: 'Symbol', exact: true });
  await picker.click();
  await picker.fill(m.symbol);
  await expect(page.getByRole('listbox', { name: 'Symbol options' }).getByRole('option').first()).toContainText(m.symbol, { timeout: 10_000 });
  await picker.press('Enter');
  await expect(page.getByRole('table', { name: `Order book ladder for ${m.symbol}` })).toBeVisible({ timeout: 10_000 });
  await page.getByRole('region', { name: 'Time series', exact: true }).getByRole('combobox', { name: 'Time series window' }).selectOption('60');
  await page.evaluate(async (speed) => {
    const api = (globalThis as AppGlobal).orderbook!;
    await api.invoke('replay.control', { action: 'speed', speed });
    await api.invoke('replay.control', { action: 'resume' });
  }, m.speed);
}
