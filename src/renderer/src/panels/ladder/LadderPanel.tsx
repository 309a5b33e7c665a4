import { useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ContractErrorInfo, LadderFrame } from '../../../../shared/contract';
import { getApi } from '../../api';
import { NumberSelect } from '../../components/PanelControls';
import { StateBadge } from '../../components/StateBadge';
import { formatCount, formatPriceText } from '../../format';
import { useFrameJob } from '../../hooks/useFrameJob';
import { useSize } from '../../hooks/useSize';
import { prepareCanvas } from '../canvas';
import { paintLadderQuotes, useMarketMakerOverlay } from '../market-maker/overlay';
import type { PanelProps } from '../types';
import { writeData } from '../dataset';
import { HEADER_HEIGHT, ROW_HEIGHT, paintLadder, type ColumnChars } from './draw';
import {
  buildGrid,
  DEPTH_STEP,
  depthFor,
  followCenter,
  formatColumnSize,
  formatUnits,
  inferStep,
  markWalls,
  placeTraded,
  priceUnits,
  sizeDecimalsNeeded,
  stepAt,
  topForCenter,
  tradeRowPrice,
  unitsDecimals,
  type GridRow,
  type GridStep,
} from './grid';
import './ladder.css';
import { currentPalette, usePalette } from '../../theme/theme';
import type { Palette } from '../../theme/palette';

export interface LadderSettings {
  group: number;
  /** Show cumulative size columns beside the sizes. */
  cumulative: boolean;
  /** Show traded volume columns (taker sells | taker buys, last 5 minutes) beside the sizes. */
  volume?: boolean;
}

const GROUP_CHOICES = [1, 2, 5, 10, 25, 50, 100, 500, 1000];

/** What the grid remembers between paints for one book (venue, symbol, grouping). */
interface ViewState {
  key: string;
  frame: LadderFrame | null;
  /** The depth the shown frame was asked for (a side that fills it may go on further). */
  frameDepth: number;
  step: GridStep | null;
  /** Price of the middle row, in units of 10^-decimals; null until the first frame. */
  center: number | null;
  decimals: number;
  follow: boolean;
  /** Wheel travel (in rows) not yet applied. */
  wheelRows: number;
  rowCount: number;
  stepUnits: number;
  chars: ColumnChars;
  /** What the canvas shows now; a frame that would paint the same is not painted again. */
  painted: Painted | null;
}

/** Everything a paint depends on, to tell whether a new one would change the canvas. */
interface Painted {
  canvas: HTMLCanvasElement;
  width: number;
  height: number;
  showCum: boolean;
  showVol: boolean;
  palette: Palette;
  quotes: unknown;
  step: number;
  decimals: number;
  priceShown: number;
  sizeShown: number;
  bestBid: number | null;
  bestAsk: number | null;
  lastPrice: number | null;
  lastSide: string | null;
  rows: GridRow[];
}

function sameRows(a: readonly GridRow[], b: readonly GridRow[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x.price !== y.price ||
      x.bidSize !== y.bidSize ||
      x.askSize !== y.askSize ||
      x.bidCum !== y.bidCum ||
      x.askCum !== y.askCum ||
      x.zone !== y.zone ||
      x.unloaded !== y.unloaded ||
      x.wall !== y.wall ||
      x.buyVol !== y.buyVol ||
      x.sellVol !== y.sellVol
    )
      return false;
  }
  return true;
}

function samePaint(a: Painted | null, b: Painted): boolean {
  if (!a) return false;
  for (const key of Object.keys(b) as Array<keyof Painted>) {
    if (key !== 'rows' && a[key] !== b[key]) return false;
  }
  return sameRows(a.rows, b.rows);
}

function freshView(key: string): ViewState {
  return {
    key,
    frame: null,
    frameDepth: 0,
    step: null,
    center: null,
    decimals: 0,
    follow: true,
    wheelRows: 0,
    rowCount: 0,
    stepUnits: 1,
    chars: { price: 0, size: 0, cum: 0, vol: 0 },
    painted: null,
  };
}

