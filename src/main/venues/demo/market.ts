/**
 * A synthetic market that speaks Binance spot's wire format: a random-walk mid, a realistic ladder of
 * resting size, walls that appear and get pulled, and bursts of activity. It keeps the true book for
 * every symbol, so what it streams (diffs with contiguous update ids, bookTicker, `@trade` prints) and
 * what it answers to a snapshot request are always consistent, exactly as a real exchange's are. A
 * print takes resting size at the touch: the level shrinks or goes in the same step's diff, and the
 * trade carries the next consecutive trade id.
 *
 * Used by the demo venue (in-process) and by the fake Binance exchange in tests (over 127.0.0.1).
 */
import { formatScaled } from '../../../shared/decimal';

export interface DemoSymbolSpec {
  symbol: string;
  base: string;
  quote: string;
  /** Starting mid price. */
  mid: number;
  /** Decimal places of the price (tick = 10^-priceDecimals). */
  priceDecimals: number;
  sizeDecimals: number;
  /** Typical resting size per level, in base units. */
  typicalSize: number;
  /** Fraction of ticks near the top that hold a level. */
  density: number;
  /** Mid moves by about this many ticks per step (standard deviation). */
  volatilityTicks: number;
  /**
   * Follow another market's symbol instead of walking alone (demo-b follows demo): the mid tracks
   * that symbol's mid as it was `MidFollower.lagMs` ago, shifted by `offsetBps`, plus a little noise.
   */
  follows?: string;
  offsetBps?: number;
}

/** Where a following market reads its leader's past mids (SyntheticMarket.midAt of the leader). */
export interface MidFollower {
  midAt(symbol: string, ts: number): number | null;
  lagMs: number;
}

