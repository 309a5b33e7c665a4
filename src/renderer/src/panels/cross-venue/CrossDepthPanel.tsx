import { useEffect, useRef } from 'react';
import type { CrossBookFrame } from '../../../../shared/cross-venue';
import { formatCompact, formatPrice, formatQuantity, withUnit } from '../../../../shared/format';
import { NumberSelect, StreamProblem } from '../../components/PanelControls';
import { useMarketFormat } from '../../hooks/useMarketFormat';
import { useSize } from '../../hooks/useSize';
import { prepareCanvas } from '../canvas';
import type { PanelProps } from '../types';
import { CrossGroupBar, ExcludedList } from './CrossGroupBar';
import { useCrossBook } from './useCrossBook';
import { venueColor } from './venue-colors';
import './cross-venue.css';

export interface CrossDepthSettings {
  rangeBps: number;
}

const RANGE_CHOICES = [5, 10, 25, 50, 100, 250, 500];
const POINTS = 60;
const AXIS_LEFT = 54;
const AXIS_BOTTOM = 22;

/**
 * Draw mirrored stacked bars (each bucket split by venue, in the venues' colours; bids left of mid,
 * asks right) and the cumulative total of all venues as a stepped line on its own scale.
 */
export function drawCrossDepth(ctx: CanvasRenderingContext2D, frame: CrossBookFrame, width: number, height: number, priceDecimals: number): void {
  ctx.clearRect(0, 0, width, height);
  const { mid, bucketBps } = frame.depth;
  if (mid === null) return;
  const venues = frame.members.filter((m) => m.included).map((m) => m.venue);
  const points = Math.max(0, ...Object.values(frame.depth.bids).map((a) => a.length));
  if (points === 0) return;
  const plotW = width - AXIS_LEFT;
  const plotH = height - AXIS_BOTTOM;
  const bucketW = plotW / (2 * points);
  const centre = AXIS_LEFT + plotW / 2;
  const sum = (side: 'bids' | 'asks', i: number) => venues.reduce((n, v) => n + (frame.depth[side][v]?.[i] ?? 0), 0);
  let maxBar = 0;
  const cum = { bids: [] as number[], asks: [] as number[] };
  for (const side of ['bids', 'asks'] as const) {
    let c = 0;
    for (let i = 0; i < points; i++) {
      const s = sum(side, i);
      maxBar = Math.max(maxBar, s);
      cum[side].push((c += s));
    }
  }
  const maxCum = Math.max(cum.bids.at(-1) ?? 0, cum.asks.at(-1) ?? 0, 1e-12);
  // Grid and size axis (cumulative scale).
  ctx.strokeStyle = '#1c2532';
  ctx.fillStyle = '#7d8a9c';
  ctx.font = '11px system-ui';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let k = 0; k <= 4; k++) {
    const y = plotH - (plotH * 0.95 * k) / 4;
    ctx.beginPath();
    ctx.moveTo(AXIS_LEFT, y);
    ctx.lineTo(width, y);
    ctx.stroke();
    ctx.fillText(formatCompact((maxCum * k) / 4), AXIS_LEFT - 6, y);
  }
  // Stacked per-venue bars: their own scale, a third of the height at most.
  const barScale = maxBar > 0 ? (plotH * 0.33) / maxBar : 0;
  for (const side of ['bids', 'asks'] as const) {
    for (let i = 0; i < points; i++) {
      const x = side === 'bids' ? centre - (i + 1) * bucketW : centre + i * bucketW;
      let y = plotH;
      for (const v of venues) {
        const h = (frame.depth[side][v]?.[i] ?? 0) * barScale;
        if (h <= 0) continue;
        ctx.fillStyle = venueColor(v);
        ctx.globalAlpha = 0.8;
        ctx.fillRect(x + 0.5, y - h, Math.max(1, bucketW - 1), h);
        y -= h;
      }
    }
  }
  ctx.globalAlpha = 1;
  // Cumulative totals, stepped outwards from mid.
  for (const side of ['bids', 'asks'] as const) {
    ctx.strokeStyle = side === 'bids' ? '#26a96c' : '#e5534b';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(centre, plotH);
    cum[side].forEach((c, i) => {
      const y = plotH - (c / maxCum) * plotH * 0.95;
      const x0 = side === 'bids' ? centre - i * bucketW : centre + i * bucketW;
      const x1 = side === 'bids' ? centre - (i + 1) * bucketW : centre + (i + 1) * bucketW;
      ctx.lineTo(x0, y);
      ctx.lineTo(x1, y);
    });
    ctx.stroke();
  }
  ctx.lineWidth = 1;
  // Price axis: mid and the range's ends and halves.
  const prices = [-1, -0.5, 0, 0.5, 1].map((f) => mid * (1 + (f * points * bucketBps) / 10_000));
  const labels = prices.map((p) => formatPrice(p, priceDecimals));
  ctx.fillStyle = '#7d8a9c';
  ctx.textBaseline = 'top';
  prices.forEach((_p, k) => {
    const x = AXIS_LEFT + (plotW * k) / 4;
    ctx.textAlign = k === 0 ? 'left' : k === 4 ? 'right' : 'center';
    ctx.fillText(labels[k]!, x, plotH + 5);
  });
  ctx.strokeStyle = '#4c5a6c';
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  ctx.moveTo(centre, 0);
  ctx.lineTo(centre, plotH);
  ctx.stroke();
  ctx.setLineDash([]);
}

