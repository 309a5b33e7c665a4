/**
 * Opens a Store at <db>, records a few rows, waits until the store reports a state other than
 * `starting` for at least 1.5 s (or a failure), prints the status as one JSON line, and exits. The
 * failure tests run it as an unprivileged user against a folder that user cannot write.
 *
 *   node --import tsx test/fakes/store-status-child.ts <db>
 */
import { nullLogger } from '../../src/main/log';
import { Store } from '../../src/main/store/client/store';

const [dbPath] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: store-status-child <db>');
const store = new Store({ path: dbPath, exportsDir: `${dbPath}-exports`, logger: nullLogger });
for (let i = 0; i < 10; i++) {
  store.recordTopOfBook({ venue: 'demo', symbol: 'ROUSDT', exchangeTs: null, localTs: Date.now(), bid: '1.0', bidSize: '1', ask: '1.1', askSize: '1' });
}
const started = Date.now();
const timer = setInterval(() => {
  const status = store.status();
  if (status.state === 'failed' || Date.now() - started > 3000) {
    clearInterval(timer);
    process.stdout.write(JSON.stringify(status) + '\n');
    void store.close(1000).then(() => process.exit(0));
  }
}, 50);
