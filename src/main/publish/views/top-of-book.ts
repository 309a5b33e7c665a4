/** The time-series view: top-of-book changes since the last frame, one point per 100 ms bucket. */
import type { TopOfBookFrame, TopOfBookPoint } from '../../../shared/contract';
import type { BookEvent } from '../../../shared/market';
import type { SymbolFeed } from '../../venues/symbol-feed';
import type { FrameSource } from '../publisher';

/** Where book updates come from (the market service); the view only listens. */
export interface BookUpdates {
  onBook(listener: (feed: SymbolFeed, event: BookEvent) => void): () => void;
}

/** Points kept between frames for a slow window; older ones are dropped first. */
const MAX_PENDING_POINTS = 3000;
const POINT_BUCKET_MS = 100;

/** Each frame carries the points since the previous one (the last point of each 100 ms bucket). */
export function topOfBookSource(updates: BookUpdates, feed: SymbolFeed): FrameSource {
  const pending: TopOfBookPoint[] = [];
  let appended = 0;
  // The last top of book seen, field by field (runs on every book update: no string building).
  let lastBid: string | undefined;
  let lastBidSize: string | undefined;
  let lastAsk: string | undefined;
  let lastAskSize: string | undefined;
  let seen = false;
  const record = (): void => {
    const book = feed.book;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    // A book that has had no event yet (a feed made anew, e.g. for a replay) is empty at no known time:
    // a point at the wall clock would pull a replay's chart from its recorded time to the present.
    if (!bid && !ask && feed.lastLocalTs === 0) return;
    if (seen && bid?.price === lastBid && bid?.sizeText === lastBidSize && ask?.price === lastAsk && ask?.sizeText === lastAskSize) return;
    seen = true;
    lastBid = bid?.price;
    lastBidSize = bid?.sizeText;
    lastAsk = ask?.price;
    lastAskSize = ask?.sizeText;
    const t = feed.lastLocalTs || Date.now();
    const point: TopOfBookPoint = {
      t,
      bid: bid ? book.priceValue(bid) : null,
      ask: ask ? book.priceValue(ask) : null,
      bidSize: bid ? bid.size : null,
      askSize: ask ? ask.size : null,
    };
    const prev = pending.at(-1);
    if (prev && Math.floor(prev.t / POINT_BUCKET_MS) === Math.floor(t / POINT_BUCKET_MS)) pending[pending.length - 1] = point;
    else pending.push(point);
    if (pending.length > MAX_PENDING_POINTS) pending.shift();
    appended++;
  };
  record();
  const off = updates.onBook((f) => {
    if (f === feed) record();
  });
  return {
    version: () => appended,
    build: (): TopOfBookFrame => ({ venue: feed.venue, symbol: feed.symbol, points: pending.splice(0, pending.length) }),
    dispose: off,
  };
}