export const DEMO_SYMBOLS: DemoSymbolSpec[] = [
  { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', mid: 64_250, priceDecimals: 2, sizeDecimals: 5, typicalSize: 0.8, density: 0.35, volatilityTicks: 6 },
  { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', mid: 3_150, priceDecimals: 2, sizeDecimals: 4, typicalSize: 12, density: 0.5, volatilityTicks: 4 },
  { symbol: 'SOLUSDT', base: 'SOL', quote: 'USDT', mid: 148.5, priceDecimals: 2, sizeDecimals: 3, typicalSize: 140, density: 0.7, volatilityTicks: 2 },
  { symbol: 'XRPUSDT', base: 'XRP', quote: 'USDT', mid: 0.5231, priceDecimals: 4, sizeDecimals: 0, typicalSize: 25_000, density: 0.9, volatilityTicks: 1 },
  { symbol: 'DOGEUSDT', base: 'DOGE', quote: 'USDT', mid: 0.12345, priceDecimals: 5, sizeDecimals: 0, typicalSize: 90_000, density: 0.85, volatilityTicks: 1 },
  { symbol: 'ETHBTC', base: 'ETH', quote: 'BTC', mid: 0.04903, priceDecimals: 5, sizeDecimals: 4, typicalSize: 30, density: 0.9, volatilityTicks: 0.6 },
];

/**
 * demo-b: the same assets quoted a little differently, so the cross-venue views have a second venue
 * without a network. Its mids follow demo's 400 ms late (demo leads), BTC has a coarser tick (0.1, so
 * a merged book groups to a common tick), and BTC also trades against USD (the USD quote family).
 */
export const DEMO_B_SYMBOLS: DemoSymbolSpec[] = [
  { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', mid: 64_252, priceDecimals: 1, sizeDecimals: 4, typicalSize: 0.5, density: 0.6, volatilityTicks: 1, follows: 'BTCUSDT', offsetBps: 0 },
  { symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', mid: 3_150.4, priceDecimals: 2, sizeDecimals: 3, typicalSize: 9, density: 0.45, volatilityTicks: 3, follows: 'ETHUSDT', offsetBps: 0.1 },
  { symbol: 'SOLUSDT', base: 'SOL', quote: 'USDT', mid: 148.52, priceDecimals: 3, sizeDecimals: 2, typicalSize: 110, density: 0.4, volatilityTicks: 10, follows: 'SOLUSDT', offsetBps: 0.2 },
  { symbol: 'XRPUSDT', base: 'XRP', quote: 'USDT', mid: 0.5232, priceDecimals: 4, sizeDecimals: 0, typicalSize: 18_000, density: 0.85, volatilityTicks: 1, follows: 'XRPUSDT', offsetBps: 0 },
  { symbol: 'BTCUSD', base: 'BTC', quote: 'USD', mid: 64_240, priceDecimals: 2, sizeDecimals: 5, typicalSize: 0.4, density: 0.3, volatilityTicks: 6, follows: 'BTCUSDT', offsetBps: -1.5 },
];

/** How long a market keeps its past mids for followers to read. */
const MID_HISTORY_MS = 10_000;

/** Levels kept on each side of the true book. */
const BOOK_DEPTH = 400;

type Change = [string, string];

/** One taker order filled against the touch. */
interface Fill {
  /** The taker's side. */
  side: 'buy' | 'sell';
  tick: number;
  size: number;
}

interface Wall {
  side: 'bid' | 'ask';
  tick: number;
  size: number;
  until: number;
}

class SymbolMarket {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  updateId: number;
  /** The last trade id printed (Binance `t`, consecutive per symbol). */
  tradeId: number;
  /** Trade ids to skip before the next print (fault injection: lost trades). */
  tradeIdsToSkip = 0;
  mid: number;
  private walls: Wall[] = [];
  lastTop = '';
  /** The touch after the last fill: every bid is at or below it, every ask above it. */
  private bidTop = Number.NaN;
  private steps = 0;
  /** Recent (time, mid price) pairs, oldest first, for markets that follow this one. */
  readonly midHistory: Array<[number, number]> = [];

  constructor(
    readonly spec: DemoSymbolSpec,
    private readonly rand: () => number,
    private readonly follower: MidFollower | null = null,
  ) {
    this.updateId = 1_000_000 + Math.floor(rand() * 1_000_000);
    this.tradeId = 500_000 + Math.floor(rand() * 1_000_000);
    this.mid = spec.mid * 10 ** spec.priceDecimals;
    this.fill(0);
  }

  price(tick: number): string {
    return formatScaled(tick, this.spec.priceDecimals);
  }

  size(value: number): string {
    return value.toFixed(this.spec.sizeDecimals);
  }

  private randomSize(distance: number): number {
    // Resting size grows away from the touch; a heavy tail gives the occasional big order.
    const base = this.spec.typicalSize * (0.3 + Math.min(distance, 60) / 40);
    const tail = -Math.log(1 - this.rand() * 0.999);
    const raw = base * tail;
    const unit = 10 ** -this.spec.sizeDecimals;
    return Math.max(unit, Math.round(raw / unit) * unit);
  }

  /** Highest bid. After a fill the touch is bidTop and nothing is added above it, so look down from there. */
  bestBid(): number {
    for (let t = this.bidTop, n = 0; n < BOOK_DEPTH * 3; t--, n++) if (this.bids.has(t)) return t;
    let best = -Infinity;
    for (const t of this.bids.keys()) if (t > best) best = t;
    return best;
  }

  /** Lowest ask: no ask lies below bidTop + 1, and the book is dense near the touch. */
  bestAsk(): number {
    for (let t = this.bidTop + 1, n = 0; n < BOOK_DEPTH * 3; t++, n++) if (this.asks.has(t)) return t;
    let best = Infinity;
    for (const t of this.asks.keys()) if (t < best) best = t;
    return best;
  }

  /** Make the book consistent with the current mid, recording every size change in `out`. */
  private fill(now: number, out?: Map<string, Change>, outAsk?: Map<string, Change>): void {
    const bidTop = Math.floor(this.mid - 0.5);
    const askTop = bidTop + 1 + (this.rand() < 0.3 ? 1 : 0);
    const set = (side: 'bid' | 'ask', tick: number, size: number): void => {
      const m = side === 'bid' ? this.bids : this.asks;
      if (size <= 0) {
        if (!m.has(tick)) return;
        m.delete(tick);
      } else {
        m.set(tick, size);
      }
      (side === 'bid' ? out : outAsk)?.set(String(tick), [this.price(tick), size <= 0 ? this.size(0) : this.size(size)]);
    };
    // Remove levels that the mid has walked through: only between the old and the new touch (no bid
    // lies above the last bidTop, no ask below the last bidTop + 1), so this costs the distance moved.
    if (Number.isNaN(this.bidTop) || this.steps % 64 === 0) {
      // Now and then (and at the start) a full pass, which also drops levels beyond the kept depth.
      for (const t of [...this.bids.keys()]) if (t > bidTop || t < bidTop - BOOK_DEPTH * 3) set('bid', t, 0);
      for (const t of [...this.asks.keys()]) if (t < askTop || t > askTop + BOOK_DEPTH * 3) set('ask', t, 0);
    } else {
      for (let t = this.bidTop; t > bidTop; t--) if (this.bids.has(t)) set('bid', t, 0);
      for (let t = this.bidTop + 1; t < askTop; t++) if (this.asks.has(t)) set('ask', t, 0);
    }
    this.steps++;
    this.bidTop = bidTop;
    // The touch always holds size so the spread stays realistic.
    if (!this.bids.has(bidTop)) set('bid', bidTop, this.randomSize(0));
    if (!this.asks.has(askTop)) set('ask', askTop, this.randomSize(0));
    for (let d = 1; this.bids.size < BOOK_DEPTH && d < BOOK_DEPTH * 3; d++) {
      if (!this.bids.has(bidTop - d) && this.rand() < this.spec.density) set('bid', bidTop - d, this.randomSize(d));
    }
    for (let d = 1; this.asks.size < BOOK_DEPTH && d < BOOK_DEPTH * 3; d++) {
      if (!this.asks.has(askTop + d) && this.rand() < this.spec.density) set('ask', askTop + d, this.randomSize(d));
    }
    // Walls: big resting orders a few ticks away that live for a while, then get pulled.
    this.walls = this.walls.filter((w) => {
      const m = w.side === 'bid' ? this.bids : this.asks;
      if (w.until > now && m.has(w.tick)) return true;
      if (m.has(w.tick)) set(w.side, w.tick, this.randomSize(5));
      return false;
    });
    if (now > 0 && this.walls.length < 2 && this.rand() < 0.01) {
      const side = this.rand() < 0.5 ? 'bid' : 'ask';
      const distance = 3 + Math.floor(this.rand() * 25);
      const tick = side === 'bid' ? bidTop - distance : askTop + distance;
      const size = this.spec.typicalSize * (12 + this.rand() * 20);
      this.walls.push({ side, tick, size, until: now + 5_000 + this.rand() * 20_000 });
      set(side, tick, size);
    }
    // Now and then a layering pattern: a stack of adjacent large orders placed at once a few ticks
    // out, pulled again seconds later without trading (what the layering detector looks for).
    if (now > 0 && this.walls.length <= 2 && this.rand() < 0.002) {
      const side = this.rand() < 0.5 ? 'bid' : 'ask';
      const start = 4 + Math.floor(this.rand() * 8);
      const until = now + 3_000 + this.rand() * 5_000;
      for (let i = 0; i < 5; i++) {
        const tick = side === 'bid' ? bidTop - start - i : askTop + start + i;
        const size = this.spec.typicalSize * (14 + this.rand() * 6);
        this.walls.push({ side, tick, size, until });
        set(side, tick, size);
      }
    }
  }

  /**
   * Taker orders against the touch: each takes part or all of the best level's size on the other
   * side, recorded as a depth change. About every other step one order; more in a burst.
   */
  private takeLiquidity(intensity: number, bidChanges: Map<string, Change>, askChanges: Map<string, Change>): Fill[] {
    const fills: Fill[] = [];
    if (this.rand() < 0.5) return fills;
    const orders = 1 + Math.floor(this.rand() * intensity);
    for (let i = 0; i < orders; i++) {
      const side = this.rand() < 0.5 ? 'buy' : 'sell';
      // A taker buy lifts the best ask; a taker sell hits the best bid.
      const book = side === 'buy' ? this.asks : this.bids;
      const tick = side === 'buy' ? this.bestAsk() : this.bestBid();
      const resting = book.get(tick);
      if (resting === undefined) continue;
      const unit = 10 ** -this.spec.sizeDecimals;
      const wanted = Math.max(unit, Math.round((this.spec.typicalSize * 0.2 * -Math.log(1 - this.rand() * 0.999)) / unit) * unit);
      const size = Math.min(wanted, resting);
      const left = Math.round((resting - size) / unit) * unit;
      if (left < unit / 2) book.delete(tick);
      else book.set(tick, left);
      (side === 'buy' ? askChanges : bidChanges).set(String(tick), [this.price(tick), this.size(left < unit / 2 ? 0 : left)]);
      fills.push({ side, tick, size });
    }
    return fills;
  }

  /** Advance one step; returns the depth changes (bids, asks) and the fills, or null when nothing changed. */
  step(now: number, intensity: number): { bids: Change[]; asks: Change[]; fills: Fill[] } | null {
    const bidChanges = new Map<string, Change>();
    const askChanges = new Map<string, Change>();
    const leaderMid = this.spec.follows && this.follower ? this.follower.midAt(this.spec.follows, now - this.follower.lagMs) : null;
    if (leaderMid !== null) {
      const target = leaderMid * (1 + (this.spec.offsetBps ?? 0) / 10_000) * 10 ** this.spec.priceDecimals;
      // Exactly the leader's past mid: its own book (tick, churn, fills) is what differs.
      this.mid = target;
    } else {
      this.mid += gaussian(this.rand) * this.spec.volatilityTicks * Math.sqrt(intensity);
    }
    this.midHistory.push([now, this.mid / 10 ** this.spec.priceDecimals]);
    while (this.midHistory.length > 0 && this.midHistory[0]![0] < now - MID_HISTORY_MS) this.midHistory.shift();
    this.fill(now, bidChanges, askChanges);
    // Churn: most activity near the touch, a good share of it cancels.
    const churn = Math.round((2 + this.rand() * 6) * intensity);
    for (let i = 0; i < churn; i++) {
      const side = this.rand() < 0.5 ? 'bid' : 'ask';
      const m = side === 'bid' ? this.bids : this.asks;
      const top = side === 'bid' ? Math.floor(this.mid - 0.5) : Math.floor(this.mid - 0.5) + 1;
      const near = this.rand() < 0.9;
      const distance = Math.floor(this.rand() * (near ? 50 : BOOK_DEPTH));
      const tick = side === 'bid' ? top - distance : top + distance;
      if (this.walls.some((w) => w.tick === tick && w.side === side)) continue;
      const changes = side === 'bid' ? bidChanges : askChanges;
      if (m.has(tick) && this.rand() < 0.4 && distance > 0) {
        m.delete(tick);
        changes.set(String(tick), [this.price(tick), this.size(0)]);
      } else {
        const size = this.randomSize(distance);
        m.set(tick, size);
        changes.set(String(tick), [this.price(tick), this.size(size)]);
      }
    }
    const fills = this.takeLiquidity(intensity, bidChanges, askChanges);
    if (bidChanges.size === 0 && askChanges.size === 0) return null;
    return { bids: [...bidChanges.values()], asks: [...askChanges.values()], fills };
  }

  snapshot(limit: number): { lastUpdateId: number; bids: Change[]; asks: Change[] } {
    const bids = [...this.bids].sort((a, b) => b[0] - a[0]).slice(0, limit);
    const asks = [...this.asks].sort((a, b) => a[0] - b[0]).slice(0, limit);
    return {
      lastUpdateId: this.updateId,
      bids: bids.map(([t, s]) => [this.price(t), this.size(s)]),
      asks: asks.map(([t, s]) => [this.price(t), this.size(s)]),
    };
  }
}

function gaussian(rand: () => number): number {
  const u = Math.max(1e-12, rand());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Deterministic PRNG (mulberry32) so demo runs and tests are reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MarketFrames {
  symbol: string;
  /** Binance `depthUpdate` payload. */
  depth: Record<string, unknown>;
  /** Binance `bookTicker` payload when the best bid/ask changed with this update. */
  bookTicker: Record<string, unknown> | null;
  /** Binance `trade` payloads for the prints of this step (their sizes left the book in `depth`). */
  trades: Array<Record<string, unknown>>;
}

export class SyntheticMarket {
  private readonly markets = new Map<string, SymbolMarket>();
  /** Update ids to skip before the next event (fault injection: a sequence gap). */
  private pendingGap = 0;

  constructor(
    readonly specs: DemoSymbolSpec[] = DEMO_SYMBOLS,
    seed = 1,
    follower: MidFollower | null = null,
  ) {
    const rand = seededRandom(seed);
    for (const spec of specs) this.markets.set(spec.symbol, new SymbolMarket(spec, rand, follower));
  }

  /** A symbol's mid price as it was at `ts` (the last step at or before it); null without history. */
  midAt(symbol: string, ts: number): number | null {
    const history = this.markets.get(symbol)?.midHistory;
    if (!history || history.length === 0) return null;
    for (let i = history.length - 1; i >= 0; i--) if (history[i]![0] <= ts) return history[i]![1];
    return null;
  }

  has(symbol: string): boolean {
    return this.markets.has(symbol.toUpperCase());
  }

  symbols(): string[] {
    return [...this.markets.keys()];
  }

  /**
   * Advance every symbol (or only those in `only`) by one step (a 100 ms batch); intensity > 1 is a
   * burst. A symbol left out keeps its book and update id, so its stream stays contiguous.
   */
  step(now: number, intensity = 1, only?: ReadonlySet<string>): MarketFrames[] {
    const out: MarketFrames[] = [];
    for (const m of this.markets.values()) {
      if (only && !only.has(m.spec.symbol)) continue;
      const changes = m.step(now, intensity);
      if (!changes) continue;
      const U = m.updateId + 1 + this.pendingGap;
      const u = U + changes.bids.length + changes.asks.length - 1;
      m.updateId = u;
      const depth = { e: 'depthUpdate', E: now, s: m.spec.symbol, U, u, b: changes.bids, a: changes.asks };
      const bb = m.bestBid();
      const ba = m.bestAsk();
      const top = `${bb}:${m.bids.get(bb)}:${ba}:${m.asks.get(ba)}`;
      let bookTicker: Record<string, unknown> | null = null;
      if (top !== m.lastTop) {
        m.lastTop = top;
        bookTicker = {
          u,
          s: m.spec.symbol,
          b: m.price(bb),
          B: m.size(m.bids.get(bb)!),
          a: m.price(ba),
          A: m.size(m.asks.get(ba)!),
        };
      }
      const trades = changes.fills.map((fill) => {
        m.tradeId += 1 + m.tradeIdsToSkip;
        m.tradeIdsToSkip = 0;
        // `m`: is the buyer the maker? Yes when the taker sold.
        return { e: 'trade', E: now, s: m.spec.symbol, t: m.tradeId, p: m.price(fill.tick), q: m.size(fill.size), T: now, m: fill.side === 'sell', M: true };
      });
      out.push({ symbol: m.spec.symbol, depth, bookTicker, trades });
    }
    this.pendingGap = 0;
    return out;
  }

  /** Skip `n` trade ids before the next print of every symbol (trades a correct client must count as lost). */
  injectTradeGap(n: number): void {
    for (const m of this.markets.values()) m.tradeIdsToSkip = n;
  }

  /** The REST depth snapshot body for a symbol, or null if unknown. */
  snapshot(symbol: string, limit: number): { lastUpdateId: number; bids: Change[]; asks: Change[] } | null {
    return this.markets.get(symbol.toUpperCase())?.snapshot(limit) ?? null;
  }

  /** The true book's levels, best first, as [price, size] texts (tests compare against this). */
  trueBook(symbol: string): { bids: Change[]; asks: Change[]; updateId: number } | null {
    const m = this.markets.get(symbol.toUpperCase());
    if (!m) return null;
    const snap = m.snapshot(Number.MAX_SAFE_INTEGER);
    return { bids: snap.bids, asks: snap.asks, updateId: m.updateId };
  }

  /** Skip `n` update ids before the next events (a gap a correct client must detect). */
  injectGap(n: number): void {
    this.pendingGap = n;
  }

  /** Binance-shaped `exchangeInfo` body. */
  exchangeInfo(): string {
    return JSON.stringify({
      timezone: 'UTC',
      symbols: this.specs.map((s) => ({
        symbol: s.symbol,
        status: 'TRADING',
        baseAsset: s.base,
        quoteAsset: s.quote,
        filters: [
          { filterType: 'PRICE_FILTER', tickSize: formatScaled(1, s.priceDecimals) },
          { filterType: 'LOT_SIZE', stepSize: s.sizeDecimals === 0 ? '1' : formatScaled(1, s.sizeDecimals) },
        ],
      })),
    });
  }
}
