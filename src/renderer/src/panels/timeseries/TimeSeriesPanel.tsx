import { useEffect, useRef, useState } from 'react';
import {
  ColorType,
  createChart,
  HistogramSeries,
  LineSeries,
  type BarPrice,
  type IChartApi,
  type ISeriesApi,
  type MouseEventParams,
  type PriceFormatCustom,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { SeriesFrame } from '../../../../shared/analytics';
import type { ContractErrorInfo, TopOfBookFrame, TopOfBookPoint, TradePrint } from '../../../../shared/contract';
import type { VenueId } from '../../../../shared/market';
import { getApi } from '../../api';
import { NumberSelect } from '../../components/PanelControls';
import { axisLabels, formatBps, formatCount, formatPrice, formatQuantity, formatSigned, withUnit } from '../../format';
import { useMarketFormat, type MarketFormat } from '../../hooks/useMarketFormat';
import { withAlpha, type Palette } from '../../theme/palette';
import { currentPalette, usePalette } from '../../theme/theme';
import { frameJob, leaveNextFrame } from '../frame-jobs';
import { flowOver, flowsFromSeries, flowsFromTrades, gridTimesOf, type SecondFlow, type SpanFlow } from './flow';

/** The chart's theme-dependent options (applied at creation and again when the theme changes). */
function chartColours(p: Palette) {
  return {
    layout: { background: { type: ColorType.Solid, color: p.panel }, textColor: p.muted, panes: { separatorColor: p.panelEdge } },
    grid: { vertLines: { color: p.grid }, horzLines: { color: p.grid } },
    rightPriceScale: { borderColor: p.panelEdge },
    timeScale: { borderColor: p.panelEdge },
  };
}
import type { PanelProps } from '../types';

export interface TimeSeriesSettings {
  windowSec: number;
  /** The per-second VWAP of trades as a line on the price pane (default on). */
  vwap?: boolean;
}

/** Visible windows the user picks from, and the point spacing used for each (about 600–3,600 points). */
const WINDOWS: Array<{ sec: number; label: string; bucketMs: number }> = [
  { sec: 60, label: '1 min', bucketMs: 100 },
  { sec: 300, label: '5 min', bucketMs: 250 },
  { sec: 900, label: '15 min', bucketMs: 500 },
  { sec: 3600, label: '1 h', bucketMs: 1000 },
  { sec: 4 * 3600, label: '4 h', bucketMs: 5000 },
];
const DEFAULT_WINDOW_SEC = 300;
/** Points kept per series: three windows' worth, so the user can scroll back a little. */
const KEEP_WINDOWS = 3;
/** Store pages read when the panel opens (20,000 rows each, the store's limit per call). */
const HISTORY_PAGES = 10;

interface Point {
  t: number;
  bid: number | null;
  ask: number | null;
}

interface Chart {
  chart: IChartApi;
  /** Whether any trade volume has reached the volume pane (an empty one shows no scale). */
  hasVolume: boolean;
  bid: ISeriesApi<'Line'>;
  ask: ISeriesApi<'Line'>;
  mid: ISeriesApi<'Line'>;
  spread: ISeriesApi<'Line'>;
  vwap: ISeriesApi<'Line'>;
  /** The volume pane: taker buys up (with unknown-side volume stacked above them), taker sells down. */
  buyUp: ISeriesApi<'Histogram'>;
  otherUp: ISeriesApi<'Histogram'>;
  sellDown: ISeriesApi<'Histogram'>;
  /** Completed seconds of trades by start time (live from analytics.series, earlier from the store). */
  seconds: Map<number, SecondFlow>;
  /** The newest second in `seconds` from the live series (0 before the first). */
  lastSecond: number;
  /** Seconds not yet handed to the chart, oldest first. */
  pendingSeconds: SecondFlow[];
  /** The latest time on the volume pane (chart seconds). */
  flowLastTime: number;
  /** One point per bucket, gaps filled with the last value, so the time axis is even. */
  points: Point[];
  bucketMs: number;
  /** Points in `points` not yet handed to the chart (see FLUSH_MS), oldest first. */
  pending: Point[];
  flushTimer: ReturnType<typeof setTimeout> | null;
}

/**
 * The chart redraws every pane on each update (3–7 ms without a GPU), and frames come 20 times a
 * second: their points are handed to it at most this often (half a second's frames at once), which
 * the eye cannot tell from every frame on a chart of minutes.
 */
const FLUSH_MS = 500;

function toTime(ms: number): UTCTimestamp {
  return (ms / 1000) as UTCTimestamp;
}

/**
 * Points on an even grid of `bucketMs`: the last value in each bucket, and buckets with no change
 * carry the previous value forward (the chart's time axis spaces points evenly by index, so an
 * uneven series would squeeze quiet minutes and stretch busy seconds).
 */
export function onGrid(points: Point[], bucketMs: number, after: Point | null = null, maxPoints = Infinity): Point[] {
  const out: Point[] = [];
  let last = after;
  for (const p of points) {
    const bucket = Math.floor(p.t / bucketMs) * bucketMs;
    if (last && bucket <= last.t) {
      // Same bucket as the last point: the newer value wins.
      if (bucket === last.t) {
        if (out.length > 0) out[out.length - 1] = { t: bucket, bid: p.bid, ask: p.ask };
        else out.push({ t: bucket, bid: p.bid, ask: p.ask });
        last = out[out.length - 1]!;
      }
      continue;
    }
    if (last) {
      const gap = Math.min((bucket - last.t) / bucketMs - 1, maxPoints);
      for (let i = gap; i >= 1; i--) out.push({ t: bucket - i * bucketMs, bid: last.bid, ask: last.ask });
    }
    last = { t: bucket, bid: p.bid, ask: p.ask };
    out.push(last);
  }
  return out;
}

/** Points in time order with one per time (a later duplicate replaces the earlier). */
function dedupe(points: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    if (out.length > 0 && out[out.length - 1]!.t >= p.t) {
      if (out[out.length - 1]!.t === p.t) out[out.length - 1] = p;
      continue;
    }
    out.push(p);
  }
  return out;
}

