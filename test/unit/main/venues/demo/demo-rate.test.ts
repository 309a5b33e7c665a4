import { afterEach, describe, expect, it } from 'vitest';
import { DemoTransport } from '../../../../../src/main/venues/demo/transport';

describe('demo transport message rate', () => {
  let transport: DemoTransport | null = null;
  afterEach(() => transport?.close());

  it('delivers about messagesPerSec and steps only the symbols a socket streams', async () => {
    transport = new DemoTransport({ messagesPerSec: 2000, burstEverySec: 0, seed: 9 });
    const ethBefore = transport.market.trueBook('ETHUSDT')!.updateId;
    const streams = new Set<string>();
    let messages = 0;
    transport.connect('wss://demo.invalid/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker', {
      onOpen() {},
      onMessage(text) {
        messages++;
        streams.add((JSON.parse(text) as { stream: string }).stream);
      },
      onClose() {},
      onError() {},
    });
    await new Promise((r) => setTimeout(r, 300)); // settle
    const start = messages;
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    const rate = ((messages - start) * 1000) / (Date.now() - t0);
    expect(rate).toBeGreaterThan(1500);
    expect(rate).toBeLessThan(2500);
    expect([...streams].sort()).toEqual(['btcusdt@bookTicker', 'btcusdt@depth@100ms']);
    // ETHUSDT has no subscriber: its market did not move, so its stream stays contiguous for later.
    expect(transport.market.trueBook('ETHUSDT')!.updateId).toBe(ethBefore);
    expect(transport.delivered).toBe(messages);
  });
});
