/**
 * Per-second history of one book's metrics in event time (the local receive time of book updates):
 * a fixed ring of completed seconds plus the second in progress. A second in which nothing happened
 * carries the previous second's closing values, with zero order flow and zero updates. Spread and
 * depth are also integrated over time within each second, for time-weighted averages (the liquidity
 * exhaustion detector compares against those, so a burst of updates does not outweigh a quiet spell).
 * Trades add per-second volume (taker buy, taker sell and unknown side), trade count and notional.
 */

/** The closing values a book update sets. */
export interface SeriesValues {
  mid: number;
  microprice: number;
  spreadBps: number;
  imbalance: number;
  depthBid: number;
  depthAsk: number;
  /** For the time-weighted averages: absolute spread and total top-N depth. */
  spread: number;
  depth: number;
}

export class SecondSeries {
  readonly t: Float64Array;
  readonly mid: Float64Array;
  readonly microprice: Float64Array;
  readonly spreadBps: Float64Array;
  readonly imbalance: Float64Array;
  readonly depthBid: Float64Array;
  readonly depthAsk: Float64Array;
  readonly ofi: Float64Array;
  readonly ofiMulti: Float64Array;
  readonly updates: Float64Array;
  readonly buyVolume: Float64Array;
  readonly sellVolume: Float64Array;
  /** Volume of prints whose taker side the venue did not say. */
  readonly otherVolume: Float64Array;
  readonly trades: Float64Array;
  /** Σ price × size, for the VWAP. */
  readonly notional: Float64Array;
  private readonly spreadTime: Float64Array;
  private readonly depthTime: Float64Array;
  private readonly spreadSum: Float64Array;
  private readonly depthSum: Float64Array;
  /** Completed seconds so far (the ring holds the last `capacity` of them). */
  completed = 0;

