import { useEffect, useMemo, useState } from 'react';
import type { ImpactResult } from '../../../../shared/analytics';
import { getApi } from '../../api';
import { formatBps, formatCount, formatNumber, formatPrice, formatPriceText, formatSize, withUnit } from '../../format';
import { useMarketFormat } from '../../hooks/useMarketFormat';
import { useInstrumentsContext } from '../../layout/InstrumentsContext';
import type { PanelProps } from '../types';

export interface ImpactSettings {
  side: 'buy' | 'sell';
  mode: 'base' | 'quote';
  amount: string;
  feeBps: string;
  acrossVenues: boolean;
}

const REFRESH_MS = 500;
/** Quote currencies counted in cents. */
const CENT_QUOTES = /^(USD|USDT|USDC|FDUSD|TUSD|BUSD|DAI|EUR|GBP|CHF|JPY|TRY)$/;

/**
 * Market-impact calculator: what a market order of a given size (base) or notional (quote) would
 * cost against the live book(s) right now: VWAP, worst price, slippage, levels consumed, each fill.
 */
export function ImpactPanel({ choice, settings, onSettings }: PanelProps<ImpactSettings>) {
  const side = settings.side ?? 'buy';
  const mode = settings.mode ?? 'base';
  const amount = settings.amount ?? '1';
  const feeText = settings.feeBps ?? '0';
  const acrossVenues = settings.acrossVenues ?? false;
  const { instruments } = useInstrumentsContext();
  const [result, setResult] = useState<ImpactResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fmt = useMarketFormat(choice);

  // The same asset on the other enabled venues (same base and quote), for a split order.
  const books = useMemo(() => {
    if (!choice) return [];
    const own = instruments.find((i) => i.venue === choice.venue && i.symbol === choice.symbol);
    const others =
      acrossVenues && own && own.base && own.quote
        ? instruments.filter((i) => i.base === own.base && i.quote === own.quote && !(i.venue === choice.venue && i.symbol === choice.symbol))
        : [];
    return [{ venue: choice.venue, symbol: choice.symbol }, ...others.slice(0, 7).map((i) => ({ venue: i.venue, symbol: i.symbol }))];
  }, [choice, instruments, acrossVenues]);

  const value = Number(amount);
  const fee = Number(feeText);
  const valid = Number.isFinite(value) && value > 0 && Number.isFinite(fee) && fee >= 0 && fee <= 1000;
  const bookKey = books.map((b) => `${b.venue}:${b.symbol}`).join(',');

  useEffect(() => {
    if (!choice || !valid) return;
    let cancelled = false;
    const run = () =>
      getApi()
        .invoke('impact.simulate', { books, side, feeBps: fee, ...(mode === 'base' ? { size: value } : { notional: value }) })
        .then((r) => {
          if (!cancelled) {
            setResult(r);
            setError(null);
          }
        })
        .catch((e: Error) => {
          if (!cancelled) setError(e.message);
        });
    void run();
    const timer = setInterval(() => void run(), REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bookKey, side, mode, value, fee, valid]);

  const r = valid ? result : null;
  // A VWAP falls between ticks: two decimals more than the tick. Quote amounts (cost, fee) in cents
  // for dollar-like and fiat quotes, else (a BTC or ETH quote) at the price precision.
  const d = fmt.priceDecimals;
  const quoteDecimals = CENT_QUOTES.test(fmt.quote) ? 2 : Math.max(2, d);
  const price = (v: number | null) => withUnit(formatPrice(v, d + 2), fmt.quote);
  const quote = (v: number | null) => withUnit(formatNumber(v, quoteDecimals), fmt.quote);
  const base = (v: number | null) => withUnit(formatSize(v, fmt.sizeDecimals), fmt.base);
  const remaining = (v: number) => (mode === 'base' ? base(v) : quote(v));
  return (
    <div className="impact-panel">
      <form className="impact-form" onSubmit={(e) => e.preventDefault()} aria-label="Order to simulate">
        <div className="segmented" role="group" aria-label="Side">
          {(['buy', 'sell'] as const).map((s) => (
            <button key={s} type="button" className={side === s ? `seg on ${s}` : 'seg'} aria-pressed={side === s} onClick={() => onSettings({ side: s })}>
              {s === 'buy' ? 'Buy' : 'Sell'}
            </button>
          ))}
        </div>
        <label>
          Amount
          <input value={amount} onChange={(e) => onSettings({ amount: e.target.value })} inputMode="decimal" aria-label="Order amount" aria-invalid={!valid} />
        </label>
        <select value={mode} onChange={(e) => onSettings({ mode: e.target.value as 'base' | 'quote' })} aria-label="Amount unit">
          <option value="base">{fmt.base || 'base units'}</option>
          <option value="quote">{fmt.quote ? `${fmt.quote} notional` : 'quote notional'}</option>
        </select>
        <label>
          Fee
          <input value={feeText} onChange={(e) => onSettings({ feeBps: e.target.value })} inputMode="decimal" aria-label="Taker fee in basis points" className="narrow" />
          bps
        </label>
        <label>
          <input type="checkbox" checked={acrossVenues} onChange={(e) => onSettings({ acrossVenues: e.target.checked })} /> across venues ({books.length})
        </label>
      </form>
      {!choice && <p className="empty-state">Pick a symbol.</p>}
      {!valid && <p className="error-state">Enter a positive amount and a fee between 0 and 1000 bps.</p>}
      {error && (
        <p className="error-state" role="alert">
          {error}
        </p>
      )}
      {r && (
        <>
          <dl className="impact-summary" aria-label="Impact result">
            <div>
              <dt>VWAP</dt>
              <dd data-testid="impact-vwap">{price(r.vwap)}</dd>
            </div>
            <div>
              <dt>Worst price</dt>
              <dd>{r.worstPrice ? withUnit(formatPriceText(r.worstPrice, d), fmt.quote) : '—'}</dd>
            </div>
            <div>
              <dt>Slippage vs best</dt>
              <dd>
                {withUnit(formatNumber(r.slippageVsBest, d + 2), fmt.quote)} · {formatBps(r.slippageVsBestBps)}
              </dd>
            </div>
            <div>
              <dt>Slippage vs mid</dt>
              <dd>
                {withUnit(formatNumber(r.slippageVsMid, d + 2), fmt.quote)} · {formatBps(r.slippageVsMidBps)}
              </dd>
            </div>
            <div>
              <dt>Levels consumed</dt>
              <dd>{formatCount(r.levelsConsumed)}</dd>
            </div>
            <div>
              <dt>Filled</dt>
              <dd className={r.complete ? undefined : 'warn-text'}>
                {base(r.filledBase)} · {quote(r.filledQuote)}
                {r.complete ? '' : ` — book too thin, ${remaining(r.remaining)} unfilled`}
              </dd>
            </div>
            <div>
              <dt>Fee</dt>
              <dd>
                {quote(r.fee)} <span className="muted">({formatBps(r.feeBps)})</span>
              </dd>
            </div>
            <div>
              <dt>{side === 'buy' ? 'Total paid' : 'Total received'}</dt>
              <dd>{quote(r.total)}</dd>
            </div>
          </dl>
          {r.venues.length > 1 && (
            <table className="impact-venues" aria-label="Fill by venue">
              <thead>
                <tr>
                  <th scope="col">Venue</th>
                  <th scope="col">Filled</th>
                  <th scope="col">VWAP</th>
                  <th scope="col">Levels</th>
                </tr>
              </thead>
              <tbody>
                {r.venues.map((v) => (
                  <tr key={`${v.venue}:${v.symbol}`}>
                    <td>{v.venue}</td>
                    <td>{base(v.filledBase)}</td>
                    <td>{price(v.vwap)}</td>
                    <td>{formatCount(v.levels)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="table-scroll">
            <table className="impact-fills" aria-label="Fills by level">
              <thead>
                <tr>
                  <th scope="col">Price{fmt.quote ? ` (${fmt.quote})` : ''}</th>
                  <th scope="col">Size{fmt.base ? ` (${fmt.base})` : ''}</th>
                  <th scope="col">Cum size</th>
                  <th scope="col">Cum cost{fmt.quote ? ` (${fmt.quote})` : ''}</th>
                  {r.venues.length > 1 && <th scope="col">Venue</th>}
                </tr>
              </thead>
              <tbody>
                {r.fills.map((f, i) => (
                  <tr key={i}>
                    <td>{formatPriceText(f.price, d)}</td>
                    <td>{formatSize(f.size, fmt.sizeDecimals)}</td>
                    <td>{formatSize(f.cumSize, fmt.sizeDecimals)}</td>
                    <td>{formatNumber(f.cumCost, quoteDecimals)}</td>
                    {r.venues.length > 1 && <td>{f.venue}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
