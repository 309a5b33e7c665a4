/**
 * The paper market maker: quotes by the rule in quoting.ts, sends and cancels paper orders that take
 * effect after a latency, fills them only when the market's own trades would have (queue.ts), and keeps
 * the account (accounting.ts). Pure and deterministic: time is the events' local receive time, and the
 * same events give the same fills to the digit. It never sends anything anywhere.
 *
 * Order of work on each event at time t: first every order or cancel that took effect before t (against
 * the book as it stood then), then the event itself (a trade may fill resting orders; a book change moves
 * queue positions and marks the account), then, on a book change, the re-quote decision.
 */
import type { TakerSide } from '../../shared/market';
import type { FillSide, MarketMakerFill, MarketMakerQuote, MarketMakerSettings, MarketMakerSummary, QueueModelName } from '../../shared/market-maker';
import { Account } from './accounting';
import type { BookLevelView, BookView } from './book-view';
import { Exact } from './exact';
import { joinQueue, levelChanged, tradeAtPrice, type QueuePosition } from './queue';
import { quotingParams, wantedQuotes, type QuotingParams } from './quoting';

const BPS = Exact.of('0.0001');

interface PaperOrder {
  id: number;
  side: FillSide;
  price: Exact;
  /** Size still open. */
  remaining: Exact;
  state: 'pending' | 'live' | 'done';
  /** When the order reaches (reached) the book. */
  activeAt: number;
  /** When its cancel takes effect; null while none was sent. */
  cancelAt: number | null;
  queue: QueuePosition;
}

interface Timer {
  due: number;
  seq: number;
  kind: 'activate' | 'cancel';
  order: PaperOrder;
}

export interface EngineFill extends MarketMakerFill {
  fee: string;
}

export interface MarketTrade {
  price: string;
  size: string;
  side: TakerSide;
}

export class MarketMakerEngine {
  readonly account = new Account();
  private readonly params: QuotingParams;
  private readonly queueModel: QueueModelName;
  private readonly entryLatency: number;
  private readonly cancelLatency: number;
  private readonly makerFee: Exact;
  private readonly takerFee: Exact;
  private orders: PaperOrder[] = [];
  private timers: Timer[] = [];
  private nextId = 1;
  private nextSeq = 0;
  private now = Number.NEGATIVE_INFINITY;
  /** Best levels as of the last book event: what an order arriving before the next event meets. */
  private bestBid: BookLevelView | null = null;
  private bestAsk: BookLevelView | null = null;
  private tick: Exact | null = null;

  constructor(
    settings: MarketMakerSettings,
    private readonly onFill: (fill: EngineFill) => void = () => {},
  ) {
    this.params = quotingParams(settings);
    this.queueModel = settings.queue;
    this.entryLatency = settings.entryLatencyMs;
    this.cancelLatency = settings.cancelLatencyMs;
    this.makerFee = Exact.of(settings.makerFeeBps).mul(BPS);
    this.takerFee = Exact.of(settings.takerFeeBps).mul(BPS);
  }

  /** The book changed (already applied to `book`) at local time `ts`. */
  onBook(ts: number, book: BookView): void {
    this.runTimers(ts);
    this.now = Math.max(this.now, ts);
    for (const order of this.orders) {
      const displayed = book.sizeAt(order.side === 'buy' ? 'bid' : 'ask', order.price);
      if (order.state === 'live') levelChanged(this.queueModel, order.queue, displayed);
      else order.queue.levelSize = displayed; // pending: what it will join the back of
    }
    this.bestBid = book.best('bid');
    this.bestAsk = book.best('ask');
    if (this.bestBid && this.bestAsk) this.account.markAt(this.bestBid.price.add(this.bestAsk.price).mul(Exact.of('0.5')));
    this.requote(book);
  }

  /** A print on the venue at local time `ts`; `side` is the taker's. */
  onTrade(ts: number, trade: MarketTrade): void {
    this.runTimers(ts);
    this.now = Math.max(this.now, ts);
    // Only a taker on the other side can fill a resting order; a print without a side fills nothing.
    if (trade.side === 'unknown') return;
    const price = Exact.of(trade.price);
    const size = Exact.of(trade.size);
    for (const order of this.orders) {
      if (order.state !== 'live') continue;
      const takerHitsUs = order.side === 'buy' ? trade.side === 'sell' : trade.side === 'buy';
      if (!takerHitsUs) continue;
      const through = order.side === 'buy' ? price.lt(order.price) : price.gt(order.price);
      if (through) {
        // The taker went past our price: everything at our price, us included, traded.
        this.fill(order, order.price, order.remaining, 'maker');
      } else if (price.eq(order.price)) {
        const leftForUs = tradeAtPrice(order.queue, size);
        if (leftForUs.sign > 0) this.fill(order, order.price, Exact.min(leftForUs, order.remaining), 'maker');
      }
    }
    this.orders = this.orders.filter((o) => o.state !== 'done');
  }