function mid(p: Point): number | null {
  return p.bid !== null && p.ask !== null ? (p.bid + p.ask) / 2 : null;
}

function spread(p: Point): number | null {
  return p.bid !== null && p.ask !== null ? p.ask - p.bid : null;
}

function setAll(c: Chart): void {
  // Every point goes in now: a pending one appended after would be older than the chart's last.
  c.pending = [];
  const pick = (f: (p: Point) => number | null) =>
    c.points.flatMap((p) => {
      const v = f(p);
      return v === null ? [] : [{ time: toTime(p.t), value: v }];
    });
  c.bid.setData(pick((p) => p.bid));
  c.ask.setData(pick((p) => p.ask));
  c.mid.setData(pick(mid));
  c.spread.setData(pick(spread));
  setAllFlow(c);
}

/** The flow drawn at one grid time (the span's volumes, VWAP). */
interface FlowPoint {
  time: UTCTimestamp;
  span: SpanFlow;
}

/** Flow points for the given seconds (ascending), on the price grid and not before its first point. */
function flowPoints(c: Chart, seconds: Iterable<SecondFlow>): FlowPoint[] {
  const first = c.points[0]?.t ?? Infinity;
  const out: FlowPoint[] = [];
  let last = -Infinity;
  for (const s of seconds) {
    for (const t of gridTimesOf(s.t, c.bucketMs)) {
      // Never before the price grid starts: a time there would squeeze the axis's even spacing.
      if (t < first) continue;
      const span = flowOver(c.seconds, t, c.bucketMs);
      // Seconds sharing one point (points of several seconds) write it once, with all of them.
      if (t === last) out[out.length - 1] = { time: toTime(t), span };
      else out.push({ time: toTime(t), span });
      last = t;
    }
  }
  return out;
}

function hasTraded(p: { span: { buy: number; sell: number; other: number } }): boolean {
  return p.span.buy + p.span.sell + p.span.other > 0;
}

function setAllFlow(c: Chart): void {
  c.pendingSeconds = [];
  const points = flowPoints(c, [...c.seconds.values()].sort((a, b) => a.t - b.t));
  c.flowLastTime = points.at(-1)?.time ?? 0;
  c.hasVolume ||= points.some(hasTraded);
  c.buyUp.setData(points.map((p) => ({ time: p.time, value: p.span.buy })));
  c.otherUp.setData(points.map((p) => ({ time: p.time, value: p.span.buy + p.span.other })));
  c.sellDown.setData(points.map((p) => ({ time: p.time, value: -p.span.sell })));
  c.vwap.setData(points.flatMap((p) => (p.span.vwap === null ? [] : [{ time: p.time, value: p.span.vwap }])));
}

