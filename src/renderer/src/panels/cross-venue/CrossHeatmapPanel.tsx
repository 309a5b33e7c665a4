import { useEffect, useRef } from 'react';
import type { CrossBookFrame } from '../../../../shared/cross-venue';
import { formatPrice } from '../../../../shared/format';
import { NumberSelect, StreamProblem } from '../../components/PanelControls';
import { useMarketFormat } from '../../hooks/useMarketFormat';
import { useSize } from '../../hooks/useSize';
import { prepareCanvas } from '../canvas';
import type { PanelProps } from '../types';
import { CrossGroupBar, ExcludedList } from './CrossGroupBar';
import { useCrossBook } from './useCrossBook';
import { venueColor, venueRgb } from './venue-colors';
import './cross-venue.css';

export interface CrossHeatmapSettings {
  group: number;
}

const GROUP_CHOICES = [1, 2, 5, 10, 25, 50];
/** Merged rows per side each column holds. */
const LEVELS = 60;
/** One column per this many ms; this many columns kept (one minute). */
const COLUMN_MS = 250;
const MAX_COLUMNS = 240;
const ROW_PX = 5;
const AXIS_RIGHT = 70;

/** One moment of the merged book: each row's total and its venues' sizes, and the NBBO. */
export interface CrossColumn {
  ts: number;
  rows: Array<{ price: number; total: number; venues: Array<[string, number]> }>;
  bid: number | null;
  ask: number | null;
}

export function columnOf(frame: CrossBookFrame): CrossColumn {
  const rows = [...frame.bids, ...frame.asks].map((l) => ({
    price: Number(l.price),
    total: Number(l.total),
    venues: Object.entries(l.venues).map(([v, s]) => [v, Number(s)] as [string, number]),
  }));
  return { ts: frame.ts, rows, bid: frame.nbbo.bid ? Number(frame.nbbo.bid.price) : null, ask: frame.nbbo.ask ? Number(frame.nbbo.ask.price) : null };
}

/**
 * Columns left to right (newest at the right edge), rows by price around `centre`. A cell's colour is
 * the venues' colours mixed by their shares of the row; its brightness is the row's total against the
 * largest total shown (square root, so thin levels stay visible).
 */
export function drawCrossHeatmap(ctx: CanvasRenderingContext2D, columns: readonly CrossColumn[], step: number, centre: number, width: number, height: number, priceDecimals: number): void {
  ctx.fillStyle = '#0a0f15';
  ctx.fillRect(0, 0, width, height);
  const plotW = width - AXIS_RIGHT;
  const rowsShown = Math.floor(height / ROW_PX);
  const low = centre - (rowsShown / 2) * step;
  const colW = plotW / MAX_COLUMNS;
  const yOf = (price: number) => height - ((price - low) / step) * ROW_PX;
  let max = 0;
  for (const c of columns) for (const r of c.rows) if (r.price >= low && r.price <= low + rowsShown * step) max = Math.max(max, r.total);
  if (max <= 0) return;
  columns.forEach((c, i) => {
    const x = plotW - (columns.length - i) * colW;
    for (const r of c.rows) {
      const y = yOf(r.price);
      if (y < -ROW_PX || y > height) continue;
      let red = 0;
      let green = 0;
      let blue = 0;
      for (const [v, s] of r.venues) {
        const [vr, vg, vb] = venueRgb(v);
        red += (vr * s) / r.total;
        green += (vg * s) / r.total;
        blue += (vb * s) / r.total;
      }
      const intensity = Math.sqrt(r.total / max);
      ctx.fillStyle = `rgba(${Math.round(red)},${Math.round(green)},${Math.round(blue)},${(0.12 + 0.88 * intensity).toFixed(3)})`;
      ctx.fillRect(x, y - ROW_PX, Math.ceil(colW), ROW_PX);
    }
  });
  // The NBBO over time.
  for (const [key, colour] of [
    ['bid', '#26a96c'],
    ['ask', '#e5534b'],
  ] as const) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    columns.forEach((c, i) => {
      const p = c[key];
      if (p === null) return;
      const x = plotW - (columns.length - i - 0.5) * colW;
      const y = yOf(p) - ROW_PX / 2;
      if (started) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      started = true;
    });
    ctx.stroke();
  }
  ctx.lineWidth = 1;
  // Price axis on the right.
  const ticks = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => low + f * rowsShown * step);
  const labels = ticks.map((p) => formatPrice(p, priceDecimals));
  ctx.fillStyle = '#0d1117';
  ctx.fillRect(plotW, 0, AXIS_RIGHT, height);
  ctx.fillStyle = '#7d8a9c';
  ctx.font = '11px system-ui';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ticks.forEach((p, k) => ctx.fillText(labels[k]!, plotW + 6, yOf(p)));
}

