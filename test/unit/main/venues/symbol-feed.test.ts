import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../src/main/log';
import { IllegalTransitionError, SymbolFeed, transitionPolicy } from '../../../../src/main/venues/symbol-feed';

function feed(logged: string[] = []) {
  const states: string[] = [];
  const logger: Logger = { log: (level, event, fields = {}) => void logged.push(`${level} ${event} ${String(fields.from)}→${String(fields.to)}`) };
  const f = new SymbolFeed('demo', 'BTCUSDT', { onBook: () => {}, onState: (_f, _from, to) => void states.push(to) }, logger);
  return { f, states };
}

describe('SymbolFeed state machine', () => {
  afterEach(() => {
    transitionPolicy.throwOnIllegal = true;
  });

  it('walks connecting → buffering → synced → resyncing → synced, counting resyncs, and back to connecting on a drop', () => {
    const { f, states } = feed();
    f.connecting('subscribed');
    f.awaitSnapshot('subscribed');
    f.synced('snapshot applied');
    f.resync('sequence gap');
    f.synced('snapshot applied');
    f.connectionLost('socket closed (1006)');
    expect(states).toEqual(['connecting', 'buffering', 'synced', 'resyncing', 'synced', 'connecting']);
    expect(f.health.resyncs).toBe(1);
    expect(f.health.reconnects).toBe(1);
    expect(f.health.lastError).toBe('socket closed (1006)');
  });

  it('failed is final: a later drop neither counts a reconnect nor leaves failed', () => {
    const { f, states } = feed();
    f.connecting('subscribed');
    f.awaitSnapshot('subscribed');
    f.fail('venue refused BTCUSDT');
    f.connectionLost('socket closed');
    expect(f.state).toBe('failed');
    expect(f.health.reconnects).toBe(0);
    expect(states.at(-1)).toBe('failed');
    expect(() => f.awaitSnapshot('subscribed again')).toThrow(IllegalTransitionError);
  });

  it('under test an illegal transition throws (vitest runs with NODE_ENV=test)', () => {
    expect(transitionPolicy.throwOnIllegal).toBe(true);
    const { f } = feed();
    expect(() => f.synced('snapshot before subscribing')).toThrow(/illegal state change idle → synced/);
    f.connecting('subscribed');
    expect(() => f.synced('snapshot while the connection opens')).toThrow(IllegalTransitionError);
    expect(() => f.resync('gap while connecting')).toThrow(IllegalTransitionError);
  });

  it('in the app an illegal transition is refused and logged as an error, and the feed keeps its state', () => {
    transitionPolicy.throwOnIllegal = false;
    const logged: string[] = [];
    const { f, states } = feed(logged);
    f.connecting('subscribed');
    f.synced('snapshot while the connection opens');
    expect(f.state).toBe('connecting');
    expect(states).toEqual(['connecting']);
    expect(logged).toEqual(['error illegal-transition connecting→synced']);
  });

  it('names every health event the same way for every venue', () => {
    const { f } = feed();
    f.gap();
    f.checksum(true);
    f.checksum(false);
    f.bbo(true);
    f.bbo(false, 'best bid/offer mismatch: venue 1 / 2, book 1 / 3');
    expect(f.health.lastError).toBe('best bid/offer mismatch: venue 1 / 2, book 1 / 3');
    f.malformed('frame is not valid JSON');
    f.connectionMalformed('frame is not valid JSON');
    f.staleDropped(3);
    expect(f.health).toMatchObject({ gaps: 1, checksumOk: 1, checksumFailed: 1, bboOk: 1, bboFailed: 1, malformed: 1, connectionMalformed: 1, staleDropped: 3 });
    // The health row shows both malformed counts: what named this symbol and what named none on its connection.
    expect(f.healthSnapshot(0).malformed).toBe(2);
  });
});
