import { useEffect, useRef, useState } from 'react';
import { DEFAULT_VALUE_AREA_PERCENT } from '../../../../shared/order-flow';
import { NumberSelect, StreamProblem } from '../../components/PanelControls';
import { formatPriceText, formatQuantity, withUnit } from '../../format';
import { useMarketFormat } from '../../hooks/useMarketFormat';
import { useFrameJob } from '../../hooks/useFrameJob';
import { useSize } from '../../hooks/useSize';
import { useStream } from '../../hooks/useStream';
import { prepareCanvas } from '../canvas';
import type { PanelProps } from '../types';
import { writeData } from '../dataset';
import { groupName } from '../footprint/FootprintPanel';
import { drawTradedProfile } from './draw';

export interface TradedProfileSettings {
  /** 0: the session (UTC day of the newest print); otherwise the last this many ms. */
  windowMs: number;
  groupTicks: number;
  valueAreaPercent: number;
}

const PERIOD_CHOICES = [0, 900_000, 3_600_000, 14_400_000];
/** 0: automatic (the main process picks 1, 2 or 5 × 10^k ticks so the period fits about one row per PROFILE_ROW_PX). */
const GROUP_CHOICES = [0, 1, 2, 5, 10, 25, 50, 100, 250, 1000];
const PROFILE_ROW_PX = 6;
const VALUE_AREA_CHOICES = [60, 68, 70, 80, 90];

function periodName(ms: number): string {
  return ms === 0 ? 'UTC day' : ms < 3_600_000 ? `last ${ms / 60_000} min` : `last ${ms / 3_600_000} h`;
}

/**
 * Traded volume profile: volume traded at each price over the session (UTC day) or a recent window,
 * taker sell and buy, with the point of control and the value area (70% by default).
 */
export function TradedProfilePanel({ choice, settings, onSettings }: PanelProps<TradedProfileSettings>) {
  const windowMs = settings.windowMs ?? 0;
  const groupTicks = settings.groupTicks ?? 0;
  const valueAreaPercent = settings.valueAreaPercent ?? DEFAULT_VALUE_AREA_PERCENT;
  const boxRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { width, height } = useSize(boxRef);
  // In auto, rows the height shows (in steps of 10, to resubscribe rarely).
  const autoRows = Math.min(1000, Math.max(10, Math.floor(height / PROFILE_ROW_PX / 10) * 10));
  const base = choice && height > 0 ? { venue: choice.venue, symbol: choice.symbol, groupTicks, autoRows, valueAreaPercent } : null;
  const params = base ? (windowMs === 0 ? { ...base, period: 'session' as const } : { ...base, period: 'window' as const, windowMs }) : null;
  const key = base ? `${base.venue}:${base.symbol}:${windowMs}:${groupTicks}:${valueAreaPercent}:${groupTicks === 0 ? autoRows : ''}` : '';
  const { frame: latest, error } = useStream('flow.tradedProfile', params, key);
  // A resize or a setting resubscribes: keep drawing the symbol's last frame until the new one comes.
  const [previous, setPrevious] = useState(latest);
  if (latest && latest !== previous) setPrevious(latest);
  const frame = latest ?? (previous && choice && previous.venue === choice.venue && previous.symbol === choice.symbol ? previous : null);
  const fmt = useMarketFormat(choice);

  // Drawn in the shared frame loop (panels/frame-jobs.ts), not in the effect: a frame's draw then does
  // not land in the same animation frame as every other panel's.
  const drawJob = useFrameJob(() => {
    const ctx = prepareCanvas(canvasRef.current, width, height);
    const box = boxRef.current;
    if (!ctx || !box) return;
    const drawn = drawTradedProfile(ctx, frame, width, height);
    // The canvas holds no text: what it shows is also kept on the box for tests and assistive tools.
    writeData(box, 'priceLabels', drawn.priceLabels.join(' | '));
    writeData(box, 'poc', drawn.poc ?? '');
    writeData(box, 'vah', drawn.vah ?? '');
    writeData(box, 'val', drawn.val ?? '');
    writeData(box, 'rows', String(drawn.rows));
  });
  useEffect(() => drawJob.request(), [frame, width, height, drawJob]);

  const sizeDecimals = frame?.sizeDecimals ?? fmt.sizeDecimals;
  const price = (text: string | null): string => (text === null || !frame ? '—' : formatPriceText(text, frame.priceDecimals));
  const waiting = !choice ? null : !frame ? 'Loading…' : frame.rows.length === 0 ? 'No trades yet' : null;
  return (
    <div className="chart-panel traded-profile-panel">
      <div className="panel-toolbar">
        <NumberSelect label="Period" name="Traded profile period" value={windowMs} options={PERIOD_CHOICES} format={periodName} onChange={(n) => onSettings({ windowMs: n })} />
        <NumberSelect label="Rows" name="Traded profile row size in ticks" value={groupTicks} options={GROUP_CHOICES} format={groupName} onChange={(n) => onSettings({ groupTicks: n })} />
        {frame && groupTicks === 0 && (
          <span className="panel-meta-inline" aria-label="Row size">
            {groupName(frame.groupTicks)}
          </span>
        )}
        <NumberSelect label="VA" name="Value area share" value={valueAreaPercent} options={VALUE_AREA_CHOICES} format={(n) => `${n}%`} onChange={(n) => onSettings({ valueAreaPercent: n })} />
        {frame && frame.rows.length > 0 && (
          <span className="panel-meta" aria-label="Profile summary">
            POC {price(frame.poc)} · VA {price(frame.valueAreaLow)}–{price(frame.valueAreaHigh)} · vol {withUnit(formatQuantity(Number(frame.volume), sizeDecimals), fmt.base)}
          </span>
        )}
      </div>
      <StreamProblem error={error} choice={choice} />
      <div className="chart-box" ref={boxRef} role="img" aria-label={choice ? `Traded volume profile for ${choice.symbol}` : 'Traded volume profile'}>
        {waiting && <p className="chart-empty">{waiting}</p>}
        <canvas ref={canvasRef} />
      </div>
    </div>
  );
}
