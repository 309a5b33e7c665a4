import { useEffect, useRef } from 'react';
import { NumberSelect, StreamProblem } from '../../components/PanelControls';
import { StateBadge } from '../../components/StateBadge';
import { formatPrice, formatSize, withUnit } from '../../format';
import { useMarketFormat } from '../../hooks/useMarketFormat';
import { useSize } from '../../hooks/useSize';
import { useStream } from '../../hooks/useStream';
import { ColumnHistory } from '../heatmap/columns';
import { prepareCanvas, stepDecimals } from '../canvas';
import { withAlpha } from '../../theme/palette';
import { currentPalette, usePalette } from '../../theme/theme';
import type { PanelProps } from '../types';

export interface ProfileSettings {
  windowSec: number;
}

const WINDOW_CHOICES = [30, 60, 180, 300, 900];
const ROWS = 120;

/** Average resting size per price row over the last `windowMs`. */
export function averageProfile(history: ColumnHistory, windowMs: number, now: number): Map<number, number> {
  const cols = history.columns.filter((c) => c.ts > now - windowMs);
  const sums = new Map<number, number>();
  for (const c of cols) {
    c.sizes.forEach((s, i) => {
      if (s > 0) sums.set(c.baseRow + i, (sums.get(c.baseRow + i) ?? 0) + s);
    });
  }
  for (const [row, sum] of sums) sums.set(row, sum / cols.length);
  return sums;
}

/** Resting liquidity profile: average resting size at each price over a rolling window (default 180 s). */
export function VolumeProfilePanel({ choice, settings, onSettings }: PanelProps<ProfileSettings>) {
  const windowSec = settings.windowSec ?? 180;
  const params = choice ? { venue: choice.venue, symbol: choice.symbol, rows: ROWS, spanBps: 0, intervalMs: 500 } : null;
  const key = choice ? `${choice.venue}:${choice.symbol}` : '';
  const { frame, error } = useStream('book.heatmap', params, key);
  const historyRef = useRef(new ColumnHistory());
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { width, height } = useSize(boxRef);
  const pocLabelRef = useRef<HTMLSpanElement>(null);
  const fmt = useMarketFormat(choice);

  useEffect(() => {
    historyRef.current = new ColumnHistory();
  }, [key]);

  useEffect(() => {
    if (frame) historyRef.current.add(frame);
    const poc = drawProfile(canvasRef.current, historyRef.current, windowSec * 1000, width, height);
    // The label is part of the drawing: updated with it, outside React's render.
    const rowDecimals = stepDecimals(historyRef.current.rowStep || 1);
    if (pocLabelRef.current)
      pocLabelRef.current.textContent = poc ? `max ${withUnit(formatSize(poc.size, fmt.sizeDecimals), fmt.base)} at ${formatPrice(poc.price, Math.max(rowDecimals, fmt.priceDecimals))}` : '';
  }, [frame, width, height, windowSec, fmt]);
  // The theme changed: redraw what is there in its colours (without adding the frame again).
  const palette = usePalette();
  useEffect(() => {
    drawProfile(canvasRef.current, historyRef.current, windowSec * 1000, width, height);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [palette]);

  return (
    <div className="chart-panel profile-panel">
      <div className="panel-toolbar">
        <StateBadge state={frame?.state ?? null} />
        <NumberSelect
          label="Window"
          name="Profile window in seconds"
          value={windowSec}
          options={WINDOW_CHOICES}
          format={(n) => (n >= 60 ? `${n / 60} min` : `${n} s`)}
          onChange={(n) => onSettings({ windowSec: n })}
        />
        <span className="panel-meta" aria-label="Largest average resting size" ref={pocLabelRef} />
      </div>
      <StreamProblem error={error} choice={choice} />
      <div className="chart-box" ref={boxRef}>
        <canvas ref={canvasRef} role="img" aria-label={choice ? `Resting liquidity profile for ${choice.symbol}` : 'Resting liquidity profile'} />
      </div>
    </div>
  );
}

function drawProfile(canvas: HTMLCanvasElement | null, history: ColumnHistory, windowMs: number, width: number, height: number): { price: number; size: number } | null {
  const ctx = prepareCanvas(canvas, width, height);
  if (!ctx) return null;
  const palette = currentPalette();
  ctx.fillStyle = palette.panel;
  ctx.fillRect(0, 0, width, height);
  const last = history.columns.at(-1);
  if (!last || last.bestBid === null || last.bestAsk === null) return null;
  const profile = averageProfile(history, windowMs, last.ts + 1);
  const mid = (last.bestBid + last.bestAsk) / 2;
  const topRow = history.row(mid) + ROWS / 2;
  const rowH = height / ROWS;
  const axis = 64;
  const plotW = width - axis;
  let max = 0;
  let poc: { price: number; size: number } | null = null;
  for (let r = topRow - ROWS; r < topRow; r++) {
    const v = profile.get(r) ?? 0;
    if (v > max) {
      max = v;
      poc = { price: Number((r * history.rowStep).toFixed(8)), size: v };
    }
  }
  if (max <= 0) return null;
  const midRow = history.row(mid);
  for (let r = topRow - ROWS; r < topRow; r++) {
    const v = profile.get(r) ?? 0;
    if (v <= 0) continue;
    const y = (topRow - 1 - r) * rowH;
    ctx.fillStyle = r === history.row(poc!.price) ? palette.wall : withAlpha(r <= midRow ? palette.bid : palette.ask, 0.75);
    ctx.fillRect(0, y + 0.5, (v / max) * plotW, Math.max(1, rowH - 1));
  }
  ctx.strokeStyle = palette.accent;
  ctx.setLineDash([4, 3]);
  const midY = (topRow - mid / history.rowStep) * rowH;
  ctx.beginPath();
  ctx.moveTo(0, midY);
  ctx.lineTo(plotW, midY);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = palette.muted;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const decimals = stepDecimals(history.rowStep);
  const every = Math.max(1, Math.ceil(ROWS / Math.max(2, Math.floor(height / 40))));
  for (let r = topRow - ROWS; r < topRow; r++) {
    if (r % every !== 0) continue;
    ctx.fillText(formatPrice(r * history.rowStep, decimals), plotW + 6, (topRow - 1 - r + 0.5) * rowH);
  }
  return poc;
}
