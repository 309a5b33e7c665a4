/**
 * Coinbase Exchange WebSocket feed messages (ws-feed.exchange.coinbase.com): level2 / level2_batch
 * snapshots and l2updates, heartbeat, ticker, subscriptions and error. Sources: docs/venues.md#coinbase
 * (Coinbase channel docs, ccxt coinbaseexchange.ts). Every message is a JSON object with a `type`;
 * unknown types are ignored, frames that are not what the protocol says are MalformedFrameError.
 */
import { createHmac } from 'node:crypto';
import type { TradeBatch } from '../../trades/batch';
import { MalformedFrameError } from '../adapter';
import { isLevelArray, isObject, parseJsonObject, type LevelPair } from '../frames';
import { parseCoinbaseTrades } from './trades';

/** The two book channels: `level2` needs an Exchange API key; `level2_batch` is public, 50 ms batches. */
export type BookChannel = 'level2' | 'level2_batch';

export interface L2Snapshot {
  productId: string;
  bids: LevelPair[];
  asks: LevelPair[];
}

export interface L2Update {
  productId: string;
  /** Exchange time in µs since the epoch (null when absent or unreadable). */
  timeUs: number | null;
  /** Changes split by side, each side in arrival order (sizes are absolute; any zero form deletes). */
  bids: LevelPair[];
  asks: LevelPair[];
}

export interface Heartbeat {
  productId: string;
  timeUs: number | null;
}

export interface Ticker {
  productId: string;
  timeUs: number | null;
  bestBid: string;
  bestAsk: string;
  /** Present on today's feed; absent on older recordings. */
  bestBidSize: string | null;
  bestAskSize: string | null;
}

export type FeedMessage =
  | { kind: 'snapshot'; data: L2Snapshot }
  | { kind: 'l2update'; data: L2Update }
  | { kind: 'heartbeat'; data: Heartbeat }
  | { kind: 'ticker'; data: Ticker }
  | { kind: 'trades'; batch: TradeBatch }
  | { kind: 'subscriptions'; channels: Array<{ name: string; productIds: string[] }> }
  | { kind: 'error'; message: string; reason: string }
  | { kind: 'other'; type: string; productId: string | null };

/**
 * RFC 3339 time with up to nanosecond digits ("2021-04-17T16:44:07.859760Z") as µs since the epoch.
 * Microseconds matter: the ticker cross-check matches a ticker to the update with the same time.
 */
export function parseTimeMicros(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return null;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (!Number.isFinite(seconds)) return null;
  const frac = (m[2] ?? '').slice(0, 6).padEnd(6, '0');
  return seconds * 1000 + Number(frac);
}

function productOf(msg: Record<string, unknown>): string {
  if (typeof msg.product_id !== 'string' || msg.product_id === '') throw new MalformedFrameError(`${String(msg.type)} without product_id`);
  return msg.product_id;
}

function parseL2Update(msg: Record<string, unknown>): L2Update {
  const productId = productOf(msg);
  if (!Array.isArray(msg.changes)) throw new MalformedFrameError('l2update without changes');
  const bids: LevelPair[] = [];
  const asks: LevelPair[] = [];
  for (const change of msg.changes as unknown[]) {
    if (!Array.isArray(change) || typeof change[1] !== 'string' || typeof change[2] !== 'string') {
      throw new MalformedFrameError('l2update change is not [side, price, size]');
    }
    if (change[0] === 'buy') bids.push([change[1], change[2]]);
    else if (change[0] === 'sell') asks.push([change[1], change[2]]);
    else throw new MalformedFrameError(`l2update change with side ${JSON.stringify(change[0])}`);
  }
  return { productId, timeUs: parseTimeMicros(msg.time), bids, asks };
}

function optionalText(x: unknown): string | null {
  return typeof x === 'string' && x !== '' ? x : null;
}

