/**
 * The tape view: each frame carries the prints of one venue:symbol since the window's last frame,
 * oldest first; the first frame carries up to `backlog` recent prints from before the subscription.
 * A window that falls behind is never sent a queue: beyond MAX_TRADES_PER_FRAME in one frame, the
 * oldest prints are left out and counted in `dropped`.
 */
import { MAX_TRADES_PER_FRAME, type TradePrint, type TradesFrame } from '../../../shared/contract';
import type { Instrument } from '../../../shared/market';
import { tradePrint, type TradeUpdates } from '../../market/recent-trades';
import type { SymbolFeed } from '../../venues/symbol-feed';
import type { FrameSource } from '../publisher';

/** `backlog`: the recent prints for the first frame, oldest first (RecentTrades.newest). */
export function tradesSource(
  updates: TradeUpdates,
  feed: SymbolFeed,
  backlog: TradePrint[],
  instrument: () => Instrument | null,
  maxPerFrame = MAX_TRADES_PER_FRAME,
): FrameSource {
  let pending: TradePrint[] = backlog.slice(-maxPerFrame);
  let dropped = 0;
  let received = 0;
  /** Keep at most this many between frames: trimming in bulk keeps each print O(1). */
  const trimAt = 2 * maxPerFrame;
  const off = updates.onTrade((f, trade) => {
    if (f !== feed) return;
    pending.push(tradePrint(trade));
    received++;
    if (pending.length >= trimAt) {
      const excess = pending.length - maxPerFrame;
      pending.splice(0, excess);
      dropped += excess;
    }
  });
  return {
    version: () => received,
    build: (): TradesFrame => {
      if (pending.length > maxPerFrame) {
        const excess = pending.length - maxPerFrame;
        pending = pending.slice(excess);
        dropped += excess;
      }
      const i = instrument();
      const frame: TradesFrame = {
        venue: feed.venue,
        symbol: feed.symbol,
        trades: pending,
        dropped,
        priceDecimals: decimals(i?.pricePrecision),
        sizeDecimals: decimals(i?.sizePrecision),
      };
      pending = [];
      dropped = 0;
      return frame;
    },
    dispose: off,
  };
}

/** A precision the tape can use: a whole number of places, or null where not known. */
function decimals(precision: number | null | undefined): number | null {
  return precision !== null && precision !== undefined && Number.isInteger(precision) && precision >= 0 ? precision : null;
}
