import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DepthFrame } from '../../../../shared/contract';
import { NumberSelect, StreamProblem } from '../../components/PanelControls';
import { StateBadge } from '../../components/StateBadge';
import { formatSize } from '../../format';
import { useSize } from '../../hooks/useSize';
import { useStream } from '../../hooks/useStream';
import type { PanelProps } from '../types';

export interface DepthSettings {
  rangeBps: number;
}

const RANGE_CHOICES = [0, 5, 10, 25, 50, 100, 250, 500, 1000];
const POINTS = 80;

/** Chart data on one price axis: bids (left of mid) then asks, cumulative curves and per-bucket bars. */
export function depthSeries(f: DepthFrame): uPlot.AlignedData {
  const n = f.bidSizes.length;
  const x: number[] = [];
  const bidCum: Array<number | null> = [];
  const askCum: Array<number | null> = [];
  const bidBar: Array<number | null> = [];
  const askBar: Array<number | null> = [];
  if (f.mid === null) return [[], [], [], [], []];
  let cum = 0;
  const bidCumOut: number[] = [];
  for (let i = 0; i < n; i++) bidCumOut.push((cum += f.bidSizes[i]!));
  for (let i = n - 1; i >= 0; i--) {
    x.push(f.mid * (1 - ((i + 0.5) * f.bucketBps) / 10_000));
    bidCum.push(bidCumOut[i]!);
    askCum.push(null);
    bidBar.push(f.bidSizes[i]!);
    askBar.push(null);
  }
  cum = 0;
  for (let i = 0; i < n; i++) {
    cum += f.askSizes[i]!;
    x.push(f.mid * (1 + ((i + 0.5) * f.bucketBps) / 10_000));
    bidCum.push(null);
    askCum.push(cum);
    bidBar.push(null);
    askBar.push(f.askSizes[i]!);
  }
  return [x, bidCum, askCum, bidBar, askBar];
}

const BID = '#26a96c';
const ASK = '#e5534b';

/** Depth: cumulative size curves and mirrored per-bucket bars (bids left, asks right) within ±range of mid. */
export function DepthPanel({ choice, settings, onSettings }: PanelProps<DepthSettings>) {
  const rangeBps = settings.rangeBps ?? 0;
  const params = choice ? { venue: choice.venue, symbol: choice.symbol, rangeBps, points: POINTS } : null;
  const { frame, error } = useStream('book.depth', params, choice ? `${choice.venue}:${choice.symbol}:${rangeBps}` : '');
  const boxRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const { width, height } = useSize(boxRef);

  useEffect(() => {
    const box = boxRef.current;
    if (!box || width === 0 || height === 0) return;
    const bars = uPlot.paths.bars!({ size: [0.9, 40] });
    const stepped = uPlot.paths.stepped!({ align: 1 });
    const axis = { stroke: '#7d8a9c', grid: { stroke: '#1c2532', width: 1 }, ticks: { stroke: '#222c3a', width: 1 }, font: '11px system-ui' };
    const plot = new uPlot(
      {
        width,
        height,
        legend: { show: false },
        cursor: { y: false, points: { show: false } },
        scales: { x: { time: false }, cum: { range: (_u, _min, max) => [0, Math.max(1e-9, max) * 1.05] }, bar: { range: (_u, _min, max) => [0, Math.max(1e-9, max) * 3] } },
        axes: [
          { ...axis, size: 32 },
          { ...axis, scale: 'cum', size: 60, values: (_u, splits) => splits.map((v) => formatSize(v, 1)) },
          { ...axis, scale: 'bar', side: 1, size: 0, show: false },
        ],
        series: [
          {},
          { label: 'Bid depth', scale: 'cum', stroke: BID, fill: 'rgba(38,169,108,0.18)', width: 1.5, paths: stepped },
          { label: 'Ask depth', scale: 'cum', stroke: ASK, fill: 'rgba(229,83,75,0.18)', width: 1.5, paths: stepped },
          { label: 'Bid size', scale: 'bar', fill: 'rgba(38,169,108,0.55)', stroke: 'transparent', paths: bars },
          { label: 'Ask size', scale: 'bar', fill: 'rgba(229,83,75,0.55)', stroke: 'transparent', paths: bars },
        ],
      },
      [[], [], [], [], []],
      box,
    );
    plotRef.current = plot;
    return () => {
      plot.destroy();
      plotRef.current = null;
    };
  }, [width, height]);

  useEffect(() => {
    if (frame && plotRef.current) plotRef.current.setData(depthSeries(frame));
  }, [frame, width, height]);

  const bidTotal = frame ? frame.bidSizes.reduce((a, b) => a + b, 0) : 0;
  const askTotal = frame ? frame.askSizes.reduce((a, b) => a + b, 0) : 0;
  return (
    // A layout and paint boundary: what changes inside (20 frames/s) does not lay out the dashboard.
    <div className="chart-panel depth-panel">
      <div className="panel-toolbar">
        <StateBadge state={frame?.state ?? null} />
        <NumberSelect
          label="Range"
          name="Depth range around mid in basis points"
          value={rangeBps}
          options={RANGE_CHOICES}
          format={(n) => (n === 0 ? 'auto' : `±${n} bps`)}
          onChange={(n) => onSettings({ rangeBps: n })}
        />
        {frame && frame.mid !== null && (
          <span className="panel-meta" aria-label="Depth within range">
            <span className="bid-text">bids {formatSize(bidTotal, 2)}</span> · <span className="ask-text">asks {formatSize(askTotal, 2)}</span> within ±{Math.round(frame.bucketBps * frame.bidSizes.length * 10) / 10} bps
          </span>
        )}
      </div>
      <StreamProblem error={error} choice={choice} />
      <div className="chart-box" ref={boxRef} role="img" aria-label={choice ? `Depth chart for ${choice.symbol}` : 'Depth chart'} />
    </div>
  );
}
