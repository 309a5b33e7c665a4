import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ContractErrorInfo } from '../../../../shared/contract';
import { NumberSelect, StreamProblem, useSelectValue } from '../../components/PanelControls';
import { getApi } from '../../api';
import { useFrameJob } from '../../hooks/useFrameJob';
import { PaperFillsStrip } from '../market-maker/overlay';
import type { PanelProps } from '../types';
import { appearanceStore } from '../../theme/theme';
import { useStore } from '../../layout/store';
import { largeThreshold, TapeModel, visibleRange, type LargeRule, type TapeLine } from './tape-model';
import { prepareCanvas } from '../canvas';
import { writeData } from '../dataset';
import { paintTape } from './tape-canvas';
import { formatKeyOf, LineTextCache, ROW_HEIGHT, TapeRows } from './tape-rows';
import './tape.css';

export interface TapeSettings {
  aggregate: boolean;
  minSize: number;
  largeMode: LargeRule['mode'];
  largeMultiple: number;
  largeSize: number;
  pauseOnHover: boolean;
}

/** Prints from before the subscription the first frame brings, so the tape does not start empty. */
const BACKLOG = 500;
/**
 * The table under the canvas (for screen readers and tests) and the status line follow the tape at
 * most this often; the canvas draws every frame that brings prints. At once when paused or scrolled.
 */
const TABLE_EVERY_MS = 500;
const MIN_SIZE_CHOICES = [0, 0.001, 0.01, 0.1, 1, 10, 100, 1000, 10_000, 100_000];
const LARGE_CHOICES: Array<{ value: string; label: string; rule: Pick<LargeRule, 'mode'> & Partial<LargeRule> }> = [
  { value: 'median:5', label: '5× median', rule: { mode: 'median', multiple: 5 } },
  { value: 'median:10', label: '10× median', rule: { mode: 'median', multiple: 10 } },
  { value: 'median:20', label: '20× median', rule: { mode: 'median', multiple: 20 } },
  { value: 'median:50', label: '50× median', rule: { mode: 'median', multiple: 50 } },
  ...[0.1, 1, 10, 100, 1000, 10_000, 100_000].map((size) => ({ value: `size:${size}`, label: `≥ ${size}`, rule: { mode: 'size' as const, size } })),
];

/**
 * Time & Sales: every print of the symbol, newest on top, coloured by the taker's side. Prints of one
 * taker order (same time and side) can be merged into one line; small lines can be hidden; large ones
 * stand out. Hovering pauses the view (prints keep arriving in the model, counted on the badge).
 */