/** Hand the seconds that completed since the last flush to the chart (always after the ones it has). */
function appendFlow(c: Chart): void {
  const points = flowPoints(c, c.pendingSeconds);
  // The chart takes updates only at or after a series' last time: anything older redraws the pane.
  if (points.length > 0 && points[0]!.time < c.flowLastTime) {
    setAllFlow(c);
    return;
  }
  c.pendingSeconds = [];
  if (points.length > 0) c.flowLastTime = points.at(-1)!.time;
  c.hasVolume ||= points.some(hasTraded);
  for (const p of points) {
    c.buyUp.update({ time: p.time, value: p.span.buy });
    c.otherUp.update({ time: p.time, value: p.span.buy + p.span.other });
    c.sellDown.update({ time: p.time, value: -p.span.sell });
    if (p.span.vwap !== null) c.vwap.update({ time: p.time, value: p.span.vwap });
  }
}

function append(c: Chart, p: Point): void {
  const time = toTime(p.t);
  if (p.bid !== null) c.bid.update({ time, value: p.bid });
  if (p.ask !== null) c.ask.update({ time, value: p.ask });
  const m = mid(p);
  const s = spread(p);
  if (m !== null) c.mid.update({ time, value: m });
  if (s !== null) c.spread.update({ time, value: s });
}

/**
 * Price formats for the chart: labels at the instrument's precision, axis labels distinct. The labels
 * a price axis drew are also kept on the chart's box (data-price-labels, data-spread-labels): the
 * canvas holds no text, and this is how tests and assistive tools can read the axis.
 */
function priceFormat(decimals: number, tick: number, box: HTMLElement | null, name?: 'priceLabels' | 'spreadLabels'): PriceFormatCustom {
  return {
    type: 'custom',
    minMove: tick,
    formatter: (p: BarPrice) => formatPrice(p, decimals),
    tickmarksFormatter: (prices: BarPrice[]) => {
      const labels = axisLabels(prices, { minDecimals: decimals });
      if (box && name) box.dataset[name] = labels.join(' | ');
      return labels;
    },
  };
}

/** Stored rows of [from, to), following the store's pages (oldest first, 20,000 a call). */
async function loadHistory(venue: VenueId, symbol: string, from: number, to: number): Promise<Point[]> {
  const out: Point[] = [];
  let start = from;
  for (let page = 0; page < HISTORY_PAGES; page++) {
    const r = await getApi().invoke('store.topOfBook', { venue, symbol, from: start, to, limit: 20_000 });
    for (const row of r.rows) out.push({ t: row.localTs, bid: row.bid === null ? null : Number(row.bid), ask: row.ask === null ? null : Number(row.ask) });
    const last = r.rows.at(-1);
    if (!r.truncated || !last) break;
    start = Math.floor(last.localTs) + 1;
  }
  return out;
}

/** Recorded trades of [from, to) summed per second, following the store's pages like loadHistory. */
async function loadTradeHistory(venue: VenueId, symbol: string, from: number, to: number): Promise<SecondFlow[]> {
  const rows: TradePrint[] = [];
  let start = from;
  for (let page = 0; page < HISTORY_PAGES; page++) {
    const r = await getApi().invoke('store.trades', { venue, symbol, from: start, to, limit: 20_000 });
    rows.push(...r.rows);
    const last = r.rows.at(-1);
    if (!r.truncated || !last) break;
    start = Math.floor(last.localTs) + 1;
  }
  return flowsFromTrades(rows);
}

/** Seconds of the per-second series a frame carries: the visible window, at least three minutes, at most ten. */
function seriesSeconds(windowSec: number): number {
  return Math.min(600, Math.max(180, windowSec));
}

/**
 * Bid, ask and mid as lines (with the per-second VWAP of trades), the spread in its own pane below, and
 * traded volume below that (taker buys up, taker sells down), over a window the user picks (1 min to
 * 4 h) filled from the recorded history; hover for the values at a moment. Zoom and pan with mouse or
 * trackpad. Frames go straight to the chart (no React render per frame).
 */
