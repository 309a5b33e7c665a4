/**
 * npm run replay -- <capture> [--verify] [--log] [--db FILE]
 * npm run replay -- <DIR or FILE> --format tardis
 *
 * Replays a capture at full speed through the live adapters and prints, as its last line, one JSON
 * object with the message count, the final books and every integrity counter. With --verify the JSON
 * gains "verifyOk", "problems" (one sentence each) and "booksWithoutData", and the exit code is 1 on any
 * problem: a check failed, a book that received data never synced, nothing was checked at all, lines
 * were corrupt, the file ended early or a venue in it is not supported (rules in capture/verify.ts).
 * With --db the top of book is stored in
 * that SQLite database through the live recording path (see store/replay-into-store.ts); the JSON
 * gains "stored", and the exit code is 1 when the rows written differ from topOfBookChanges.
 * With --latency the JSON gains "latency": per book, the exchange → receipt latency of every message
 * from the capture's own clocks (p50/p99/max/min in ms, exact over the file) and its message rate.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { replayCapture, type ReplayResult } from '../capture/replay';
import { judgeReplay } from '../capture/verify';
import { jsonLineLogger } from '../log';
import { replayIntoStore, type ReplayIntoStoreResult } from '../store/client/replay-into-store';
import { replayTardisCli } from '../bridges/tardis/replay-cli';
import { CaptureLatency } from '../latency/capture-latency';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run replay -- <capture.jsonl[.gz]> [--verify] [--log] [--db FILE] [--latency]\n       npm run replay -- <DIR|FILE.csv[.gz]> --format tardis\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        verify: { type: 'boolean', default: false },
        log: { type: 'boolean', default: false },
        latency: { type: 'boolean', default: false },
        db: { type: 'string' },
        /** capture (default) or tardis (tardis.dev incremental_book_L2 / trades CSV). */
        format: { type: 'string', default: 'capture' },
      },
    });
  } catch (error) {
    usage((error as Error).message);
  }
  const file = parsed.positionals[0];
  if (!file) usage('missing capture file');
  if (!existsSync(file)) usage(`capture file not found: ${file}`);
  if (parsed.values.format === 'tardis') {
    process.exitCode = await replayTardisCli(file);
    return;
  }
  if (parsed.values.format !== 'capture') usage(`--format must be capture or tardis, got "${parsed.values.format}"`);
  const logger = parsed.values.log ? jsonLineLogger((l) => process.stderr.write(l), 'debug') : undefined;
  let stored: ReplayIntoStoreResult | null = null;
  let result: ReplayResult;
  const latency = parsed.values.latency ? new CaptureLatency() : null;
  if (parsed.values.db) {
    if (latency) usage('--latency and --db cannot be combined');
    stored = await replayIntoStore(file, parsed.values.db, logger);
    result = stored.replay;
  } else {
    result = await replayCapture(file, { logger, onReceived: latency?.onReceived });
  }
  const out = {
    messages: result.messages,
    msgsPerSec: result.msgsPerSec,
    books: result.books.map((b) => ({
      venue: b.venue,
      symbol: b.symbol,
      bestBid: b.bestBid,
      bestAsk: b.bestAsk,
      bidLevels: b.bidLevels,
      askLevels: b.askLevels,
      state: b.state,
      messages: b.messages,
      everSynced: b.everSynced,
      trades: b.trades,
      tradeVolume: b.tradeVolume,
      buyVolume: b.buyVolume,
      sellVolume: b.sellVolume,
      tradeGaps: b.tradeGaps,
    })),
    verify: result.verify,
    topOfBookChanges: result.topOfBookChanges,
    malformedFrames: result.malformedFrames,
    corruptLines: result.corruptLines,
    endedEarly: result.endedEarly,
    unsupported: result.unsupported,
  };
  if (stored) {
    Object.assign(out, {
      stored: { db: stored.db, rowsWritten: stored.rowsWritten, rowsInDb: stored.rowsInDb, droppedRows: stored.droppedRows, errors: stored.errors },
    });
    if (stored.rowsWritten !== result.topOfBookChanges) {
      process.stderr.write(`replay: ${stored.rowsWritten} rows written but ${result.topOfBookChanges} top-of-book changes seen\n`);
      process.exitCode = 1;
    }
  }
  if (latency) Object.assign(out, { latency: latency.summary() });
  if (parsed.values.verify) {
    const verdict = judgeReplay(result);
    Object.assign(out, { verifyOk: verdict.ok, problems: verdict.problems, booksWithoutData: verdict.booksWithoutData });
    if (!verdict.ok) {
      for (const problem of verdict.problems) process.stderr.write(`replay: ${problem}\n`);
      process.exitCode = 1;
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((error: Error) => {
  process.stderr.write(`replay failed: ${error.message}\n`);
  process.exit(1);
});