/** Consolidated depth: every synced venue's resting size by distance from the NBBO mid, stacked by venue, with the total's cumulative curve. */
export function CrossDepthPanel({ choice, settings, onSettings, onChoice }: PanelProps<CrossDepthSettings>) {
  const rangeBps = settings.rangeBps ?? 25;
  const { frame, error } = useCrossBook(choice, { levels: 1, points: POINTS, rangeBps }, 'cross-depth');
  const fmt = useMarketFormat(choice);
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { width, height } = useSize(boxRef);
  useEffect(() => {
    const ctx = prepareCanvas(canvasRef.current, width, height);
    if (ctx && frame) drawCrossDepth(ctx, frame, width, height, fmt.priceDecimals);
  }, [frame, width, height, fmt.priceDecimals]);
  const included = frame?.members.filter((m) => m.included).map((m) => m.venue) ?? [];
  const total = (side: 'bids' | 'asks', v: string) => (frame?.depth[side][v] ?? []).reduce((a, b) => a + b, 0);
  return (
    <div className="cross-panel chart-panel">
      <div className="panel-toolbar">
        {choice && <CrossGroupBar frame={frame} choice={choice} onChoice={onChoice} />}
        <NumberSelect label="Range" name="Consolidated depth range around mid in basis points" value={rangeBps} options={RANGE_CHOICES} format={(n) => `±${n} bps`} onChange={(n) => onSettings({ rangeBps: n })} />
      </div>
      <ExcludedList frame={frame} />
      <StreamProblem error={error} choice={choice} />
      <div className="cross-legend" aria-label="Depth within range by venue">
        {included.map((v) => (
          <span key={v} data-venue={v}>
            <span className="swatch" style={{ background: venueColor(v) }} />
            {v} <span className="bid-text">{formatQuantity(total('bids', v), fmt.sizeDecimals)}</span> / <span className="ask-text">{withUnit(formatQuantity(total('asks', v), fmt.sizeDecimals), fmt.base)}</span>
          </span>
        ))}
        {frame && <span className="muted">within ±{rangeBps} bps of the NBBO mid</span>}
      </div>
      <div className="chart-box" ref={boxRef} role="img" aria-label="Consolidated depth chart">
        <canvas ref={canvasRef} />
        {frame && frame.depth.mid === null && <p className="chart-empty">Waiting for a synced book in the group…</p>}
      </div>
    </div>
  );
}
