import { useEffect, useMemo, useRef, useState } from 'react';
import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  LineSeries,
  LineStyle,
  type BarPrice,
  type IChartApi,
  type ISeriesApi,
  type MouseEventParams,
  type PriceFormatCustom,
  type UTCTimestamp,
} from 'lightweight-charts';
import { CANDLE_INTERVAL_NAMES, type CandleIntervalName } from '../../../../shared/candles';
import type { CandlesFrame, ContractErrorInfo } from '../../../../shared/contract';
import { getApi } from '../../api';
import { StreamProblem } from '../../components/PanelControls';
import { axisLabels, formatCount, formatPrice, formatSize } from '../../format';
import { useMarketFormat, type MarketFormat } from '../../hooks/useMarketFormat';
import type { PanelProps } from '../types';
import { frameJob, leaveNextFrame } from '../frame-jobs';
import { pacedDraw } from '../paced-draw';
import { writeData } from '../dataset';
import { CandleModel } from './candle-model';
import { cumulativeDelta, runningVwap, type Bar, type CvdBar, type CvdReset, type VwapMode, type VwapPoint } from './studies';
import './candles.css';

export type CvdStyle = 'candles' | 'line' | 'off';

export interface CandlesSettings {
  interval: CandleIntervalName;
  cvd: CvdStyle;
  cvdReset: CvdReset;
  vwap: VwapMode;
  /** Anchored VWAP: the start (ms); null = the first candle shown. */
  anchor: number | null;
  /** VWAP bands: 0 none, 1 at ±1σ, 2 at ±1σ and ±2σ. */
  bands: 0 | 1 | 2;
}

export const CANDLE_DEFAULTS: CandlesSettings = { interval: '1m', cvd: 'candles', cvdReset: 'session', vwap: 'session', anchor: null, bands: 1 };

/** Candles shown when the chart opens (more are a scroll away). */
const VISIBLE_CANDLES = 120;
const UP = '#26a96c';
const DOWN = '#e5534b';
const VWAP_COLOR = '#d9a53b';
const BAND_COLOR = 'rgba(217, 165, 59, 0.55)';

interface Chart {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick'>;
  volume: ISeriesApi<'Histogram'>;
  vwap: ISeriesApi<'Line'>;
  bands: Array<ISeriesApi<'Line'>>;
  cvdCandles: ISeriesApi<'Candlestick'>;
  cvdLine: ISeriesApi<'Line'>;
  /** Studies as last drawn, for the legend. */
  cvd: CvdBar[];
  vwapPoints: VwapPoint[];
  /** Time of the newest candle drawn (-Infinity before any). */
  lastDrawn: number;
}

function toTime(ms: number): UTCTimestamp {
  return (ms / 1000) as UTCTimestamp;
}

/** Axis labels at a fixed minimum of decimals, distinct, and kept on the chart box for tests and assistive tools. */
function format(decimals: number, minMove: number, box: HTMLElement | null, name: string | null, labelDecimals = decimals): PriceFormatCustom {
  return {
    type: 'custom',
    minMove,
    formatter: (p: BarPrice) => formatPrice(p, decimals),
    tickmarksFormatter: (prices: BarPrice[]) => {
      const labels = axisLabels(prices, { minDecimals: labelDecimals });
      if (box && name) writeData(box, name, labels.join(' | '));
      return labels;
    },
  };
}

function sizeFormat(decimals: number, box: HTMLElement | null, name: string | null): PriceFormatCustom {
  return {
    type: 'custom',
    minMove: 10 ** -decimals,
    formatter: (v: BarPrice) => formatSize(v, decimals),
    tickmarksFormatter: (values: BarPrice[]) => {
      // A volume axis needs no more decimals than its step; never more than the lot has.
      const labels = axisLabels(values).map((l, i) => (l.split('.')[1]?.length ?? 0) > decimals ? formatSize(values[i]!, decimals) : l);
      if (box && name) writeData(box, name, labels.join(' | '));
      return labels;
    },
  };
}

function volumePoint(b: Bar) {
  return { time: toTime(b.t), value: b.volume, color: b.close >= b.open ? 'rgba(38, 169, 108, 0.45)' : 'rgba(229, 83, 75, 0.45)' };
}

