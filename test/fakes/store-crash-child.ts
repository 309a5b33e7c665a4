/**
 * Crash-test child: writes top-of-book rows through the real Store (writer worker) as fast as it can,
 * in numbered batches of <rowsPerBatch> rows (exchangeTs = batch id), and prints `committed <id>` on
 * stdout once the writer confirms a batch is committed. The parent kills it with SIGKILL mid-stream.
 *
 *   node --import tsx test/fakes/store-crash-child.ts <db> <firstBatchId> <rowsPerBatch>
 */
import { Store } from '../../src/main/store/client/store';
import { nullLogger } from '../../src/main/log';

const [dbPath, firstArg, rowsArg] = process.argv.slice(2);
if (!dbPath || !firstArg || !rowsArg) throw new Error('usage: store-crash-child <db> <firstBatchId> <rowsPerBatch>');
const ROWS_PER_BATCH = Number(rowsArg);
const store = new Store({ path: dbPath, exportsDir: `${dbPath}-exports`, logger: nullLogger, maxQueuedRows: 2_000_000 });

let batch = Number(firstArg);
let price = 100_000;
function writeBatch(): void {
  const id = batch++;
  for (let i = 0; i < ROWS_PER_BATCH; i++) {
    price += (i % 7) - 3;
    store.recordTopOfBook({
      venue: 'demo',
      symbol: 'CRASHUSDT',
      exchangeTs: id,
      localTs: Date.now() + i / 1000,
      bid: (price / 100).toFixed(2),
      bidSize: '1.5',
      ask: ((price + 1) / 100).toFixed(2),
      askSize: '2.25',
    });
  }
  void store.flush().then(() => process.stdout.write(`committed ${id}\n`));
  // Full speed, but let the writer's acknowledgements in between batches.
  setImmediate(writeBatch);
}
process.stdout.write('ready\n');
writeBatch();
