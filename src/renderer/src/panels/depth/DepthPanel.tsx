import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ContractErrorInfo, DepthFrame } from '../../../../shared/contract';
import { getApi } from '../../api';
import { NumberSelect, StreamProblem } from '../../components/PanelControls';
import { StateBadge } from '../../components/StateBadge';
import { axisLabels, formatCompact, formatQuantity, withUnit } from '../../format';
import { useMarketFormat, type MarketFormat } from '../../hooks/useMarketFormat';
import { useFrameJob } from '../../hooks/useFrameJob';
import { mirrorCanvas, type CanvasMirror } from '../canvas-mirror';
import { pacedDraw } from '../paced-draw';
import { useSize } from '../../hooks/useSize';
import { withAlpha } from '../../theme/palette';
import { usePalette } from '../../theme/theme';
import type { PanelProps } from '../types';
import { depthSeries, emptyColumns, type DepthColumns } from './depth-series';
import { AUTO_LEVELS, depthReachBps, nextAutoRange } from './auto-range';

export interface DepthSettings {
  rangeBps: number;
}

const RANGE_CHOICES = [0, 5, 10, 25, 50, 100, 250, 500, 1000];
const POINTS = 80;
/**
 * New frames are drawn at most this often (ten a second): the chart is redrawn whole each time, and
 * handing a large canvas to the compositor cost several milliseconds a draw without a GPU.
 */
const DEPTH_DRAW_MS = 100;
/**
 * The labels an axis drew, also kept on the chart's box (data-x-labels, data-y-labels): the canvas
 * holds no text, and this is how tests and assistive tools can read the axis.
 */
function shownLabels(box: HTMLElement, name: 'xLabels' | 'yLabels', labels: string[]): string[] {
  const text = labels.filter(Boolean).join(' | ');
  // Written only when it changes: the axes are redrawn with every frame.
  if (box.dataset[name] !== text) box.dataset[name] = text;
  return labels;
}

/** Price steps for the x axis: whole ticks, 1-2-5 × 10^k of them, so every label is a real price. */
function tickIncrements(tick: number): number[] {
  const out: number[] = [];
  for (let power = 1; power <= 1e9; power *= 10) for (const m of [1, 2, 5]) out.push(Number((tick * m * power).toPrecision(12)));
  return out;
}

/** What the toolbar and the empty-chart note show: changes far less often than the chart. */
interface DepthStatus {
  key: string;
  state: DepthFrame['state'] | null;
  hasData: boolean;
  /** The range the frames cover (bps), as the main process chose it. */
  shownRange: number | null;
}

function hasDepth(f: DepthFrame): boolean {
  if (f.mid === null) return false;
  for (const s of f.bidSizes) if (s > 0) return true;
  for (const s of f.askSizes) if (s > 0) return true;
  return false;
}

