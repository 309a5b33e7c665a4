/**
 * npm run replay -- <capture> [--verify] [--log] [--db FILE]
 *
 * Replays a capture at full speed through the live adapters and prints, as its last line, one JSON
 * object with the message count, the final books and every integrity counter. With --verify the JSON
 * gains "verifyOk" and the exit code is 1 when any checksum or best-bid/offer check failed, a gap was
 * seen, a book crossed or a venue in the file is not supported. With --db the top of book is stored in
 * that SQLite database through the live recording path (see store/replay-into-store.ts); the JSON
 * gains "stored", and the exit code is 1 when the rows written differ from topOfBookChanges.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { replayCapture, type ReplayResult } from '../capture/replay';
import { jsonLineLogger } from '../log';
import { replayIntoStore, type ReplayIntoStoreResult } from '../store/client/replay-into-store';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run replay -- <capture.jsonl[.gz]> [--verify] [--log] [--db FILE]\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { verify: { type: 'boolean', default: false }, log: { type: 'boolean', default: false }, db: { type: 'string' } },
    });
  } catch (error) {
    usage((error as Error).message);
  }
  const file = parsed.positionals[0];
  if (!file) usage('missing capture file');
  if (!existsSync(file)) usage(`capture file not found: ${file}`);
  const logger = parsed.values.log ? jsonLineLogger((l) => process.stderr.write(l), 'debug') : undefined;
  let stored: ReplayIntoStoreResult | null = null;
  let result: ReplayResult;
  if (parsed.values.db) {
    stored = await replayIntoStore(file, parsed.values.db, logger);
    result = stored.replay;
  } else {
    result = await replayCapture(file, { logger });
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
    })),
    verify: result.verify,
    topOfBookChanges: result.topOfBookChanges,
    malformedFrames: result.malformedFrames,
    corruptLines: result.corruptLines,
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
  if (parsed.values.verify) {
    const v = result.verify;
    // A venue we could not replay verified nothing, so it cannot pass.
    const ok = v.checksumFailed === 0 && v.bboFailed === 0 && v.gaps === 0 && v.crossed === 0 && result.unsupported.length === 0;
    Object.assign(out, { verifyOk: ok });
    if (!ok) process.exitCode = 1;
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((error: Error) => {
  process.stderr.write(`replay failed: ${error.message}\n`);
  process.exit(1);
});
