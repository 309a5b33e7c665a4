/**
 * The paper market maker drawn on other panels: its working quotes on the ladder, its fills on the
 * heatmap and on the tape. Each panel calls one function here, so their own drawing code stays theirs.
 */
import { useEffect, useRef } from 'react';
import type { MarketMakerFrame } from '../../../../shared/market-maker';
import type { SymbolChoice } from '../../layout/symbol-choice';
import { useStream } from '../../hooks/useStream';
import './market-maker.css';

const BUY = '#3fd6c6';
const SELL = '#ffb547';

/**
 * The strategy's frame when it runs (or last ran) on this book, else null: as state (`frame`, to
 * trigger a repaint) and in a ref (`ref`, for painting code that runs outside React).
 */
export function useMarketMakerOverlay(choice: SymbolChoice | null): { frame: MarketMakerFrame | null; ref: { current: MarketMakerFrame | null } } {
  const frame = useStream('mm', { overlay: true }, 'mm-overlay').frame;
  const ref = useRef<MarketMakerFrame | null>(null);
  const mine = frame && choice && frame.venue === choice.venue && frame.symbol === choice.symbol && (frame.running || frame.fills.length > 0) ? frame : null;
  useEffect(() => {
    ref.current = mine;
  }, [mine]);
  return { frame: mine, ref };
}

/** Price text as integer units at `decimals` (null when it has more digits). */
function unitsOf(text: string, decimals: number): number | null {
  const [int = '0', frac = ''] = text.replace(/^-/, '').split('.');
  if (frac.replace(/0+$/, '').length > decimals) return null;
  return Number(int + frac.padEnd(decimals, '0'));
}

/**
 * Mark the rows where paper quotes rest: an outline in the quote's colour (dashed while not yet on the
 * book or being cancelled) and a "MM size" tag at the row's outer edge.
 */
export function paintLadderQuotes(
  ctx: CanvasRenderingContext2D,
  frame: MarketMakerFrame | null,
  rows: ReadonlyArray<{ price: number }>,
  geometry: { width: number; top: number; rowHeight: number; decimals: number; step: number },
): void {
  if (!frame?.running || rows.length === 0) return;
  const { width, top, rowHeight, decimals, step } = geometry;
  ctx.save();
  ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  for (const q of frame.quotes) {
    const units = unitsOf(q.price, decimals);
    if (units === null) continue;
    // A grouped ladder shows a bid on the row at or below it, an ask on the row at or above it.
    const rowPrice = q.side === 'buy' ? Math.floor(units / step) * step : Math.ceil(units / step) * step;
    const i = rows.findIndex((r) => r.price === rowPrice);
    if (i < 0) continue;
    const y = top + i * rowHeight;
    const colour = q.side === 'buy' ? BUY : SELL;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(q.state === 'live' ? [] : [4, 3]);
    ctx.strokeRect(1.5, y + 1, width - 3, rowHeight - 2);
    ctx.setLineDash([]);
    const tag = `MM ${q.size}`;
    const tagWidth = ctx.measureText(tag).width + 8;
    const x = q.side === 'buy' ? 3 : width - 3 - tagWidth;
    ctx.fillStyle = colour;
    ctx.fillRect(x, y + 2, tagWidth, rowHeight - 4);
    ctx.fillStyle = '#0b0f14';
    ctx.fillText(tag, x + 4, y + rowHeight / 2);
  }
  ctx.restore();
}

/**
 * Paper fills on the heatmap: a ring at (fill time, fill price), ▲-coloured by side. `x` and `y` map the
 * book's clock and a price to the plot; the plot is clipped to `plot`.
 */
export function paintHeatmapFills(
  ctx: CanvasRenderingContext2D,
  frame: MarketMakerFrame | null,
  x: (ts: number) => number,
  y: (price: number) => number,
  plot: { left: number; width: number; height: number },
): void {
  if (!frame || frame.fills.length === 0) return;
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, 0, plot.width - plot.left, plot.height);
  ctx.clip();
  ctx.lineWidth = 2;
  for (const f of frame.fills) {
    const px = x(f.ts);
    const py = y(Number(f.price));
    if (px < plot.left - 6 || px > plot.width + 6) continue;
    ctx.beginPath();
    ctx.arc(px, py, 4.5, 0, Math.PI * 2);
    ctx.fillStyle = 'rgba(5, 8, 12, 0.85)';
    ctx.fill();
    ctx.strokeStyle = f.side === 'buy' ? BUY : SELL;
    ctx.stroke();
  }
  ctx.restore();
}

function clock(ts: number): string {
  return new Date(ts).toISOString().slice(11, 23);
}

/** A strip over the tape: the paper market maker's latest fills on this book, newest first. */
export function PaperFillsStrip({ choice }: { choice: SymbolChoice | null }) {
  const frame = useStream('mm', { overlay: true }, 'mm-overlay').frame;
  if (!frame || !choice || frame.venue !== choice.venue || frame.symbol !== choice.symbol || (!frame.running && frame.fills.length === 0)) return null;
  const latest = frame.fills.slice(-4).reverse();
  return (
    <div className="mm-tape-strip" role="status" aria-label="Paper fills on this book">
      <span className="mm-live">PAPER</span>
      {latest.length === 0 ? (
        <span className="mm-tape-none">no fills yet</span>
      ) : (
        latest.map((f, i) => (
          <span key={`${f.ts}-${i}`} className={`mm-tape-fill ${f.side}`} title={`${f.liquidity}, quote live since ${clock(f.quoteTs)}`}>
            {f.side === 'buy' ? 'B' : 'S'} {f.size} @ {f.price} <span className="mm-state">{clock(f.ts)}</span>
          </span>
        ))
      )}
    </div>
  );
}
