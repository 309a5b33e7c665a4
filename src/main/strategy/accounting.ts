/**
 * The paper account: cash, inventory, fees and PnL as exact decimals. Realized PnL matches fills
 * first-in first-out against open lots, so realized + unrealized = cash + inventory × mark exactly
 * (no average price, which would need a rounded division).
 */
import type { FillSide, MarketMakerSummary } from '../../shared/market-maker';
import { Exact } from './exact';

interface Lot {
  /** Signed: positive long, negative short. */
  size: Exact;
  price: Exact;
}

export class Account {
  cash = Exact.ZERO;
  inventory = Exact.ZERO;
  fees = Exact.ZERO;
  turnover = Exact.ZERO;
  realized = Exact.ZERO;
  fills = 0;
  maxInventory = Exact.ZERO;
  maxDrawdown = Exact.ZERO;
  /** Last mark (mid); null until the book has both sides. */
  mark: Exact | null = null;
  private peakPnl: Exact | null = null;
  private readonly lots: Lot[] = [];

  fill(side: FillSide, price: Exact, size: Exact, fee: Exact): void {
    const notional = price.mul(size);
    const signed = side === 'buy' ? size : size.neg();
    this.cash = side === 'buy' ? this.cash.sub(notional) : this.cash.add(notional);
    this.inventory = this.inventory.add(signed);
    this.fees = this.fees.add(fee);
    this.turnover = this.turnover.add(notional);
    this.fills++;
    if (this.inventory.abs().gt(this.maxInventory)) this.maxInventory = this.inventory.abs();
    this.matchLots(signed, price);
    this.updateDrawdown();
  }

  /** Close open lots of the other sign first in, first out; what is left opens a new lot. */
  private matchLots(signed: Exact, price: Exact): void {
    let left = signed;
    while (!left.isZero && this.lots.length > 0 && this.lots[0]!.size.sign !== left.sign) {
      const lot = this.lots[0]!;
      // The part of the lot this fill closes, signed like the lot.
      const closing = lot.size.abs().lte(left.abs()) ? lot.size : left.neg();
      // A long lot closed by a sale earns (price − lot price) per unit; a short lot the reverse.
      this.realized = this.realized.add(price.sub(lot.price).mul(closing));
      lot.size = lot.size.sub(closing);
      left = left.add(closing);
      if (lot.size.isZero) this.lots.shift();
    }
    if (!left.isZero) this.lots.push({ size: left, price });
  }

  /** Mark the position at a new mid and track the drawdown of PnL from its peak. */
  markAt(mid: Exact): void {
    this.mark = mid;
    this.updateDrawdown();
  }

  private updateDrawdown(): void {
    if (this.mark === null) return;
    const pnl = this.pnl();
    if (this.peakPnl === null || pnl.gt(this.peakPnl)) this.peakPnl = pnl;
    const drawdown = this.peakPnl.sub(pnl);
    if (drawdown.gt(this.maxDrawdown)) this.maxDrawdown = drawdown;
  }

  unrealized(): Exact {
    const mark = this.mark ?? Exact.ZERO;
    let total = Exact.ZERO;
    for (const lot of this.lots) total = total.add(mark.sub(lot.price).mul(lot.size));
    return total;
  }

  /** cash + inventory × mark − fees. */
  pnl(): Exact {
    return this.cash.add(this.inventory.mul(this.mark ?? Exact.ZERO)).sub(this.fees);
  }

  summary(): MarketMakerSummary {
    return {
      fills: this.fills,
      inventory: this.inventory.toString(),
      cash: this.cash.toString(),
      fees: this.fees.toString(),
      mark: (this.mark ?? Exact.ZERO).toString(),
      pnl: this.pnl().toString(),
      turnover: this.turnover.toString(),
      maxInventory: this.maxInventory.toString(),
      maxDrawdown: this.maxDrawdown.toString(),
      realizedPnl: this.realized.toString(),
      unrealizedPnl: this.unrealized().toString(),
    };
  }
}
