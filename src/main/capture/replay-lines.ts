/**
 * Replay capture lines already in memory through the same ReplayDriver as replayCapture (parse, sync,
 * apply, top-of-book diff), without reading a file: benchmarks time the replay machinery alone, and
 * soak tests replay the same lines many times.
 */
import type { BookEvent } from '../../shared/market';
import { TopOfBookTracker } from '../book/top-of-book';
import { nullLogger, type Logger } from '../log';
import type { FeedListener, SymbolFeed } from '../venues/symbol-feed';
import { parseCaptureLine, type CaptureLine } from './format';
import { ReplayDriver } from './replay';

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

const nextMacrotask = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** Replay lines at full speed; behaves as replayCapture on a file holding the same lines. */
export async function replayLines(lines: readonly CaptureLine[], options: LinesReplayOptions = {}): Promise<LinesReplayResult> {
  const trackers = new Map<SymbolFeed, TopOfBookTracker>();
  let topOfBookChanges = 0;
  const listener: FeedListener = {
    onBook(feed, event) {
      options.onBook?.(feed, event);
      let tracker = trackers.get(feed);
      if (!tracker) {
        tracker = new TopOfBookTracker();
        trackers.set(feed, tracker);
      }
      if (tracker.update(feed.book)) topOfBookChanges++;
    },
    onState() {},
  };
  const driver = new ReplayDriver(listener, options.logger ?? nullLogger);
  for (const line of lines) {
    if (driver.handle(line)) await nextMacrotask();
  }
  driver.end();
  await nextMacrotask();
  const result: LinesReplayResult = {
    messages: driver.messages,
    topOfBookChanges,
    gaps: 0,
    resyncs: 0,
    checksumOk: 0,
    checksumFailed: 0,
    bboOk: 0,
    bboFailed: 0,
    malformedFrames: 0,
  };
  for (const feed of driver.feeds()) {
    const h = feed.health;
    result.gaps += h.gaps;
    result.resyncs += h.resyncs;
    result.checksumOk += h.checksumOk;
    result.checksumFailed += h.checksumFailed;
    result.bboOk += h.bboOk;
    result.bboFailed += h.bboFailed;
    result.malformedFrames += h.malformed;
  }
  for (const adapter of driver.adapters.values()) result.malformedFrames += adapter.unattributedMalformed;
  driver.close();
  return result;
}
