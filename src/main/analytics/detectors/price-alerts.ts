/**
 * User price alerts: a level on one book. `above` fires when the best bid reaches the level (bid ≥
 * level: you could now sell there); `below` fires when the best ask reaches it (ask ≤ level: you could
 * buy there). Comparisons are exact, on integer ticks, never on floats. The alert clears (`reverted`)
 * when the price moves back across the level; a rule fires once unless it repeats, in which case it
 * re-arms on the way back.
 */
import type { RuleChannels } from '../../../shared/alert-routing';
import type { PriceRule } from '../../../shared/analytics';
import { bookKey, type VenueId } from '../../../shared/market';
import type { OrderBook } from '../../book/order-book';
import { lastDecimals, lastMantissa, pow10, scanDecimal } from '../../book/price-key';
import type { AlertBook } from '../alerts';

interface RuleRecord extends PriceRule {
  mantissa: number;
  decimals: number;
  alertKey: string;
}

export class PriceAlertRules {
  private readonly rules = new Map<string, RuleRecord>();
  private readonly byBook = new Map<string, RuleRecord[]>();
  private seq = 0;

  constructor(private readonly alerts: AlertBook) {}

  /** Add a rule; `price` must be a plain positive decimal (the contract validates it). */
  add(
    rule: { venue: VenueId; symbol: string; price: string; direction: 'above' | 'below'; repeat: boolean; note: string | null; channels?: RuleChannels },
    now: number,
  ): PriceRule {
    if (!scanDecimal(rule.price) || lastMantissa() <= 0) throw new Error(`price ${JSON.stringify(rule.price)} is not a positive decimal`);
    const id = `p${++this.seq}`;
    const rec: RuleRecord = {
      id,
      venue: rule.venue,
      symbol: rule.symbol,
      price: rule.price,
      direction: rule.direction,
      repeat: rule.repeat,
      note: rule.note,
      createdAt: now,
      state: 'armed',
      triggeredAt: null,
      triggers: 0,
      channels: rule.channels ?? null,
      mantissa: lastMantissa(),
      decimals: lastDecimals(),
      alertKey: `price:${rule.venue}:${rule.symbol}:${id}`,
    };
    this.rules.set(id, rec);
    const k = bookKey(rule.venue, rule.symbol);
    this.byBook.set(k, [...(this.byBook.get(k) ?? []), rec]);
    return publicRule(rec);
  }

  remove(id: string, now: number): boolean {
    const rec = this.rules.get(id);
    if (!rec) return false;
    this.rules.delete(id);
    const k = bookKey(rec.venue, rec.symbol);
    const rest = (this.byBook.get(k) ?? []).filter((r) => r !== rec);
    if (rest.length > 0) this.byBook.set(k, rest);
    else this.byBook.delete(k);
    this.alerts.clear(rec.alertKey, now, 'removed', {});
    return true;
  }

  /** Change where a rule's alerts go; an alert it has raised and that is still active goes there too. Null when there is no such rule. */
  route(id: string, channels: RuleChannels): PriceRule | null {
    const rec = this.rules.get(id);
    if (!rec) return null;
    rec.channels = channels;
    this.alerts.setChannels(rec.alertKey, channels);
    return publicRule(rec);
  }

  list(): PriceRule[] {
    return [...this.rules.values()].map(publicRule);
  }

  /** Rules of one book (the caller keeps the array between updates; it is replaced, never mutated). */
  rulesFor(key: string): readonly RuleRecord[] | undefined {
    return this.byBook.get(key);
  }

  /** Check a book's rules against its touch after an update. */
  check(rules: readonly RuleRecord[], book: OrderBook, ts: number): void {
    const bid = book.bestBid();
    const ask = book.bestAsk();
    const scale = book.priceScale;
    for (const rule of rules) {
      const level = rule.direction === 'above' ? bid : ask;
      if (!level) continue;
      const cmp = compareTicks(level.tick, scale, rule.mantissa, rule.decimals);
      const reached = rule.direction === 'above' ? cmp >= 0 : cmp <= 0;
      const active = this.alerts.isActive(rule.alertKey);
      if (reached && rule.state === 'armed') {
        rule.state = 'triggered';
        rule.triggeredAt = ts;
        rule.triggers++;
        const what = rule.direction === 'above' ? 'Best bid' : 'Best ask';
        this.alerts.raise({
          key: rule.alertKey,
          kind: 'price',
          venue: rule.venue,
          symbol: rule.symbol,
          severity: 'warning',
          title: `${what} ${level.price} reached ${rule.price} on ${rule.symbol}${rule.note ? ` — ${rule.note}` : ''}`,
          evidence: {
            ruleId: rule.id,
            level: rule.price,
            direction: rule.direction,
            bestBid: bid?.price ?? null,
            bestAsk: ask?.price ?? null,
            note: rule.note,
          },
          ts,
          channels: rule.channels,
        });
      } else if (!reached && rule.state === 'triggered') {
        if (active) this.alerts.clear(rule.alertKey, ts, 'reverted', { bestBid: bid?.price ?? null, bestAsk: ask?.price ?? null });
        if (rule.repeat) rule.state = 'armed';
      }
    }
  }
}

/** Sign of (tick / 10^scale − mantissa / 10^decimals), exactly. */
export function compareTicks(tick: number, scale: number, mantissa: number, decimals: number): number {
  const a = scale >= decimals ? tick : tick * pow10(decimals - scale);
  const b = decimals >= scale ? mantissa : mantissa * pow10(scale - decimals);
  return a === b ? 0 : a > b ? 1 : -1;
}

function publicRule(rec: RuleRecord): PriceRule {
  return {
    id: rec.id,
    venue: rec.venue,
    symbol: rec.symbol,
    price: rec.price,
    direction: rec.direction,
    repeat: rec.repeat,
    note: rec.note,
    createdAt: rec.createdAt,
    state: rec.state,
    triggeredAt: rec.triggeredAt,
    triggers: rec.triggers,
    channels: rec.channels,
  };
}