function ohlc(b: { t: number; open: number; high: number; low: number; close: number }) {
  return { time: toTime(b.t), open: b.open, high: b.high, low: b.low, close: b.close };
}

/** Draw the model: everything afresh, or only the candles from `from` on when only the tail changed. */
function draw(c: Chart, bars: Bar[], from: number, settings: CandlesSettings): void {
  const cvd = settings.cvd === 'off' ? [] : cumulativeDelta(bars, settings.cvdReset);
  const anchor = settings.anchor ?? bars[0]?.t ?? null;
  const vwap = settings.vwap === 'off' ? [] : runningVwap(bars, settings.vwap, anchor);
  const bandPoints = (k: number) => vwap.map((p) => ({ time: toTime(p.t), value: p.vwap + k * p.sigma }));
  const bandFactors = [1, -1, 2, -2];
  const full = from < c.lastDrawn || c.lastDrawn === -Infinity;
  if (full) {
    c.candles.setData(bars.map(ohlc));
    c.volume.setData(bars.map(volumePoint));
    c.cvdCandles.setData(settings.cvd === 'candles' ? cvd.map(ohlc) : []);
    c.cvdLine.setData(settings.cvd === 'line' ? cvd.map((p) => ({ time: toTime(p.t), value: p.close })) : []);
    c.vwap.setData(vwap.map((p) => ({ time: toTime(p.t), value: p.vwap })));
    c.bands.forEach((s, i) => s.setData(Math.abs(bandFactors[i]!) <= settings.bands ? bandPoints(bandFactors[i]!) : []));
  } else {
    const tail = <T extends { t: number }>(xs: T[]): T[] => {
      let i = xs.length;
      while (i > 0 && xs[i - 1]!.t >= from) i--;
      return xs.slice(i);
    };
    for (const b of tail(bars)) {
      c.candles.update(ohlc(b));
      c.volume.update(volumePoint(b));
    }
    for (const p of tail(cvd)) {
      if (settings.cvd === 'candles') c.cvdCandles.update(ohlc(p));
      else c.cvdLine.update({ time: toTime(p.t), value: p.close });
    }
    for (const p of tail(vwap)) {
      c.vwap.update({ time: toTime(p.t), value: p.vwap });
      c.bands.forEach((s, i) => {
        const k = bandFactors[i]!;
        if (Math.abs(k) <= settings.bands) s.update({ time: toTime(p.t), value: p.vwap + k * p.sigma });
      });
    }
  }
  c.cvd = cvd;
  c.vwapPoints = vwap;
  c.lastDrawn = bars.at(-1)?.t ?? -Infinity;
}

function historyNote(h: CandlesFrame['history'] | null): string {
  if (!h) return '';
  if (h.state === 'loading') return 'reading recorded trades…';
  if (h.state === 'failed') return `no recorded history (${h.message ?? 'store unavailable'})`;
  if (h.state === 'none') return 'this session’s trades';
  return h.trades === 0 ? 'no recorded trades before this session' : `${formatCount(h.trades)} recorded trades${h.truncated ? ' (the newest; older left out)' : ''}`;
}