/** Parse one frame of the Exchange feed; trades (`match`, `last_match`) are stamped with `receivedAt`. */
export function parseFeedFrame(text: string, receivedAt = 0): FeedMessage {
  const msg = parseJsonObject(text, 'frame');
  const type = msg.type;
  if (typeof type !== 'string') throw new MalformedFrameError('frame without a type');
  switch (type) {
    case 'snapshot': {
      const productId = productOf(msg);
      if (!isLevelArray(msg.bids) || !isLevelArray(msg.asks)) throw new MalformedFrameError('snapshot without bids and asks');
      return { kind: 'snapshot', data: { productId, bids: msg.bids, asks: msg.asks } };
    }
    case 'l2update':
      return { kind: 'l2update', data: parseL2Update(msg) };
    case 'match':
    case 'last_match':
      return { kind: 'trades', batch: parseCoinbaseTrades(msg, receivedAt)! };
    case 'heartbeat':
      return { kind: 'heartbeat', data: { productId: productOf(msg), timeUs: parseTimeMicros(msg.time) } };
    case 'ticker': {
      const productId = productOf(msg);
      const bestBid = optionalText(msg.best_bid);
      const bestAsk = optionalText(msg.best_ask);
      if (bestBid === null || bestAsk === null) throw new MalformedFrameError('ticker without best_bid and best_ask');
      return {
        kind: 'ticker',
        data: {
          productId,
          timeUs: parseTimeMicros(msg.time),
          bestBid,
          bestAsk,
          bestBidSize: optionalText(msg.best_bid_size),
          bestAskSize: optionalText(msg.best_ask_size),
        },
      };
    }
    case 'subscriptions': {
      if (!Array.isArray(msg.channels)) throw new MalformedFrameError('subscriptions without channels');
      const channels: Array<{ name: string; productIds: string[] }> = [];
      for (const c of msg.channels as unknown[]) {
        if (typeof c === 'string') channels.push({ name: c, productIds: [] });
        else if (isObject(c) && typeof c.name === 'string') {
          const ids = Array.isArray(c.product_ids) ? c.product_ids.filter((p): p is string => typeof p === 'string') : [];
          channels.push({ name: c.name, productIds: ids });
        }
      }
      return { kind: 'subscriptions', channels };
    }
    case 'error':
      return { kind: 'error', message: String(msg.message ?? ''), reason: String(msg.reason ?? '') };
    default:
      return { kind: 'other', type, productId: typeof msg.product_id === 'string' ? msg.product_id : null };
  }
}

/** An Exchange API key (not a CDP key): the secret is base64 as Coinbase issues it. */
export interface CoinbaseCredentials {
  key: string;
  secret: string;
  passphrase: string;
}

/**
 * Fields that authenticate a subscribe message (docs/venues.md#coinbase): signature =
 * base64(HMAC-SHA256(base64decode(secret), timestamp + "GET" + "/users/self/verify")), timestamp in seconds.
 */
export function authFields(creds: CoinbaseCredentials, timestampSec: string): Record<string, string> {
  const signature = createHmac('sha256', Buffer.from(creds.secret, 'base64'))
    .update(`${timestampSec}GET/users/self/verify`)
    .digest('base64');
  return { key: creds.key, passphrase: creds.passphrase, timestamp: timestampSec, signature };
}

export interface SubscribeRequest {
  type: 'subscribe' | 'unsubscribe';
  productIds: string[];
  channels: string[];
}

export function subscribeFrame(req: SubscribeRequest, auth?: Record<string, string>): string {
  return JSON.stringify({ type: req.type, product_ids: req.productIds, channels: req.channels, ...auth });
}

/** Products a recorded `subscribe` frame asks a book channel for (replay reads what was subscribed). */
export function productsFromSubscribe(text: string): string[] {
  try {
    const msg = JSON.parse(text) as { type?: unknown; product_ids?: unknown; channels?: unknown };
    if (msg.type !== 'subscribe' || !Array.isArray(msg.channels)) return [];
    const all = Array.isArray(msg.product_ids) ? msg.product_ids.filter((p): p is string => typeof p === 'string') : [];
    const out = new Set<string>();
    for (const c of msg.channels as unknown[]) {
      if (typeof c === 'string' && isBookChannelName(c)) for (const p of all) out.add(p);
      if (isObject(c) && typeof c.name === 'string' && isBookChannelName(c.name)) {
        const ids = Array.isArray(c.product_ids) ? c.product_ids.filter((p): p is string => typeof p === 'string') : all;
        for (const p of ids) out.add(p);
      }
    }
    return [...out];
  } catch {
    return [];
  }
}

/** Whether an error text names this product as a word of its own (`BTC-USD`, not within `BTC-USDC`). */
export function namesProduct(text: string, productId: string): boolean {
  return new RegExp(`(^|[^A-Z0-9-])${escapeRegExp(productId)}($|[^A-Z0-9-])`, 'i').test(text);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isBookChannelName(name: string): boolean {
  return name === 'level2' || name === 'level2_batch' || name === 'level2_50';
}