/** Consolidated heatmap: the merged book over the last minute, each cell coloured by the venues' shares. */
export function CrossHeatmapPanel({ choice, settings, onSettings, onChoice }: PanelProps<CrossHeatmapSettings>) {
  const group = settings.group ?? 1;
  const { frame, error } = useCrossBook(choice, { levels: LEVELS, group }, 'cross-heatmap');
  const fmt = useMarketFormat(choice);
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { width, height } = useSize(boxRef);
  const columnsRef = useRef<{ key: string; columns: CrossColumn[]; centre: number | null }>({ key: '', columns: [], centre: null });
  const key = `${JSON.stringify(choice)}:${group}`;
  useEffect(() => {
    if (!frame) return;
    const store = columnsRef.current;
    if (store.key !== key) Object.assign(store, { key, columns: [], centre: null });
    const last = store.columns.at(-1);
    const column = columnOf(frame);
    if (last && column.ts - last.ts < COLUMN_MS) store.columns[store.columns.length - 1] = { ...column, ts: last.ts };
    else store.columns.push(column);
    if (store.columns.length > MAX_COLUMNS) store.columns.splice(0, store.columns.length - MAX_COLUMNS);
    const ctx = prepareCanvas(canvasRef.current, width, height);
    if (!ctx) return;
    const step = Number(frame.tick);
    const mid = frame.nbbo.bid && frame.nbbo.ask ? (Number(frame.nbbo.bid.price) + Number(frame.nbbo.ask.price)) / 2 : null;
    const rowsShown = Math.floor(height / ROW_PX);
    // Keep the price axis still; recentre only when mid nears an edge.
    if (mid !== null && (store.centre === null || Math.abs(mid - store.centre) > rowsShown * step * 0.3)) store.centre = mid;
    if (store.centre !== null) drawCrossHeatmap(ctx, store.columns, step, store.centre, width, height, Math.max(fmt.priceDecimals, frame.priceDecimals));
  }, [frame, key, width, height, fmt.priceDecimals]);
  const venues = frame?.members.filter((m) => m.included).map((m) => m.venue) ?? [];
  return (
    <div className="cross-panel chart-panel">
      <div className="panel-toolbar">
        {choice && <CrossGroupBar frame={frame} choice={choice} onChoice={onChoice} />}
        <NumberSelect label="Rows" name="Consolidated heatmap row height in common ticks" value={group} options={GROUP_CHOICES} format={(n) => (n === 1 ? `tick ${frame?.tick ?? ''}` : `${n} ticks`)} onChange={(n) => onSettings({ group: n })} />
      </div>
      <ExcludedList frame={frame} />
      <StreamProblem error={error} choice={choice} />
      <div className="cross-legend">
        {venues.map((v) => (
          <span key={v}>
            <span className="swatch" style={{ background: venueColor(v) }} />
            {v}
          </span>
        ))}
        <span className="muted">colour: venue mix · brightness: merged size · lines: NBBO</span>
      </div>
      <div className="chart-box" ref={boxRef} role="img" aria-label="Consolidated heatmap">
        <canvas ref={canvasRef} />
        {frame && frame.nbbo.bid === null && frame.nbbo.ask === null && <p className="chart-empty">Waiting for a synced book in the group…</p>}
      </div>
    </div>
  );
}
