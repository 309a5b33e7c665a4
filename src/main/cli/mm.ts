/**
 * npm run mm -- --capture FILE --venue V --symbol S [--spread-bps X | --spread-ticks N] [--size Q]
 *   [--max-inventory I] [--skew K] [--maker-fee-bps F] [--taker-fee-bps F] [--latency-ms L]
 *   [--cancel-latency-ms L] [--queue risk-averse|prob] [--reference mid|micro] [--requote-ticks N]
 *   [--tick T] [--sweep NAME=V1,V2,...]
 *
 * Runs the paper market maker (strategy/engine.ts) on a capture replayed through the live adapters.
 * Prints one JSON line per fill and a summary line last; with --sweep, one table row per value instead.
 * Bad settings, a missing file, or a capture without trades for the symbol: a message and exit 2,
 * before any output.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isVenueId } from '../../shared/market';
import { DEFAULT_MARKET_MAKER_SETTINGS, marketMakerSettingsProblems, type MarketMakerSettings, type QueueModelName, type QuoteReference } from '../../shared/market-maker';
import { captureBooks, runOnCapture } from '../strategy/capture-run';

const USAGE = `usage: npm run mm -- --capture FILE --venue V --symbol S [--spread-bps X | --spread-ticks N] [--size Q]
  [--max-inventory I] [--skew K] [--maker-fee-bps F] [--taker-fee-bps F] [--latency-ms L] [--cancel-latency-ms L]
  [--queue risk-averse|prob] [--reference mid|micro] [--requote-ticks N] [--tick T] [--sweep NAME=V1,V2,...]`;

function fail(message: string): never {
  process.stderr.write(`mm: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** Settings the command line can sweep, by their option name. */
const SWEEPABLE = ['spread-bps', 'spread-ticks', 'size', 'max-inventory', 'skew', 'maker-fee-bps', 'taker-fee-bps', 'latency-ms', 'cancel-latency-ms', 'queue', 'reference', 'requote-ticks'] as const;
type Sweepable = (typeof SWEEPABLE)[number];

/** A whole number from option text, or NaN (validation names it). */
function numberOption(text: string): number {
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
}

function withOption(base: MarketMakerSettings, name: Sweepable, value: string): MarketMakerSettings {
  const s = { ...base };
  switch (name) {
    case 'spread-bps':
      s.spreadBps = value;
      s.spreadTicks = null;
      break;
    case 'spread-ticks':
      s.spreadTicks = numberOption(value);
      s.spreadBps = null;
      break;
    case 'size':
      s.size = value;
      break;
    case 'max-inventory':
      s.maxInventory = value;
      break;
    case 'skew':
      s.skew = value;
      break;
    case 'maker-fee-bps':
      s.makerFeeBps = value;
      break;
    case 'taker-fee-bps':
      s.takerFeeBps = value;
      break;
    case 'latency-ms':
      s.entryLatencyMs = numberOption(value);
      s.cancelLatencyMs = numberOption(value);
      break;
    case 'cancel-latency-ms':
      s.cancelLatencyMs = numberOption(value);
      break;
    case 'queue':
      s.queue = value as QueueModelName;
      break;
    case 'reference':
      s.reference = value as QuoteReference;
      break;
    case 'requote-ticks':
      s.requoteTicks = numberOption(value);
      break;
  }
  return s;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** `--maker-fee-bps -0.5` as `--maker-fee-bps=-0.5`: parseArgs would read a negative number as an option. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(process.argv.slice(2)),
      options: {
        capture: { type: 'string' },
        venue: { type: 'string' },
        symbol: { type: 'string' },
        tick: { type: 'string' },
        sweep: { type: 'string' },
        ...Object.fromEntries(SWEEPABLE.map((name) => [name, { type: 'string' as const }])),
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const v = parsed.values as Record<string, string | undefined>;
  const file = v.capture;
  if (!file) fail('missing --capture FILE');
  if (!existsSync(file)) fail(`capture file not found: ${file}`);
  const venue = v.venue;
  if (!venue) fail('missing --venue');
  if (!isVenueId(venue)) fail(`unknown venue ${JSON.stringify(venue)}`);
  const symbol = v.symbol;
  if (!symbol) fail('missing --symbol');

  let base: MarketMakerSettings = { ...DEFAULT_MARKET_MAKER_SETTINGS, tickSize: v.tick ?? null };
  if (v['spread-bps'] !== undefined && v['spread-ticks'] !== undefined) fail('give --spread-bps or --spread-ticks, not both');
  for (const name of SWEEPABLE) {
    const value = v[name];
    if (value !== undefined) base = withOption(base, name, value);
  }

  let runs: Array<{ label: string; settings: MarketMakerSettings }> = [{ label: '', settings: base }];
  if (v.sweep !== undefined) {
    const m = /^([a-z-]+)=(.+)$/.exec(v.sweep);
    if (!m) fail(`--sweep wants NAME=V1,V2,..., got ${JSON.stringify(v.sweep)}`);
    const name = m[1] as Sweepable;
    if (!SWEEPABLE.includes(name)) fail(`cannot sweep ${JSON.stringify(name)}; sweepable: ${SWEEPABLE.join(', ')}`);
    runs = m[2]!.split(',').map((value) => ({ label: `${name}=${value.trim()}`, settings: withOption(base, name, value.trim()) }));
  }
  const problems = runs.flatMap((r) => marketMakerSettingsProblems(r.settings).map((p) => (r.label ? `${r.label}: ${p}` : p)));
  if (problems.length > 0) fail(problems.join('\n'));

  // The capture must stream this book and print trades on it: without trades nothing can ever fill.
  const books = await captureBooks(file);
  const book = books.find((b) => b.venue === venue && b.symbol === symbol);
  if (!book) fail(`${file} holds no book for ${venue}:${symbol}; it holds ${books.map((b) => `${b.venue}:${b.symbol}`).join(', ') || 'none'}`);
  if (book.trades === 0) fail(`${file} holds no trades for ${venue}:${symbol}: a paper order could never fill`);

  const sweeping = v.sweep !== undefined;
  const out: string[] = [];
  const summaries = await runOnCapture(
    file,
    runs.map((r) => ({ venue, symbol, settings: r.settings })),
    {
      onFill: sweeping
        ? undefined
        : (_run, f) => {
            out.push(JSON.stringify({ t: 'fill', ts: f.ts, side: f.side, price: f.price, size: f.size, quoteTs: f.quoteTs, liquidity: f.liquidity }));
            if (out.length >= 1000) process.stdout.write(out.splice(0).join('\n') + '\n');
          },
    },
  );
  if (sweeping) {
    const header = ['setting', 'fills', 'inventory', 'pnl', 'fees', 'turnover', 'maxInventory', 'maxDrawdown'];
    const rows = summaries.map((s, i) => [runs[i]!.label, String(s.fills), s.inventory, s.pnl, s.fees, s.turnover, s.maxInventory, s.maxDrawdown]);
    process.stdout.write(table(header, rows));
    return;
  }
  const s = summaries[0]!;
  out.push(
    JSON.stringify({
      t: 'summary',
      fills: s.fills,
      inventory: s.inventory,
      cash: s.cash,
      fees: s.fees,
      mark: s.mark,
      pnl: s.pnl,
      turnover: s.turnover,
      maxInventory: s.maxInventory,
      maxDrawdown: s.maxDrawdown,
      realizedPnl: s.realizedPnl,
      unrealizedPnl: s.unrealizedPnl,
    }),
  );
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((error: Error) => {
  process.stderr.write(`mm failed: ${error.message}\n`);
  process.exit(1);
});
