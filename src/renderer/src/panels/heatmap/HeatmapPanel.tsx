import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ReplayStatus } from '../../../../shared/contract';
import type { SyncState } from '../../../../shared/market';
import { NumberSelect, StreamProblem } from '../../components/PanelControls';
import { EndedBookContext, StateBadge } from '../../components/StateBadge';
import { getApi } from '../../api';
import { formatTrimmed } from '../../format';
import { useFrameJob } from '../../hooks/useFrameJob';
import { pacedDraw } from '../paced-draw';
import { useSize } from '../../hooks/useSize';
import { useStream, useStreamSelect } from '../../hooks/useStream';
import { useInstrumentsContext } from '../../layout/InstrumentsContext';
import type { SymbolChoice } from '../../components/SymbolPicker';
import type { PanelProps } from '../types';
import { context2d } from '../canvas';
import { writeData } from '../dataset';
import { CONTRAST_CHOICES, noDataRgb } from './colormap';
import { HeatmapColumns } from './column-store';
import { drawOverlay, heatmapSideColours } from './overlay';
import { usePalette } from '../../theme/theme';
import { paintHeatmapFills, useMarketMakerOverlay } from '../market-maker/overlay';
import { BUBBLES_OFF, bubbleAt, bubbleColours, bubbleText, drawBubbles, layoutBubbles } from './bubbles';
import { createCellSurface, type CellSurface } from './surfaces';
import { CellBuilder, clockTime, COLUMN_PX, formatHeatSize, SCALE_REFIT_MS, decimalsOf, followCentre, makeView, midRow, ROWS, rowOfY, slotsLeft, timeOfX, type View, xOfTime, yOfPrice } from './view';
import './heatmap.css';

export interface HeatmapSettings {
  spanBps: number;
  /** 1 (soft) … 5 (only walls stand out). */
  contrast: number;
  /** Trade bubbles of at least this volume (base units) are drawn; 0 all, BUBBLES_OFF none. */
  minTrade?: number;
}

/** The trade bubbles' size filter: off, all, then decades (markets differ by orders of magnitude). */
const MIN_TRADE_CHOICES = [BUBBLES_OFF, 0, 0.001, 0.01, 0.1, 1, 10, 100, 1000, 10_000, 100_000];

const SPAN_CHOICES = [0, 10, 20, 40, 60, 100, 200, 500];
/** One column per 250 ms: the stream's interval and the host history's column width. */
const COLUMN_MS = 250;
/** A frame this far past the newest column is from another clock (a replay ended): start over. */
const CLOCK_JUMP_MS = 60 * 60 * 1000;
/** History asked for beyond the visible width, so a little scrolling back needs no new request. */
const HISTORY_SCREENS = 2;

type Frozen = { label: string } | null;

/** `?heatmapMeasure=1`: time each cell draw to completion into data-draw-ms (mean of the last 30). */
const MEASURE = new URLSearchParams(window.location.search).get('heatmapMeasure') === '1';
const drawTimes: number[] = [];
function recordDrawTime(el: HTMLElement, ms: number): void {
  drawTimes.push(ms);
  if (drawTimes.length > 30) drawTimes.shift();
  el.dataset.drawMs = (drawTimes.reduce((a, b) => a + b, 0) / drawTimes.length).toFixed(2);
  el.dataset.draws = String(Number(el.dataset.draws ?? 0) + 1);
}

/**
 * Liquidity heatmap: resting size by price (rows) over time (columns, newest on the right) on a dark
 * background, coloured by a log scale fitted to what is visible, with the best bid and ask over it.
 * Past columns come from the host's history where it keeps one (`heatmap.history`); drag or scroll to
 * look back, hover for the size at a price and time. A book that is not live is shown frozen (greyed
 * and labelled) instead of being painted on as stripes.
 */
