import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../../src/main/book/order-book';
import { seededRandom } from '../../../../src/main/venues/demo/market';

type Side = 'bid' | 'ask';

/** Decimal text → integer at `scale` places, in BigInt (no floats, no shared code with the book). */
function toScaled(text: string, scale: number): bigint {
  const [int, frac = ''] = text.split('.');
  if (frac.length > scale) {
    const cut = frac.slice(scale);
    if (!/^0*$/.test(cut)) throw new Error(`${text} needs more than ${scale} places`);
  }
  return BigInt(int! + frac.slice(0, scale).padEnd(scale, '0'));
}

function decimalsOf(text: string): number {
  const frac = text.split('.')[1] ?? '';
  return frac.replace(/0+$/, '').length;
}

function fromScaled(value: bigint, scale: number): string {
  const digits = value.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** The obvious grouping: every level to its row edge in BigInt, rows sorted best first. */
function naiveGroup(levels: Array<[string, number]>, side: Side, tickSize: string | null, multiple: number, rows: number, bookScale: number) {
  const scale = Math.max(bookScale, tickSize ? decimalsOf(tickSize) : 0);
  const step = BigInt(multiple) * (tickSize ? toScaled(tickSize, scale) : 10n ** BigInt(scale - bookScale));
  const valued = levels.map(([price, size]) => ({ value: toScaled(price, scale), size }));
  valued.sort((a, b) => (a.value === b.value ? 0 : (a.value < b.value) === (side === 'ask') ? -1 : 1));
  const sums = new Map<bigint, number>();
  for (const { value, size } of valued) {
    const below = value % step;
    const edge = side === 'bid' || below === 0n ? value - below : value - below + step;
    sums.set(edge, (sums.get(edge) ?? 0) + size);
  }
  return { decimals: scale, levels: [...sums].slice(0, rows).map(([edge, size]) => ({ price: fromScaled(edge, scale), size })) };
}

describe('OrderBook.groupLevels', () => {
  it('matches a naive BigInt grouping on random books, tick sizes and row heights', () => {
    const random = seededRandom(20240807);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    let checked = 0;
    for (let round = 0; round < 300; round++) {
      const priceDecimals = pick([0, 1, 2, 3, 4, 6, 8]);
      const magnitude = pick([0.001, 1, 100, 30_000, 2_000_000]);
      const unit = 10 ** -priceDecimals;
      const mid = Math.max(unit * 50, Math.round((magnitude * (0.5 + random())) / unit)) * unit;
      // Keyed by the canonical price, so "100.100" replaces "100.1" as it does in the book.
      const levels: Record<Side, Map<string, [string, number]>> = { bid: new Map(), ask: new Map() };
      for (const side of ['bid', 'ask'] as const) {
        const count = Math.floor(random() * 80);
        for (let i = 0; i < count; i++) {
          const away = 1 + Math.floor(random() * 400);
          const ticks = Math.round(mid / unit) + (side === 'bid' ? -away : away);
          if (ticks <= 0) continue;
          // Some prices carry trailing zeros, as venues send them.
          const fixed = (ticks * unit).toFixed(priceDecimals);
          const text = fixed.includes('.') && random() < 0.3 ? `${fixed}00` : fixed;
          const canonical = text.includes('.') ? text.replace(/\.?0+$/, '') : text;
          const size = Math.round(random() * 10_000) / 1000 + 0.001;
          levels[side].set(canonical, [text, size]);
        }
      }
      const book = new OrderBook('t', 'T');
      const text = (side: Side) => [...levels[side].values()].map(([p, s]) => [p, String(s)] as [string, string]);
      book.applySnapshot(text('bid'), text('ask'));
      const tickSize = pick([null, '1', '0.5', '0.01', '0.05', '0.0001', '0.00000025', '25', unit.toFixed(priceDecimals)]);
      const multiple = pick([1, 2, 3, 5, 10, 100]);
      const rows = pick([1, 5, 20, 500]);
      for (const side of ['bid', 'ask'] as const) {
        const got = book.groupLevels(side, tickSize, multiple, rows);
        const want = naiveGroup([...levels[side].values()], side, tickSize, multiple, rows, book.priceScale);
        expect(got, `${side} tick ${tickSize} × ${multiple}, ${rows} rows, round ${round}`).toEqual(want);
        checked += got.levels.length;
      }
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('groups at the tick even when the book has not yet seen a price with as many decimals', () => {
    const book = new OrderBook('t', 'T');
    book.applySnapshot(
      [
        ['100.1', '1'],
        ['99.9', '2'],
      ],
      [['100.3', '4']],
    );
    expect(book.priceScale).toBe(1);
    // Rows of 5 × 0.01: the rows are 0.05 tall, labelled at the tick's two places.
    expect(book.groupLevels('bid', '0.01', 5, 10)).toEqual({
      decimals: 2,
      levels: [
        { price: '100.10', size: 1 },
        { price: '99.90', size: 2 },
      ],
    });
    expect(book.groupLevels('ask', '0.01', 50, 10)).toEqual({ decimals: 2, levels: [{ price: '100.50', size: 4 }] });
    // Unknown tick: rows of N units of the book's last digit.
    expect(book.groupLevels('bid', null, 5, 10).levels).toEqual([
      { price: '100.0', size: 1 },
      { price: '99.5', size: 2 },
    ]);
    // A step that would pass 2^53 at the finer scale: rows of N units of the book's last digit instead.
    const huge = new OrderBook('t', 'T');
    huge.applySnapshot([['190172500', '1']], [['190172600', '1']]);
    expect(huge.groupLevels('bid', '0.00000025', 4, 10)).toEqual({ decimals: 0, levels: [{ price: '190172500', size: 1 }] });
  });
});
