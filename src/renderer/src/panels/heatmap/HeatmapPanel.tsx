import { useEffect, useRef } from 'react';
import { NumberSelect, StreamProblem } from '../../components/PanelControls';
import { StateBadge } from '../../components/StateBadge';
import { useSize } from '../../hooks/useSize';
import { useStream } from '../../hooks/useStream';
import { formatPrice } from '../../format';
import { prepareCanvas, stepDecimals } from '../canvas';
import type { PanelProps } from '../types';
import { LIQUIDITY_LUT, liquidityLutOffset, quantileOfNonZeroScratch } from './colormap';
import { ColumnHistory } from './columns';

export interface HeatmapSettings {
  spanBps: number;
}

const SPAN_CHOICES = [0, 10, 20, 40, 60, 100, 200, 500];
const ROWS = 120;
const COLUMN_PX = 3;
const AXIS_PX = 64;

/**
 * Liquidity heatmap: resting size by price (rows) over time (columns, newest on the right), with the
 * best bid and ask drawn over it, the way Bookmap-style tools show where liquidity sits and moves.
 */
export function HeatmapPanel({ choice, settings, onSettings }: PanelProps<HeatmapSettings>) {
  const spanBps = settings.spanBps ?? 0;
  const params = choice ? { venue: choice.venue, symbol: choice.symbol, rows: ROWS, spanBps, intervalMs: 250 } : null;
  const key = choice ? `${choice.venue}:${choice.symbol}:${spanBps}` : '';
  const { frame, error } = useStream('book.heatmap', params, key);
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const historyRef = useRef(new ColumnHistory());
  const { width, height } = useSize(boxRef);

  useEffect(() => {
    historyRef.current = new ColumnHistory();
  }, [key]);

  useEffect(() => {
    if (frame) historyRef.current.add(frame);
    draw(canvasRef.current, historyRef.current, width, height);
  }, [frame, width, height]);

  return (
    <div className="chart-panel heatmap-panel">
      <div className="panel-toolbar">
        <StateBadge state={frame?.state ?? null} />
        <NumberSelect
          label="Span"
          name="Heatmap price span in basis points"
          value={spanBps}
          options={SPAN_CHOICES}
          format={(n) => (n === 0 ? 'auto' : `${n} bps`)}
          onChange={(n) => onSettings({ spanBps: n })}
        />
        <span className="legend">
          <span className="bid-text">— best bid</span> <span className="ask-text">— best ask</span>
        </span>
      </div>
      <StreamProblem error={error} choice={choice} />
      <div className="chart-box" ref={boxRef}>
        <canvas ref={canvasRef} role="img" aria-label={choice ? `Liquidity heatmap for ${choice.symbol}` : 'Liquidity heatmap'} />
      </div>
    </div>
  );
}

function priceLabel(p: number, step: number): string {
  return formatPrice(p, stepDecimals(step));
}

/** Buffers kept between draws (one heatmap is drawn at a time: drawing is synchronous). */
const scratch: { values: Float64Array; canvas: HTMLCanvasElement | null; image: ImageData | null } = { values: new Float64Array(0), canvas: null, image: null };

/** Redraw the whole heatmap: one pixel per (column, row) in an ImageData, scaled up without smoothing. */
function draw(canvas: HTMLCanvasElement | null, history: ColumnHistory, width: number, height: number): void {
  const ctx = prepareCanvas(canvas, width, height);
  if (!ctx) return;
  ctx.fillStyle = '#0d1117';
  ctx.fillRect(0, 0, width, height);
  const plotW = Math.max(10, width - AXIS_PX);
  const cols = history.columns.slice(-Math.floor(plotW / COLUMN_PX));
  const last = cols.at(-1);
  if (!last || history.rowStep <= 0) return;
  // The view is centred on the newest mid and shows as many rows as a column holds.
  const mid = last.bestBid !== null && last.bestAsk !== null ? (last.bestBid + last.bestAsk) / 2 : (last.baseRow + ROWS / 2) * history.rowStep;
  const topRow = history.row(mid) + ROWS / 2;
  const bottomRow = topRow - ROWS;
  // Scratch buffers and the offscreen canvas are reused from draw to draw (4 per second).
  let cells = 0;
  for (const c of cols) cells += c.sizes.length;
  if (scratch.values.length < cells) scratch.values = new Float64Array(cells * 2);
  let filled = 0;
  for (const c of cols) {
    const sizes = c.sizes;
    for (let i = 0; i < sizes.length; i++) scratch.values[filled++] = sizes[i]!;
  }
  const scale = quantileOfNonZeroScratch(scratch.values, filled, 0.97);
  const offscreen = (scratch.canvas ??= document.createElement('canvas'));
  if (offscreen.width !== cols.length || offscreen.height !== ROWS) {
    offscreen.width = cols.length;
    offscreen.height = ROWS;
    scratch.image = null;
  }
  const offCtx = offscreen.getContext('2d')!;
  const image = (scratch.image ??= offCtx.createImageData(cols.length, ROWS));
  const data = image.data;
  const lut = LIQUIDITY_LUT;
  for (let x = 0; x < cols.length; x++) {
    const c = cols[x]!;
    for (let r = 0; r < ROWS; r++) {
      const globalRow = topRow - 1 - r;
      const i = globalRow - c.baseRow;
      const size = i >= 0 && i < c.sizes.length ? c.sizes[i]! : 0;
      const l = liquidityLutOffset(scale > 0 ? Math.sqrt(size / scale) : 0);
      const o = (r * cols.length + x) * 4;
      data[o] = lut[l]!;
      data[o + 1] = lut[l + 1]!;
      data[o + 2] = lut[l + 2]!;
      data[o + 3] = 255;
    }
  }
  offCtx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = false;
  const drawX = plotW - cols.length * COLUMN_PX;
  ctx.drawImage(offscreen, drawX, 0, cols.length * COLUMN_PX, height);
  const y = (price: number): number => ((topRow - price / history.rowStep) / ROWS) * height;
  for (const [key, color] of [
    ['bestBid', '#26a96c'],
    ['bestAsk', '#e5534b'],
  ] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    cols.forEach((c, x) => {
      const p = c[key];
      if (p === null) return;
      const px = drawX + x * COLUMN_PX + COLUMN_PX / 2;
      if (started) ctx.lineTo(px, y(p));
      else ctx.moveTo(px, y(p));
      started = true;
    });
    ctx.stroke();
  }
  // Price axis on the right.
  ctx.fillStyle = '#131a23';
  ctx.fillRect(plotW, 0, AXIS_PX, height);
  ctx.fillStyle = '#7d8a9c';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const labelEvery = Math.max(1, Math.ceil(ROWS / Math.max(2, Math.floor(height / 40))));
  for (let row = bottomRow; row <= topRow; row++) {
    if (row % labelEvery !== 0) continue;
    const p = row * history.rowStep;
    ctx.fillText(priceLabel(p, history.rowStep), plotW + 6, y(p));
  }
}
