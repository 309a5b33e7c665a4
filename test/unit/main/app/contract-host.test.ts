import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { nullLogger } from '../../../../src/main/log';
import type { ServerMessage } from '../../../../src/shared/contract';
import { createContractClient } from '../../../../src/shared/contract-client';
import { until } from '../../../support/wait';

describe('contract host with the demo venue', () => {
  let services: Services;
  afterEach(() => services?.close());

  function connect(backpressured = () => false) {
    const messages: ServerMessage[] = [];
    // Messages cross a JSON boundary both ways, as they do over IPC or a WebSocket.
    const client = createContractClient({ send: (m) => conn.handle(JSON.parse(JSON.stringify(m))) });
    const conn = services.contract.connect({
      send: (m) => {
        messages.push(m);
        client.receive(JSON.parse(JSON.stringify(m)) as ServerMessage);
      },
      backpressured,
    });
    return { api: client.api, messages, conn };
  }

  it('answers commands, validates payloads, and streams ladder frames no faster than the tick', async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, tickMs: 50 });
    const { api, messages } = connect();
    expect(await api.invoke('app.info', {})).toEqual({ name: 't', version: '1', host: 'web' });
    const instruments = await api.invoke('instruments.list', { venue: 'demo' });
    expect(instruments.map((i) => i.symbol)).toContain('BTCUSDT');
    await expect(api.invoke('instruments.list', { venue: 'mars' } as never)).rejects.toThrow(/instruments.list: venue/);
    await expect(api.invoke('health.get', { extra: 1 } as never)).rejects.toThrow(/Unrecognized key/);

    const frames: unknown[] = [];
    const stop = api.subscribe('book.ladder', { venue: 'demo', symbol: 'ETHUSDT', depth: 5 }, (f) => frames.push(f));
    await until(() => frames.some((f) => (f as { state: string }).state === 'synced'));
    const start = Date.now();
    const before = messages.filter((m) => m.t === 'frames').length;
    await new Promise((r) => setTimeout(r, 1000));
    const sent = messages.filter((m) => m.t === 'frames').length - before;
    // At most one message per tick (50 ms): about 20 a second, never a flood.
    expect(sent).toBeLessThanOrEqual(Math.ceil((Date.now() - start) / 50) + 1);
    expect(sent).toBeGreaterThan(5);
    const last = frames.at(-1) as { bids: unknown[]; asks: unknown[] };
    expect(last.bids).toHaveLength(5);
    expect(last.asks).toHaveLength(5);
    stop();
    const count = frames.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(frames.length).toBe(count);
  });

  it('rejects bad stream params and unknown symbols with a clear message', async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' } });
    const { api } = connect();
    const errors: string[] = [];
    api.subscribe('book.ladder', { venue: 'demo', symbol: 'BTCUSDT', depth: 100_000 }, () => {}, (e) => errors.push(e.message));
    api.subscribe('book.ladder', { venue: 'demo', symbol: 'NOPE' }, () => {}, (e) => errors.push(e.message));
    api.subscribe('book.ladder', { venue: 'demo', symbol: 'bad symbol!' }, () => {}, (e) => errors.push(e.message));
    await until(() => errors.length === 3);
    expect(errors).toContain('NOPE is not listed on Demo (synthetic market)');
    expect(errors.some((e) => e.startsWith('book.ladder: depth:'))).toBe(true);
    expect(errors.some((e) => e.includes('symbol may contain'))).toBe(true);
  });

  it('skips a backpressured window and then sends it only the newest frame', async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' }, tickMs: 20 });
    let busy = false;
    const { api, messages } = connect(() => busy);
    const frames: Array<{ version: number }> = [];
    api.subscribe('book.ladder', { venue: 'demo', symbol: 'BTCUSDT', depth: 3 }, (f) => frames.push(f as { version: number }));
    await until(() => frames.length > 3);
    busy = true;
    const n = messages.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(messages.length).toBe(n);
    busy = false;
    await until(() => messages.length > n);
    expect(messages.length - n).toBe(1);
    // The one message after the pause carries the current book, not the frames missed meanwhile.
    const feed = services.market.feed('demo', 'BTCUSDT')!;
    expect(frames.at(-1)!.version).toBeGreaterThan(frames.at(-2)!.version);
    expect(feed.book.version).toBeGreaterThanOrEqual(frames.at(-1)!.version);
  });

  it('drops subscriptions when the window goes away', async () => {
    services = createServices({ venues: ['demo'], logger: nullLogger, host: { name: 't', version: '1', host: 'web' } });
    const { api, conn } = connect();
    api.subscribe('health', {}, () => {});
    await until(() => services.publisher.sessionCount === 1);
    conn.close();
    expect(services.publisher.sessionCount).toBe(0);
  });
});
