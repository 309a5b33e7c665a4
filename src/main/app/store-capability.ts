/**
 * The store's capability: it records every top-of-book change, trade and feed state change the market
 * produces, and offers windows the store status, named history queries, the retention setting, and
 * CSV (top of book, trades) and depth exports (with progress). Windows never see SQL; downloads go through the web host's
 * /api/exports/NAME route, which serves only finished files from the exports folder.
 */
import { join } from 'node:path';
import { ContractError, type ExportJobInfo } from '../../shared/contract';
import type { VenueId } from '../../shared/market';
import type { Logger } from '../log';
import { ExportError } from '../store/errors';
import { depthSnapshot } from '../store/client/depth-export';
import { MarketRecorder } from '../store/client/recorder';
import { Store, type ExportJob } from '../store/client/store';
import type { CommandHandlers, ContractHost, HostInfo, StreamFactories } from './contract-host';
import type { MarketService } from '../market/service';

export interface StoreWiring {
  store: Store;
  recorder: MarketRecorder;
  /** Stop recording and close the store (commits what is queued). */
  close(): Promise<void>;
}

/** The database file and the exports folder inside the app's data folder. */
export function storePaths(dataDir: string): { db: string; exports: string } {
  return { db: join(dataDir, 'store.db'), exports: join(dataDir, 'exports') };
}

/** Build the store in `dataDir`, record the market into it, and register its commands and streams. */
export function startStore(options: { dataDir: string; market: MarketService; contract: ContractHost; logger: Logger; host: HostInfo }): StoreWiring {
  const paths = storePaths(options.dataDir);
  const store = new Store({ path: paths.db, exportsDir: paths.exports, logger: options.logger });
  const market = options.market;
  const recorder = new MarketRecorder(store, (venue, symbol) => market.instrument(venue as VenueId, symbol));
  // A capture replayed in the app feeds the same listeners: it is not live data, so it is not recorded.
  const offBook = market.onBook((feed, event) => {
    if (!market.isReplayFeed(feed)) recorder.onBook(feed, event);
  });
  const offTrade = market.onTrade((feed, trade) => {
    if (!market.isReplayFeed(feed)) recorder.onTrade(feed, trade);
  });
  const offState = market.onState((feed, from, to, reason) => {
    if (!market.isReplayFeed(feed)) recorder.onState(feed, from, to, reason);
  });
  const capability = storeCapability(store, market, options.host);
  options.contract.register(capability.commands, capability.streams);
  return {
    store,
    recorder,
    async close() {
      offBook();
      offTrade();
      offState();
      await store.close();
    },
  };
}

function unavailable(error: unknown): never {
  if (error instanceof ContractError) throw error;
  throw new ContractError('unavailable', (error as Error).message);
}

export function storeCapability(store: Store, market: MarketService, info: HostInfo): { commands: CommandHandlers; streams: StreamFactories } {
  // Only the web host serves downloads; the desktop app shows the file (a save dialog can copy it).
  const downloadUrl = (name: string): string | null => (info.host === 'web' ? `/api/exports/${encodeURIComponent(name)}` : null);
  const jobInfo = (job: ExportJob): ExportJobInfo => ({ ...job, downloadUrl: job.state === 'done' ? downloadUrl(job.name) : null });

  return {
    commands: {
      // Fresh from the writer; its last report if the writer cannot answer (restarting).
      'store.status.get': () => store.fetchStatus().catch(() => store.status()),
      'store.topOfBook': (r) => store.topOfBook({ venue: r.venue, symbol: r.symbol, from: r.from, to: r.to, limit: r.limit }).catch(unavailable),
      'store.trades': (r) => store.trades({ venue: r.venue, symbol: r.symbol, from: r.from, to: r.to, limit: r.limit }).catch(unavailable),
      'store.alerts': (r) =>
        store.alerts({ venue: r.venue, symbol: r.symbol, activeOnly: r.activeOnly, from: r.from, to: r.to, limit: r.limit }).catch(unavailable),
      'store.feedHistory': (r) => store.feedHistory({ venue: r.venue, symbol: r.symbol, from: r.from, to: r.to, limit: r.limit }).catch(unavailable),
      'store.retention.set': (r) =>
        store.setRetention({ days: r.days, maxBytes: r.maxMegabytes === null ? null : r.maxMegabytes * 1024 * 1024 }).catch(unavailable),
      'export.csv.start': (r) => {
        try {
          return jobInfo(store.startCsvExport({ table: r.table, venue: r.venue, symbol: r.symbol, from: r.from ?? null, to: r.to ?? null, ...(r.interval ? { interval: r.interval } : {}) }));
        } catch (error) {
          if (error instanceof ExportError) throw new ContractError('unavailable', error.message);
          throw error;
        }
      },
      'export.depth': (r) => {
        const feed = market.feed(r.venue, r.symbol);
        if (!feed) throw new ContractError('not-found', `${r.symbol} on ${r.venue} is not streaming in this session; open it first`);
        if (feed.book.levelCount('bid') === 0 && feed.book.levelCount('ask') === 0) {
          throw new ContractError('unavailable', `the ${r.symbol} book is empty (${feed.state}); try again when it is live`);
        }
        const snapshot = depthSnapshot(feed, r.levels);
        try {
          const written = store.writeDepthSnapshot(snapshot);
          return { ...written, state: snapshot.state, bids: snapshot.bids.length, asks: snapshot.asks.length, downloadUrl: downloadUrl(written.name) };
        } catch (error) {
          throw new ContractError('unavailable', `could not write the depth snapshot: ${(error as Error).message}`);
        }
      },
    },
    streams: {
      'store.status': () => ({
        version: () => {
          const s = store.status();
          return `${s.state}|${s.message}|${s.lastWriteTs}|${s.droppedRows}|${Math.floor(Date.now() / 1000)}`;
        },
        build: () => store.status(),
      }),
      'export.progress': ({ exportId }) => {
        const first = store.exportJob(exportId);
        if (!first) throw new ContractError('not-found', `no export ${exportId} in this session`);
        // A finished job may be forgotten later (only the newest are kept): keep showing its last state.
        let last = first;
        const current = (): ExportJob => (last = store.exportJob(exportId) ?? last);
        return {
          version: () => {
            const job = current();
            return `${job.state}/${job.rows}/${job.totalRows}`;
          },
          build: () => jobInfo(current()),
        };
      },
    },
  };
}
