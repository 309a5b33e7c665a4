/**
 * npm run bench -- [--only book,ingest,publish,renderer,store,memory,ceiling,desk]
 *
 * Performance figures as JSON lines, one per figure, each with a baseline measured in the same run and
 * the ratio to it (these machines are noisy, so ratios are what we compare). Sections:
 *   book       level updates/s through our OrderBook vs tardis-dev's OrderBook (bench-book.ts)
 *   ingest     parse + sync + apply + top-of-book diff, messages/s vs JSON.parse (bench-ingest.ts)
 *   publish    frame receipt → window frame latency on the demo venue at 5,000 msgs/s (bench-publish.ts)
 *   renderer   Chromium frame times and long tasks against the web host (bench-renderer.ts)
 *   store      the store's own bench (bench-store.ts, owned by the store)
 *   memory     heap and RSS growth of the services under demo load (bench-memory.ts)
 *   ceiling    one core's messages/s with 10, 100 and 500 live books (bench-ceiling.ts)
 *   desk       collector → desktop latency over a local NATS JetStream, 1 and 20 subscribers (bench-desk.ts)
 * Progress and errors go to stderr; stdout holds only the JSON lines.
 */
import { parseArgs } from 'node:util';
import { runBookBench } from './bench-book';
import { runCeilingBench } from './bench-ceiling';
import { runDeskBench } from './bench-desk';
import { runIngestBench } from './bench-ingest';
import { runPublishBench } from './bench-publish';
import { runRendererBench } from './bench-renderer';
import { runMemoryBench } from './bench-memory';
import { runStoreBench } from './bench-store';
import { emit } from './bench-util';

const SECTIONS = ['book', 'ingest', 'publish', 'renderer', 'store', 'memory', 'ceiling', 'desk'] as const;
type Section = (typeof SECTIONS)[number];

const RUNNERS: Record<Section, () => Promise<void>> = {
  book: runBookBench,
  ingest: runIngestBench,
  publish: runPublishBench,
  renderer: runRendererBench,
  store: runStoreBench,
  memory: runMemoryBench,
  ceiling: runCeilingBench,
  desk: runDeskBench,
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
  for (const name of only) {
    if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`unknown section "${name}"; known: ${SECTIONS.join(', ')}`);
  }
  let failed = 0;
  for (const name of only as Section[]) {
    process.stderr.write(`bench: ${name}…\n`);
    try {
      await RUNNERS[name]();
    } catch (error) {
      failed++;
      const e = error as Error;
      emit({ bench: name, error: e.message });
      process.stderr.write(`bench ${name} failed: ${e.stack ?? e.message}\n`);
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
