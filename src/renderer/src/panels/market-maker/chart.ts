/**
 * The market maker's PnL (top) and inventory (bottom) over time, drawn on one canvas with a shared
 * time axis. Plain canvas: two step lines and their zero lines, labelled at the ends.
 */
import type { MarketMakerPoint } from '../../../../shared/market-maker';
import { formatNumber } from '../../format';
import { currentPalette } from '../../theme/theme';

const FONT = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
const PAD = { left: 8, right: 72, top: 16, bottom: 18, gap: 18 };

function extent(values: number[]): [number, number] {
  let lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (hi === lo) {
    hi += 1;
    lo -= 1;
  }
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

function label(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1000) return formatNumber(v, 0);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

function timeLabel(ts: number): string {
  return new Date(ts).toISOString().slice(11, 19);
}

export function paintMarketMakerChart(ctx: CanvasRenderingContext2D, width: number, height: number, points: MarketMakerPoint[]): void {
  const p = currentPalette();
  const COLOR = { pnlUp: p.bid, pnlDown: p.ask, inventory: p.accent, grid: p.panelEdge, muted: p.muted, zero: p.faint };
  ctx.fillStyle = p.input;
  ctx.fillRect(0, 0, width, height);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  if (points.length === 0) {
    ctx.fillStyle = COLOR.muted;
    ctx.textAlign = 'center';
    ctx.fillText('PnL and inventory appear once the strategy runs', width / 2, height / 2);
    return;
  }
  const t0 = points[0]!.ts;
  const t1 = Math.max(points.at(-1)!.ts, t0 + 1);
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const paneH = Math.max(10, (height - PAD.top - PAD.bottom - PAD.gap) / 2);
  const x = (ts: number) => PAD.left + ((ts - t0) / (t1 - t0)) * plotW;
  const panes = [
    { title: 'PnL', top: PAD.top, values: points.map((p) => p.pnl) },
    { title: 'Inventory', top: PAD.top + paneH + PAD.gap, values: points.map((p) => p.inventory) },
  ];
  for (const [index, pane] of panes.entries()) {
    const [lo, hi] = extent(pane.values);
    const y = (v: number) => pane.top + (1 - (v - lo) / (hi - lo)) * paneH;
    ctx.strokeStyle = COLOR.grid;
    ctx.strokeRect(PAD.left + 0.5, pane.top + 0.5, plotW, paneH);
    ctx.fillStyle = COLOR.zero;
    ctx.fillRect(PAD.left, Math.round(y(0)), plotW, 1);
    // A step line: the value holds until the next point.
    const last = pane.values.at(-1)!;
    ctx.strokeStyle = index === 1 ? COLOR.inventory : last >= 0 ? COLOR.pnlUp : COLOR.pnlDown;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    points.forEach((p, i) => {
      const px = x(p.ts);
      const py = y(pane.values[i]!);
      if (i === 0) ctx.moveTo(px, py);
      else {
        ctx.lineTo(px, y(pane.values[i - 1]!));
        ctx.lineTo(px, py);
      }
    });
    ctx.lineTo(PAD.left + plotW, y(last));
    ctx.stroke();
    ctx.lineWidth = 1;
    ctx.fillStyle = COLOR.muted;
    ctx.textAlign = 'left';
    ctx.fillText(pane.title, PAD.left + 4, pane.top - 8);
    ctx.fillText(label(hi), PAD.left + plotW + 6, pane.top + 6);
    ctx.fillText(label(lo), PAD.left + plotW + 6, pane.top + paneH - 6);
    ctx.fillStyle = ctx.strokeStyle;
    ctx.fillText(label(last), PAD.left + plotW + 6, Math.min(pane.top + paneH - 18, Math.max(pane.top + 18, y(last))));
  }
  ctx.fillStyle = COLOR.muted;
  ctx.textAlign = 'left';
  ctx.fillText(timeLabel(t0), PAD.left, height - PAD.bottom / 2);
  ctx.textAlign = 'right';
  ctx.fillText(timeLabel(t1), PAD.left + plotW, height - PAD.bottom / 2);
}
