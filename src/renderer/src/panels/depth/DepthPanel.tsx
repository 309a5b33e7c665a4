import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DepthFrame, LadderFrame } from '../../../../shared/contract';
import { NumberSelect, StreamProblem } from '../../components/PanelControls';
import { StateBadge } from '../../components/StateBadge';
import { axisLabels, formatCompact, formatQuantity, withUnit } from '../../format';
import { useMarketFormat, type MarketFormat } from '../../hooks/useMarketFormat';
import { useSize } from '../../hooks/useSize';
import { useStream } from '../../hooks/useStream';
import { withAlpha } from '../../theme/palette';
import { usePalette } from '../../theme/theme';
import type { PanelProps } from '../types';

export interface DepthSettings {
  rangeBps: number;
}

const RANGE_CHOICES = [0, 5, 10, 25, 50, 100, 250, 500, 1000];
const POINTS = 80;
/** The automatic range reaches this many levels on each side… */
const AUTO_LEVELS = 25;
/** …or this far from mid (2%), whichever is tighter. */
const AUTO_MAX_BPS = 200;

/** The smallest 1, 2 or 5 × 10^k at or above `bps` (never below 0.1 bp). */
export function niceBps(bps: number): number {
  const target = Math.max(bps, 0.1);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const m of [1, 2, 5, 10]) if (m * power >= target * (1 - 1e-9)) return Number((m * power).toPrecision(6));
  return 10 * power;
}

/**
 * The automatic depth range (bps of mid) for a book: out to its AUTO_LEVELS-th level on the farther
 * side, or AUTO_MAX_BPS, whichever is tighter, rounded up to a 1-2-5 value; never so tight that the
 * spread fills it. Null while a side is empty.
 */
export function autoDepthRange(ladder: LadderFrame): number | null {
  const bestBid = Number(ladder.bids[0]?.[0]);
  const bestAsk = Number(ladder.asks[0]?.[0]);
  if (!(bestBid > 0) || !(bestAsk > bestBid)) return null;
  const mid = (bestBid + bestAsk) / 2;
  const far = Math.max(
    (mid - Number(ladder.bids[Math.min(AUTO_LEVELS, ladder.bids.length) - 1]![0])) / mid,
    (Number(ladder.asks[Math.min(AUTO_LEVELS, ladder.asks.length) - 1]![0]) - mid) / mid,
  );
  const halfSpread = (bestAsk - mid) / mid;
  const bps = Math.min(Math.max(far * 1.05, halfSpread * 4) * 10_000, AUTO_MAX_BPS);
  return niceBps(bps);
}

/**
 * The labels an axis drew, also kept on the chart's box (data-x-labels, data-y-labels): the canvas
 * holds no text, and this is how tests and assistive tools can read the axis.
 */
function shownLabels(box: HTMLElement, name: 'xLabels' | 'yLabels', labels: string[]): string[] {
  box.dataset[name] = labels.filter(Boolean).join(' | ');
  return labels;
}

/** Price steps for the x axis: whole ticks, 1-2-5 × 10^k of them, so every label is a real price. */
function tickIncrements(tick: number): number[] {
  const out: number[] = [];
  for (let power = 1; power <= 1e9; power *= 10) for (const m of [1, 2, 5]) out.push(Number((tick * m * power).toPrecision(12)));
  return out;
}

/** Chart data on one price axis: bids (left of mid) then asks, cumulative curves and per-bucket bars. */
export function depthSeries(f: DepthFrame): uPlot.AlignedData {
  const n = f.bidSizes.length;
  const x: number[] = [];
  const bidCum: Array<number | null> = [];
  const askCum: Array<number | null> = [];
  const bidBar: Array<number | null> = [];
  const askBar: Array<number | null> = [];
  if (f.mid === null) return [[], [], [], [], []];
  let cum = 0;
  const bidCumOut: number[] = [];
  for (let i = 0; i < n; i++) bidCumOut.push((cum += f.bidSizes[i]!));
  for (let i = n - 1; i >= 0; i--) {
    x.push(f.mid * (1 - ((i + 0.5) * f.bucketBps) / 10_000));
    bidCum.push(bidCumOut[i]!);
    askCum.push(null);
    bidBar.push(f.bidSizes[i]!);
    askBar.push(null);
  }
  cum = 0;
  for (let i = 0; i < n; i++) {
    cum += f.askSizes[i]!;
    x.push(f.mid * (1 + ((i + 0.5) * f.bucketBps) / 10_000));
    bidCum.push(null);
    askCum.push(cum);
    bidBar.push(null);
    askBar.push(f.askSizes[i]!);
  }
  return [x, bidCum, askCum, bidBar, askBar];
}