export function TimeSeriesPanel({ choice, settings, onSettings }: PanelProps<TimeSeriesSettings>) {
  const windowSec = WINDOWS.some((w) => w.sec === settings.windowSec) ? settings.windowSec! : DEFAULT_WINDOW_SEC;
  const bucketMs = WINDOWS.find((w) => w.sec === windowSec)!.bucketMs;
  const showVwap = settings.vwap ?? true;
  const key = choice ? `${choice.venue}:${choice.symbol}` : '';
  const fmt = useMarketFormat(choice);
  const fmtRef = useRef<MarketFormat>(fmt);
  const boxRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLSpanElement>(null);
  const flowLegendRef = useRef<HTMLSpanElement>(null);
  const chartRef = useRef<Chart | null>(null);
  // Tagged with the book and window it is about, so a switch never shows the previous one's note.
  const [note, setNoteFor] = useState<{ key: string; text: string } | null>(null);
  const [error, setError] = useState<{ key: string; error: ContractErrorInfo } | null>(null);
  const noteKey = `${key}:${windowSec}`;
  const streamError = error?.key === key ? error.error : null;

  useEffect(() => {
    fmtRef.current = fmt;
  });

  /** Spans made once in `el`, their text set only when it changes (this runs with every flush). */
  const fillSpans = (el: HTMLElement | null, parts: Array<[string, string]>) => {
    if (!el) return;
    if (el.children.length !== parts.length) {
      el.textContent = '';
      for (const [cls] of parts) {
        const span = document.createElement('span');
        if (cls) span.className = cls;
        el.append(span);
      }
    }
    parts.forEach(([, text], i) => {
      const span = el.children[i]!;
      if (span.textContent !== text) span.textContent = text;
    });
  };

  /** The legend: values under the cursor, or the latest when the cursor is away. */
  const showLegend = (p: Point | null) => {
    const el = legendRef.current;
    if (!el) return;
    const f = fmtRef.current;
    if (!p) {
      el.textContent = '';
      return;
    }
    const m = mid(p);
    const s = spread(p);
    const time = new Date(p.t).toLocaleTimeString('en-GB', { hour12: false });
    fillSpans(el, [
      ['muted', time],
      ['bid-text', `bid ${formatPrice(p.bid, f.priceDecimals)}`],
      ['ask-text', `ask ${formatPrice(p.ask, f.priceDecimals)}`],
      ['', `mid ${withUnit(formatPrice(m, f.priceDecimals + 1), f.quote)}`],
      ['warn-text', `spread ${formatPrice(s, f.priceDecimals)}${m && s !== null ? ` · ${formatBps((s / m) * 10_000)}` : ''}`],
    ]);
  };

  /** The traded flow of one point (per second, or per point when points are longer), beside the prices. */
  const showFlowLegend = (span: SpanFlow | null, bucket: number) => {
    const el = flowLegendRef.current;
    if (!el) return;
    const f = fmtRef.current;
    if (!span) {
      el.textContent = '';
      return;
    }
    const per = bucket > 1000 ? `/${bucket / 1000}s` : '/s';
    fillSpans(el, [
      ['', `vol${per} ${withUnit(formatQuantity(span.volume, f.sizeDecimals), f.base)}`],
      ['bid-text', `buy ${formatQuantity(span.buy, f.sizeDecimals)}`],
      ['ask-text', `sell ${formatQuantity(span.sell, f.sizeDecimals)}`],
      ['muted', `${formatCount(span.trades)} trade${span.trades === 1 ? '' : 's'}`],
      ['', `imb ${formatSigned(span.imbalance, (v) => v.toFixed(2))}`],
      ['accent-text', `vwap ${formatPrice(span.vwap, f.priceDecimals + 1)}`],
    ]);
  };

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const chart = createChart(box, {
      autoSize: true,
      ...chartColours(currentPalette()),
      layout: { ...chartColours(currentPalette()).layout, fontSize: 11, attributionLogo: false },
      rightPriceScale: { borderColor: currentPalette().panelEdge, minimumWidth: 64 },
      timeScale: { borderColor: currentPalette().panelEdge, timeVisible: true, secondsVisible: windowSec <= 900, rightOffset: 2, minBarSpacing: 0.01 },
      crosshair: { mode: 0 },
    });
    // No value tags on the price axis: three tags within a tick of each other hid the axis labels.
    // The legend above the chart carries the latest values instead.
    const line = (color: string, width: 1 | 2, pane = 0) =>
      chart.addSeries(LineSeries, { color, lineWidth: width, priceLineVisible: false, lastValueVisible: false, lineType: 1 }, pane);
    const histogram = (color: string) => chart.addSeries(HistogramSeries, { color, priceLineVisible: false, lastValueVisible: false, base: 0 }, 2);
    const p0 = currentPalette();
    const c: Chart = {
      chart,
      hasVolume: false,
      bid: line(p0.bid, 2),
      ask: line(p0.ask, 2),
      mid: line(p0.muted, 1),
      spread: line(p0.warn, 1, 1),
      vwap: line(p0.accent, 1),
      // Unknown-side volume is drawn first, as the part of the up bar above the taker buys.
      otherUp: histogram(withAlpha(p0.muted, 0.6)),
      buyUp: histogram(p0.bid),
      sellDown: histogram(p0.ask),
      seconds: new Map(),
      lastSecond: 0,
      pendingSeconds: [],
      flowLastTime: 0,
      points: [],
      bucketMs,
      pending: [],
      flushTimer: null,
    };
    c.vwap.applyOptions({ lineStyle: 2, visible: showVwap });
    // The spread pane starts at zero: a constant one-tick spread is a flat line above the floor, not
    // the middle of an invented ±0.05 range.
    c.spread.applyOptions({
      autoscaleInfoProvider: (original: () => { priceRange: { minValue: number; maxValue: number } } | null) => {
        const r = original();
        return r ? { priceRange: { minValue: 0, maxValue: r.priceRange.maxValue * 1.25 } } : null;
      },
    });
    chartRef.current = c;
    // Shares of the height (kept as the panel is resized): prices, spread, volume.
    const panes = chart.panes();
    panes[0]?.setStretchFactor(1);
    panes[1]?.setStretchFactor(0.3);
    panes[2]?.setStretchFactor(0.4);
    const showLatest = () => {
      const last = c.points.at(-1) ?? null;
      showLegend(last);
      showFlowLegend(c.lastSecond > 0 ? flowOver(c.seconds, c.lastSecond, c.bucketMs) : null, c.bucketMs);
    };
    const onMove = (param: MouseEventParams) => {
      if (param.time === undefined || !param.seriesData) {
        showLatest();
        return;
      }
      const value = (s: ISeriesApi<'Line'>) => {
        const d = param.seriesData.get(s) as { value?: number } | undefined;
        return d?.value ?? null;
      };
      const t = (param.time as number) * 1000;
      showLegend({ t, bid: value(c.bid), ask: value(c.ask) });
      showFlowLegend(flowOver(c.seconds, t, c.bucketMs), c.bucketMs);
    };
    chart.subscribeCrosshairMove(onMove);

    const flush = () => {
      c.flushTimer = null;
      const first = c.points.length > 0 && c.points.length === c.pending.length;
      for (const p of c.pending) append(c, p);
      c.pending = [];
      const max = (KEEP_WINDOWS * windowSec * 1000) / c.bucketMs;
      if (c.points.length > max * 1.2) {
        c.points = c.points.slice(-max);
        const from = c.points[0]!.t;
        for (const t of c.seconds.keys()) if (t < from) c.seconds.delete(t);
        setAll(c);
      } else if (first) {
        // Seconds that came before the first price point could not be placed until now.
        setAllFlow(c);
      } else {
        appendFlow(c);
      }
      showLatest();
      // The chart paints what it was given in the next frame, on its own.
      leaveNextFrame();
    };
    // The flush runs in the shared frame loop (inside its budget, not in the same frame as other panels' draws).
    const flushJob = frameJob(flush);
    const schedule = () => {
      if (c.flushTimer === null) c.flushTimer = setTimeout(() => flushJob.request(), FLUSH_MS);
    };

    const onTop = (frame: TopOfBookFrame) => {
      const fresh = onGrid(
        frame.points.map((p: TopOfBookPoint) => ({ t: p.t, bid: p.bid, ask: p.ask })),
        c.bucketMs,
        c.points.at(-1) ?? null,
        (windowSec * 1000) / c.bucketMs,
      );
      const first = c.points.length === 0;
      for (const p of fresh) {
        // A point in the last bucket replaces it (the chart's update does the same).
        const last = c.points.at(-1);
        if (last && p.t === last.t) c.points[c.points.length - 1] = p;
        else c.points.push(p);
        const lastPending = c.pending.at(-1);
        if (lastPending && p.t === lastPending.t) c.pending[c.pending.length - 1] = p;
        else c.pending.push(p);
      }
      if (first && c.points.length > 0) {
        flush();
        fitWindow(c, windowSec);
      } else if (c.pending.length > 0) {
        schedule();
      }
    };

    const onSeries = (frame: SeriesFrame) => {
      const fresh = flowsFromSeries(frame, c.lastSecond);
      if (fresh.length === 0) return;
      for (const s of fresh) c.seconds.set(s.t, s);
      c.pendingSeconds.push(...fresh);
      c.lastSecond = fresh.at(-1)!.t;
      schedule();
    };

    let cancelled = false;
    const unsubscribe: Array<() => void> = [];
    if (choice) {
      const params = { venue: choice.venue, symbol: choice.symbol };
      const failed = (e: ContractErrorInfo) => {
        if (!cancelled) setError({ key, error: e });
      };
      unsubscribe.push(getApi().subscribe('book.top', params, onTop, failed));
      unsubscribe.push(getApi().subscribe('analytics.series', { ...params, seconds: seriesSeconds(windowSec) }, onSeries, failed));
      // Fill the window from what the store recorded before the panel opened (the live streams cover the rest).
      const now = Date.now();
      const from = now - windowSec * 1000 * KEEP_WINDOWS;
      Promise.all([loadHistory(choice.venue, choice.symbol, from, now), loadTradeHistory(choice.venue, choice.symbol, from, now).catch(() => [] as SecondFlow[])])
        .then(([rows, tradeSeconds]) => {
          if (cancelled || chartRef.current !== c) return;
          const firstLive = c.points[0]?.t ?? Infinity;
          const history = onGrid(
            rows.filter((p) => p.t < firstLive),
            bucketMs,
          );
          if (history.length === 0) {
            setNoteFor({ key: noteKey, text: 'no recorded history yet' });
            return;
          }
          const live = c.points;
          c.points = dedupe([...history, ...onGrid(live, bucketMs, history.at(-1)!)]);
          // The live series wins for the seconds it has; the store fills the ones before it.
          const firstLiveSecond = Math.min(...c.seconds.keys(), Infinity);
          for (const s of tradeSeconds) if (s.t < firstLiveSecond) c.seconds.set(s.t, s);
          setAll(c);
          fitWindow(c, windowSec);
          showLatest();
          setNoteFor({ key: noteKey, text: `${formatCount(rows.length)} points of recorded history` });
        })
        .catch((e: Error) => {
          if (!cancelled) setNoteFor({ key: noteKey, text: `no recorded history (${e.message})` });
        });
    }
    return () => {
      cancelled = true;
      for (const off of unsubscribe) off();
      chart.unsubscribeCrosshairMove(onMove);
      if (c.flushTimer !== null) clearTimeout(c.flushTimer);
      flushJob.cancel();
      chart.remove();
      chartRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, windowSec]);

  // The instrument's precision may arrive after the chart was made (learned from the book).
  useEffect(() => {
    const c = chartRef.current;
    if (!c) return;
    const box = boxRef.current;
    // The bid series leads the upper price axis (it was added first); the spread leads the lower one.
    c.bid.applyOptions({ priceFormat: priceFormat(fmt.priceDecimals, fmt.tick, box, 'priceLabels') });
    c.ask.applyOptions({ priceFormat: priceFormat(fmt.priceDecimals, fmt.tick, box) });
    c.mid.applyOptions({ priceFormat: priceFormat(fmt.priceDecimals + 1, fmt.tick / 10, box) });
    c.vwap.applyOptions({ priceFormat: priceFormat(fmt.priceDecimals + 1, fmt.tick / 10, box) });
    c.spread.applyOptions({ priceFormat: priceFormat(fmt.priceDecimals, fmt.tick, box, 'spreadLabels') });
    const volume = volumeFormat(fmt.sizeDecimals, box, () => chartRef.current?.hasVolume ?? false);
    c.otherUp.applyOptions({ priceFormat: volume });
    c.buyUp.applyOptions({ priceFormat: volume });
    c.sellDown.applyOptions({ priceFormat: volume });
  }, [fmt.priceDecimals, fmt.tick, fmt.sizeDecimals, key, windowSec]);

  useEffect(() => {
    chartRef.current?.vwap.applyOptions({ visible: showVwap });
  }, [showVwap, key, windowSec]);

  // The theme changed: recolour the chart in place (its data and zoom stay).
  const palette = usePalette();
  useEffect(() => {
    const c = chartRef.current;
    if (!c) return;
    c.chart.applyOptions(chartColours(palette));
    c.bid.applyOptions({ color: palette.bid });
    c.ask.applyOptions({ color: palette.ask });
    c.mid.applyOptions({ color: palette.muted });
    c.spread.applyOptions({ color: palette.warn });
    c.vwap.applyOptions({ color: palette.accent });
    c.otherUp.applyOptions({ color: withAlpha(palette.muted, 0.6) });
    c.buyUp.applyOptions({ color: palette.bid });
    c.sellDown.applyOptions({ color: palette.ask });
  }, [palette, key, windowSec]);

  return (
    <div className="chart-panel timeseries-panel">
      <div className="panel-toolbar">
        <NumberSelect
          label="Window"
          name="Time series window"
          value={windowSec}
          options={WINDOWS.map((w) => w.sec)}
          format={(n) => WINDOWS.find((w) => w.sec === n)!.label}
          onChange={(n) => onSettings({ windowSec: n })}
        />
        <label title="Volume-weighted average price of each second's trades, on the price pane">
          <input type="checkbox" checked={showVwap} onChange={(e) => onSettings({ vwap: e.target.checked })} aria-label="Show VWAP" />
          VWAP
        </label>
        <span className="legend ts-legend" ref={legendRef} aria-label="Values" />
        {note?.key === noteKey && (
          <span className="panel-meta" aria-label="History">
            {note.text}
          </span>
        )}
      </div>
      {streamError && (
        <p className="error-state" role="alert">
          {streamError.message}
        </p>
      )}
      {!choice && <p className="empty-state">Pick a symbol.</p>}
      <div className="chart-box" ref={boxRef} role="img" aria-label={choice ? `Bid, ask and mid over time for ${choice.symbol}` : 'Time series'}>
        {/* Over the chart's top left, so the toolbar keeps its height in a narrow panel. */}
        <span className="legend ts-legend ts-flow-legend" ref={flowLegendRef} aria-label="Traded flow" />
      </div>
    </div>
  );
}