  /** Start of the second in progress (ms), NaN before the first update. */
  currentSecond = Number.NaN;
  readonly current: SeriesValues = { mid: NaN, microprice: NaN, spreadBps: NaN, imbalance: NaN, depthBid: NaN, depthAsk: NaN, spread: NaN, depth: NaN };
  currentOfi = 0;
  currentOfiMulti = 0;
  currentUpdates = 0;
  currentBuy = 0;
  currentSell = 0;
  currentOther = 0;
  currentTrades = 0;
  currentNotional = 0;
  private curSpreadSum = 0;
  private curSpreadTime = 0;
  private curDepthSum = 0;
  private curDepthTime = 0;
  private lastTs = Number.NaN;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.mid = new Float64Array(capacity);
    this.microprice = new Float64Array(capacity);
    this.spreadBps = new Float64Array(capacity);
    this.imbalance = new Float64Array(capacity);
    this.depthBid = new Float64Array(capacity);
    this.depthAsk = new Float64Array(capacity);
    this.ofi = new Float64Array(capacity);
    this.ofiMulti = new Float64Array(capacity);
    this.updates = new Float64Array(capacity);
    this.buyVolume = new Float64Array(capacity);
    this.sellVolume = new Float64Array(capacity);
    this.otherVolume = new Float64Array(capacity);
    this.trades = new Float64Array(capacity);
    this.notional = new Float64Array(capacity);
    this.spreadTime = new Float64Array(capacity);
    this.depthTime = new Float64Array(capacity);
    this.spreadSum = new Float64Array(capacity);
    this.depthSum = new Float64Array(capacity);
  }

  /**
   * Move time forward to `ts`, completing every second that ended before it; returns how many
   * completed. Time that runs backwards (a clock step) is held at the current second.
   */
  advance(ts: number): number {
    if (Number.isNaN(this.currentSecond)) {
      this.currentSecond = Math.floor(ts / 1000) * 1000;
      this.lastTs = ts;
      return 0;
    }
    const target = Math.floor(ts / 1000) * 1000;
    let done = 0;
    if (target > this.currentSecond) {
      // A gap longer than the ring: only the last `capacity` seconds can be kept anyway.
      const skipTo = target - this.capacity * 1000;
      while (this.currentSecond < target) {
        const end = this.currentSecond + 1000;
        this.integrateTo(end);
        this.complete();
        done++;
        this.currentSecond = end;
        if (this.currentSecond < skipTo) {
          this.currentSecond = skipTo;
          this.lastTs = skipTo;
        }
      }
    }
    this.integrateTo(ts);
    return done;
  }

  /** After `advance(ts)`: the update's closing values (copied), counted as one update. */
  record(values: SeriesValues, ofiBest: number, ofiMulti: number): void {
    const c = this.current;
    c.mid = values.mid;
    c.microprice = values.microprice;
    c.spreadBps = values.spreadBps;
    c.imbalance = values.imbalance;
    c.depthBid = values.depthBid;
    c.depthAsk = values.depthAsk;
    c.spread = values.spread;
    c.depth = values.depth;
    this.currentOfi += ofiBest;
    this.currentOfiMulti += ofiMulti;
    this.currentUpdates++;
  }

  /** After `advance(ts)`: a print in the second in progress. */
  recordTrade(price: number, size: number, side: 'buy' | 'sell' | 'unknown'): void {
    if (side === 'buy') this.currentBuy += size;
    else if (side === 'sell') this.currentSell += size;
    else this.currentOther += size;
    this.currentTrades++;
    this.currentNotional += price * size;
  }

  /** The book is gone (resync, disconnect): no closing values until it is back. */
  clearValues(): void {
    const c = this.current;
    c.mid = c.microprice = c.spreadBps = c.imbalance = c.depthBid = c.depthAsk = c.spread = c.depth = Number.NaN;
  }

  /** Time-weighted averages of spread and depth over the last `seconds` completed seconds. */
  averages(seconds: number, out: { spread: number; depth: number; seconds: number }): void {
    const n = Math.min(seconds, this.completed, this.capacity);
    let st = 0;
    let ss = 0;
    let dt = 0;
    let ds = 0;
    let covered = 0;
    for (let k = 1; k <= n; k++) {
      const i = (this.completed - k) % this.capacity;
      st += this.spreadTime[i]!;
      ss += this.spreadSum[i]!;
      dt += this.depthTime[i]!;
      ds += this.depthSum[i]!;
      if (this.spreadTime[i]! > 0 && this.depthTime[i]! > 0) covered++;
    }
    out.spread = st > 0 ? ss / st : Number.NaN;
    out.depth = dt > 0 ? ds / dt : Number.NaN;
    out.seconds = covered;
  }

  /** The last `seconds` completed seconds, oldest first (NaN → null). */
  window(seconds: number): {
    t: number[];
    mid: Array<number | null>;
    microprice: Array<number | null>;
    spreadBps: Array<number | null>;
    imbalance: Array<number | null>;
    depthBid: Array<number | null>;
    depthAsk: Array<number | null>;
    ofi: number[];
    ofiMulti: number[];
    updates: number[];
    volume: number[];
    buyVolume: number[];
    sellVolume: number[];
    trades: number[];
    vwap: Array<number | null>;
    tradeImbalance: Array<number | null>;
  } {
    const n = Math.min(seconds, this.completed, this.capacity);
    const out = { t: [] as number[], mid: [] as Array<number | null>, microprice: [] as Array<number | null>, spreadBps: [] as Array<number | null>, imbalance: [] as Array<number | null>, depthBid: [] as Array<number | null>, depthAsk: [] as Array<number | null>, ofi: [] as number[], ofiMulti: [] as number[], updates: [] as number[], volume: [] as number[], buyVolume: [] as number[], sellVolume: [] as number[], trades: [] as number[], vwap: [] as Array<number | null>, tradeImbalance: [] as Array<number | null> };
    for (let k = n; k >= 1; k--) {
      const i = (this.completed - k) % this.capacity;
      out.t.push(this.t[i]!);
      out.mid.push(orNull(this.mid[i]!));
      out.microprice.push(orNull(this.microprice[i]!));
      out.spreadBps.push(orNull(this.spreadBps[i]!));
      out.imbalance.push(orNull(this.imbalance[i]!));
      out.depthBid.push(orNull(this.depthBid[i]!));
      out.depthAsk.push(orNull(this.depthAsk[i]!));
      out.ofi.push(this.ofi[i]!);
      out.ofiMulti.push(this.ofiMulti[i]!);
      out.updates.push(this.updates[i]!);
      const buy = this.buyVolume[i]!;
      const sell = this.sellVolume[i]!;
      const volume = buy + sell + this.otherVolume[i]!;
      out.volume.push(volume);
      out.buyVolume.push(buy);
      out.sellVolume.push(sell);
      out.trades.push(this.trades[i]!);
      out.vwap.push(volume > 0 ? this.notional[i]! / volume : null);
      out.tradeImbalance.push(buy + sell > 0 ? (buy - sell) / (buy + sell) : null);
    }
    return out;
  }

  private integrateTo(ts: number): void {
    const dt = ts - this.lastTs;
    if (dt > 0) {
      const c = this.current;
      if (!Number.isNaN(c.spread)) {
        this.curSpreadSum += c.spread * dt;
        this.curSpreadTime += dt;
      }
      if (!Number.isNaN(c.depth)) {
        this.curDepthSum += c.depth * dt;
        this.curDepthTime += dt;
      }
      this.lastTs = ts;
    }
  }

  private complete(): void {
    const i = this.completed % this.capacity;
    const c = this.current;
    this.t[i] = this.currentSecond;
    this.mid[i] = c.mid;
    this.microprice[i] = c.microprice;
    this.spreadBps[i] = c.spreadBps;
    this.imbalance[i] = c.imbalance;
    this.depthBid[i] = c.depthBid;
    this.depthAsk[i] = c.depthAsk;
    this.ofi[i] = this.currentOfi;
    this.ofiMulti[i] = this.currentOfiMulti;
    this.updates[i] = this.currentUpdates;
    this.buyVolume[i] = this.currentBuy;
    this.sellVolume[i] = this.currentSell;
    this.otherVolume[i] = this.currentOther;
    this.trades[i] = this.currentTrades;
    this.notional[i] = this.currentNotional;
    this.spreadSum[i] = this.curSpreadSum;
    this.spreadTime[i] = this.curSpreadTime;
    this.depthSum[i] = this.curDepthSum;
    this.depthTime[i] = this.curDepthTime;
    this.completed++;
    this.currentOfi = 0;
    this.currentOfiMulti = 0;
    this.currentUpdates = 0;
    this.currentBuy = this.currentSell = this.currentOther = this.currentTrades = this.currentNotional = 0;
    this.curSpreadSum = 0;
    this.curSpreadTime = 0;
    this.curDepthSum = 0;
    this.curDepthTime = 0;
  }
}

export function orNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
