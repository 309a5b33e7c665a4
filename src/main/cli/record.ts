/**
 * npm run record -- --venue V --symbols A,B [--duration S] --out FILE.capture.jsonl[.gz] [--force]
 *                   [--endpoint V=WS_URL,REST_URL]
 *
 * Records live traffic (every frame sent and received, every REST response) in the capture format.
 * Symbols the venue does not list are not recorded (checked against its instrument list before the
 * recording starts). Stops after --duration seconds or on Ctrl-C, then prints a JSON summary line that
 * says what was recorded and what was not, and why; the exit code is 1 when nothing was recorded.
 * --out follows the same rules as export's (cli/output-file.ts).
 */
import { parseArgs } from 'node:util';
import { isVenueId, type Instrument, type VenueId } from '../../shared/market';
import { parseEndpoints } from '../app/endpoints';
import { listedSymbols, Recorder, type RecordingReport } from '../capture/recorder';
import { jsonLineLogger, type Logger } from '../log';
import { DemoTransport } from '../venues/demo/transport';
import { DEMO_B_SYMBOLS } from '../venues/demo/market';
import { LiveTransport } from '../venues/live-transport';
import { supportedVenues, venueModule } from '../venues/registry';
import type { Transport } from '../venues/transport';
import { checkOutputFile, OutputFileError } from './output-file';

function usage(message: string): never {
  process.stderr.write(
    `record: ${message}\nusage: npm run record -- --venue V --symbols A,B [--duration S] --out FILE.capture.jsonl[.gz] [--force] [--endpoint V=WS,REST]\n`,
  );
  process.exit(2);
}

interface NotRecorded {
  symbol: string;
  reason: string;
}

/** The venue's instrument list through a throwaway adapter (not recorded: it is large and replay needs none of it). */
async function listInstruments(venue: VenueId, transport: Transport, logger: Logger, endpoints: { ws: string; rest: string } | undefined): Promise<Instrument[]> {
  const adapter = venueModule(venue)!.createAdapter({ transport, logger, endpoints, listener: { onBook: () => {}, onState: () => {} } });
  try {
    return await adapter.listInstruments();
  } finally {
    adapter.close();
  }
}

/** Why a symbol that was subscribed received nothing. */
function silentReason(report: RecordingReport, state: string, lastError: string | null, seconds: number): string {
  const c = report.connections;
  if (c.opened === 0) {
    const tried = `${c.attempted} connection${c.attempted === 1 ? '' : 's'} tried, none opened`;
    return `no data: ${tried}${c.lastError ? ` (${c.lastError})` : ''}`;
  }
  return `no data in ${seconds} s (book ${state}${lastError ? `, ${lastError}` : ''})`;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        venue: { type: 'string' },
        symbols: { type: 'string' },
        duration: { type: 'string' },
        out: { type: 'string' },
        force: { type: 'boolean', default: false },
        endpoint: { type: 'string', multiple: true },
      },
    });
  } catch (error) {
    usage((error as Error).message);
  }
  const v = args.values;
  if (!v.venue || !isVenueId(v.venue) || !supportedVenues().includes(v.venue)) usage(`--venue must be one of ${supportedVenues().join(', ')}`);
  const venue = v.venue;
  const requested = (v.symbols ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (requested.length === 0) usage('--symbols needs at least one symbol');
  if (!v.out) usage('--out FILE is required');
  let out: string;
  try {
    out = checkOutputFile(v.out, { force: v.force });
  } catch (error) {
    if (error instanceof OutputFileError) usage(error.message);
    throw error;
  }
  const duration = v.duration === undefined ? null : Number(v.duration);
  if (duration !== null && !(duration > 0)) usage('--duration must be a positive number of seconds');
  let endpoints;
  try {
    endpoints = parseEndpoints(v.endpoint ?? []);
  } catch (error) {
    usage((error as Error).message);
  }
  const logger = jsonLineLogger((line) => process.stderr.write(line), 'info');
  const demo = venue === 'demo' ? new DemoTransport() : venue === 'demo-b' ? new DemoTransport({ symbols: DEMO_B_SYMBOLS }) : null;
  const transport = demo ?? new LiveTransport();

  const notRecorded: NotRecorded[] = [];
  let symbols = requested;
  let instrumentsError: string | null = null;
  try {
    const split = listedSymbols(requested, await listInstruments(venue, transport, logger, endpoints[venue]));
    symbols = split.listed;
    for (const symbol of split.unlisted) notRecorded.push({ symbol, reason: `not listed by ${venue}` });
  } catch (error) {
    // Record anyway: the summary will say whether anything arrived.
    instrumentsError = `could not check the symbols against ${venue}'s instrument list: ${(error as Error).message}`;
    process.stderr.write(`record: warning: ${instrumentsError}\n`);
  }
  if (symbols.length === 0) {
    demo?.close();
    process.stdout.write(JSON.stringify({ path: null, lines: 0, bytes: 0, recorded: [], notRecorded, error: `nothing to record: ${venue} lists none of ${requested.join(', ')}` }) + '\n');
    process.exit(1);
  }

  const startedAt = Date.now();
  const recorder = new Recorder({ venue, symbols, path: out, transport, logger, endpoints: endpoints[venue] });
  let finishing = false;
  const finish = async (): Promise<void> => {
    if (finishing) return;
    finishing = true;
    const report = recorder.report();
    const status = await recorder.stop();
    demo?.close();
    const seconds = Math.round((Date.now() - startedAt) / 100) / 10;
    const recorded = report.symbols.filter((s) => s.frames > 0).map((s) => ({ symbol: s.symbol, frames: s.frames }));
    for (const s of report.symbols) {
      if (s.frames === 0) notRecorded.push({ symbol: s.symbol, reason: silentReason(report, s.state, s.lastError, seconds) });
    }
    const error = status.error ?? (recorded.length === 0 ? 'nothing was recorded' : null);
    process.stdout.write(
      JSON.stringify({ path: status.path, lines: status.lines, bytes: status.bytes, recorded, notRecorded, connections: report.connections, instrumentsError, error }) + '\n',
    );
    process.exit(error ? 1 : 0);
  };
  process.on('SIGINT', () => void finish());
  process.on('SIGTERM', () => void finish());
  if (duration !== null) setTimeout(() => void finish(), duration * 1000);
  for (const n of notRecorded) process.stderr.write(`record: not recording ${n.symbol}: ${n.reason}\n`);
  process.stderr.write(`recording ${venue} ${symbols.join(',')} to ${out}${duration ? ` for ${duration} s` : ' (Ctrl-C to stop)'}\n`);
}

void main();
