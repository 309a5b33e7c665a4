import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import type { LadderFrame, ReplayStatus, ServerMessage } from '../../../../src/shared/contract';
import { createContractClient } from '../../../../src/shared/contract-client';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';

describe('replay in the app', () => {
  let services: Services | null = null;
  afterEach(async () => {
    await services?.close();
    services = null;
  });

  function setup() {
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-replay-app-'));
    mkdirSync(join(dataDir, 'recordings'));
    copyFileSync(capture('binance-spot_2021-10-12.capture.jsonl'), join(dataDir, 'recordings', 'spot.capture.jsonl'));
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir, tickMs: 20 });
    const s = services;
    const client = createContractClient({ send: (m) => conn.handle(JSON.parse(JSON.stringify(m))) });
    const conn = s.contract.connect({ send: (m) => client.receive(JSON.parse(JSON.stringify(m)) as ServerMessage) });
    return { api: client.api, services: s };
  }

  it('plays a recording into every window at full speed, then goes back to live', async () => {
    const { api, services: s } = setup();
    const files = await api.invoke('replay.list', {});
    expect(files.map((f) => f.name)).toEqual(['spot.capture.jsonl']);
    await expect(api.invoke('replay.open', { name: '../../etc/passwd' })).rejects.toThrow(/not a capture file name/);
    await expect(api.invoke('replay.open', { name: 'nope.capture.jsonl' })).rejects.toThrow(/no capture named/);

    const statuses: ReplayStatus[] = [];
    api.subscribe('replay.status', {}, (f) => statuses.push(f));
    const opened = await api.invoke('replay.open', { name: 'spot.capture.jsonl', speed: 0 });
    expect(opened.active).toBe(true);
    await until(() => s.market.replayStatus().symbols.some((x) => x.symbol === 'NKNUSDT'), 15_000);
    const venues = await api.invoke('venues.list', {});
    expect(venues.find((v) => v.id === 'binance-spot')).toMatchObject({ mode: 'replay', name: 'Binance Spot (replay)' });
    const frames: LadderFrame[] = [];
    api.subscribe('book.ladder', { venue: 'binance-spot', symbol: 'NKNUSDT', depth: 5 }, (f) => frames.push(f));
    await until(() => s.market.replayStatus().done, 15_000);
    // The replay is done, so the book no longer changes: wait for the frame of its final version
    // (an earlier frame may already show the final best prices).
    const finalVersion = s.market.feed('binance-spot', 'NKNUSDT')!.book.version;
    await until(() => frames.at(-1)?.version === finalVersion, 15_000);
    expect(frames.at(-1)!.bids[0]![0]).toBe('0.35270000');
    expect(frames.at(-1)!.asks[0]![0]).toBe('0.35310000');
    await until(() => statuses.at(-1)?.done === true, 15_000);
    expect(statuses.at(-1)!.progress).toBe(1);
    expect(s.market.replayStatus().messages).toBe(265);
    // Replayed books are not recorded as live data.
    const feed = s.market.feed('binance-spot', 'NKNUSDT')!;
    expect(s.market.isReplayFeed(feed)).toBe(true);
    // A symbol the capture does not hold is refused with a clear message.
    const errors: string[] = [];
    api.subscribe('book.ladder', { venue: 'binance-spot', symbol: 'BTCUSDT' }, () => {}, (e) => errors.push(e.message));
    await until(() => errors.length > 0, 15_000);
    expect(errors[0]).toMatch(/BTCUSDT is not in the capture being replayed/);

    const stopped = await api.invoke('replay.control', { action: 'stop' });
    expect(stopped.active).toBe(false);
    expect((await api.invoke('venues.list', {})).map((v) => v.id)).toEqual(['demo']);
  });

  it('plays in recorded time at 1× and holds still while paused', async () => {
    const { api, services: s } = setup();
    await api.invoke('replay.open', { name: 'spot.capture.jsonl', speed: 1 });
    await until(() => s.market.replayStatus().messages > 5, 15_000);
    const paused = await api.invoke('replay.control', { action: 'pause' });
    expect(paused.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    const held = s.market.replayStatus().messages;
    await new Promise((r) => setTimeout(r, 400));
    expect(s.market.replayStatus().messages).toBe(held);
    // The capture spans about 30 s: at 1× it is far from done after a second.
    expect(s.market.replayStatus().done).toBe(false);
    await api.invoke('replay.control', { action: 'speed', speed: 0 });
    await api.invoke('replay.control', { action: 'resume' });
    await until(() => s.market.replayStatus().done, 15_000);
    expect(s.market.replayStatus().messages).toBe(265);
  });
});

describe('replays do not accumulate', () => {
  it('lets analytics forget a replay’s books when it ends', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-replay-leak-'));
    mkdirSync(join(dataDir, 'recordings'));
    copyFileSync(capture('binance-spot_2021-10-12.capture.jsonl'), join(dataDir, 'recordings', 'spot.capture.jsonl'));
    const s = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir });
    try {
      for (let i = 0; i < 3; i++) {
        await s.contract.invoke('replay.open', { name: 'spot.capture.jsonl', speed: 0 });
        await until(() => s.market.replayStatus().done, 15_000);
        expect(s.analytics.book('binance-spot', 'NKNUSDT')).toBeDefined();
        await s.contract.invoke('replay.control', { action: 'stop' });
        expect(s.analytics.book('binance-spot', 'NKNUSDT')).toBeUndefined();
      }
    } finally {
      await s.close();
    }
  });
});

describe('replay progress and end', () => {
  it('reports progress by recorded time, and ends its feeds when the capture has played', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'obm-replay-progress-'));
    mkdirSync(join(dataDir, 'recordings'));
    // ETHUSDT on Binance USD-M: about 120 s of recorded time in 11 MB.
    copyFileSync(capture('binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl'), join(dataDir, 'recordings', 'eth.capture.jsonl'));
    const s = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, dataDir });
    try {
      await s.contract.invoke('replay.open', { name: 'eth.capture.jsonl', speed: 1 });
      // At 1× the first second is about 1% of the capture (progress by bytes read it as 100% here).
      await until(() => s.market.replayStatus().progress > 0, 15_000, 'progress');
      await new Promise((r) => setTimeout(r, 500));
      const early = s.market.replayStatus();
      expect(early.progress).toBeGreaterThan(0);
      expect(early.progress).toBeLessThan(0.05);
      // While it plays the feed reports its rate.
      await until(() => (s.market.health().symbols.find((h) => h.symbol === 'ETHUSDT')?.messages ?? 0) > 0, 15_000, 'messages');
      expect(s.market.health().symbols.find((h) => h.symbol === 'ETHUSDT')!.ended).toBeUndefined();

      await s.contract.invoke('replay.control', { action: 'speed', speed: 10 });
      await until(() => s.market.replayStatus().progress > 0.2, 30_000, 'a fifth of the capture');
      const mid = s.market.replayStatus();
      expect(mid.done).toBe(false);
      expect(mid.progress).toBeLessThan(0.9);
      await s.contract.invoke('replay.control', { action: 'speed', speed: 0 });
      await until(() => s.market.replayStatus().done, 30_000, 'the end');
      expect(s.market.replayStatus().progress).toBe(1);
      const ended = s.market.health().symbols.find((h) => h.symbol === 'ETHUSDT')!;
      expect(ended).toMatchObject({ ended: true, msgsPerSec: 0, levelUpdatesPerSec: 0, latencyMs: null, state: 'synced' });
      expect(s.market.venues().find((v) => v.id === 'binance-usdm')!.message).toBe('eth.capture.jsonl · ended');
    } finally {
      await s.close();
    }
  }, 90_000);
});