/** Set a node's text only when it changes (these update with every frame). */
function write(el: HTMLElement | null, text: string): void {
  if (el && el.textContent !== text) el.textContent = text;
}

interface Status {
  key: string;
  hasFrame: boolean;
  state: LadderFrame['state'] | null;
  message: string | null;
  error: ContractErrorInfo | null;
}

/**
 * DOM ladder on a fixed price grid: one row per price step at the chosen grouping (empty prices
 * included), bid size | price | ask size with bars beside the numbers, as many rows as fit. Drawn on
 * a canvas; the wheel (or ↑/↓, PgUp/PgDn) scrolls by price, Recenter (or C) returns to the spread,
 * which it then follows. Frames paint straight onto the canvas without a React render; best bid and
 * ask are also written into a small table for screen readers and tests.
 */
export function LadderPanel({ choice, settings, onSettings }: PanelProps<LadderSettings>) {
  const group = settings.group ?? 1;
  const showCum = settings.cumulative ?? false;
  const showVol = settings.volume ?? false;
  const bookKey = choice ? `${choice.venue}:${choice.symbol}:${group}` : '';
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const spreadRef = useRef<HTMLElement>(null);
  const depthTextRef = useRef<HTMLSpanElement>(null);
  const bidPriceRef = useRef<HTMLTableCellElement>(null);
  const bidSizeRef = useRef<HTMLTableCellElement>(null);
  const askPriceRef = useRef<HTMLTableCellElement>(null);
  const askSizeRef = useRef<HTMLTableCellElement>(null);
  const { width, height } = useSize(boxRef);
  const [depth, setDepth] = useState(DEPTH_STEP * 2);
  // Whether the view follows the spread (mirrors view.follow, for the Recenter button); a new book follows.
  const [followed, setFollowed] = useState({ key: bookKey, follow: true });
  const follow = followed.key === bookKey ? followed.follow : true;
  const [status, setStatus] = useState<Status>({ key: bookKey, hasFrame: false, state: null, message: null, error: null });
  const error = status.key === bookKey ? status.error : null;
  const hasFrame = status.key === bookKey && status.hasFrame;
  const view = useRef<ViewState>(freshView(bookKey));
  const sizeRef = useRef({ width, height, showCum, showVol, depth });
  const marketMaker = useMarketMakerOverlay(choice);

  const paint = useCallback(() => {
    const v = view.current;
    const frame = v.frame;
    const { width, height, showCum, showVol, depth } = sizeRef.current;
    if (!frame) return;
    const decimals = frame.priceDecimals;
    if (decimals !== v.decimals) {
      // The book's price scale changed: re-express the centre, and let the columns re-measure.
      v.center = v.center === null ? null : stepAt({ units: v.center, decimals: v.decimals }, decimals);
      v.decimals = decimals;
      v.chars = { price: 0, size: 0, cum: 0, vol: 0 };
    }
    v.step = inferStep(frame, v.step);
    const step = (v.step && stepAt(v.step, decimals)) || 1;
    if (step !== v.stepUnits) {
      v.stepUnits = step;
      v.chars = { price: 0, size: 0, cum: 0, vol: 0 };
    }
    const bestBid = frame.bids.length ? priceUnits(frame.bids[0]![0], decimals) : null;
    const bestAsk = frame.asks.length ? priceUnits(frame.asks[0]![0], decimals) : null;
    const priceShown = unitsDecimals(step, decimals);
    const sizeShown = sizeDecimalsNeeded(frame);

    // Top of book as text (for screen readers and tests), and the spread.
    const bid = frame.bids[0];
    const ask = frame.asks[0];
    write(bidPriceRef.current, bid ? formatPriceText(bid[0], decimals) : '—');
    write(bidSizeRef.current, bid ? formatColumnSize(Number(bid[1]), sizeShown) : '—');
    write(askPriceRef.current, ask ? formatPriceText(ask[0], decimals) : '—');
    write(askSizeRef.current, ask ? formatColumnSize(Number(ask[1]), sizeShown) : '—');
    // The book's own spread (grouped rows would round it to the step), in bps of the mid.
    let spread = '—';
    if (frame.spread !== null && bestBid !== null && bestAsk !== null) {
      const spreadUnits = priceUnits(frame.spread, decimals);
      const bps = ((spreadUnits ?? Number(frame.spread) * 10 ** decimals) / ((bestAsk + bestBid) / 2)) * 10_000;
      const text = spreadUnits === null ? frame.spread : formatUnits(spreadUnits, decimals, Math.max(priceShown, unitsDecimals(spreadUnits, decimals)));
      spread = `${text} (${bps >= 1 ? bps.toFixed(2) : bps.toPrecision(2)} bps)`;
    }
    write(spreadRef.current, spread);
    write(depthTextRef.current, `${formatCount(frame.bidLevels)} bids · ${formatCount(frame.askLevels)} asks`);

    const canvas = canvasRef.current;
    const ctx = prepareCanvas(canvas, width, height);
    if (!canvas || !ctx) return;
    const rowCount = Math.max(1, Math.floor((height - HEADER_HEIGHT) / ROW_HEIGHT));
    v.rowCount = rowCount;
    if (v.follow || v.center === null) {
      v.center = followCenter(v.center, bestBid, bestAsk, step, Math.max(1, Math.floor(rowCount / 8)));
    } else {
      // Scrolled: stay on the grid and within the levels loaded (more load as the depth grows).
      const lowest = priceUnits((frame.bids.at(-1) ?? frame.asks[0])?.[0] ?? '', decimals);
      const highest = priceUnits((frame.asks.at(-1) ?? frame.bids[0])?.[0] ?? '', decimals);
      let c = Math.round(v.center / step) * step;
      if (lowest !== null) c = Math.max(c, Math.ceil(lowest / step) * step);
      if (highest !== null) c = Math.min(c, Math.floor(highest / step) * step);
      v.center = c;
    }
    if (v.center === null) {
      // No book yet (or it was cleared for a resync): show nothing rather than stale rows.
      ctx.clearRect(0, 0, width, height);
      writeData(canvas, 'grid', '');
      v.painted = null;
      return;
    }
    const top = topForCenter(v.center, rowCount, step);
    const truncated = (side: 'bid' | 'ask') => {
      const loaded = side === 'bid' ? frame.bids.length : frame.asks.length;
      const total = side === 'bid' ? frame.bidLevels : frame.askLevels;
      return loaded >= v.frameDepth && (group > 1 || total > loaded);
    };
    const grid = buildGrid(frame, { top, rowCount, step, bidsTruncated: truncated('bid'), asksTruncated: truncated('ask') });
    const walls = markWalls(grid.rows);
    if (showVol && frame.traded) placeTraded(grid.rows, frame.traded, decimals, step);
    const last = frame.lastTrade;
    const lastPrice = last ? tradeRowPrice(last.price, last.side, decimals, step) : null;
    // Ask for enough levels to cover the view (and shrink again when scrolled back).
    const wanted = depthFor(grid.levelsNeeded);
    if (wanted > depth || wanted <= depth - 2 * DEPTH_STEP) setDepth(wanted);

    // Many frames change nothing in view (levels moved further out, or the same sizes again): the
    // canvas already shows them.
    const painted: Painted = {
      canvas,
      width,
      height,
      showCum,
      showVol,
      palette: currentPalette(),
      quotes: marketMaker.ref.current,
      step,
      decimals,
      priceShown,
      sizeShown,
      bestBid,
      bestAsk,
      lastPrice,
      lastSide: last?.side ?? null,
      rows: grid.rows,
    };
    if (samePaint(v.painted, painted)) return;
    v.painted = painted;
    const texts = paintLadder(ctx, {
      width,
      height,
      rows: grid.rows,
      priceDecimals: decimals,
      priceShown,
      sizeShown,
      showCum,
      showVol,
      lastTrade: last && lastPrice !== null ? { price: lastPrice, side: last.side } : null,
      bestBid,
      bestAsk,
      chars: v.chars,
    });
    paintLadderQuotes(ctx, marketMaker.ref.current, grid.rows, { width, top: HEADER_HEIGHT, rowHeight: ROW_HEIGHT, decimals, step });

    // What tests (and anyone inspecting the page) can read of the painted grid.
    writeData(canvas, 'top', texts[0]?.price ?? '');
    writeData(canvas, 'step', formatUnits(step, decimals, priceShown));
    writeData(canvas, 'rows', String(rowCount));
    writeData(canvas, 'walls', String(walls));
    writeData(canvas, 'grid', texts.map((t) => `${t.bid}|${t.price}|${t.ask}`).join(';'));
    // Sold|Bought per row while the volume columns are drawn; the last print's row price.
    writeData(canvas, 'volume', texts.some((t) => t.buyVol || t.sellVol) ? texts.map((t) => `${t.sellVol}|${t.buyVol}`).join(';') : '');
    const lastIndex = lastPrice === null ? -1 : grid.rows.findIndex((r) => r.price === lastPrice);
    writeData(canvas, 'lastTrade', lastIndex >= 0 ? `${texts[lastIndex]!.price}|${last!.side}` : '');
  }, [group, marketMaker.ref]);

  const requestPaint = useFrameJob(paint).request;
  // The paper market maker's quotes moved: repaint them.
  useEffect(() => requestPaint(), [marketMaker.frame, requestPaint]);
  // The theme changed: repaint in its colours.
  const palette = usePalette();
  useEffect(() => requestPaint(), [palette, requestPaint]);

  // A new book (or grouping) starts a fresh view, before anything paints.
  useLayoutEffect(() => {
    if (view.current.key !== bookKey) view.current = freshView(bookKey);
  }, [bookKey]);

  const venue = choice?.venue ?? null;
  const symbol = choice?.symbol ?? '';
  useEffect(() => {
    if (!venue || !symbol) return;
    return getApi().subscribe(
      'book.ladder',
      { venue, symbol, depth, group },
      (frame) => {
        const v = view.current;
        if (v.key !== bookKey) return;
        v.frame = frame;
        v.frameDepth = depth;
        setStatus((s) =>
          s.key === bookKey && s.hasFrame && s.state === frame.state && s.message === frame.message && s.error === null
            ? s
            : { key: bookKey, hasFrame: true, state: frame.state, message: frame.message, error: null },
        );
        requestPaint();
      },
      (error) => setStatus({ key: bookKey, hasFrame: false, state: null, message: null, error }),
    );
  }, [venue, symbol, bookKey, depth, group, requestPaint]);

  // Resizes, the cumulative toggle and the first frame's table paint at once (a resized canvas is blank).
  useLayoutEffect(() => {
    sizeRef.current = { width, height, showCum, showVol, depth };
    paint();
  }, [width, height, showCum, showVol, depth, hasFrame, paint]);

  const recenter = useCallback(() => {
    const v = view.current;
    v.follow = true;
    v.center = null;
    v.wheelRows = 0;
    setFollowed({ key: v.key, follow: true });
    requestPaint();
  }, [requestPaint]);

  /** Move the view by whole rows (positive = towards higher prices); stops following the spread. */
  const scrollRows = useCallback(
    (rows: number) => {
      const v = view.current;
      if (rows === 0 || v.center === null) return;
      v.center += rows * v.stepUnits;
      if (v.follow) {
        v.follow = false;
        setFollowed({ key: v.key, follow: false });
      }
      requestPaint();
    },
    [requestPaint],
  );

  // The wheel scrolls the grid, not the page: a non-passive listener so it can preventDefault.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const v = view.current;
      const perRow = e.deltaMode === 1 ? 1 : e.deltaMode === 2 ? Math.max(1, v.rowCount - 2) : 1 / ROW_HEIGHT;
      v.wheelRows += e.deltaY * perRow;
      const whole = Math.trunc(v.wheelRows);
      v.wheelRows -= whole;
      scrollRows(-whole);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [scrollRows, hasFrame]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const page = Math.max(1, view.current.rowCount - 2);
    const moves: Record<string, number> = { ArrowUp: 1, ArrowDown: -1, PageUp: page, PageDown: -page };
    if (e.key in moves) scrollRows(moves[e.key]!);
    else if (e.key === 'c' || e.key === 'C' || e.key === 'Home') recenter();
    else return;
    e.preventDefault();
  };

  return (
    <div className="ladder-panel">
      <div className="panel-toolbar">
        <StateBadge state={hasFrame ? status.state : null} />
        <NumberSelect
          label="Group"
          name="Price grouping in ticks"
          value={group}
          options={GROUP_CHOICES}
          format={(n) => (n === 1 ? 'none' : `${n} ticks`)}
          onChange={(n) => onSettings({ group: n })}
        />
        <label>
          <input type="checkbox" checked={showCum} onChange={(e) => onSettings({ cumulative: e.target.checked })} aria-label="Show cumulative size" />
          Cum
        </label>
        <label title="Traded volume per price over the last 5 minutes: taker sells beside the bids, taker buys beside the asks">
          <input type="checkbox" checked={showVol} onChange={(e) => onSettings({ volume: e.target.checked })} aria-label="Show traded volume" />
          Vol
        </label>
        <button
          type="button"
          className={follow ? 'tool-button active' : 'tool-button'}
          onClick={recenter}
          aria-label="Recenter on spread"
          title="Recenter on the spread and follow it (C)"
        >
          Recenter
        </button>
        {hasFrame && (
          <span className="ladder-spread">
            spread <strong data-testid="spread" ref={spreadRef} />
          </span>
        )}
        {hasFrame && <span className="panel-meta" aria-label="Book depth" ref={depthTextRef} />}
      </div>
      {!choice && <p className="empty-state">Pick a symbol to see its book.</p>}
      {error && (
        <p className="error-state" role="alert">
          {error.message}
        </p>
      )}
      {choice && !error && !hasFrame && <p className="empty-state">Connecting to {choice.symbol}…</p>}
      {hasFrame && status.message && status.state !== 'synced' && (
        <p className="warn-state" role="status">
          {status.message}
        </p>
      )}
      <div className="ladder-box" ref={boxRef}>
        {hasFrame && (
          <>
            <canvas
              ref={canvasRef}
              className="ladder-canvas"
              tabIndex={0}
              role="img"
              aria-label={`Price ladder for ${symbol}`}
              title="Wheel or ↑/↓ PgUp/PgDn to scroll by price; C to recenter"
              onKeyDown={onKeyDown}
            />
            <table className="ladder-summary" aria-label={`Order book ladder for ${symbol}`}>
              <thead>
                <tr>
                  <th scope="col">Side</th>
                  <th scope="col">Price</th>
                  <th scope="col">Size</th>
                </tr>
              </thead>
              <tbody>
                <tr data-side="ask" className="best">
                  <th scope="row">Best ask</th>
                  <td className="price" ref={askPriceRef} />
                  <td className="size" ref={askSizeRef} />
                </tr>
                <tr data-side="bid" className="best">
                  <th scope="row">Best bid</th>
                  <td className="price" ref={bidPriceRef} />
                  <td className="size" ref={bidSizeRef} />
                </tr>
              </tbody>
            </table>
          </>
        )}
      </div>
    </div>
  );
}
