/**
 * Drawing the traded volume profile: one horizontal bar per price row from the lowest to the highest
 * traded row, taker-sell (red) then taker-buy (green) along it; rows inside the value area full
 * strength, outside it faded; the point of control outlined and lined in yellow, VAH and VAL as dashed lines, the last
 * price marked on the axis. Returns what it drew, for tests and assistive tools.
 */
import type { TradedProfileFrame } from '../../../../shared/order-flow';
import { formatPriceText } from '../../format';
import { rowIndex, rowPriceText, type DrawContext } from '../footprint/draw';

export const AXIS_WIDTH = 72;
const MAX_BAR_HEIGHT = 18;

const COLORS = {
  background: '#131a23',
  muted: '#7d8a9c',
  buy: '#26a96c',
  sell: '#e5534b',
  poc: '#f5d142',
  valueArea: '#4c8dff',
  last: '#c9d3df',
};

export interface ProfileDrawn {
  poc: string | null;
  vah: string | null;
  val: string | null;
  rows: number;
  priceLabels: string[];
}

export function drawTradedProfile(ctx: DrawContext, frame: TradedProfileFrame | null, width: number, height: number): ProfileDrawn {
  const drawn: ProfileDrawn = { poc: null, vah: null, val: null, rows: 0, priceLabels: [] };
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, width, height);
  if (!frame || frame.rows.length === 0) return drawn;
  const step = Number(frame.rowStep);
  const plotW = width - AXIS_WIDTH;
  const top = rowIndex(frame.rows[0]!.price, step);
  const bottom = rowIndex(frame.rows[frame.rows.length - 1]!.price, step);
  // A little room above and below the traded range.
  const pad = Math.max(1, Math.round((top - bottom + 1) * 0.04));
  const first = top + pad;
  const count = top - bottom + 1 + 2 * pad;
  const rowH = height / count;
  const y = (index: number): number => (first - index) * rowH;
  const vah = frame.valueAreaHigh !== null ? rowIndex(frame.valueAreaHigh, step) : null;
  const val = frame.valueAreaLow !== null ? rowIndex(frame.valueAreaLow, step) : null;
  const poc = frame.poc !== null ? rowIndex(frame.poc, step) : null;
  let max = 0;
  for (const r of frame.rows) max = Math.max(max, Number(r.buy) + Number(r.sell));

  // Value area band behind the bars.
  if (vah !== null && val !== null) {
    ctx.fillStyle = 'rgba(76,141,255,0.08)';
    ctx.fillRect(0, y(vah), plotW, (vah - val + 1) * rowH);
  }
  // Bars fill their row, with a gap when rows are tall enough, and never thicker than MAX_BAR_HEIGHT.
  const barH = Math.min(MAX_BAR_HEIGHT, Math.max(1, rowH - (rowH > 4 ? 1 : 0)));
  const barY = (index: number): number => y(index) + (rowH - barH) / 2;
  // Bars batched by colour and alpha (inside the value area or not, sell or buy): four style changes a
  // draw instead of four a row.
  const bars = frame.rows.map((r) => {
    const i = rowIndex(r.price, step);
    const sellW = (Number(r.sell) / max) * (plotW - 8);
    return { i, inside: vah !== null && val !== null && i <= vah && i >= val, sellW, buyW: (Number(r.buy) / max) * (plotW - 8) };
  });
  for (const inside of [true, false]) {
    ctx.globalAlpha = inside ? 0.9 : 0.4;
    ctx.fillStyle = COLORS.sell;
    for (const b of bars) if (b.inside === inside) ctx.fillRect(0, barY(b.i), b.sellW, barH);
    ctx.fillStyle = COLORS.buy;
    for (const b of bars) if (b.inside === inside) ctx.fillRect(b.sellW, barY(b.i), b.buyW, barH);
  }
  ctx.globalAlpha = 1;
  for (const b of bars) {
    if (b.i === poc) {
      ctx.strokeStyle = COLORS.poc;
      ctx.lineWidth = 2;
      ctx.strokeRect(1, barY(b.i) - 1, b.sellW + b.buyW, barH + 2);
    }
    drawn.rows++;
  }

  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const edge = (index: number | null, color: string, name: string, dashed: boolean): string | null => {
    if (index === null) return null;
    const price = rowPriceText(index, frame.rowStep);
    const label = formatPriceText(price, frame.priceDecimals);
    const ly = y(index) + rowH / 2;
    ctx.strokeStyle = color;
    ctx.lineWidth = 1;
    ctx.setLineDash(dashed ? [5, 3] : []);
    ctx.beginPath();
    ctx.moveTo(0, ly);
    ctx.lineTo(plotW, ly);
    ctx.stroke();
    ctx.setLineDash([]);
    // The label sits on a patch of background, legible over any bar.
    const text = `${name} ${label}`;
    const textY = ly - 9 < 7 ? ly + 9 : ly - 9;
    const textW = ctx.measureText(text).width;
    ctx.fillStyle = COLORS.background;
    ctx.fillRect(plotW - textW - 8, textY - 7, textW + 6, 14);
    ctx.fillStyle = color;
    ctx.textAlign = 'right';
    ctx.fillText(text, plotW - 4, textY);
    return label;
  };
  drawn.vah = edge(vah, COLORS.valueArea, 'VAH', true);
  drawn.val = edge(val, COLORS.valueArea, 'VAL', true);
  drawn.poc = edge(poc, COLORS.poc, 'POC', false);

  // Price axis: row prices at the instrument's precision, at least 36 px apart.
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(plotW, 0, AXIS_WIDTH, height);
  ctx.textAlign = 'left';
  const every = Math.max(1, Math.ceil(36 / rowH));
  ctx.fillStyle = COLORS.muted;
  for (let i = first; y(i) < height; i--) {
    if (i % every !== 0) continue;
    const label = formatPriceText(rowPriceText(i, frame.rowStep), frame.priceDecimals);
    ctx.fillText(label, plotW + 6, y(i) + rowH / 2);
    drawn.priceLabels.push(label);
  }
  if (frame.lastPrice !== null) {
    const ly = y(rowIndex(frame.lastPrice, step)) + rowH / 2;
    ctx.fillStyle = COLORS.last;
    ctx.beginPath();
    ctx.moveTo(plotW, ly);
    ctx.lineTo(plotW + 5, ly - 4);
    ctx.lineTo(plotW + 5, ly + 4);
    ctx.fill();
  }
  return drawn;
}
