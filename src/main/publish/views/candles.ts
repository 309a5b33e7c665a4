/**
 * The candles view: one venue:symbol's time candles at one interval, built here from trades. The first
 * frame holds the candles of this session's trades (the trade log); a live feed's recorded trades from
 * before that are read from the store and sent as a second full frame when they arrive. After that a
 * frame holds only the candles that changed.
 */
import { MAX_CANDLES, type CandlesFrame } from '../../../shared/contract';
import type { Instrument } from '../../../shared/market';
import { CANDLE_INTERVALS, type CandleInterval, type CandleTrade } from '../../analytics/candles';
import { LiveCandles } from '../../analytics/live-candles';
import type { CandleTradeLog } from '../../market/candle-trade-log';
import type { TradeUpdates } from '../../market/recent-trades';
import type { TradesQuery, TradesRange } from '../../store/protocol';
import type { SymbolFeed } from '../../venues/symbol-feed';
import type { FrameSource } from '../publisher';

/** The store's trade query (Store.trades). */
export interface TradeHistory {
  trades(q: TradesQuery): Promise<TradesRange>;
}

/** Rows one store query returns (the store's limit), and how many queries a chart makes at most. */
const HISTORY_PAGE_ROWS = 20_000;
export const MAX_HISTORY_PAGES = 10;

export interface CandlesSourceOptions {
  feed: SymbolFeed;
  interval: CandleInterval;
  updates: TradeUpdates;
  log: CandleTradeLog;
  /** null: no history to read (no store, or a replayed capture, which is never recorded). */
  history: TradeHistory | null;
  instrument: () => Instrument | null;
  now?: () => number;
  maxCandles?: number;
  maxHistoryPages?: number;
  /** Rows per store query (the store's limit; smaller in tests). */
  historyPageRows?: number;
}

type HistoryInfo = CandlesFrame['history'];

export function candlesSource(options: CandlesSourceOptions): FrameSource {
  const { feed, interval } = options;
  const maxCandles = options.maxCandles ?? MAX_CANDLES;
  const candles = new LiveCandles(interval, maxCandles);
  let reset = true;
  let serial = 0;
  let disposed = false;
  const off = options.updates.onTrade((f, trade) => {
    if (f !== feed || trade.history) return;
    candles.add(trade);
    serial++;
  });
  const logged = options.log.snapshot(feed);
  for (const t of logged.trades) candles.add(t);

  let history: HistoryInfo = { state: options.history ? 'loading' : 'none', trades: 0, truncated: false, message: null };
  if (options.history) {
    const to = logged.storeBefore ?? (options.now ?? Date.now)();
    const from = Math.max(0, to - CANDLE_INTERVALS[interval] * maxCandles);
    readHistory(options.history, feed, from, to, options.maxHistoryPages ?? MAX_HISTORY_PAGES, options.historyPageRows ?? HISTORY_PAGE_ROWS)
      .then(({ trades, truncated }) => {
        if (disposed) return;
        for (const t of trades) candles.add(t);
        history = { state: 'done', trades: trades.length, truncated, message: null };
      })
      .catch((error: Error) => {
        history = { state: 'failed', trades: 0, truncated: false, message: error.message };
      })
      .finally(() => {
        reset = true;
        serial++;
      });
  }

  return {
    version: () => serial,
    build: (): CandlesFrame => {
      const i = options.instrument();
      let full = reset;
      reset = false;
      let bars = full ? candles.all() : candles.takeChanged();
      // More changed candles than a frame carries (a burst of late trades): send them all afresh.
      if (bars.length > maxCandles) {
        full = true;
        bars = candles.all();
      }
      return {
        venue: feed.venue,
        symbol: feed.symbol,
        interval,
        reset: full,
        candles: bars,
        priceDecimals: decimals(i?.pricePrecision),
        sizeDecimals: decimals(i?.sizePrecision),
        history,
      };
    },
    dispose: () => {
      disposed = true;
      off();
    },
  };
}

/**
 * The feed's recorded trades received in [from, to), newest pages first so that a capped read keeps
 * the newest; returned oldest first.
 */
export async function readHistory(
  store: TradeHistory,
  feed: Pick<SymbolFeed, 'venue' | 'symbol'>,
  from: number,
  to: number,
  maxPages: number,
  pageRows = HISTORY_PAGE_ROWS,
): Promise<{ trades: CandleTrade[]; truncated: boolean }> {
  const pages: CandleTrade[][] = [];
  let before = to;
  let truncated = false;
  for (let page = 0; page < maxPages; page++) {
    const r = await store.trades({ venue: feed.venue, symbol: feed.symbol, from, to: before, limit: pageRows, newest: true });
    let rows = r.rows;
    truncated = r.truncated;
    if (r.truncated && rows.length > 0) {
      // The page may have cut through the trades of its oldest receive time: leave them all to the next
      // page, which ends just after that time (the next double up: no other time lies between).
      const oldest = rows[0]!.localTs;
      rows = rows.filter((t) => t.localTs > oldest);
      before = nextDoubleUp(oldest);
    }
    pages.push(rows);
    if (!r.truncated) break;
  }
  return { trades: pages.reverse().flat(), truncated };
}

/** The smallest double above a positive finite `x`. */
export function nextDoubleUp(x: number): number {
  const value = new Float64Array([x]);
  const bits = new BigInt64Array(value.buffer);
  bits[0]! += 1n;
  return value[0]!;
}

/** A precision the chart can use: a whole number of places, or null where not known. */
function decimals(precision: number | null | undefined): number | null {
  return precision !== null && precision !== undefined && Number.isInteger(precision) && precision >= 0 ? precision : null;
}
