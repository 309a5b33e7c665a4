import { describe, expect, it } from 'vitest';
import { ReplayTransport, restKey } from '../../../../src/main/capture/replay-transport';

describe('ReplayTransport', () => {
  it('holds frames of a recorded reconnect until the adapter reconnects, then delivers them in order', () => {
    const t = new ReplayTransport();
    const seen: string[] = [];
    const handlers = (name: string) => ({
      onOpen: () => seen.push(`${name}:open`),
      onMessage: (text: string) => seen.push(`${name}:${text}`),
      onClose: () => seen.push(`${name}:close`),
      onError: () => {},
    });
    t.open('c1');
    t.connect('wss://x', handlers('s1'));
    t.flushOpens();
    t.recv('c1', 'a', 1);
    t.close('c1', 2);
    // The recording reconnected at once and got frames; our adapter's back-off has not fired yet.
    t.open('c2');
    expect(t.recv('c2', 'snapshot', 3)).toBe(true);
    expect(t.recv('c2', 'b', 4)).toBe(true);
    t.connect('wss://x', handlers('s2'));
    t.recv('c2', 'c', 5);
    expect(seen).toEqual(['s1:open', 's1:a', 's1:close', 's2:open', 's2:snapshot', 's2:b', 's2:c']);
  });

  it('drops frames of a connection that closed before anyone claimed it', () => {
    const t = new ReplayTransport();
    t.open('c1');
    expect(t.recv('c1', 'x', 1)).toBe(true);
    t.close('c1', 2);
    const seen: string[] = [];
    t.connect('wss://x', { onOpen: () => seen.push('open'), onMessage: (m) => seen.push(m), onClose: () => {}, onError: () => {} });
    t.flushOpens();
    expect(seen).toEqual([]);
    expect(t.recv('c9', 'never opened', 3)).toBe(false);
  });

  it('answers a request with the next recorded response for the same endpoint and instrument', async () => {
    const t = new ReplayTransport();
    expect(restKey('https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000')).toBe(restKey('https://x/api/v3/depth?limit=5000&symbol=btcusdt'));
    const pending = t.get('https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=5000');
    t.rest('https://api.binance.com/api/v3/depth?symbol=ETHUSDT&limit=1000', 'eth', 1);
    t.rest('https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000', 'btc', 2);
    expect((await pending).body).toBe('btc');
    expect((await t.get('https://api.binance.com/api/v3/depth?symbol=ETHUSDT')).body).toBe('eth');
    t.end();
    await expect(t.get('https://api.binance.com/api/v3/depth?symbol=XRPUSDT')).rejects.toThrow(/no further recorded response/);
  });
});

describe('recordings never keep credentials', () => {
  it('redacts key, passphrase, signature and JWT fields at any depth and leaves other frames alone', async () => {
    const { redactSent } = await import('../../../../src/main/capture/recording-transport');
    const signed = JSON.stringify({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['level2'], key: 'k123', passphrase: 'p', signature: 's=', timestamp: '1' });
    const out = JSON.parse(redactSent(signed));
    expect(out).toEqual({ type: 'subscribe', product_ids: ['BTC-USD'], channels: ['level2'], key: '[redacted]', passphrase: '[redacted]', signature: '[redacted]', timestamp: '1' });
    expect(JSON.parse(redactSent(JSON.stringify({ op: 'auth', args: [{ jwt: 'eyJ…' }] }))).args[0].jwt).toBe('[redacted]');
    const plain = '{"method":"SUBSCRIBE","params":["btcusdt@depth@100ms"],"id":1}';
    expect(redactSent(plain)).toBe(plain);
    expect(redactSent('ping')).toBe('ping');
  });
});