/**
 * The volume pane's labels: sizes at the instrument's precision, taker sells (drawn below zero)
 * labelled by their size. The labels drawn are kept on the chart's box (data-volume-labels).
 */
function volumeFormat(sizeDecimals: number, box: HTMLElement | null, hasVolume: () => boolean): PriceFormatCustom {
  return {
    type: 'custom',
    minMove: 10 ** -Math.min(sizeDecimals, 8),
    formatter: (v: BarPrice) => formatQuantity(Math.abs(v), sizeDecimals),
    tickmarksFormatter: (values: BarPrice[]) => {
      // Labelled as signed values (so the steps are right), then shown without the sells' minus sign.
      // Before any trade the pane is empty and its scale a chart default around zero: no labels then.
      const labels = hasVolume() ? axisLabels(values, { compact: true }).map((l) => l.replace(/^[-−]/, '')) : values.map(() => '');
      if (box) {
        const text = labels.join(' | ');
        if (box.dataset.volumeLabels !== text) box.dataset.volumeLabels = text;
      }
      return labels;
    },
  };
}

/** Show the last `windowSec` of points (the grid makes that a fixed number of them). */
function fitWindow(c: Chart, windowSec: number): void {
  const n = c.points.length;
  const span = (windowSec * 1000) / c.bucketMs;
  c.chart.timeScale().setVisibleLogicalRange({ from: n - span, to: n + 2 });
}
