import { useEffect, useRef, useState } from 'react';
import { DEFAULT_FOOTPRINT_INTERVAL_MS, DEFAULT_IMBALANCE_RATIO, FOOTPRINT_INTERVALS_MS } from '../../../../shared/order-flow';
import { NumberSelect, StreamProblem } from '../../components/PanelControls';
import { formatQuantity, formatSigned, withUnit } from '../../format';
import { useMarketFormat } from '../../hooks/useMarketFormat';
import { useFrameJob } from '../../hooks/useFrameJob';
import { useSize } from '../../hooks/useSize';
import { useStream } from '../../hooks/useStream';
import { prepareCanvas } from '../canvas';
import type { PanelProps } from '../types';
import { writeData } from '../dataset';
import './footprint.css';
import { AXIS_WIDTH, drawFootprint, FOOTER_HEIGHT, MIN_COLUMN_WIDTH, ROW_HEIGHT } from './draw';

export interface FootprintSettings {
  intervalMs: number;
  groupTicks: number;
  imbalanceRatio: number;
}

/** 0: automatic (the main process picks 1, 2 or 5 × 10^k ticks so the candles' prices fit the height). */
const GROUP_CHOICES = [0, 1, 2, 5, 10, 25, 50, 100, 250, 1000];
const RATIO_CHOICES = [1.5, 2, 2.5, 3, 4, 5, 10];

export function groupName(ticks: number): string {
  return ticks === 0 ? 'auto' : `${ticks} tick${ticks === 1 ? '' : 's'}`;
}

export function intervalName(ms: number): string {
  return ms < 60_000 ? `${ms / 1000} s` : ms < 3_600_000 ? `${ms / 60_000} min` : `${ms / 3_600_000} h`;
}

/**
 * Footprint: per candle and price row, the volume sold and bought by takers ("sell × buy"), with the
 * delta, the point of control and diagonal imbalances, from the main process's exact sums.
 */
export function FootprintPanel({ choice, settings, onSettings }: PanelProps<FootprintSettings>) {
  const intervalMs = settings.intervalMs ?? DEFAULT_FOOTPRINT_INTERVAL_MS;
  const groupTicks = settings.groupTicks ?? 0;
  const imbalanceRatio = settings.imbalanceRatio ?? DEFAULT_IMBALANCE_RATIO;
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { width, height } = useSize(boxRef);
  // Ask for the candles the width shows and, in auto, rows the height shows (in steps, to resubscribe rarely).
  const candles = Math.min(200, Math.max(1, Math.floor((width - AXIS_WIDTH) / MIN_COLUMN_WIDTH)));
  const autoRows = Math.max(5, Math.floor((height - FOOTER_HEIGHT) / ROW_HEIGHT / 5) * 5);
  const sized = width > 0 && height > 0;
  const params = choice && sized ? { venue: choice.venue, symbol: choice.symbol, intervalMs, groupTicks, imbalanceRatio, candles, autoRows } : null;
  const key = choice && sized ? `${choice.venue}:${choice.symbol}:${intervalMs}:${groupTicks}:${imbalanceRatio}:${candles}:${groupTicks === 0 ? autoRows : ''}` : '';
  const { frame: latest, error } = useStream('flow.footprint', params, key);
  // A resize or a setting resubscribes: keep drawing the symbol's last frame until the new one comes.
  const [previous, setPrevious] = useState(latest);
  if (latest && latest !== previous) setPrevious(latest);
  const frame = latest ?? (previous && choice && previous.venue === choice.venue && previous.symbol === choice.symbol ? previous : null);
  const fmt = useMarketFormat(choice);
  const sizeDecimals = frame?.sizeDecimals ?? fmt.sizeDecimals;

  // Drawn in the shared frame loop (panels/frame-jobs.ts), not in the effect: a frame's draw then does
  // not land in the same animation frame as every other panel's.
  const drawJob = useFrameJob(() => {
    const ctx = prepareCanvas(canvasRef.current, width, height);
    const box = boxRef.current;
    if (!ctx || !box) return;
    const drawn = drawFootprint(ctx, frame, width, height, sizeDecimals);
    // The canvas holds no text: what it shows is also kept on the box for tests and assistive tools.
    writeData(box, 'priceLabels', drawn.priceLabels.join(' | '));
    writeData(box, 'poc', drawn.candles.map((c) => c.poc ?? '').join(' | '));
    writeData(box, 'candles', String(drawn.candles.length));
    writeData(box, 'imbalances', String(drawn.candles.reduce((n, c) => n + c.buyImbalances + c.sellImbalances, 0)));
  });
  useEffect(() => drawJob.request(), [frame, width, height, sizeDecimals, drawJob]);

  const last = frame?.candles.at(-1);
  const waiting = !choice ? null : !frame ? 'Loading…' : frame.candles.length === 0 ? 'No trades yet' : null;
  return (
    <div className="chart-panel footprint-panel">
      <div className="panel-toolbar">
        <NumberSelect label="Candle" name="Footprint interval" value={intervalMs} options={[...FOOTPRINT_INTERVALS_MS]} format={intervalName} onChange={(n) => onSettings({ intervalMs: n })} />
        <NumberSelect label="Rows" name="Footprint row size in ticks" value={groupTicks} options={GROUP_CHOICES} format={groupName} onChange={(n) => onSettings({ groupTicks: n })} />
        <NumberSelect label="Imbalance" name="Diagonal imbalance ratio" value={imbalanceRatio} options={RATIO_CHOICES} format={(n) => `${n}:1`} onChange={(n) => onSettings({ imbalanceRatio: n })} />
        {frame && groupTicks === 0 && (
          <span className="panel-meta-inline" aria-label="Row size">
            {groupName(frame.groupTicks)}
          </span>
        )}
        {last && (
          <span className="panel-meta" aria-label="Last candle">
            <span className={Number(last.delta) >= 0 ? 'bid-text' : 'ask-text'}>Δ {formatSigned(Number(last.delta), (v) => formatQuantity(v, sizeDecimals))}</span> · vol{' '}
            {withUnit(formatQuantity(Number(last.volume), sizeDecimals), fmt.base)}
          </span>
        )}
      </div>
      <StreamProblem error={error} choice={choice} />
      <div className="chart-box" ref={boxRef} role="img" aria-label={choice ? `Footprint for ${choice.symbol}` : 'Footprint'}>
        {waiting && <p className="chart-empty">{waiting}</p>}
        <canvas ref={canvasRef} />
      </div>
    </div>
  );
}