  /** Working orders, for drawing on the ladder. */
  quotes(): MarketMakerQuote[] {
    return this.orders.map((o) => ({
      side: o.side,
      price: o.price.toString(),
      size: o.remaining.toString(),
      state: o.cancelAt !== null ? 'cancelling' : o.state === 'live' ? 'live' : 'pending',
      queueAhead: o.state === 'live' ? o.queue.ahead.toString() : null,
    }));
  }

  summary(): MarketMakerSummary {
    return this.account.summary();
  }

  // ---- orders and latency -------------------------------------------------------------------------

  private schedule(due: number, kind: Timer['kind'], order: PaperOrder): void {
    const timer = { due, seq: this.nextSeq++, kind, order };
    let i = this.timers.length;
    while (i > 0 && (this.timers[i - 1]!.due > due || (this.timers[i - 1]!.due === due && this.timers[i - 1]!.seq > timer.seq))) i--;
    this.timers.splice(i, 0, timer);
  }

  /** Orders and cancels whose latency ran out at or before `until`, in time order. */
  private runTimers(until: number): void {
    while (this.timers.length > 0 && this.timers[0]!.due <= until) {
      const timer = this.timers.shift()!;
      this.now = Math.max(this.now, timer.due);
      const order = timer.order;
      if (order.state === 'done') continue;
      if (timer.kind === 'cancel') order.state = 'done';
      else this.activate(order, timer.due);
    }
    this.orders = this.orders.filter((o) => o.state !== 'done');
  }

  /**
   * The order reaches the book. If the market moved through its price meanwhile it takes liquidity:
   * it fills against the best opposite level as displayed, up to that level's size, and the rest is
   * dropped (we do not model walking deeper). Otherwise it rests at the back of the displayed queue.
   */
  private activate(order: PaperOrder, ts: number): void {
    const opposite = order.side === 'buy' ? this.bestAsk : this.bestBid;
    const crosses = opposite !== null && (order.side === 'buy' ? order.price.gte(opposite.price) : order.price.lte(opposite.price));
    if (crosses) {
      this.fill(order, opposite.price, Exact.min(order.remaining, opposite.size), 'taker', ts);
      order.state = 'done';
      return;
    }
    order.state = 'live';
    order.activeAt = ts;
    order.queue = joinQueue(order.queue.levelSize);
  }

  private send(side: FillSide, price: Exact, size: Exact, displayed: Exact): void {
    const order: PaperOrder = {
      id: this.nextId++,
      side,
      price,
      remaining: size,
      state: 'pending',
      activeAt: this.now + this.entryLatency,
      cancelAt: null,
      queue: joinQueue(displayed),
    };
    this.orders.push(order);
    if (this.entryLatency === 0) this.activate(order, this.now);
    else this.schedule(order.activeAt, 'activate', order);
  }

  private cancel(order: PaperOrder): void {
    if (order.cancelAt !== null || order.state === 'done') return;
    // A cancel cannot overtake the order it cancels.
    order.cancelAt = Math.max(this.now + this.cancelLatency, order.activeAt);
    if (order.cancelAt <= this.now && order.state === 'live') order.state = 'done';
    else this.schedule(order.cancelAt, 'cancel', order);
  }

  private fill(order: PaperOrder, price: Exact, size: Exact, liquidity: 'maker' | 'taker', ts = this.now): void {
    if (size.sign <= 0) return;
    const fee = price.mul(size).mul(liquidity === 'maker' ? this.makerFee : this.takerFee);
    this.account.fill(order.side, price, size, fee);
    order.remaining = order.remaining.sub(size);
    if (order.remaining.sign <= 0) order.state = 'done';
    this.onFill({ ts, side: order.side, price: price.toString(), size: size.toString(), quoteTs: order.activeAt, liquidity, fee: fee.toString() });
  }

  // ---- the re-quote decision ------------------------------------------------------------------------

  private requote(book: BookView): void {
    const wanted = wantedQuotes(this.params, book, this.account.inventory);
    this.tick = wanted?.tick ?? this.tick;
    for (const side of ['buy', 'sell'] as const) {
      const target = wanted ? (side === 'buy' ? wanted.bid : wanted.ask) : null;
      // Room left before the position limit, counting orders that are being cancelled but may still fill.
      const position = side === 'buy' ? this.account.inventory : this.account.inventory.neg();
      let room = this.params.maxInventory.sub(position);
      let working: PaperOrder | null = null;
      for (const o of this.orders) {
        if (o.side !== side || o.state === 'done') continue;
        if (o.cancelAt === null && working === null) working = o;
        else room = room.sub(o.remaining);
      }
      if (working) {
        const moved = target === null || this.tick === null || target.price.sub(working.price).abs().gte(this.tick.mul(this.params.requoteTicks));
        if (moved || working.remaining.gt(room)) {
          this.cancel(working);
          room = room.sub(working.remaining);
          working = null;
        }
      }
      if (working || !target) continue;
      const size = Exact.min(this.params.size, room);
      if (size.sign <= 0) continue;
      this.send(side, target.price, size, book.sizeAt(side === 'buy' ? 'bid' : 'ask', target.price));
    }
    this.orders = this.orders.filter((o) => o.state !== 'done');
  }
}
