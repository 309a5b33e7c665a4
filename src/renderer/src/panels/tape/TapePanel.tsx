import { useEffect, useMemo, useRef, useState } from 'react';
import type { ContractErrorInfo } from '../../../../shared/contract';
import { NumberSelect, StreamProblem, useSelectValue } from '../../components/PanelControls';
import { getApi } from '../../api';
import { formatPriceText, formatSize } from '../../format';
import { useSize } from '../../hooks/useSize';
import { PaperFillsStrip } from '../market-maker/overlay';
import type { PanelProps } from '../types';
import { formatTimeOfDay, largeThreshold, TapeModel, visibleRange, type LargeRule, type LineList, type TapeLine } from './tape-model';
import './tape.css';

export interface TapeSettings {
  aggregate: boolean;
  minSize: number;
  largeMode: LargeRule['mode'];
  largeMultiple: number;
  largeSize: number;
  pauseOnHover: boolean;
}

const ROW_HEIGHT = 18;
/** Prints from before the subscription the first frame brings, so the tape does not start empty. */
const BACKLOG = 500;
const MIN_SIZE_CHOICES = [0, 0.001, 0.01, 0.1, 1, 10, 100, 1000, 10_000, 100_000];
const LARGE_CHOICES: Array<{ value: string; label: string; rule: Pick<LargeRule, 'mode'> & Partial<LargeRule> }> = [
  { value: 'median:5', label: '5× median', rule: { mode: 'median', multiple: 5 } },
  { value: 'median:10', label: '10× median', rule: { mode: 'median', multiple: 10 } },
  { value: 'median:20', label: '20× median', rule: { mode: 'median', multiple: 20 } },
  { value: 'median:50', label: '50× median', rule: { mode: 'median', multiple: 50 } },
  ...[0.1, 1, 10, 100, 1000, 10_000, 100_000].map((size) => ({ value: `size:${size}`, label: `≥ ${size}`, rule: { mode: 'size' as const, size } })),
];

function sideName(side: TapeLine['side']): string {
  return side === 'buy' ? 'taker buy' : side === 'sell' ? 'taker sell' : 'side unknown';
}

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

  const venue = choice?.venue;
  const symbol = choice?.symbol;
  const streamKey = venue && symbol ? `${venue}:${symbol}` : '';
  // One model per symbol; frames go straight into it, whatever the view is doing.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const model = useMemo(() => new TapeModel(), [streamKey]);
  const [version, setVersion] = useState(0);
  const [failure, setFailure] = useState<{ key: string; error: ContractErrorInfo } | null>(null);
  const error = failure?.key === streamKey ? failure.error : null;
  const [decimals, setDecimals] = useState<{ price: number | null; size: number | null }>({ price: null, size: null });

  useEffect(() => {
    if (!venue || !symbol) return;
    // The view is redrawn at most once per animation frame, however many frames arrive.
    let redraw = 0;
    const unsubscribe = getApi().subscribe(
      'trades',
      { venue, symbol, backlog: BACKLOG },
      (frame) => {
        model.push(frame.trades, frame.dropped);
        setDecimals((d) => (d.price === frame.priceDecimals && d.size === frame.sizeDecimals ? d : { price: frame.priceDecimals, size: frame.sizeDecimals }));
        if (!redraw) {
          redraw = requestAnimationFrame(() => {
            redraw = 0;
            setVersion(model.version);
          });
        }
      },
      (e) => setFailure({ key: `${venue}:${symbol}`, error: e }),
    );
    return () => {
      unsubscribe();
      if (redraw) cancelAnimationFrame(redraw);
    };
  }, [model, venue, symbol]);

  // `version` says the model changed (it is mutable, so the hooks cannot see that themselves).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const live = useMemo(() => model.liveLines({ aggregate, minSize }), [model, version, aggregate, minSize]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const threshold = useMemo(() => largeThreshold(rule, model.medianLineSize(aggregate)), [model, version, aggregate, rule.mode, rule.multiple, rule.size]);

  // Paused: keep showing the lines as they were; the model goes on taking prints. A pause belongs to
  // the view it froze: another symbol or filter ends it.
  const viewKey = `${streamKey}:${aggregate}:${minSize}:${pauseOnHover}`;
  const [pauseState, setPaused] = useState<{ view: string; lines: TapeLine[]; received: number; threshold: number } | null>(null);
  const paused = pauseState?.view === viewKey ? pauseState : null;
  const lines: LineList = paused?.lines ?? live;
  const shownThreshold = paused?.threshold ?? threshold;
  const pause = () => {
    // A copy: the live list reads the model's ring, which goes on changing.
    if (pauseOnHover && !paused) setPaused({ view: viewKey, lines: model.lines({ aggregate, minSize }), received: model.received, threshold });
  };
  const resume = () => {
    setPaused(null);
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    setScrollTop(0);
  };

  const scrollRef = useRef<HTMLDivElement>(null);
  const { height } = useSize(scrollRef);
  const [scrollTop, setScrollTop] = useState(0);
  const range = visibleRange(scrollTop, height, ROW_HEIGHT, lines.length);
  const priceDecimals = decimals.price ?? model.priceDecimals;
  const sizeDecimals = Math.min(8, decimals.size ?? model.sizeDecimals);
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
        <span className="panel-meta" aria-label="Tape status">
          {paused ? <span className="warn-text">Paused · {model.received - paused.received} new</span> : `${lines.length} lines`}
          {model.droppedByHost > 0 && <span className="warn-text"> · {model.droppedByHost} skipped by host</span>}
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
          <div
            ref={scrollRef}
            className={paused ? 'tape-scroll paused' : 'tape-scroll'}
            role="table"
            aria-label="Time and sales"
            aria-rowcount={lines.length}
            tabIndex={0}
            onMouseEnter={pause}
            onMouseLeave={resume}
            onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          >
            {lines.length === 0 && <p className="empty-state">Waiting for trades…</p>}
            <div className="tape-rows" style={{ height: lines.length * ROW_HEIGHT }}>
              {lines.slice(range.from, range.to).map((line, i) => {
                const index = range.from + i;
                const large = line.sizeValue >= shownThreshold;
                return (
                  <div
                    key={line.key}
                    role="row"
                    aria-rowindex={index + 1}
                    className={`tape-row ${line.side}${large ? ' large' : ''}${line.history ? ' history' : ''}`}
                    style={{ top: index * ROW_HEIGHT }}
                    title={`${sideName(line.side)}${line.prints > 1 ? `, ${line.prints} prints from ${line.firstPrice} to ${line.price}` : ''}${line.history ? ', sent on subscribe (before it)' : ''}`}
                  >
                    <span className="time" role="cell">
                      {formatTimeOfDay(line.exchangeTs)}
                    </span>
                    <span className="price" role="cell">
                      {formatPriceText(line.price, priceDecimals)}
                    </span>
                    <span className="size" role="cell">
                      {formatSize(line.sizeValue, sizeDecimals)}
                    </span>
                    <span className="prints" role="cell">
                      {line.prints > 1 ? `×${line.prints}` : ''}
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
        </>
      )}
    </div>
  );
}