function Select<T extends string | number>({ label, name, value, options, onChange }: { label: string; name: string; value: T; options: Array<[T, string]>; onChange(v: T): void }) {
  return (
    <label>
      {label}
      <select aria-label={name} value={String(value)} onChange={(e) => onChange(options.find(([v]) => String(v) === e.target.value)![0])}>
        {options.map(([v, text]) => (
          <option key={String(v)} value={String(v)}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Time candles built in the host from the symbol's trades (bucketed by the venue's trade time), with
 * volume under them, cumulative volume delta in its own pane and VWAP with standard-deviation bands.
 * Opens with the recorded history, then follows the trade stream.
 */
export function CandlesPanel({ choice, settings, onSettings }: PanelProps<CandlesSettings>) {
  const s: CandlesSettings = {
    interval: CANDLE_INTERVAL_NAMES.includes(settings.interval as CandleIntervalName) ? settings.interval! : CANDLE_DEFAULTS.interval,
    cvd: settings.cvd ?? CANDLE_DEFAULTS.cvd,
    cvdReset: settings.cvdReset ?? CANDLE_DEFAULTS.cvdReset,
    vwap: settings.vwap ?? CANDLE_DEFAULTS.vwap,
    anchor: typeof settings.anchor === 'number' ? settings.anchor : null,
    bands: settings.bands === 0 || settings.bands === 2 ? settings.bands : CANDLE_DEFAULTS.bands,
  };
  const venue = choice?.venue;
  const symbol = choice?.symbol;
  const key = venue && symbol ? `${venue}:${symbol}:${s.interval}` : '';
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const model = useMemo(() => new CandleModel(), [key]);
  const fmt = useMarketFormat(choice);
  const fmtRef = useRef<MarketFormat>(fmt);
  const settingsRef = useRef(s);
  const boxRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLSpanElement>(null);
  /** The legend's text as last written. */
  const legendShown = useRef('');
  const chartRef = useRef<Chart | null>(null);
  const [history, setHistory] = useState<{ key: string; info: CandlesFrame['history'] } | null>(null);
  const [failure, setFailure] = useState<{ key: string; error: ContractErrorInfo } | null>(null);
  const [count, setCount] = useState<{ key: string; n: number }>({ key: '', n: 0 });
  const error = failure?.key === key ? failure.error : null;

  useEffect(() => {
    fmtRef.current = fmt;
    settingsRef.current = s;
  });

  /** The legend: the candle under the cursor, or the newest when the cursor is away. */
  const showLegend = (t: number | null) => {
    const el = legendRef.current;
    const c = chartRef.current;
    if (!el || !c) return;
    const bars = model.bars;
    const i = t === null ? bars.length - 1 : bars.findIndex((b) => b.t === t);
    const b = bars[i];
    if (!b) {
      el.replaceChildren();
      legendShown.current = '';
      return;
    }
    const f = fmtRef.current;
    const p = (v: number) => formatPrice(v, f.priceDecimals);
    const q = (v: number) => formatSize(v, f.sizeDecimals);
    const cvd = c.cvd.find((x) => x.t === b.t);
    const vw = c.vwapPoints.find((x) => x.t === b.t);
    const delta = b.buyVolume - b.sellVolume;
    const parts: Array<[string, string]> = [
      ['muted', new Date(b.t).toISOString().slice(s.interval === '1d' ? 0 : 11, s.interval === '1d' ? 10 : 19)],
      ['', `O ${p(b.open)} H ${p(b.high)} L ${p(b.low)} C ${p(b.close)}`],
      ['', `V ${q(b.volume)}`],
      [delta >= 0 ? 'bid-text' : 'ask-text', `Δ ${delta >= 0 ? '+' : ''}${q(delta)}`],
    ];
    if (cvd) parts.push(['', `CVD ${q(cvd.close)}`]);
    if (vw) parts.push(['warn-text', `VWAP ${formatPrice(vw.vwap, f.priceDecimals + 1)} σ ${formatPrice(vw.sigma, f.priceDecimals + 1)}`]);
    // The same text again is not written again (a rebuilt legend costs the page a style and layout pass).
    const shown = parts.map(([cls, text]) => `${cls}:${text}`).join('\n');
    if (legendShown.current === shown) return;
    legendShown.current = shown;
    el.replaceChildren();
    for (const [cls, text] of parts) {
      const span = document.createElement('span');
      if (cls) span.className = cls;
      span.textContent = text;
      el.append(span);
    }
  };

  // The chart, made afresh for each symbol and interval.
  useEffect(() => {
    const box = boxRef.current;
    if (!box || !venue || !symbol) return;
    const intraday = s.interval !== '1d';
    const chart = createChart(box, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: '#131a23' },
        textColor: '#7d8a9c',
        fontSize: 11,
        attributionLogo: false,
        panes: { separatorColor: '#2a3646', separatorHoverColor: 'rgba(125, 138, 156, 0.25)' },
      },
      grid: { vertLines: { color: '#1c2532' }, horzLines: { color: '#1c2532' } },
      rightPriceScale: { borderColor: '#222c3a', minimumWidth: 72 },
      timeScale: { borderColor: '#222c3a', timeVisible: intraday, secondsVisible: ['1s', '5s', '15s'].includes(s.interval), rightOffset: 3, maxBarSpacing: 48, lockVisibleTimeRangeOnResize: true },
      crosshair: { mode: 0 },
    });
    const line = (color: string, width: 1 | 2, style: LineStyle, pane = 0) =>
      chart.addSeries(LineSeries, { color, lineWidth: width, lineStyle: style, priceLineVisible: false, lastValueVisible: false, crosshairMarkerVisible: false }, pane);
    const candles = chart.addSeries(CandlestickSeries, { upColor: UP, downColor: DOWN, borderUpColor: UP, borderDownColor: DOWN, wickUpColor: UP, wickDownColor: DOWN, priceLineVisible: false }, 0);
    const volume = chart.addSeries(HistogramSeries, { priceScaleId: 'volume', priceLineVisible: false, lastValueVisible: false }, 0);
    volume.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.22 } });
    const c: Chart = {
      chart,
      candles,
      volume,
      vwap: line(VWAP_COLOR, 2, LineStyle.Solid),
      bands: [line(BAND_COLOR, 1, LineStyle.Dashed), line(BAND_COLOR, 1, LineStyle.Dashed), line(BAND_COLOR, 1, LineStyle.Dotted), line(BAND_COLOR, 1, LineStyle.Dotted)],
      cvdCandles: chart.addSeries(CandlestickSeries, { upColor: UP, downColor: DOWN, borderUpColor: UP, borderDownColor: DOWN, wickUpColor: UP, wickDownColor: DOWN, priceLineVisible: false }, 1),
      cvdLine: chart.addSeries(LineSeries, { color: '#4c8dd6', lineWidth: 2, priceLineVisible: false }, 1),
      cvd: [],
      vwapPoints: [],
      lastDrawn: -Infinity,
    };
    chartRef.current = c;
    chart.panes()[1]?.setHeight(Math.round(box.clientHeight * 0.28));
    const onMove = (param: MouseEventParams) => showLegend(param.time === undefined ? null : (param.time as number) * 1000);
    chart.subscribeCrosshairMove(onMove);
    // Anchored VWAP: a click on a candle moves the anchor there.
    const onClick = (param: MouseEventParams) => {
      if (settingsRef.current.vwap === 'anchored' && param.time !== undefined) onSettings({ anchor: (param.time as number) * 1000 });
    };
    chart.subscribeClick(onClick);

    const render = () => {
      // All candles replaced (the first frame, the history arriving): show them afresh.
      const refit = model.changedFrom === -Infinity;
      draw(c, model.bars, model.changedFrom, settingsRef.current);
      model.drawn();
      // The chart paints what it was given in the next frame, on its own.
      leaveNextFrame();
      const n = model.bars.length;
      if (refit && n > 0) {
        // Up to the newest ~120 candles, across the whole width: a readable size whatever the interval.
        if (n <= VISIBLE_CANDLES) chart.timeScale().fitContent();
        else chart.timeScale().setVisibleLogicalRange({ from: n - VISIBLE_CANDLES, to: n + 3 });
      }
      showLegend(null);
      // Same count, same state: no re-render of the panel for a redraw that added no candle.
      setCount((prev) => (prev.key === key && prev.n === n ? prev : { key, n }));
    };
    const renderJob = frameJob(render);
    // New candles are drawn at most every 250 ms: each draw makes the chart repaint its panes.
    const pacedRender = pacedDraw(renderJob);
    const unsubscribe = getApi().subscribe(
      'candles',
      { venue, symbol, interval: s.interval },
      (frame) => {
        model.apply(frame);
        setHistory((h) => (h?.key === key && h.info.state === frame.history.state && h.info.trades === frame.history.trades ? h : { key, info: frame.history }));
        pacedRender.request();
      },
      (e) => setFailure({ key, error: e }),
    );
    return () => {
      unsubscribe();
      pacedRender.cancel();
      chart.unsubscribeCrosshairMove(onMove);
      chart.unsubscribeClick(onClick);
      chart.remove();
      chartRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // Studies switched on or off, or their options changed: redraw everything.
  useEffect(() => {
    const c = chartRef.current;
    if (!c) return;
    c.lastDrawn = -Infinity;
    draw(c, model.bars, -Infinity, s);
    model.drawn();
    showLegend(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s.cvd, s.cvdReset, s.vwap, s.anchor, s.bands, key]);

  // Axis formats at the instrument's precision (it may be learned after the chart was made).
  useEffect(() => {
    const c = chartRef.current;
    if (!c) return;
    const box = boxRef.current;
    const price = format(fmt.priceDecimals, fmt.tick, box, 'priceLabels');
    c.candles.applyOptions({ priceFormat: price });
    const finer = format(fmt.priceDecimals + 1, fmt.tick / 10, box, null, fmt.priceDecimals);
    c.vwap.applyOptions({ priceFormat: finer });
    for (const b of c.bands) b.applyOptions({ priceFormat: finer });
    c.volume.applyOptions({ priceFormat: sizeFormat(fmt.sizeDecimals, box, 'volumeLabels') });
    c.cvdCandles.applyOptions({ priceFormat: sizeFormat(fmt.sizeDecimals, box, 'cvdLabels') });
    c.cvdLine.applyOptions({ priceFormat: sizeFormat(fmt.sizeDecimals, box, 'cvdLabels') });
    c.cvdCandles.applyOptions({ visible: s.cvd === 'candles' });
    c.cvdLine.applyOptions({ visible: s.cvd === 'line' });
    showLegend(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fmt.priceDecimals, fmt.sizeDecimals, fmt.tick, key, s.cvd]);

  const bars = count.key === key ? count.n : 0;
  const note = history?.key === key ? historyNote(history.info) : '';
  const intervals: Array<[CandleIntervalName, string]> = CANDLE_INTERVAL_NAMES.map((i) => [i, i]);
  return (
    <div className="chart-panel candles-panel" data-candles={bars}>
      <div className="panel-toolbar">
        <Select label="Interval" name="Candle interval" value={s.interval} options={intervals} onChange={(interval) => onSettings({ interval })} />
        <Select
          label="CVD"
          name="Cumulative volume delta"
          value={s.cvd}
          options={[
            ['candles', 'candles'],
            ['line', 'line'],
            ['off', 'off'],
          ]}
          onChange={(cvd) => onSettings({ cvd })}
        />
        <Select
          label="reset"
          name="CVD reset"
          value={s.cvdReset}
          options={[
            ['session', 'each session'],
            ['none', 'never'],
          ]}
          onChange={(cvdReset) => onSettings({ cvdReset })}
        />
        <Select
          label="VWAP"
          name="VWAP"
          value={s.vwap}
          options={[
            ['session', 'session'],
            ['anchored', 'anchored'],
            ['off', 'off'],
          ]}
          onChange={(vwap) => onSettings({ vwap, anchor: null })}
        />
        <Select
          label="bands"
          name="VWAP bands"
          value={s.bands}
          options={[
            [0, 'none'],
            [1, '±1σ'],
            [2, '±1σ ±2σ'],
          ]}
          onChange={(bands) => onSettings({ bands })}
        />
        {s.vwap === 'anchored' && (
          <span className="panel-meta" title="Click a candle to anchor the VWAP there">
            anchor {s.anchor === null ? 'first candle' : new Date(s.anchor).toISOString().slice(0, 19).replace('T', ' ')} · click to move
          </span>
        )}
        <span className="panel-meta" aria-label="History">
          {note}
        </span>
      </div>
      <div className="candles-legend">
        <span className="legend ts-legend" ref={legendRef} aria-label="Candle values" />
      </div>
      <StreamProblem error={error} choice={choice} />
      {choice && bars === 0 && !error && <p className="empty-state">No trades yet for {choice.symbol} at {s.interval}.</p>}
      <div className="chart-box" ref={boxRef} role="img" aria-label={choice ? `${s.interval} candles, volume, CVD and VWAP for ${choice.symbol}` : 'Candles'} />
    </div>
  );
}