function sum(values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/**
 * Depth: cumulative size curves and mirrored per-bucket bars (bids left, asks right) within ±range of mid.
 * Frames go straight to the chart, drawn at most once per animation frame, and the totals are written
 * into their spans: React renders only when the state, the range or the presence of data changes.
 */
export function DepthPanel({ choice, settings, onSettings }: PanelProps<DepthSettings>) {
  const rangeBps = settings.rangeBps ?? 0;
  const auto = rangeBps === 0;
  const key = choice ? `${choice.venue}:${choice.symbol}` : '';
  const fmt = useMarketFormat(choice);
  // Auto: the range comes from the book's own top levels, and moves only when it is well off (auto-range.ts).
  const [autoRange, setAutoRange] = useState<{ key: string; bps: number } | null>(null);
  const current = autoRange?.key === key ? autoRange.bps : null;
  useEffect(() => {
    if (!auto || !choice) return;
    let held: number | null = null;
    return getApi().subscribe('book.ladder', { venue: choice.venue, symbol: choice.symbol, depth: AUTO_LEVELS, group: 1 }, (ladder) => {
      const reach = depthReachBps(ladder);
      if (reach === null) return;
      const next = nextAutoRange(held, reach);
      if (next === held) return;
      held = next;
      setAutoRange({ key, bps: next });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [auto, key]);
  const range = auto ? current : rangeBps;
  const streamKey = choice && range ? `${key}:${range}` : '';

  const boxRef = useRef<HTMLDivElement>(null);
  const bidTotalRef = useRef<HTMLSpanElement>(null);
  const askTotalRef = useRef<HTMLSpanElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const fmtRef = useRef<MarketFormat>(fmt);
  const hasDataRef = useRef(false);
  /** The newest frame not yet drawn (null once drawn). */
  const pendingRef = useRef<DepthFrame | null>(null);
  /** The last frame drawn, redrawn when the chart is rebuilt (resize, theme, tick). */
  const lastFrameRef = useRef<DepthFrame | null>(null);
  const columnsRef = useRef<DepthColumns>(emptyColumns());
  const [status, setStatus] = useState<DepthStatus | null>(null);
  const [error, setError] = useState<{ key: string; error: ContractErrorInfo } | null>(null);
  const { width, height } = useSize(boxRef);
  // The chart is rebuilt in the theme's colours when it changes.
  const palette = usePalette();

  useEffect(() => {
    fmtRef.current = fmt;
  });

  /** Put the newest frame on the chart and the totals in the toolbar. */
  const draw = () => {
    const frame = pendingRef.current;
    pendingRef.current = null;
    if (!frame) return;
    lastFrameRef.current = frame;
    const hasData = hasDepth(frame);
    hasDataRef.current = hasData;
    const plot = plotRef.current;
    // In a batch, uPlot redraws now, inside this frame job's time (on its own it redraws in a microtask
    // after the frame loop, where the loop's budget cannot see it).
    if (plot) plot.batch(() => plot.setData(hasData ? depthSeries(frame, columnsRef.current) : [[], [], [], [], []]));
    const f = fmtRef.current;
    const bidText = `bids ${formatQuantity(sum(frame.bidSizes), f.sizeDecimals)}`;
    const askText = `asks ${withUnit(formatQuantity(sum(frame.askSizes), f.sizeDecimals), f.base)}`;
    if (bidTotalRef.current && bidTotalRef.current.textContent !== bidText) bidTotalRef.current.textContent = bidText;
    if (askTotalRef.current && askTotalRef.current.textContent !== askText) askTotalRef.current.textContent = askText;
    const shownRange = frame.bucketBps * frame.bidSizes.length;
    setStatus((s) => (s && s.key === streamKey && s.state === frame.state && s.hasData === hasData && s.shownRange === shownRange ? s : { key: streamKey, state: frame.state, hasData, shownRange }));
  };
  const drawJob = useFrameJob(draw);
  const [dataDraw] = useState(() => pacedDraw(drawJob, DEPTH_DRAW_MS));

  useEffect(() => {
    if (!choice || !range) return;
    const off = getApi().subscribe(
      'book.depth',
      { venue: choice.venue, symbol: choice.symbol, rangeBps: range, points: POINTS },
      (frame) => {
        pendingRef.current = frame;
        dataDraw.request();
      },
      (e) => setError({ key: streamKey, error: e }),
    );
    return () => {
      off();
      dataDraw.cancel();
      pendingRef.current = null;
      lastFrameRef.current = null;
      hasDataRef.current = false;
      plotRef.current?.setData([[], [], [], [], []]);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [streamKey]);

  // The chart is built once per tick size and theme, and resized in place: rebuilding it whenever the
  // box changed height (a status line coming and going above it, as a replay restarts) cost a new
  // canvas and a full redraw several times a second.
  const sizeRef = useRef({ width, height });
  const hasSize = width > 0 && height > 0;
  // Declared before the build below, so a first size is in sizeRef when the chart is built.
  useEffect(() => {
    sizeRef.current = { width, height };
    if (width > 0 && height > 0) plotRef.current?.setSize({ width, height });
  }, [width, height]);
  useEffect(() => {
    const box = boxRef.current;
    const { width, height } = sizeRef.current;
    if (!box || width === 0 || height === 0) return;
    const bars = uPlot.paths.bars!({ size: [0.9, 40] });
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const axis = { stroke: palette.muted, grid: { stroke: palette.grid, width: 1 }, ticks: { stroke: palette.panelEdge, width: 1 }, font: '11px system-ui' };
    let mirror: CanvasMirror | null = null;
    const plot = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        hooks: { draw: [() => mirror?.copy()] },
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
    // What is seen is a copy of uPlot's canvas on one that sends its frames to the compositor itself
    // (canvas-mirror.ts): the page's commit no longer carries the chart's pixels.
    mirror = mirrorCanvas(plot.ctx.canvas);
    mirror.copy();
    plotRef.current = plot;
    // A rebuilt chart shows the last frame at once, not after the next one arrives.
    if (!pendingRef.current && lastFrameRef.current) pendingRef.current = lastFrameRef.current;
    drawJob.runNow();
    return () => {
      plot.destroy();
      plotRef.current = null;
    };
  }, [hasSize, fmt.tick, palette, drawJob]);

  const shown = status?.key === streamKey ? status : null;
  const streamError = error?.key === streamKey ? error.error : null;
  const hasData = shown?.hasData ?? false;
  const shownRange = shown?.shownRange ?? range;
  let waiting: string | null = null;
  if (choice && !streamError && !hasData) {
    const state = shown?.state ?? null;
    waiting = state === 'synced' ? 'No resting size within the range.' : `Waiting for the ${choice.symbol} book${state && state !== 'idle' ? ` (${state === 'buffering' ? 'syncing' : state})` : ''}…`;
  }
  return (
    <div className="chart-panel depth-panel">
      <div className="panel-toolbar">
        <StateBadge state={shown?.state ?? null} />
        <NumberSelect
          label="Range"
          name="Depth range around mid in basis points"
          value={rangeBps}
          options={RANGE_CHOICES}
          format={(n) => (n === 0 ? (auto && current ? `auto (±${formatCompact(current)} bps)` : 'auto') : `±${n} bps`)}
          onChange={(n) => onSettings({ rangeBps: n })}
        />
        {/* Kept in the DOM (hidden without data) so the totals can be written between renders. */}
        <span className="panel-meta" aria-label="Depth within range" hidden={!hasData}>
          <span className="bid-text" ref={bidTotalRef} /> · <span className="ask-text" ref={askTotalRef} /> within ±{formatCompact(shownRange ?? 0)} bps
        </span>
      </div>
      <StreamProblem error={streamError} choice={choice} />
      <div className="chart-box" ref={boxRef} role="img" aria-label={choice ? `Depth chart for ${choice.symbol}` : 'Depth chart'}>
        {waiting && <p className="chart-empty">{waiting}</p>}
      </div>
    </div>
  );
}
