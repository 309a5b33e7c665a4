/**
 * Replay capture lines already in memory through the same ReplayDriver as replayCapture (parse, sync,
 * apply, top-of-book diff), without reading a file: benchmarks time the replay machinery alone, and
 * soak tests replay the same lines many times.
 */
import type { BookEvent } from '../../shared/market';
import { nullLogger, type Logger } from '../log';
import type { SymbolFeed } from '../venues/symbol-feed';
import { parseCaptureLine, type CaptureLine } from './format';
import { nextMacrotask, ReplayDriver, topOfBookCounter, verifyTotals } from './replay';

export interface LinesReplayResult {
  /** Frames delivered to an adapter. */
  messages: number;
  topOfBookChanges: number;
  gaps: number;
  resyncs: number;
  checksumOk: number;
  checksumFailed: number;
  bboOk: number;
  bboFailed: number;
  malformedFrames: number;
}

export interface LinesReplayOptions {
  logger?: Logger;
  onBook?: (feed: SymbolFeed, event: BookEvent) => void;
}

/** Capture text (one JSON object per line) to lines; corrupt lines are an error here, not skipped. */
export function parseCaptureText(text: string): CaptureLine[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return parseCaptureLine(l);
      } catch (error) {
        throw new Error(`capture line ${i + 1}: ${(error as Error).message}`, { cause: error });
      }
    });
}

/** Replay lines at full speed; behaves as replayCapture on a file holding the same lines. */
export async function replayLines(lines: readonly CaptureLine[], options: LinesReplayOptions = {}): Promise<LinesReplayResult> {
  const counter = topOfBookCounter(options);
  const driver = new ReplayDriver(counter.listener, options.logger ?? nullLogger);
  for (const line of lines) {
    if (driver.handle(line)) await nextMacrotask();
  }
  driver.end();
  await nextMacrotask();
  const { verify, malformedFrames } = verifyTotals(driver);
  driver.close();
  return {
    messages: driver.messages,
    topOfBookChanges: counter.changes(),
    gaps: verify.gaps,
    resyncs: verify.resyncs,
    checksumOk: verify.checksumOk,
    checksumFailed: verify.checksumFailed,
    bboOk: verify.bboOk,
    bboFailed: verify.bboFailed,
    malformedFrames,
  };
}