/** Depth: cumulative size curves and mirrored per-bucket bars (bids left, asks right) within ±range of mid. */
export function DepthPanel({ choice, settings, onSettings }: PanelProps<DepthSettings>) {
  const rangeBps = settings.rangeBps ?? 0;
  const auto = rangeBps === 0;
  const key = choice ? `${choice.venue}:${choice.symbol}` : '';
  const fmt = useMarketFormat(choice);
  // Auto: the range comes from the book's own top levels, and moves only when it is far off (×2.5).
  const ladder = useStream('book.ladder', auto && choice ? { venue: choice.venue, symbol: choice.symbol, depth: AUTO_LEVELS, group: 1 } : null, auto ? `depth-auto:${key}` : '').frame;
  const [autoRange, setAutoRange] = useState<{ key: string; bps: number } | null>(null);
  const proposed = ladder ? autoDepthRange(ladder) : null;
  const current = autoRange?.key === key ? autoRange.bps : null;
  if (auto && proposed !== null && (current === null || proposed / current >= 2.5 || proposed / current <= 0.4)) setAutoRange({ key, bps: proposed });
  const range = auto ? current : rangeBps;
  const params = choice && range ? { venue: choice.venue, symbol: choice.symbol, rangeBps: range, points: POINTS } : null;
  const { frame, error } = useStream('book.depth', params, params ? `${key}:${range}` : '');
  const boxRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const fmtRef = useRef<MarketFormat>(fmt);
  const hasDataRef = useRef(false);
  const { width, height } = useSize(boxRef);
  // The chart is rebuilt in the theme's colours when it changes.
  const palette = usePalette();

  const bidTotal = frame ? frame.bidSizes.reduce((a, b) => a + b, 0) : 0;
  const askTotal = frame ? frame.askSizes.reduce((a, b) => a + b, 0) : 0;
  const hasData = frame !== null && frame.mid !== null && bidTotal + askTotal > 0;

  useEffect(() => {
    fmtRef.current = fmt;
    hasDataRef.current = hasData;
  });

  useEffect(() => {
    const box = boxRef.current;
    if (!box || width === 0 || height === 0) return;
    const bars = uPlot.paths.bars!({ size: [0.9, 40] });
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const axis = { stroke: palette.muted, grid: { stroke: palette.grid, width: 1 }, ticks: { stroke: palette.panelEdge, width: 1 }, font: '11px system-ui' };
    const plot = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        cursor: { y: false, points: { show: false } },
        scales: { x: { time: false }, cum: { range: (_u, _min, max) => [0, Math.max(1e-9, max) * 1.05] }, bar: { range: (_u, _min, max) => [0, Math.max(1e-9, max) * 3] } },
        axes: [
          {
            ...axis,
            size: 30,
            // Labels a price apart by whole ticks, at the instrument's precision, wide enough not to collide.
            space: 90,
            incrs: tickIncrements(fmt.tick),
            values: (_u, splits) => shownLabels(box, 'xLabels', hasDataRef.current ? axisLabels(splits, { minDecimals: fmtRef.current.priceDecimals }) : splits.map(() => '')),
          },
          {
            ...axis,
            scale: 'cum',
            size: 54,
            space: 30,
            values: (_u, splits) => shownLabels(box, 'yLabels', hasDataRef.current ? axisLabels(splits, { compact: true }) : splits.map(() => '')),
          },
          { ...axis, scale: 'bar', side: 1, size: 0, show: false },
        ],
        series: [
          {},
          { label: 'Bid depth', scale: 'cum', stroke: palette.bid, fill: withAlpha(palette.bid, 0.18), width: 1.5, paths: stepped },
          { label: 'Ask depth', scale: 'cum', stroke: palette.ask, fill: withAlpha(palette.ask, 0.18), width: 1.5, paths: stepped },
          { label: 'Bid size', scale: 'bar', fill: withAlpha(palette.bid, 0.55), stroke: 'transparent', paths: bars },
          { label: 'Ask size', scale: 'bar', fill: withAlpha(palette.ask, 0.55), stroke: 'transparent', paths: bars },
        ],
      },
      [[], [], [], [], []],
      box,
    );
    plotRef.current = plot;
    return () => {
      plot.destroy();
      plotRef.current = null;
    };
  }, [width, height, fmt.tick, palette]);

  useEffect(() => {
    if (plotRef.current) plotRef.current.setData(frame && hasData ? depthSeries(frame) : [[], [], [], [], []]);
  }, [frame, hasData, width, height, fmt.tick, palette]);

  const shownRange = frame ? frame.bucketBps * frame.bidSizes.length : range;
  let waiting: string | null = null;
  if (choice && !error && !hasData) {
    const state = frame?.state ?? null;
    waiting = state === 'synced' && frame ? 'No resting size within the range.' : `Waiting for the ${choice.symbol} book${state && state !== 'idle' ? ` (${state === 'buffering' ? 'syncing' : state})` : ''}…`;
  }
  return (
    <div className="chart-panel depth-panel">
      <div className="panel-toolbar">
        <StateBadge state={frame?.state ?? null} />
        <NumberSelect
          label="Range"
          name="Depth range around mid in basis points"
          value={rangeBps}
          options={RANGE_CHOICES}
          format={(n) => (n === 0 ? (auto && current ? `auto (±${formatCompact(current)} bps)` : 'auto') : `±${n} bps`)}
          onChange={(n) => onSettings({ rangeBps: n })}
        />
        {hasData && (
          <span className="panel-meta" aria-label="Depth within range">
            <span className="bid-text">bids {formatQuantity(bidTotal, fmt.sizeDecimals)}</span> ·{' '}
            <span className="ask-text">asks {withUnit(formatQuantity(askTotal, fmt.sizeDecimals), fmt.base)}</span> within ±{formatCompact(shownRange)} bps
          </span>
        )}
      </div>
      <StreamProblem error={error} choice={choice} />
      <div className="chart-box" ref={boxRef} role="img" aria-label={choice ? `Depth chart for ${choice.symbol}` : 'Depth chart'}>
        {waiting && <p className="chart-empty">{waiting}</p>}
      </div>
    </div>
  );
}
