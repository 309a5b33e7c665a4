/**
 * npm run record -- --venue V --symbols A,B [--duration S] --out FILE.capture.jsonl[.gz]
 *                   [--endpoint V=WS_URL,REST_URL]
 *
 * Records live traffic (every frame sent and received, every REST response) in the capture format.
 * Stops after --duration seconds or on Ctrl-C, then prints a JSON summary line.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isVenueId } from '../../shared/market';
import { parseEndpoints } from '../app/endpoints';
import { Recorder } from '../capture/recorder';
import { jsonLineLogger } from '../log';
import { DemoTransport } from '../venues/demo/transport';
import { LiveTransport } from '../venues/live-transport';
import { supportedVenues } from '../venues/registry';

function usage(message: string): never {
  process.stderr.write(
    `record: ${message}\nusage: npm run record -- --venue V --symbols A,B [--duration S] --out FILE.capture.jsonl[.gz] [--endpoint V=WS,REST]\n`,
  );
  process.exit(2);
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
        endpoint: { type: 'string', multiple: true },
      },
    });
  } catch (error) {
    usage((error as Error).message);
  }
  const v = args.values;
  if (!v.venue || !isVenueId(v.venue) || !supportedVenues().includes(v.venue)) usage(`--venue must be one of ${supportedVenues().join(', ')}`);
  const symbols = (v.symbols ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (symbols.length === 0) usage('--symbols needs at least one symbol');
  if (!v.out) usage('--out FILE is required');
  const out = resolve(v.out);
  if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) usage(`folder ${dirname(out)} does not exist`);
  const duration = v.duration === undefined ? null : Number(v.duration);
  if (duration !== null && !(duration > 0)) usage('--duration must be a positive number of seconds');
  let endpoints;
  try {
    endpoints = parseEndpoints(v.endpoint ?? []);
  } catch (error) {
    usage((error as Error).message);
  }
  const demo = v.venue === 'demo' ? new DemoTransport() : null;
  const recorder = new Recorder({
    venue: v.venue,
    symbols,
    path: out,
    transport: demo ?? new LiveTransport(),
    logger: jsonLineLogger((line) => process.stderr.write(line), 'info'),
    endpoints: endpoints[v.venue],
  });
  let finishing = false;
  const finish = async (): Promise<void> => {
    if (finishing) return;
    finishing = true;
    const status = await recorder.stop();
    demo?.close();
    process.stdout.write(JSON.stringify({ path: status.path, lines: status.lines, bytes: status.bytes, error: status.error }) + '\n');
    process.exit(status.error ? 1 : 0);
  };
  process.on('SIGINT', () => void finish());
  process.on('SIGTERM', () => void finish());
  if (duration !== null) setTimeout(() => void finish(), duration * 1000);
  process.stderr.write(`recording ${v.venue} ${symbols.join(',')} to ${out}${duration ? ` for ${duration} s` : ' (Ctrl-C to stop)'}\n`);
}

void main();
