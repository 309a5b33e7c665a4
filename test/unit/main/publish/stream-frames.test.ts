/**
 * Every stream's frames, as the host really builds them from a replayed capture, parse against the
 * stream's frame schema in src/shared/contract.ts. The host does not validate frames at runtime (see
 * the contract's header): this test is what holds the schemas and the views to each other.
 */
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import { STREAM_NAMES, describeIssues, streams, type ServerMessage, type StreamName, type StreamParams } from '../../../../src/shared/contract';
import { createContractClient } from '../../../../src/shared/contract-client';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';

const VENUE = 'binance-spot' as const;
const SYMBOL = 'NKNUSDT';

describe('stream frames against the contract', () => {
  let services: Services | null = null;
  afterEach(async () => {
    await services?.close();
    services = null;
  });

  it('one real frame of every stream, from the binance-spot capture replayed in the app, parses against its schema', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-frames-'));
    mkdirSync(join(dataDir, 'recordings'));
    copyFileSync(capture('binance-spot_2021-10-12.capture.jsonl'), join(dataDir, 'recordings', 'spot.capture.jsonl'));
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir, tickMs: 20 });
    const s = services;
    // Frames go through JSON both ways, as on the wire.
    const client = createContractClient({ send: (m) => conn.handle(JSON.parse(JSON.stringify(m))) });
    const conn = s.contract.connect({ send: (m) => client.receive(JSON.parse(JSON.stringify(m)) as ServerMessage) });
    const api = client.api;

    await api.invoke('replay.open', { name: 'spot.capture.jsonl', speed: 0 });
    await until(() => s.market.replayStatus().done, 15_000, 'the replay to finish');
    const job = await api.invoke('export.csv.start', { venue: VENUE, symbol: SYMBOL });
    s.ui.post('dashboard', 'export-csv');

    const book = { venue: VENUE, symbol: SYMBOL };
    const params: { [S in StreamName]: StreamParams<S> } = {
      'book.ladder': { ...book, depth: 10 },
      'book.depth': { ...book, rangeBps: 0, points: 50 },
      'book.heatmap': { ...book, rows: 40 },
      'book.top': book,
      health: {},
      'replay.status': {},
      'ui.commands': { target: 'dashboard' },
      'store.status': {},
      'export.progress': { exportId: job.id },
      'analytics.metrics': book,
      'analytics.series': { ...book, seconds: 60 },
      alerts: {},
      trades: book,
      mm: {},
      candles: { ...book, interval: '1s' },
      'cross.book': { ...book, levels: 10 },
      'cross.leadlag': book,
      'flow.footprint': book,
      'flow.tradedProfile': book,
    };
    const frames = new Map<string, unknown>();
    const errors: string[] = [];
    for (const name of STREAM_NAMES) {
      api.subscribe(name, params[name] as never, (frame) => void frames.set(name, frame), (e) => errors.push(`${name}: ${e.message}`));
    }
    // The grouped ladder is built by another path (OrderBook.groupLevels).
    api.subscribe('book.ladder', { ...book, depth: 10, group: 10 }, (frame) => void frames.set('book.ladder grouped', frame));
    await until(() => frames.size === STREAM_NAMES.length + 1 || errors.length > 0, 15_000, 'a frame of every stream');
    expect(errors).toEqual([]);

    for (const [key, frame] of frames) {
      const name = key.split(' ')[0] as StreamName;
      const parsed = streams[name].frame.safeParse(frame);
      expect(parsed.success, `${key}: ${parsed.success ? '' : describeIssues(parsed.error)}`).toBe(true);
    }
    // Real content, not empty shells: the replayed book's last state.
    const ladder = frames.get('book.ladder') as { bids: string[][]; asks: string[][]; state: string };
    expect(ladder.state).toBe('synced');
    expect(ladder.bids[0]![0]).toBe('0.35270000');
    expect(ladder.asks[0]![0]).toBe('0.35310000');
    const grouped = frames.get('book.ladder grouped') as { bids: string[][] };
    // No instrument list in a replay: rows of 10 units of the book's last digit (5 places here), labelled at that scale.
    expect(grouped.bids[0]![0]).toBe('0.35270');
    expect((frames.get('book.depth') as { mid: number | null }).mid).toBeCloseTo(0.3529, 6);
    expect((frames.get('book.heatmap') as { sizes: number[] }).sizes.some((x) => x > 0)).toBe(true);
    expect((frames.get('book.top') as { points: unknown[] }).points.length).toBeGreaterThan(0);
    // A replayed symbol has no base/quote, so its group is itself: the merged book is its own book.
    const cross = frames.get('cross.book') as { bids: Array<{ price: string; venues: Record<string, string> }>; nbbo: { bid: { price: string; venue: string } | null } };
    expect(Number(cross.bids[0]!.price)).toBe(0.3527);
    expect(Object.keys(cross.bids[0]!.venues)).toEqual([VENUE]);
    expect(cross.nbbo.bid).toMatchObject({ price: '0.35270000', venue: VENUE });
    // The capture's one NKNUSDT aggTrade: 58 bought by a taker, in the footprint and the day's profile.
    const footprint = frames.get('flow.footprint') as { candles: Array<{ buyVolume: string; sellVolume: string; poc: string | null }> };
    expect(footprint.candles.map((c) => [c.buyVolume, c.sellVolume])).toEqual([['58', '0']]);
    const profile = frames.get('flow.tradedProfile') as { volume: string; poc: string | null; valueAreaHigh: string | null };
    expect(profile.volume).toBe('58');
    expect(profile.poc).toBe(footprint.candles[0]!.poc);
    expect(profile.valueAreaHigh).toBe(profile.poc);
    expect((frames.get('ui.commands') as { commands: Array<{ action: string }> }).commands.map((c) => c.action)).toEqual(['export-csv']);

    // The capture's one NKNUSDT print (58 at 0.3529), replayed before the chart opened: from the trade log.
    const candles = frames.get('candles') as { reset: boolean; candles: Array<{ volume: string; trades: number }>; history: { state: string } };
    expect(candles.reset).toBe(true);
    expect(candles.candles.map((c) => [c.volume, c.trades])).toEqual([['58', 1]]);
    expect(candles.history.state).toBe('none');

    // A frame that breaks its schema is caught: the check above can fail.
    const { bids: _bids, ...withoutBids } = ladder;
    expect(streams['book.ladder'].frame.safeParse(withoutBids).success).toBe(false);
    expect(streams['book.depth'].frame.safeParse({ ...(frames.get('book.depth') as object), mid: 'x' }).success).toBe(false);
  });
});
