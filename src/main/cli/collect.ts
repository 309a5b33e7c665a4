/**
 * npm run collect -- --nats URL[,URL…] (--venue V[,V…] (--symbols A,B | --all) | --capture FILE [--speed N])
 *                    [--shard I/N] [--data DIR] [--replicas N] [--snapshot-every MS] [--lease]
 *
 * A headless collector: the app's adapters and books with no UI, publishing every book's events,
 * trades, top of book, state and health to the desk's NATS JetStream (docs/desk.md). With --capture
 * a recorded capture is the source instead of the network, played at --speed (0 = as fast as
 * possible, the default) and the collector exits when it ends.
 *
 * Each book's instrument (tick and lot size, precisions, base/quote) goes to the desk's instruments
 * bucket when the collector starts publishing the book: from the venue's list live, and with --capture
 * from the list a local app saved in `<data>/instruments/<venue>.json` when there is one.
 */
import { join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import type { NatsConnection } from '@nats-io/transport-node';
import { isVenueId, type Instrument, type VenueId } from '../../shared/market';
import { ReplayPlayer } from '../capture/player';
import { DeskCollector } from '../desk/collector';
import { connectDesk, openDeskStorage } from '../desk/connection';
import { ShardLease } from '../desk/lease';
import { inShard, parseShard, type Shard } from '../desk/shard';
import { jsonLineLogger, type Logger } from '../log';
import { InstrumentCache } from '../market/instrument-cache';
import { MarketService, type VenueConfig } from '../market/service';
import { LiveTransport } from '../venues/live-transport';
import { supportedVenues } from '../venues/registry';

class UsageError extends Error {}

const USAGE = `usage:
  npm run collect -- --nats URL[,URL...] --venue V[,V...] (--symbols A,B | --all) [--shard I/N] [--data DIR] [--lease]
  npm run collect -- --nats URL[,URL...] --capture FILE [--speed N] [--venue V] [--symbols A,B] [--shard I/N]
options: --replicas N (stream copies when creating it, 3 on a cluster), --snapshot-every MS (default 2000)`;

function list(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

async function main(): Promise<number> {
  const { values: v } = parseArgs({
    options: {
      nats: { type: 'string' },
      venue: { type: 'string', multiple: true },
      symbols: { type: 'string', multiple: true },
      all: { type: 'boolean', default: false },
      shard: { type: 'string' },
      data: { type: 'string' },
      capture: { type: 'string' },
      speed: { type: 'string', default: '0' },
      replicas: { type: 'string', default: '1' },
      'snapshot-every': { type: 'string', default: '2000' },
      lease: { type: 'boolean', default: false },
    },
  });
  if (!v.nats) throw new UsageError('--nats URL is required');
  const venues: VenueId[] = [];
  for (const id of list(v.venue)) {
    if (!isVenueId(id) || !supportedVenues().includes(id)) throw new UsageError(`unknown venue "${id}"; supported: ${supportedVenues().join(', ')}`);
    venues.push(id);
  }
  const symbols = list(v.symbols);
  const shard: Shard | null = v.shard ? parseShard(v.shard) : null;
  const replicas = Number(v.replicas);
  if (![1, 3, 5].includes(replicas)) throw new UsageError(`--replicas must be 1, 3 or 5, got ${v.replicas}`);
  const snapshotEveryMs = Number(v['snapshot-every']);
  if (!(snapshotEveryMs >= 100 && snapshotEveryMs <= 60_000)) throw new UsageError('--snapshot-every must be 100-60000 ms');
  const speed = Number(v.speed);
  if (!(speed >= 0)) throw new UsageError(`--speed must be 0 (as fast as possible) or more, got ${v.speed}`);
  if (!v.capture) {
    if (venues.length === 0) throw new UsageError('--venue is required (or --capture FILE)');
    if (!v.all && symbols.length === 0) throw new UsageError('give --symbols A,B or --all');
    if (v.all && symbols.length > 0) throw new UsageError('give --symbols or --all, not both');
  }

  const logger: Logger = jsonLineLogger((line) => process.stderr.write(line), 'warn');
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());

  const nc: NatsConnection = await connectDesk(v.nats, {
    name: `obm-collector${shard ? ` ${shard.index}/${shard.count}` : ''}`,
    signal: stop.signal,
    onRetry: (message) => process.stderr.write(`collect: ${message}\n`),
  });
  const storage = await openDeskStorage(nc, { create: true, replicas });
  const wanted = new Set(symbols.map((s) => s.toUpperCase()));
  const dataDir = resolve(v.data ?? join(homedir(), '.orderbook-monitor'));
  const instrumentCache = new InstrumentCache(join(dataDir, 'instruments'));
  let market: MarketService | null = null;
  const instrumentOf = async (venue: VenueId, symbol: string): Promise<Instrument | undefined> => {
    const list = market ? await market.instruments(venue).catch(() => []) : (instrumentCache.load(venue)?.instruments ?? []);
    return list.find((i) => i.symbol === symbol);
  };
  const collector = new DeskCollector({
    js: storage.js,
    books: storage.books,
    instruments: storage.instruments ?? undefined,
    instrumentOf,
    logger,
    snapshotEveryMs,
    include: (feed) =>
      (venues.length === 0 || venues.includes(feed.venue)) &&
      (wanted.size === 0 || wanted.has(feed.symbol.toUpperCase())) &&
      inShard(shard, feed.venue, feed.symbol),
  });

  if (v.capture) {
    const path = resolve(v.capture);
    const player = new ReplayPlayer(path, collector.listener, logger, speed);
    collector.start();
    const stopPlaying = (): void => player.stop();
    stop.signal.addEventListener('abort', stopPlaying);
    await player.play();
    const status = player.status();
    await collector.finish();
    await nc.drain();
    process.stdout.write(JSON.stringify({ capture: path, run: collector.run, books: collector.feeds().length, messages: status.messages, published: collector.counts, error: status.error }) + '\n');
    return status.error || collector.counts.failed > 0 ? 1 : 0;
  }

  const live = new LiveTransport();
  const configs: VenueConfig[] = venues.map((id) => ({ id, mode: 'live', transport: live }));
  market = new MarketService(configs, logger, instrumentCache);
  market.onBook(collector.listener.onBook);
  market.onState(collector.listener.onState);
  market.onTrade(collector.listener.onTrade);
  // A standby runs the same books and publishes nothing until the active collector's lease runs out.
  const shardName = shard ? `${shard.index}/${shard.count}` : 'all';
  const lease = v.lease
    ? new ShardLease(storage.leases, shard, logger, () => {
        collector.active = false;
        process.stderr.write(`collect: lost the lease of shard ${shardName}; standing by\n`);
        void takeLease();
      })
    : null;
  const takeLease = async (): Promise<void> => {
    if (!lease) return;
    collector.active = false;
    process.stderr.write(`collect: waiting for the lease of shard ${shardName} (standby while another collector holds it)\n`);
    await lease.acquire(stop.signal);
    if (stop.signal.aborted) return;
    collector.active = true;
    process.stderr.write(`collect: holding the lease of shard ${shardName}: publishing\n`);
  };
  void takeLease();
  collector.start();
  for (const venue of venues) {
    const chosen = v.all ? (await market.instruments(venue)).map((i) => i.symbol) : symbols;
    for (const symbol of chosen.filter((s) => inShard(shard, venue, s))) {
      try {
        await market.ensure(venue, symbol);
      } catch (error) {
        process.stderr.write(`collect: ${venue} ${symbol}: ${(error as Error).message}\n`);
      }
    }
  }
  process.stdout.write(`collect: publishing ${collector.feeds().length || 'the'} books of ${venues.join(', ')}${shard ? ` (shard ${shard.index}/${shard.count})` : ''} to ${v.nats} (run ${collector.run})\n`);
  await new Promise<void>((r) => stop.signal.addEventListener('abort', () => r()));
  market.close();
  collector.stop();
  await lease?.release();
  await collector.drain();
  await nc.drain();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`collect: ${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`collect: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
