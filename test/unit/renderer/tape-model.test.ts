import { describe, expect, it } from 'vitest';
import type { TradePrint } from '../../../src/shared/contract';
import { formatTimeOfDay, largeThreshold, median, TapeModel, visibleRange } from '../../../src/renderer/src/panels/tape/tape-model';
import { ethusdtCapturePrints } from '../../support/ethusdt-prints';

function print(exchangeTs: number, side: TradePrint['side'], price: string, size: string, extra: Partial<TradePrint> = {}): TradePrint {
  return { id: null, price, size, side, exchangeTs, localTs: exchangeTs + 5, ...extra };
}

describe('tape model', () => {
  it('shows the newest print on top', () => {
    const tape = new TapeModel();
    tape.push([print(1, 'buy', '100', '1'), print(2, 'sell', '99', '2')]);
    tape.push([print(3, 'buy', '101', '3')]);
    expect(tape.lines({ aggregate: false, minSize: 0 }).map((l) => l.price)).toEqual(['101', '99', '100']);
  });

  it('merges the prints of one taker order (same time and side) into one line with the exact size', () => {
    const tape = new TapeModel();
    tape.push([print(1, 'buy', '100.1', '0.1'), print(1, 'buy', '100.2', '0.2'), print(1, 'sell', '100.0', '1'), print(2, 'sell', '99.9', '0.5')]);
    const lines = tape.lines({ aggregate: true, minSize: 0 });
    expect(lines.map((l) => [l.side, l.firstPrice, l.price, l.size, l.prints])).toEqual([
      ['sell', '99.9', '99.9', '0.5', 1],
      ['sell', '100.0', '100.0', '1', 1],
      ['buy', '100.1', '100.2', '0.3', 2],
    ]);
    expect(tape.lines({ aggregate: false, minSize: 0 })).toHaveLength(4);
  });

  it('never merges history into live prints, nor prints whose side is unknown', () => {
    const tape = new TapeModel();
    tape.push([print(1, 'buy', '1', '1', { history: true }), print(1, 'buy', '1', '1'), print(2, 'unknown', '1', '1'), print(2, 'unknown', '1', '1')]);
    expect(tape.lines({ aggregate: true, minSize: 0 })).toHaveLength(4);
  });

  it('filters lines below a minimum size (after merging)', () => {
    const tape = new TapeModel();
    tape.push([print(1, 'buy', '1', '0.4'), print(1, 'buy', '1', '0.7'), print(2, 'sell', '1', '0.5')]);
    expect(tape.lines({ aggregate: true, minSize: 1 }).map((l) => l.size)).toEqual(['1.1']);
    expect(tape.lines({ aggregate: false, minSize: 1 })).toEqual([]);
  });

  it('a line shown while paused does not change when a later print merges into it', () => {
    const tape = new TapeModel();
    tape.push([print(1, 'buy', '1', '1')]);
    const frozen = tape.lines({ aggregate: true, minSize: 0 });
    tape.push([print(1, 'buy', '1', '2')]);
    expect(frozen[0]!.size).toBe('1');
    expect(tape.lines({ aggregate: true, minSize: 0 })[0]!.size).toBe('3');
  });

  it('live lines read the ring as it is, without copying it, and match the copied lines', () => {
    const tape = new TapeModel(3);
    tape.push([print(1, 'buy', '100', '1'), print(2, 'sell', '99', '2')]);
    const live = tape.liveLines({ aggregate: false, minSize: 0 });
    expect(live.length).toBe(2);
    tape.push([print(3, 'buy', '101', '3'), print(4, 'buy', '102', '0.5')]);
    // The same list sees the new prints, the ring's capacity and the oldest print gone.
    expect(live.length).toBe(3);
    expect(live.slice(0, 10).map((l) => l.price)).toEqual(['102', '101', '99']);
    expect(live.slice(1, 2).map((l) => l.price)).toEqual(['101']);
    expect(live.slice(0, 3)).toEqual(tape.lines({ aggregate: false, minSize: 0 }));
    // With a size filter the lines are the filtered copy.
    expect(tape.liveLines({ aggregate: false, minSize: 1 }).slice(0, 10).map((l) => l.price)).toEqual(['101', '99']);
  });

  it('keeps the newest prints up to its capacity and counts what the host dropped', () => {
    const tape = new TapeModel(3);
    tape.push([1, 2, 3, 4, 5].map((t) => print(t, 'buy', String(t), '1')), 7);
    expect(tape.size).toBe(3);
    expect(tape.lines({ aggregate: false, minSize: 0 }).map((l) => l.price)).toEqual(['5', '4', '3']);
    expect(tape.droppedByHost).toBe(7);
  });

  it('large prints: a fixed size, or a multiple of the recent median line size', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const tape = new TapeModel();
    tape.push([print(1, 'buy', '1', '1'), print(2, 'buy', '1', '2'), print(3, 'sell', '1', '3'), print(4, 'sell', '1', '100', { history: true })]);
    expect(tape.medianLineSize(false)).toBe(2);
    expect(largeThreshold({ mode: 'median', size: 0, multiple: 10 }, tape.medianLineSize(false))).toBe(20);
    expect(largeThreshold({ mode: 'size', size: 50, multiple: 10 }, 2)).toBe(50);
    expect(largeThreshold({ mode: 'median', size: 0, multiple: 10 }, 0)).toBe(Infinity);
  });

  it('tracks the decimals prices and sizes need', () => {
    const tape = new TapeModel();
    tape.push([print(1, 'buy', '0.35280000', '58.00000000'), print(2, 'buy', '2681.62', '0.061')]);
    expect([tape.priceDecimals, tape.sizeDecimals]).toEqual([4, 3]);
  });

  it('formats time of day and picks the rows a viewport shows', () => {
    expect(formatTimeOfDay(new Date(2024, 0, 1, 9, 5, 7, 42).getTime())).toBe('09:05:07.042');
    expect(visibleRange(0, 100, 20, 1000, 2)).toEqual({ from: 0, to: 7 });
    expect(visibleRange(400, 100, 20, 1000, 2)).toEqual({ from: 18, to: 27 });
    expect(visibleRange(0, 100, 20, 3, 2)).toEqual({ from: 0, to: 3 });
  });

  it('keeps up with the busiest capture: 4,029 real ETHUSDT prints, and a 100x burst', () => {
    const prints = ethusdtCapturePrints();
    expect(prints).toHaveLength(4029);
    const tape = new TapeModel();
    tape.push(prints);
    const lines = tape.lines({ aggregate: true, minSize: 0 });
    // Merged lines hold every print and every unit of size.
    expect(lines.reduce((n, l) => n + l.prints, 0)).toBe(4029);
    expect(lines.reduce((n, l) => n + l.sizeValue, 0)).toBeCloseTo(2298.353, 6);
    expect(lines.length).toBeLessThan(4029);

    // 100,725 prints (25 times the capture) in frames of 2,000, the most a frame carries, each frame
    // also read back as a view would. About 0.5 s here on a shared machine (some 190,000 prints/s),
    // far beyond the busiest Binance symbol; the bound leaves room for a loaded machine.
    const started = performance.now();
    for (let round = 0; round < 25; round++) {
      for (let i = 0; i < prints.length; i += 2000) {
        tape.push(prints.slice(i, i + 2000));
        tape.lines({ aggregate: true, minSize: 0.5 });
      }
    }
    const elapsed = performance.now() - started;
    expect(tape.size).toBe(tape.capacity);
    expect(elapsed).toBeLessThan(10_000);
    console.log(`tape: 100,725 prints in ${Math.round(elapsed)} ms (${Math.round(100_725 / (elapsed / 1000))} prints/s with a view per frame)`);
  });
});
