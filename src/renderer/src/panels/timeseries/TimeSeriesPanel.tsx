import { useEffect, useRef, useState } from 'react';
import { ColorType, createChart, LineSeries, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import type { TopOfBookPoint } from '../../../../shared/contract';
import { getApi } from '../../api';
import { useStream } from '../../hooks/useStream';
import type { PanelProps } from '../types';

/** Points kept per series; older ones are dropped in one go when the chart grows past the limit. */
const MAX_POINTS = 20_000;
/** History loaded from the store when the panel opens on a book the app was already recording. */
const HISTORY_MS = 10 * 60_000;
const BUCKET_MS = 100;

interface Series {
  chart: IChartApi;
  bid: ISeriesApi<'Line'>;
  ask: ISeriesApi<'Line'>;
  mid: ISeriesApi<'Line'>;
  spread: ISeriesApi<'Line'>;
  points: TopOfBookPoint[];
}

function toTime(ms: number): UTCTimestamp {
  return (ms / 1000) as UTCTimestamp;
}

/** Stored top-of-book rows as chart points, one per 100 ms bucket (the last in it), as the live stream sends. */
function toPoints(rows: Array<{ localTs: number; bid: string | null; ask: string | null; bidSize: string | null; askSize: string | null }>): TopOfBookPoint[] {
  const out: TopOfBookPoint[] = [];
  for (const r of rows) {
    const p: TopOfBookPoint = {
      t: r.localTs,
      bid: r.bid === null ? null : Number(r.bid),
      ask: r.ask === null ? null : Number(r.ask),
      bidSize: r.bidSize === null ? null : Number(r.bidSize),
      askSize: r.askSize === null ? null : Number(r.askSize),
    };
    const last = out.at(-1);
    if (last && Math.floor(last.t / BUCKET_MS) === Math.floor(p.t / BUCKET_MS)) out[out.length - 1] = p;
    else out.push(p);
  }
  return out;
}

/** Replace every series' data with `s.points` (history loaded, or old points dropped). */
function setAll(s: Series): void {
  const pick = (f: (p: TopOfBookPoint) => number | null) =>
    s.points.flatMap((p) => {
      const v = f(p);
      return v === null ? [] : [{ time: toTime(p.t), value: v }];
    });
  s.bid.setData(pick((p) => p.bid));
  s.ask.setData(pick((p) => p.ask));
  s.mid.setData(pick((p) => (p.bid !== null && p.ask !== null ? (p.bid + p.ask) / 2 : null)));
  s.spread.setData(pick((p) => (p.bid !== null && p.ask !== null ? p.ask - p.bid : null)));
}

/** Bid, ask and mid as lines, the spread in its own pane below; scrolls with the market, zoom and pan with mouse or trackpad. */
export function TimeSeriesPanel({ choice }: PanelProps) {
  const params = choice ? { venue: choice.venue, symbol: choice.symbol } : null;
  const key = choice ? `${choice.venue}:${choice.symbol}` : '';
  const { frame, error } = useStream('book.top', params, key);
  const boxRef = useRef<HTMLDivElement>(null);
  const seriesRef = useRef<Series | null>(null);
  // Tagged with the book it is about, so a symbol switch never shows the previous book's note.
  const [note, setNoteFor] = useState<{ key: string; text: string } | null>(null);
  const setNote = (text: string) => setNoteFor({ key, text });

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const chart = createChart(box, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#131a23' }, textColor: '#7d8a9c', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { color: '#1c2532' }, horzLines: { color: '#1c2532' } },
      rightPriceScale: { borderColor: '#222c3a' },
      timeScale: { borderColor: '#222c3a', timeVisible: true, secondsVisible: true, rightOffset: 4 },
      crosshair: { mode: 0 },
    });
    const line = (color: string, width: 1 | 2, pane = 0) =>
      chart.addSeries(LineSeries, { color, lineWidth: width, priceLineVisible: false, lastValueVisible: true, lineType: 1 }, pane);
    seriesRef.current = {
      chart,
      bid: line('#26a96c', 2),
      ask: line('#e5534b', 2),
      mid: line('#7d8a9c', 1),
      spread: line('#d9a53b', 1, 1),
      points: [],
    };
    chart.panes()[1]?.setHeight(Math.round(box.clientHeight * 0.25));
    // Seed with what the store recorded before the panel opened (the live stream covers the rest).
    let cancelled = false;
    if (choice) {
      const now = Date.now();
      getApi()
        .invoke('store.topOfBook', { venue: choice.venue, symbol: choice.symbol, from: now - HISTORY_MS, to: now, limit: 20_000 })
        .then((r) => {
          const s = seriesRef.current;
          if (cancelled || !s) return;
          const history = toPoints(r.rows).filter((p) => p.t < (s.points[0]?.t ?? Infinity));
          if (history.length === 0) return;
          s.points = [...history, ...s.points];
          setAll(s);
          setNote(`${history.length.toLocaleString('en-US')} points of recorded history`);
        })
        .catch((e: Error) => {
          if (!cancelled) setNote(`no recorded history (${e.message})`);
        });
    }
    return () => {
      cancelled = true;
      chart.remove();
      seriesRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  useEffect(() => {
    const s = seriesRef.current;
    if (!s || !frame) return;
    for (const p of frame.points) {
      const last = s.points.at(-1);
      if (last && p.t <= last.t) continue;
      s.points.push(p);
      const time = toTime(p.t);
      if (p.bid !== null) s.bid.update({ time, value: p.bid });
      if (p.ask !== null) s.ask.update({ time, value: p.ask });
      if (p.bid !== null && p.ask !== null) {
        s.mid.update({ time, value: (p.bid + p.ask) / 2 });
        s.spread.update({ time, value: p.ask - p.bid });
      }
    }
    if (s.points.length > MAX_POINTS) {
      s.points = s.points.slice(-MAX_POINTS / 2);
      setAll(s);
    }
  }, [frame]);

  return (
    <div className="chart-panel timeseries-panel">
      <div className="panel-toolbar">
        <span className="legend">
          <span className="bid-text">— bid</span> <span className="ask-text">— ask</span> <span className="muted">— mid</span>{' '}
          <span className="warn-text">— spread (lower pane)</span>
        </span>
        {note?.key === key && (
          <span className="panel-meta" aria-label="History">
            {note.text}
          </span>
        )}
      </div>
      {error && (
        <p className="error-state" role="alert">
          {error.message}
        </p>
      )}
      {!choice && <p className="empty-state">Pick a symbol.</p>}
      <div className="chart-box" ref={boxRef} role="img" aria-label={choice ? `Bid, ask and mid over time for ${choice.symbol}` : 'Time series'} />
    </div>
  );
}
