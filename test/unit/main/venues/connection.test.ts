import { describe, expect, it } from 'vitest';
import { nullLogger } from '../../../../src/main/log';
import { Backoff } from '../../../../src/main/venues/backoff';
import { FeedConnection } from '../../../../src/main/venues/connection';
import { VirtualClock, type SocketHandlers, type Transport } from '../../../../src/main/venues/transport';

/** A transport whose sockets open at once and record what was sent, on a virtual clock. */
function fakeTransport() {
  const clock = new VirtualClock();
  const sockets: Array<{ url: string; handlers: SocketHandlers; sent: string[]; closed: boolean; pings: number }> = [];
  const transport: Transport = {
    clock,
    connect(url, handlers) {
      const s = { url, handlers, sent: [] as string[], closed: false, pings: 0 };
      sockets.push(s);
      clock.setTimeout(() => handlers.onOpen(), 1);
      return { send: (t) => void s.sent.push(t), close: () => void (s.closed = true), ping: () => void s.pings++ };
    },
    get: () => Promise.reject(new Error('no http')),
  };
  return { clock, sockets, transport };
}

describe('FeedConnection', () => {
  it('sends keep-alive pings, paces messages, and reconnects with growing back-off', () => {
    const { clock, sockets, transport } = fakeTransport();
    const events: string[] = [];
    const conn = new FeedConnection({
      venue: 'demo',
      transport,
      logger: nullLogger,
      url: () => 'wss://x',
      staleAfterMs: 10_000,
      sendIntervalMs: 200,
      keepAlive: { everyMs: 3000, message: () => '{"op":"ping"}' },
      backoff: new Backoff(1000, 30_000, () => 1),
      handlers: { onOpen: () => events.push('open'), onFrame: () => {}, onDown: (r) => events.push(`down:${r}`) },
    });
    conn.start();
    clock.advanceTo(1);
    expect(events).toEqual(['open']);
    conn.send('a');
    conn.send('b');
    conn.send('c');
    expect(sockets[0]!.sent).toEqual(['a']);
    clock.advanceTo(450);
    expect(sockets[0]!.sent).toEqual(['a', 'b', 'c']);
    // Frames keep the connection fresh; pings go out every 3 s.
    for (let t = 1000; t <= 9000; t += 1000) {
      clock.advanceTo(t);
      sockets[0]!.handlers.onMessage('{}', t);
    }
    clock.advanceTo(9100);
    expect(sockets[0]!.sent.filter((m) => m === '{"op":"ping"}')).toHaveLength(3);
    // Silence for 10 s is a stale feed: dropped, then reconnected after back-off (1 s with this jitter).
    clock.advanceTo(19_500);
    expect(events.at(-1)).toMatch(/^down:stale feed/);
    expect(sockets[0]!.closed).toBe(true);
    clock.advanceTo(20_600);
    expect(sockets).toHaveLength(2);
    expect(events.at(-1)).toBe('open');
    expect(conn.reconnects).toBe(1);
    // A second drop without any frame in between backs off longer (2 s).
    sockets[1]!.handlers.onClose(1006, 'gone');
    clock.advanceTo(21_700);
    expect(sockets).toHaveLength(2);
    clock.advanceTo(22_700);
    expect(sockets).toHaveLength(3);
  });

  it('pings a quiet connection half-way through the stale window and keeps it if the pong comes', () => {
    const { clock, sockets, transport } = fakeTransport();
    const downs: string[] = [];
    const conn = new FeedConnection({
      venue: 'binance-usdm',
      transport,
      logger: nullLogger,
      url: () => 'wss://x',
      staleAfterMs: 60_000,
      handlers: { onOpen: () => {}, onFrame: () => {}, onDown: (r) => void downs.push(r) },
    });
    conn.start();
    clock.advanceTo(29_000);
    expect(sockets[0]!.pings).toBe(0);
    clock.advanceTo(31_000);
    expect(sockets[0]!.pings).toBe(1);
    sockets[0]!.handlers.onPing!(); // the pong
    clock.advanceTo(65_000);
    expect(downs).toEqual([]);
    expect(sockets[0]!.pings).toBe(2);
    // No pong this time: dropped at the full window.
    clock.advanceTo(92_000);
    expect(downs).toHaveLength(1);
    expect(downs[0]).toMatch(/stale feed/);
    conn.close();
  });

  it('reconnects on its own before a venue lifetime cut', () => {
    const { clock, sockets, transport } = fakeTransport();
    const conn = new FeedConnection({
      venue: 'binance-spot',
      transport,
      logger: nullLogger,
      url: () => 'wss://x',
      staleAfterMs: 1e12,
      maxLifetimeMs: 60_000,
      backoff: new Backoff(1000, 30_000, () => 0),
      handlers: { onOpen: () => {}, onFrame: () => {}, onDown: () => {} },
    });
    conn.start();
    clock.advanceTo(59_000);
    expect(sockets).toHaveLength(1);
    clock.advanceTo(61_000);
    expect(sockets[0]!.closed).toBe(true);
    expect(sockets).toHaveLength(2);
    conn.close();
  });
});
