/**
 * npm run convert -- <capture.jsonl[.gz]> --to tardis <DIR>
 *
 * Writes tardis.dev-format `incremental_book_L2` and `trades` CSV (gzip) for every book in a capture
 * (src/main/bridges/tardis/convert.ts), and prints one JSON line: the files written, their row
 * counts and the capture replay's integrity counters. `npm run replay -- DIR --format tardis` reads
 * them back.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { convertCaptureToTardis } from '../bridges/tardis/convert';
import { jsonLineLogger } from '../log';

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run convert -- <capture.jsonl[.gz]> --to tardis <DIR> [--log]\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { to: { type: 'string' }, log: { type: 'boolean', default: false } } });
  } catch (error) {
    usage((error as Error).message);
  }
  const [capture, outDir, ...extra] = parsed.positionals;
  if (!capture) usage('missing capture file');
  if (!existsSync(capture)) usage(`capture file not found: ${capture}`);
  if (parsed.values.to !== 'tardis') usage(`--to must be "tardis"${parsed.values.to ? `, got "${parsed.values.to}"` : ''}`);
  if (!outDir) usage('missing output folder');
  if (extra.length > 0) usage(`unexpected arguments: ${extra.join(' ')}`);
  const logger = parsed.values.log ? jsonLineLogger((l) => process.stderr.write(l), 'debug') : undefined;
  const result = await convertCaptureToTardis(capture, resolve(outDir), { logger });
  const { replay } = result;
  process.stdout.write(
    JSON.stringify({
      capture,
      outDir: result.outDir,
      books: result.books,
      verify: replay.verify,
      corruptLines: replay.corruptLines.count,
      endedEarly: replay.endedEarly,
      unsupported: replay.unsupported,
    }) + '\n',
  );
  if (result.books.length === 0) {
    process.stderr.write('convert: the capture holds no book this app can replay; nothing written\n');
    process.exitCode = 1;
  }
}

main().catch((error: Error) => {
  process.stderr.write(`convert failed: ${error.message}\n`);
  process.exit(1);
});
