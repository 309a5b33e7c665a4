/**
 * Hyperliquid public WebSocket messages (docs/venues.md#hyperliquid): every frame is
 * `{"channel": ..., "data": ...}`. `l2Book` data is a whole book for one coin, `{coin, time, levels:
 * [bids, asks]}` with each side best first and each level `{px, sz, n}` (px and sz as decimal text,
 * n the number of orders); `trades` data is a list of trades (./trades.ts); `subscriptionResponse`
 * acknowledges a (un)subscribe; `pong` answers our `{"method":"ping"}`; `error` carries the venue's
 * text. Source: hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/websocket (subscriptions,
 * timeouts and heartbeats).
 *
 * The book channel has no sequence number and no checksum, so what the parser can verify it does
 * here: both sides strictly ordered (bids falling, asks rising, no price twice) and every size
 * positive. A frame that breaks that is not what the venue promises and is refused as malformed.
 */
import { isDecimalText } from '../../../shared/decimal';
import { compareDecimal } from '../../../shared/decimal-sum';
import type { TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { isObject, parseJsonObject } from '../frames';
import { parseHyperliquidTrades } from './trades';

export type LevelPair = readonly [string, string];

/** One whole `l2Book` frame: the coin's visible book (up to 20 levels a side) at `time`. */
export interface BookFrame {
  coin: string;
  /** The venue's time of this book, ms since the epoch. */
  time: number;
  /** Best first. */
  bids: LevelPair[];
  asks: LevelPair[];
}

export type HyperliquidMessage =
  | { kind: 'book'; book: BookFrame }
  | { kind: 'trades'; batch: TradeBatch }
  | { kind: 'pong' }
  | { kind: 'subscribed'; method: string; type: string; coin: string | null }
  | { kind: 'error'; text: string }
  | { kind: 'other'; channel: string };

/** One side of a book, checked strictly ordered best first (`descending` for bids) with positive sizes. */
function side(raw: unknown, name: 'bids' | 'asks', coin: string): LevelPair[] {
  if (!Array.isArray(raw)) throw new MalformedFrameError(`l2Book ${coin}: ${name} is not a list`);
  const out: LevelPair[] = [];
  for (const level of raw as unknown[]) {
    if (!isObject(level) || typeof level.px !== 'string' || typeof level.sz !== 'string' || !isDecimalText(level.px) || !isDecimalText(level.sz)) {
      throw new MalformedFrameError(`l2Book ${coin}: ${name} level without decimal px and sz`);
    }
    if (compareDecimal(level.sz, '0') <= 0) throw new MalformedFrameError(`l2Book ${coin}: ${name} level ${level.px} with size ${level.sz}`);
    const previous = out.at(-1);
    if (previous) {
      const order = compareDecimal(level.px, previous[0]);
      const inOrder = name === 'bids' ? order < 0 : order > 0;
      if (!inOrder) throw new MalformedFrameError(`l2Book ${coin}: ${name} not strictly ${name === 'bids' ? 'falling' : 'rising'} at ${level.px} after ${previous[0]}`);
    }
    out.push([level.px, level.sz]);
  }
  return out;
}

function bookFrame(data: unknown): BookFrame {
  if (!isObject(data)) throw new MalformedFrameError('l2Book without a data object');
  const coin = data.coin;
  if (typeof coin !== 'string' || coin === '') throw new MalformedFrameError('l2Book without a coin');
  const time = data.time;
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0) throw new MalformedFrameError(`l2Book ${coin}: time is not a number of ms`);
  const levels = data.levels;
  if (!Array.isArray(levels) || levels.length !== 2) throw new MalformedFrameError(`l2Book ${coin}: levels is not [bids, asks]`);
  return { coin, time, bids: side(levels[0], 'bids', coin), asks: side(levels[1], 'asks', coin) };
}

/**
 * Parse one frame; `receivedAt` stamps trades with their local time. Throws MalformedFrameError for
 * anything that is not what the protocol says.
 */
export function parseHyperliquidFrame(text: string, receivedAt = 0): HyperliquidMessage {
  const msg = parseJsonObject(text, 'frame');
  const channel = msg.channel;
  if (typeof channel !== 'string') throw new MalformedFrameError('frame without a channel');
  switch (channel) {
    case 'l2Book':
      return { kind: 'book', book: bookFrame(msg.data) };
    case 'trades':
      return { kind: 'trades', batch: parseHyperliquidTrades(msg, receivedAt)! };
    case 'pong':
      return { kind: 'pong' };
    case 'subscriptionResponse': {
      const data = isObject(msg.data) ? msg.data : {};
      const sub = isObject(data.subscription) ? data.subscription : {};
      return {
        kind: 'subscribed',
        method: typeof data.method === 'string' ? data.method : '',
        type: typeof sub.type === 'string' ? sub.type : '',
        coin: typeof sub.coin === 'string' ? sub.coin : null,
      };
    }
    case 'error':
      return { kind: 'error', text: typeof msg.data === 'string' ? msg.data : JSON.stringify(msg.data ?? null) };
    default:
      return { kind: 'other', channel };
  }
}

/** Best-effort coin of a frame that failed to parse (the first `"coin":"…"` in it), so the failure is counted on its book. */
export function coinOfFrame(text: string): string[] {
  const m = /"coin"\s*:\s*"([^"]{1,60})"/.exec(text.slice(0, 400));
  return m ? [m[1]!] : [];
}

/** The subscribe frame for one coin's channel (`l2Book` or `trades`). */
export function subscribeFrame(type: 'l2Book' | 'trades', coin: string): string {
  return JSON.stringify({ method: 'subscribe', subscription: { type, coin } });
}

/** Coins whose `l2Book` a recorded `send` frame subscribes to (replay reads these). */
export function bookSubscriptionCoins(text: string): string[] {
  try {
    const msg = JSON.parse(text) as unknown;
    if (!isObject(msg) || msg.method !== 'subscribe' || !isObject(msg.subscription)) return [];
    const { type, coin } = msg.subscription;
    return type === 'l2Book' && typeof coin === 'string' && coin !== '' ? [coin] : [];
  } catch {
    return [];
  }
}
