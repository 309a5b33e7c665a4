import { useEffect, useRef, useState } from 'react';
import { DEFAULT_MARKET_MAKER_SETTINGS, type MarketMakerFrame, type MarketMakerSettings } from '../../../../shared/market-maker';
import { getApi } from '../../api';
import { useSize } from '../../hooks/useSize';
import { useStream } from '../../hooks/useStream';
import { prepareCanvas } from '../canvas';
import type { PanelProps } from '../types';
import { paintMarketMakerChart } from './chart';
import { usePalette } from '../../theme/theme';
import './market-maker.css';

/** The form as typed (text), kept in the panel's saved settings. */
export interface MarketMakerPanelSettings {
  reference: 'mid' | 'micro';
  spreadUnit: 'bps' | 'ticks';
  spread: string;
  size: string;
  maxInventory: string;
  skew: string;
  requoteTicks: string;
  entryLatencyMs: string;
  cancelLatencyMs: string;
  makerFeeBps: string;
  takerFeeBps: string;
  queue: 'risk-averse' | 'prob';
}

const D = DEFAULT_MARKET_MAKER_SETTINGS;
const DEFAULTS: MarketMakerPanelSettings = {
  reference: D.reference,
  spreadUnit: 'ticks',
  spread: String(D.spreadTicks ?? 2),
  size: D.size,
  maxInventory: D.maxInventory,
  skew: D.skew,
  requoteTicks: String(D.requoteTicks),
  entryLatencyMs: String(D.entryLatencyMs),
  cancelLatencyMs: String(D.cancelLatencyMs),
  makerFeeBps: D.makerFeeBps,
  takerFeeBps: D.takerFeeBps,
  queue: 'risk-averse',
};

/** What the form asks the host for; the host checks every value and names what is wrong. */
function toSettings(f: MarketMakerPanelSettings): Partial<MarketMakerSettings> {
  const whole = (text: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN);
  return {
    reference: f.reference,
    spreadBps: f.spreadUnit === 'bps' ? f.spread.trim() : null,
    spreadTicks: f.spreadUnit === 'ticks' ? whole(f.spread) : null,
    size: f.size.trim(),
    maxInventory: f.maxInventory.trim(),
    skew: f.skew.trim(),
    requoteTicks: whole(f.requoteTicks),
    entryLatencyMs: whole(f.entryLatencyMs),
    cancelLatencyMs: whole(f.cancelLatencyMs),
    makerFeeBps: f.makerFeeBps.trim(),
    takerFeeBps: f.takerFeeBps.trim(),
    queue: f.queue,
  };
}

/** The running strategy's settings in the form's terms (a running strategy shows what it runs with). */
function fromSettings(s: MarketMakerSettings): MarketMakerPanelSettings {
  return {
    reference: s.reference,
    spreadUnit: s.spreadBps !== null ? 'bps' : 'ticks',
    spread: s.spreadBps ?? String(s.spreadTicks ?? ''),
    size: s.size,
    maxInventory: s.maxInventory,
    skew: s.skew,
    requoteTicks: String(s.requoteTicks),
    entryLatencyMs: String(s.entryLatencyMs),
    cancelLatencyMs: String(s.cancelLatencyMs),
    makerFeeBps: s.makerFeeBps,
    takerFeeBps: s.takerFeeBps,
    queue: s.queue === 'prob' ? 'prob' : 'risk-averse',
  };
}

function time(ts: number): string {
  return new Date(ts).toISOString().slice(11, 23);
}

/** A signed decimal text with its sign shown and coloured. */
function Signed({ text }: { text: string }) {
  const negative = text.startsWith('-');
  const zero = /^-?0(\.0*)?$/.test(text);
  return <span className={zero ? '' : negative ? 'neg' : 'pos'}>{negative || zero ? text : `+${text}`}</span>;
}