export function TapePanel({ choice, settings, onSettings }: PanelProps<TapeSettings>) {
  const aggregate = settings.aggregate ?? true;
  const minSize = settings.minSize ?? 0;
  const rule: LargeRule = { mode: settings.largeMode ?? 'median', multiple: settings.largeMultiple ?? 10, size: settings.largeSize ?? 0 };
  const pauseOnHover = settings.pauseOnHover ?? true;
  const numberFormat = useStore(appearanceStore).numberFormat;

  const venue = choice?.venue;
  const symbol = choice?.symbol;
  const streamKey = venue && symbol ? `${venue}:${symbol}` : '';
  // One model per symbol; frames go straight into it, whatever the view is doing.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const model = useMemo(() => new TapeModel(), [streamKey]);
  const [failure, setFailure] = useState<{ key: string; error: ContractErrorInfo } | null>(null);
  const error = failure?.key === streamKey ? failure.error : null;

  // Paused: keep showing the lines as they were; the model goes on taking prints. A pause belongs to
  // the view it froze: another symbol or filter ends it.
  const viewKey = `${streamKey}:${aggregate}:${minSize}:${pauseOnHover}`;
  const [pauseState, setPaused] = useState<{ view: string; lines: TapeLine[]; received: number; threshold: number } | null>(null);
  const paused = pauseState?.view === viewKey ? pauseState : null;

  const scrollRef = useRef<HTMLDivElement>(null);
  const rowsRef = useRef<HTMLDivElement>(null);
  const statusRef = useRef<HTMLSpanElement>(null);
  const droppedRef = useRef<HTMLSpanElement>(null);
  const emptyRef = useRef<HTMLParagraphElement>(null);
  // The list mounts only once a symbol streams: watch its height from when it exists (a hook that
  // looked once at mount missed it, and the tape then showed only its spare rows).
  const [scrollEl, setScrollEl] = useState<HTMLDivElement | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const attachScroll = useCallback((el: HTMLDivElement | null) => {
    scrollRef.current = el;
    setScrollEl(el);
  }, []);
  useEffect(() => {
    if (!scrollEl) return;
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]!.contentRect;
      setSize({ width: Math.round(box.width), height: Math.round(box.height) });
    });
    observer.observe(scrollEl);
    return () => observer.disconnect();
  }, [scrollEl]);
  const scrollTop = useRef(0);
  const decimals = useRef<{ price: number | null; size: number | null }>({ price: null, size: null });
  const rows = useRef<TapeRows | null>(null);
  const lineTexts = useRef(new LineTextCache());
  const canvasRef = useRef<HTMLCanvasElement>(null);
  /** The paint request, for the table's timer (set once the frame job exists, below). */
  const requestPaintRef = useRef<() => void>(() => {});
  /** When the table was last brought up to date, whether it must be now (scrolled), and the timer that brings it up later. */
  const table = useRef({ at: 0, now: true, timer: 0 });
  useEffect(() => () => window.clearTimeout(table.current.timer), []);
  const thresholdCache = useRef<{ model: TapeModel; version: number; key: string; value: number } | null>(null);

  // What the view shows besides the model, for the painter (which runs outside React renders).
  const viewRef = useRef({ model, aggregate, minSize, rule, paused, size, numberFormat });

  /** Lines, status and counts into the page, straight from the model (no React render per frame). */
  const paint = useCallback(() => {
    const { model, aggregate, minSize, rule, paused, size, numberFormat } = viewRef.current;
    const { width, height } = size;
    const live = !paused;
    const lines = paused?.lines ?? model.liveLines({ aggregate, minSize });
    let threshold = paused?.threshold ?? Infinity;
    if (live) {
      // The recent median moves only when prints arrive: once per model version.
      const key = `${aggregate}:${rule.mode}:${rule.multiple}:${rule.size}`;
      const cached = thresholdCache.current;
      if (cached && cached.model === model && cached.version === model.version && cached.key === key) threshold = cached.value;
      else {
        threshold = largeThreshold(rule, model.medianLineSize(aggregate));
        thresholdCache.current = { model, version: model.version, key, value: threshold };
      }
    }
    const priceDecimals = decimals.current.price ?? model.priceDecimals;
    const sizeDecimals = Math.min(8, decimals.current.size ?? model.sizeDecimals);
    const format = formatKeyOf({ priceDecimals, sizeDecimals, formatKey: numberFormat });

    // The canvas: the lines in view, every time.
    const first = Math.min(lines.length, Math.floor(scrollTop.current / ROW_HEIGHT));
    const last = Math.min(lines.length, Math.ceil((scrollTop.current + height) / ROW_HEIGHT));
    const ctx = prepareCanvas(canvasRef.current, width, height);
    if (ctx && canvasRef.current) {
      const inView = lines.slice(first, last);
      const shown = paintTape(ctx, {
        width,
        height,
        lines: inView,
        top: first * ROW_HEIGHT - scrollTop.current,
        threshold,
        texts: (line) => lineTexts.current.get(line, { priceDecimals, sizeDecimals }, format),
      });
      // For tests: how many lines are drawn, and the top one's texts.
      const top = inView[0];
      const t = top ? lineTexts.current.get(top, { priceDecimals, sizeDecimals }, format) : null;
      writeData(canvasRef.current, 'lines', String(shown));
      writeData(canvasRef.current, 'first', t ? `${t.time}|${t.price}|${t.size}` : '');
    }

    // The table and status: at most every TABLE_EVERY_MS while live, at once when paused or scrolled.
    const tableState = table.current;
    const now = performance.now();
    // The "waiting" placeholder lies over the canvas: it goes (or comes) on the frame the lines do.
    const emptinessChanged = !!emptyRef.current && emptyRef.current.hidden !== lines.length > 0;
    if (live && !tableState.now && !emptinessChanged && now - tableState.at < TABLE_EVERY_MS) {
      if (!tableState.timer) {
        tableState.timer = window.setTimeout(
          () => {
            tableState.timer = 0;
            tableState.now = true;
            requestPaintRef.current();
          },
          TABLE_EVERY_MS - (now - tableState.at),
        );
      }
      return;
    }
    tableState.at = now;
    tableState.now = false;
    write(statusRef.current, paused ? `Paused · ${model.received - paused.received} new` : `${lines.length} lines`);
    statusRef.current?.classList.toggle('warn-text', !!paused);
    write(droppedRef.current, model.droppedByHost > 0 ? ` · ${model.droppedByHost} skipped by host` : '');

    const scroll = scrollRef.current;
    const container = rowsRef.current;
    if (!scroll || !container) return;
    if (rows.current?.container !== container) rows.current = new TapeRows(container, lineTexts.current);
    const rowCount = String(lines.length);
    if (scroll.getAttribute('aria-rowcount') !== rowCount) scroll.setAttribute('aria-rowcount', rowCount);
    const fullHeight = `${lines.length * ROW_HEIGHT}px`;
    if (container.style.height !== fullHeight) container.style.height = fullHeight;
    if (emptinessChanged) emptyRef.current!.hidden = lines.length > 0;
    const range = visibleRange(scrollTop.current, height, ROW_HEIGHT, lines.length);
    rows.current.update({ lines: lines.slice(range.from, range.to), from: range.from, threshold, priceDecimals, sizeDecimals, formatKey: numberFormat });
  }, []);

  // The view is redrawn at most once per animation frame, however many frames arrive.
  const requestPaint = useFrameJob(paint).request;
  useEffect(() => {
    requestPaintRef.current = requestPaint;
  }, [requestPaint]);

  useEffect(() => {
    if (!venue || !symbol) return;
    return getApi().subscribe(
      'trades',
      { venue, symbol, backlog: BACKLOG },
      (frame) => {
        model.push(frame.trades, frame.dropped);
        decimals.current = { price: frame.priceDecimals, size: frame.sizeDecimals };
        requestPaint();
      },
      (e) => setFailure({ key: `${venue}:${symbol}`, error: e }),
    );
  }, [model, venue, symbol, requestPaint]);

  // Settings, pause, size or symbol changed (any render): show it now.
  useLayoutEffect(() => {
    viewRef.current = { model, aggregate, minSize, rule, paused, size, numberFormat };
    table.current.now = true;
    paint();
  });

  const pause = () => {
    // A copy: the live list reads the model's ring, which goes on changing.
    if (!pauseOnHover || paused) return;
    const threshold = largeThreshold(rule, model.medianLineSize(aggregate));
    setPaused({ view: viewKey, lines: model.lines({ aggregate, minSize }), received: model.received, threshold });
  };
  const resume = () => {
    setPaused(null);
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    scrollTop.current = 0;
  };

  const largeValue = rule.mode === 'median' ? `median:${rule.multiple}` : `size:${rule.size}`;
  const largeSelectRef = useSelectValue(largeValue);

  return (
    <div className="tape-panel">
      <div className="panel-toolbar">
        <button
          type="button"
          className={aggregate ? 'tool-button active' : 'tool-button'}
          aria-pressed={aggregate}
          title="Merge the prints of one taker order (same time and side) into one line"
          onClick={() => onSettings({ aggregate: !aggregate })}
        >
          Merge orders
        </button>
        <NumberSelect label="Min" name="Minimum size" value={minSize} options={MIN_SIZE_CHOICES} format={(n) => (n === 0 ? 'all' : String(n))} onChange={(n) => onSettings({ minSize: n })} />
        <label>
          Large
          <select
            aria-label="Large print threshold"
            ref={largeSelectRef}
            defaultValue={largeValue}
            onChange={(e) => {
              const choice = LARGE_CHOICES.find((c) => c.value === e.target.value);
              if (choice) onSettings({ largeMode: choice.rule.mode, ...(choice.rule.mode === 'median' ? { largeMultiple: choice.rule.multiple } : { largeSize: choice.rule.size }) });
            }}
          >
            {LARGE_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className={pauseOnHover ? 'tool-button active' : 'tool-button'}
          aria-pressed={pauseOnHover}
          title="Hold the tape still while the pointer is over it"
          onClick={() => onSettings({ pauseOnHover: !pauseOnHover })}
        >
          Pause on hover
        </button>
        {/* Written by the painter (at most twice a second while live): lines held, or how many arrived while paused. */}
        <span className="panel-meta" aria-label="Tape status">
          <span ref={statusRef} />
          <span className="warn-text" ref={droppedRef} />
        </span>
      </div>
      <StreamProblem error={error} choice={choice} />
      <PaperFillsStrip choice={choice} />
      {choice && !error && (
        <>
          <div className="tape-head" aria-hidden="true">
            <span>Time</span>
            <span>Price</span>
            <span>Size</span>
            <span />
          </div>
          <div className="tape-view">
            <div
              ref={attachScroll}
              className={paused ? 'tape-scroll paused' : 'tape-scroll'}
              role="table"
              aria-label="Time and sales"
              tabIndex={0}
              onMouseEnter={pause}
              onMouseLeave={resume}
              onScroll={(e) => {
                scrollTop.current = e.currentTarget.scrollTop;
                table.current.now = true;
                requestPaint();
              }}
            >
              <p className="empty-state" ref={emptyRef}>
                Waiting for trades…
              </p>
              {/* Rows are placed here by TapeRows, not by React; what is seen is the canvas over them. */}
              <div className="tape-rows" ref={rowsRef} />
            </div>
            <canvas ref={canvasRef} className="tape-canvas" aria-hidden="true" />
          </div>
        </>
      )}
    </div>
  );
}

/** Set a node's text only when it changes. */
function write(el: HTMLElement | null, text: string): void {
  if (el && el.textContent !== text) el.textContent = text;
}