export function HeatmapPanel({ choice, settings, onSettings }: PanelProps<HeatmapSettings>) {
  const spanBps = settings.spanBps ?? 0;
  const contrast = settings.contrast ?? 3;
  const minTrade = settings.minTrade ?? 0;
  const params = choice ? { venue: choice.venue, symbol: choice.symbol, rows: ROWS, spanBps, intervalMs: COLUMN_MS } : null;
  const key = choice ? `${choice.venue}:${choice.symbol}:${spanBps}` : '';
  const { frame, error } = useStream('book.heatmap', params, key);
  // Only whether this book's replay ended or is paused: the status streams 20 times a second while a
  // replay plays, and re-rendering the panel for each frame cost more than the heatmap's draws.
  const replay = useStreamSelect('replay.status', {}, 'replay-heatmap', (r) => replayHold(choice, r)).value ?? null;
  const { instruments } = useInstrumentsContext();
  const instrument = choice ? instruments.find((i) => i.venue === choice.venue && i.symbol === choice.symbol) : undefined;
  const frozen = frozenState(replay, frame?.state ?? null, useContext(EndedBookContext));

  const boxRef = useRef<HTMLDivElement>(null);
  const cellsRef = useRef<HTMLCanvasElement>(null);
  const overlayRef = useRef<HTMLCanvasElement>(null);
  const readoutRef = useRef<HTMLDivElement>(null);
  const { width, height } = useSize(boxRef);
  const surfaceRef = useRef<CellSurface | null>(null);
  const [rendererKind, setRendererKind] = useState<'webgl' | '2d' | null>(null);
  const columnsRef = useRef(new HeatmapColumns(COLUMN_MS));
  /** null: follow the newest column; else the time at the plot's right edge. */
  const endTsRef = useRef<number | null>(null);
  // Scrolled back on this book (a new book or span follows live again).
  const [pannedKey, setPannedKey] = useState<string | null>(null);
  const following = pannedKey !== key;
  const centreRef = useRef<number | null>(null);
  const hoverRef = useRef<{ x: number; y: number } | null>(null);
  const viewRef = useRef<View | null>(null);
  const history = useRef({ available: true, loading: false, exhausted: false });
  // What draw() needs from the latest render (draw runs from animation frames, outside render).
  const pricePrecision = instrument?.pricePrecision ?? null;
  const palette = usePalette();
  const theme = palette.name;
  const drawState = useRef({ width, height, contrast, frozen, pricePrecision, minTrade, theme });
  const marketMaker = useMarketMakerOverlay(choice);
  useEffect(() => {
    drawState.current = { width, height, contrast, frozen, pricePrecision, minTrade, theme };
  });
  const cellBuilder = useRef(new CellBuilder());
  /** What the cell surface shows (codes rebuilt, size, greyness, theme): the same again is not painted again. */
  const paintedCells = useRef('');
  const refitTimer = useRef(0);
  /** scheduleDraw, for the refit timer set inside draw (declared before it). */
  const scheduleDrawRef = useRef<() => void>(() => {});
  useEffect(() => () => window.clearTimeout(refitTimer.current), []);

  // The cell surface: WebGL on a GPU, else 2D (surfaces.ts). `?heatmap=2d` and `?heatmap=webgl` force one.
  useEffect(() => {
    const canvas = cellsRef.current;
    if (!canvas) return;
    const asked = new URLSearchParams(window.location.search).get('heatmap');
    const prefer = asked === '2d' || asked === 'webgl' ? asked : 'auto';
    const surface = createCellSurface(canvas, prefer);
    surfaceRef.current = surface;
    setRendererKind(surface.kind);
    return () => {
      surface.destroy();
      surfaceRef.current = null;
    };
  }, []);

  const draw = useCallback(() => {
    const { width: w, height: h, contrast: c, frozen: f, pricePrecision: precision, minTrade: minBubble, theme: t } = drawState.current;
    const surface = surfaceRef.current;
    const overlay = overlayRef.current;
    const columns = columnsRef.current;
    if (!surface || !overlay || w === 0 || h === 0) return;
    const newest = columns.newest;
    const priceDecimals = precision ?? decimalsOf(columns.rowStep || 1);
    if (!newest || columns.rowStep <= 0) {
      viewRef.current = null;
      paintedCells.current = '';
      surface.draw({ codes: new Uint8Array(0), cols: 0, rows: 0, x: 0, y: 0, w: 0, h: 0, grey: false, theme: t });
      const blank = context2d(overlay);
      blank?.clearRect(0, 0, blank.canvas.width, blank.canvas.height);
      return;
    }
    // Live: the newest column at the right edge. A frozen book stops where its last column is.
    const endTs = endTsRef.current ?? newest.ts + newest.spanMs;
    const atEnd = columns.columnAt(endTs - 1) ?? newest;
    const row = midRow(columns, atEnd.bestBid, atEnd.bestAsk);
    if (row !== null) centreRef.current = followCentre(centreRef.current, row);
    const topRow = (centreRef.current ?? 0) + ROWS / 2;
    const view = makeView(w, h, columns.columnMs, endTs, columns.rowStep, topRow);
    viewRef.current = view;
    const started = performance.now();
    const builder = cellBuilder.current;
    const cells = builder.build(columns, view, c, started);
    // A refit put off while columns streamed: draw once more when it is due, so the colours settle.
    if (builder.refitPending && !refitTimer.current) {
      refitTimer.current = window.setTimeout(() => {
        refitTimer.current = 0;
        scheduleDrawRef.current();
      }, SCALE_REFIT_MS);
    }
    const paint = `${w}x${h}|${f !== null}|${t}`;
    if (cells.changed || paint !== paintedCells.current) {
      paintedCells.current = paint;
      surface.draw({ codes: cells.codes, cols: view.slots, rows: ROWS, x: slotsLeft(view), y: 0, w: view.slots * COLUMN_PX, h: view.plotH, grey: f !== null, theme: t });
      if (MEASURE) {
        // Wait for the cells to be painted, so WebGL and 2D are timed alike (tests compare them).
        surface.finish();
        recordDrawTime(overlay, performance.now() - started);
      }
    }
    const hover = hoverRef.current;
    drawOverlay(overlay, view, columns, { frozenLabel: f?.label ?? null, hover: hover ? { x: hover.x, row: rowOfY(view, hover.y) } : null, priceDecimals });
    const bubbles = layoutBubbles(view, columns, minBubble);
    const bubble = hover ? bubbleAt(bubbles, hover.x, hover.y) : null;
    drawBubbles(overlay, view, bubbles, bubble, f !== null);
    // For tests and diagnostics: how many bubbles are drawn and where the biggest is.
    writeData(overlay, 'bubbles', String(bubbles.length));
    writeData(overlay, 'biggestBubble', bubbles[0] ? `${Math.round(bubbles[0].x)},${Math.round(bubbles[0].y)}` : '');
    const overlayCtx = context2d(overlay);
    if (overlayCtx) paintHeatmapFills(overlayCtx, marketMaker.ref.current, (t) => xOfTime(view, t), (p) => yOfPrice(view, p), { left: slotsLeft(view), width: view.plotW, height: view.plotH });
    updateReadout(readoutRef.current, view, columns, hover, priceDecimals, bubble ? bubbleText(bubble, priceDecimals, formatHeatSize) : null);
  }, [marketMaker.ref]);

  const drawJob = useFrameJob(draw);
  const scheduleDraw = drawJob.request;
  useEffect(() => {
    scheduleDrawRef.current = scheduleDraw;
  }, [scheduleDraw]);
  /**
   * New data is drawn at most once per column interval: live, a column arrives every COLUMN_MS anyway;
   * a replay at full speed sends a frame every publisher tick (20 a second), and drawing each would cost
   * the window far more than it shows. The pointer, panning and settings still draw at once.
   */
  const [dataDraw] = useState(() => pacedDraw(drawJob, COLUMN_MS));
  const scheduleDataDraw = dataDraw.request;
  useEffect(() => () => dataDraw.cancel(), [dataDraw]);
  // The paper market maker filled: show it.
  useEffect(() => scheduleDraw(), [marketMaker.frame, scheduleDraw]);
  // The theme changed: redraw the cells and lines in its colours.
  useEffect(() => scheduleDraw(), [palette, scheduleDraw]);

  /** Load past columns in [from, to) from the host's history; a host without one answers 'unavailable' once. */
  const loadHistory = useCallback(
    (from: number, to: number) => {
      const h = history.current;
      const columns = columnsRef.current;
      if (!choice || !h.available || h.loading || h.exhausted || columns.rowStep <= 0 || from >= to) return;
      h.loading = true;
      const forKey = columns;
      getApi()
        .invoke('heatmap.history', { venue: choice.venue, symbol: choice.symbol, from: Math.max(0, from), to, rowStep: columns.rowStep, maxColumns: 20_000 })
        .then(
          (r) => {
            if (columnsRef.current !== forKey) return;
            columns.addHistory(r.rowStep, r.columnMs, r.columns, r.oldestTs);
              if (r.trades) columns.addHistoryTrades(r.rowStep, r.trades);
            // Nothing older than what was asked: scrolling back further needs no more requests.
            if (r.oldestTs === null || r.oldestTs >= from) h.exhausted = true;
            scheduleDraw();
          },
          () => {
            // No history in this host (or not for this book): the panel shows what it sees live.
            h.available = false;
          },
        )
        .finally(() => {
          h.loading = false;
        });
    },
    [choice, scheduleDraw],
  );

  /**
   * Load the columns of gaps between live frames: one request at a time; gaps found meanwhile are
   * joined into the next one (at full replay speed nearly every frame leaves a gap).
   */
  const gapFill = useRef<{ inFlight: boolean; pending: { from: number; to: number } | null }>({ inFlight: false, pending: null });
  const fillGap = useCallback(
    (from: number, to: number) => {
      const g = gapFill.current;
      if (g.inFlight) {
        g.pending = g.pending ? { from: Math.min(g.pending.from, from), to: Math.max(g.pending.to, to) } : { from, to };
        return;
      }
      const columns = columnsRef.current;
      if (!choice || !history.current.available) return;
      const send = (range: { from: number; to: number }): void => {
        g.inFlight = true;
        getApi()
          .invoke('heatmap.history', { venue: choice.venue, symbol: choice.symbol, from: range.from, to: range.to, rowStep: columns.rowStep, maxColumns: 20_000 })
          .then(
            (r) => {
              if (columnsRef.current !== columns) return;
              columns.addHistory(r.rowStep, r.columnMs, r.columns, r.oldestTs);
              if (r.trades) columns.addHistoryTrades(r.rowStep, r.trades);
              scheduleDataDraw();
            },
            () => {},
          )
          .finally(() => {
            g.inFlight = false;
            const next = g.pending;
            g.pending = null;
            if (next && columnsRef.current === columns) send(next);
          });
      };
      send({ from, to });
    },
    [choice, scheduleDataDraw],
  );

  const startOver = useCallback(() => {
    columnsRef.current = new HeatmapColumns(COLUMN_MS);
    cellBuilder.current = new CellBuilder();
    endTsRef.current = null;
    centreRef.current = null;
    history.current = { available: true, loading: false, exhausted: false };
    scheduleDraw();
  }, [scheduleDraw]);
  // A new book or span: start over, and load its past once the grid is known (first frame).
  useEffect(startOver, [key, startOver]);

  useEffect(() => {
    if (!frame) return;
    // Frames carry the book's own time: it jumps when a replay starts (back to the recorded time, also
    // when the same capture plays again) or ends (forward to now). That is another book: start over.
    const newest = columnsRef.current.newest;
    if (newest && frame.rowStep > 0 && (frame.ts < newest.ts || frame.ts - newest.ts > CLOCK_JUMP_MS)) startOver();
    const columns = columnsRef.current;
    const hadGrid = columns.rowStep > 0 && columns.rowStep === frame.rowStep;
    // A book that is not live adds nothing (its columns would repeat the last state as stripes),
    // except a first column, so a panel opened on a frozen book shows it.
    const before = columns.newest;
    if ((!frozen || columns.columns.length === 0) && columns.addFrame(frame) && hadGrid && before) {
      // Columns between two frames (a replay at full speed moves seconds of capture per frame, a
      // busy host skips a tick) are in the host's history.
      const gapFrom = before.ts + before.spanMs;
      const gapTo = Math.floor(frame.ts / COLUMN_MS) * COLUMN_MS;
      if (gapTo - gapFrom >= COLUMN_MS) fillGap(gapFrom, gapTo);
    }
    if (!hadGrid && columns.rowStep > 0) {
      const visibleMs = (Math.max(width, 600) / COLUMN_PX) * COLUMN_MS;
      loadHistory(frame.ts - HISTORY_SCREENS * visibleMs, columns.oldestTs ?? frame.ts);
    }
    scheduleDataDraw();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [frame]);

  useEffect(scheduleDraw, [width, height, contrast, frozen?.label, pricePrecision, minTrade, scheduleDraw]);

  /** Move the right edge by `ms` (negative: back in time); back at the newest column it follows live again. */
  const pan = useCallback(
    (ms: number) => {
      const columns = columnsRef.current;
      const newest = columns.newest;
      const view = viewRef.current;
      if (!newest || !view) return;
      const liveEnd = newest.ts + newest.spanMs;
      const oldest = Math.min(columns.oldestTs ?? liveEnd, columns.historyOldestTs ?? Infinity);
      const visibleMs = view.slots * view.columnMs;
      const end = Math.min(liveEnd, Math.max(oldest + visibleMs / 4, (endTsRef.current ?? liveEnd) + ms));
      const live = end >= liveEnd;
      endTsRef.current = live ? null : end;
      setPannedKey(live ? null : key);
      // Near the oldest column held: ask the history for the screens before it.
      const held = columns.oldestTs;
      if (held !== null && end - visibleMs < held + visibleMs) loadHistory(held - HISTORY_SCREENS * visibleMs, held);
      scheduleDraw();
    },
    [key, loadHistory, scheduleDraw],
  );

  const drag = useRef<{ x: number } | null>(null);
  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    drag.current = { x: e.clientX };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    hoverRef.current = { x: e.clientX - rect.left, y: e.clientY - rect.top };
    if (drag.current) {
      const dx = e.clientX - drag.current.x;
      drag.current.x = e.clientX;
      if (dx !== 0) pan((-dx / COLUMN_PX) * COLUMN_MS);
    }
    scheduleDraw();
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onPointerLeave = () => {
    hoverRef.current = null;
    scheduleDraw();
  };
  const onWheel = (e: React.WheelEvent<HTMLCanvasElement>) => {
    const delta = Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : e.deltaY;
    pan((delta / COLUMN_PX) * COLUMN_MS);
  };

  return (
    <div className="chart-panel heatmap-panel">
      <div className="panel-toolbar">
        {frozen && frame?.state === 'synced' ? (
          <span className="state-badge state-idle" role="status" aria-label="Feed state: frozen" title={frozen.label}>
            frozen
          </span>
        ) : (
          <StateBadge state={frame?.state ?? null} />
        )}
        <NumberSelect
          label="Span"
          name="Heatmap price span in basis points"
          value={spanBps}
          options={SPAN_CHOICES}
          format={(n) => (n === 0 ? 'auto' : `${n} bps`)}
          onChange={(n) => onSettings({ spanBps: n })}
        />
        <NumberSelect label="Contrast" name="Heatmap contrast" value={contrast} options={[...CONTRAST_CHOICES]} format={String} onChange={(n) => onSettings({ contrast: n })} />
        <NumberSelect
          label="Trades ≥"
          name="Heatmap trade bubbles minimum size"
          value={minTrade}
          options={MIN_TRADE_CHOICES}
          format={(n) => (n === BUBBLES_OFF ? 'off' : n === 0 ? 'all' : formatTrimmed(n, 3))}
          onChange={(n) => onSettings({ minTrade: n })}
        />
        <span className="legend">
          <span style={{ color: heatmapSideColours().bid }}>— best bid</span> <span style={{ color: heatmapSideColours().ask }}>— best ask</span>{' '}
          <span style={{ color: bubbleColours().buy }}>● buy</span> <span style={{ color: bubbleColours().sell }}>● sell</span>
        </span>
        {!following && (
          <button
            type="button"
            className="tool-button"
            onClick={() => {
              endTsRef.current = null;
              setPannedKey(null);
              scheduleDraw();
            }}
          >
            Live ⇥
          </button>
        )}
      </div>
      <StreamProblem error={error} choice={choice} />
      <div className="chart-box heatmap-box" ref={boxRef} style={{ background: `rgb(${noDataRgb(theme).join(',')})` }}>
        <canvas ref={cellsRef} className="heatmap-cells" aria-hidden="true" data-renderer={rendererKind ?? undefined} />
        <canvas
          ref={overlayRef}
          className="heatmap-overlay"
          role="img"
          aria-label={choice ? `Liquidity heatmap for ${choice.symbol}` : 'Liquidity heatmap'}
          data-frozen={frozen ? 'true' : undefined}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          onPointerLeave={onPointerLeave}
          onWheel={onWheel}
        />
        <div ref={readoutRef} className="heatmap-readout" role="status" aria-label="Heatmap read-out" hidden />
      </div>
    </div>
  );
}

const STATE_WORDS: Record<SyncState, string> = { idle: 'idle', connecting: 'connecting', buffering: 'syncing', synced: 'live', resyncing: 'resyncing', failed: 'failed' };

/** Whether a replay holds this book still: it ended or is paused. */
function replayHold(choice: SymbolChoice | null, replay: ReplayStatus): 'ended' | 'paused' | null {
  const replaying = replay.active && choice && replay.symbols.some((s) => s.venue === choice.venue && s.symbol === choice.symbol);
  if (replaying && replay.done) return 'ended';
  if (replaying && replay.paused) return 'paused';
  return null;
}

/** Whether the book on screen is live: a replay that ended or is paused, a source that ended (desk) or a feed out of sync is frozen. */
function frozenState(replay: 'ended' | 'paused' | null, state: SyncState | null, ended: boolean): Frozen {
  if (replay === 'ended') return { label: 'Replay ended · book frozen' };
  if (replay === 'paused') return { label: 'Replay paused · book frozen' };
  if (state && state !== 'synced') return { label: `Feed ${STATE_WORDS[state]} · not live` };
  if (ended) return { label: 'Source ended · book frozen' };
  return null;
}

/** The hovered cell's time, price range and size (or the hovered trade bubble's `bubbleLine`), next to the pointer. */
function updateReadout(
  el: HTMLDivElement | null,
  view: View,
  columns: HeatmapColumns,
  hover: { x: number; y: number } | null,
  priceDecimals: number,
  bubbleLine: string | null,
): void {
  if (!el) return;
  if (!hover || hover.x < slotsLeft(view) || hover.x >= view.plotW || hover.y < 0 || hover.y >= view.plotH) {
    el.hidden = true;
    return;
  }
  const slot = Math.floor((hover.x - slotsLeft(view)) / COLUMN_PX);
  const t = timeOfX(view, slotsLeft(view) + slot * COLUMN_PX + COLUMN_PX / 2);
  const row = rowOfY(view, hover.y);
  const column = columns.columnAt(t);
  const decimals = Math.max(priceDecimals, decimalsOf(view.rowStep));
  const low = (row * view.rowStep).toFixed(decimals);
  const high = ((row + 1) * view.rowStep).toFixed(decimals);
  let sizeText = 'no data';
  if (column) {
    const i = row - column.baseRow;
    const size = i >= 0 && i < column.sizes.length ? column.sizes[i]! : 0;
    sizeText = `size ${formatHeatSize(size)}`;
  }
  el.textContent = bubbleLine ?? `${clockTime(column?.ts ?? t, true, true)} · ${low} – ${high} · ${sizeText}`;
  el.hidden = false;
  // Beside the pointer, flipped to stay inside the plot.
  const box = el.getBoundingClientRect();
  const left = hover.x + 14 + box.width > view.plotW ? hover.x - 14 - box.width : hover.x + 14;
  const top = hover.y + 14 + box.height > view.plotH ? hover.y - 14 - box.height : hover.y + 14;
  el.style.transform = `translate(${Math.max(0, left)}px, ${Math.max(0, top)}px)`;
}