/**
 * The paper market maker: its settings, start/stop on the panel's book, the account (PnL, inventory,
 * fees, turnover, drawdown), PnL and inventory over time, the working quotes and the latest fills.
 * It runs in the host and never sends an order anywhere.
 */
export function MarketMakerPanel({ choice, settings, onSettings }: PanelProps<MarketMakerPanelSettings>) {
  const frame: MarketMakerFrame | null = useStream('mm', { overlay: false }, 'mm').frame;
  // While it runs, the form shows (read-only) what the strategy runs with; stopped, this panel's own values.
  const form: MarketMakerPanelSettings = frame?.running ? fromSettings(frame.settings as MarketMakerSettings) : { ...DEFAULTS, ...settings };
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chartBox = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { width, height } = useSize(chartBox);
  const palette = usePalette();

  useEffect(() => {
    const ctx = prepareCanvas(canvasRef.current, width, height);
    if (ctx) paintMarketMakerChart(ctx, width, height, frame?.points ?? []);
  }, [frame?.points, width, height, palette]);

  const running = frame?.running ?? false;
  const onOtherBook = running && choice !== null && (frame!.venue !== choice.venue || frame!.symbol !== choice.symbol);
  const run = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    action()
      .catch((e: Error) => setError(e.message))
      .finally(() => setBusy(false));
  };
  const start = () => choice && run(() => getApi().invoke('mm.start', { venue: choice.venue, symbol: choice.symbol, settings: toSettings(form) }));
  const stop = () => run(() => getApi().invoke('mm.stop', {}));

  const field = (key: keyof MarketMakerPanelSettings, title: string, unit: string, aria: string) => (
    <label title={title}>
      {title}
      <input value={form[key]} onChange={(e) => onSettings({ [key]: e.target.value })} inputMode="decimal" aria-label={aria} disabled={running} />
      {unit && <span className="unit">{unit}</span>}
    </label>
  );

  const s = frame?.summary ?? null;
  return (
    <div className="mm-panel">
      <form className="mm-form" onSubmit={(e) => e.preventDefault()} aria-label="Market maker settings">
        <label>
          Quote around
          <select value={form.reference} onChange={(e) => onSettings({ reference: e.target.value as 'mid' | 'micro' })} aria-label="Quote reference" disabled={running}>
            <option value="mid">mid</option>
            <option value="micro">microprice</option>
          </select>
        </label>
        <label>
          Spread
          <input value={form.spread} onChange={(e) => onSettings({ spread: e.target.value })} inputMode="decimal" aria-label="Spread" disabled={running} />
          <select value={form.spreadUnit} onChange={(e) => onSettings({ spreadUnit: e.target.value as 'bps' | 'ticks' })} aria-label="Spread unit" disabled={running}>
            <option value="ticks">ticks</option>
            <option value="bps">bps</option>
          </select>
        </label>
        {field('size', 'Size', '', 'Quote size')}
        {field('maxInventory', 'Max inv.', '', 'Maximum inventory')}
        {field('skew', 'Skew', '', 'Inventory skew')}
        {field('requoteTicks', 'Re-quote', 'ticks', 'Re-quote threshold in ticks')}
        {field('entryLatencyMs', 'Entry', 'ms', 'Order entry latency in ms')}
        {field('cancelLatencyMs', 'Cancel', 'ms', 'Cancel latency in ms')}
        {field('makerFeeBps', 'Maker fee', 'bps', 'Maker fee in bps')}
        {field('takerFeeBps', 'Taker fee', 'bps', 'Taker fee in bps')}
        <label>
          Queue
          <select value={form.queue} onChange={(e) => onSettings({ queue: e.target.value as 'risk-averse' | 'prob' })} aria-label="Queue model" disabled={running}>
            <option value="risk-averse">risk-averse</option>
            <option value="prob">probabilistic</option>
          </select>
        </label>
        {running ? (
          <button type="button" className="mm-stop" onClick={stop} disabled={busy}>
            ■ Stop
          </button>
        ) : (
          <button type="button" className="mm-start" onClick={start} disabled={busy || !choice}>
            ▶ Start
          </button>
        )}
      </form>
      <div className="mm-status" role="status" aria-label="Market maker status">
        {running ? (
          <>
            <span className="mm-live">PAPER</span> quoting {frame!.venue}:{frame!.symbol}
            {frame!.replay ? ' (replay)' : ''}
            {onOtherBook ? ' — not the book this panel shows' : ''}
          </>
        ) : frame?.summary ? (
          <>stopped{frame.message ? ` — ${frame.message.replace(/^stopped: /, '')}` : ''}; results of the last run on {frame.venue}:{frame.symbol}</>
        ) : (
          <>Paper trading only: quotes are simulated against the book and trades, nothing is sent to the exchange.</>
        )}
      </div>
      {error && (
        <p className="error-state" role="alert">
          {error}
        </p>
      )}
      <dl className="mm-summary" aria-label="Market maker account">
        <div>
          <dt>PnL</dt>
          <dd className="big">{s ? <Signed text={s.pnl} /> : '—'}</dd>
        </div>
        <div>
          <dt>Realized</dt>
          <dd>{s ? <Signed text={s.realizedPnl} /> : '—'}</dd>
        </div>
        <div>
          <dt>Unrealized</dt>
          <dd>{s ? <Signed text={s.unrealizedPnl} /> : '—'}</dd>
        </div>
        <div>
          <dt>Fees</dt>
          <dd>{s?.fees ?? '—'}</dd>
        </div>
        <div>
          <dt>Inventory</dt>
          <dd>{s ? <Signed text={s.inventory} /> : '—'}</dd>
        </div>
        <div>
          <dt>Cash</dt>
          <dd>{s?.cash ?? '—'}</dd>
        </div>
        <div>
          <dt>Mark</dt>
          <dd>{s?.mark ?? '—'}</dd>
        </div>
        <div>
          <dt>Fills</dt>
          <dd>{s?.fills ?? '—'}</dd>
        </div>
        <div>
          <dt>Turnover</dt>
          <dd>{s?.turnover ?? '—'}</dd>
        </div>
        <div>
          <dt>Max inv.</dt>
          <dd>{s?.maxInventory ?? '—'}</dd>
        </div>
        <div>
          <dt>Max drawdown</dt>
          <dd>{s?.maxDrawdown ?? '—'}</dd>
        </div>
      </dl>
      <div className="mm-body">
        <div className="mm-chart" ref={chartBox}>
          <canvas ref={canvasRef} role="img" aria-label="PnL and inventory over time" />
        </div>
        <div className="mm-lists">
          <table className="mm-table" aria-label="Working quotes">
            <thead>
              <tr>
                <th>Quote</th>
                <th>Price</th>
                <th>Size</th>
                <th>Ahead</th>
              </tr>
            </thead>
            <tbody>
              {(frame?.quotes ?? []).map((q, i) => (
                <tr key={i} className={q.side}>
                  <td>
                    {q.side === 'buy' ? 'bid' : 'ask'} <span className="mm-state">{q.state}</span>
                  </td>
                  <td>{q.price}</td>
                  <td>{q.size}</td>
                  <td>{q.queueAhead ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="mm-table" aria-label="Paper fills">
            <thead>
              <tr>
                <th>Fill</th>
                <th>Price</th>
                <th>Size</th>
                <th>Time</th>
              </tr>
            </thead>
            <tbody>
              {(frame?.fills ?? [])
                .slice(-50)
                .reverse()
                .map((f, i) => (
                  <tr key={`${f.ts}-${i}`} className={f.side}>
                    <td>
                      {f.side} <span className="mm-state">{f.liquidity}</span>
                    </td>
                    <td>{f.price}</td>
                    <td>{f.size}</td>
                    <td>{time(f.ts)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}
