/**
 * The one place that builds the services and wires them together, for both hosts and the CLI.
 */
import type { HealthReport } from '../../shared/contract';
import type { VenueId } from '../../shared/market';
import type { Logger } from '../log';
import { Publisher } from '../publish/publisher';
import { HeatmapHistories } from '../publish/heatmap-histories';
import { DEMO_REST, DEMO_WS, DemoTransport, type DemoOptions } from '../venues/demo/transport';
import type { VenueCredentials } from '../venues/registry';
import { LiveTransport } from '../venues/live-transport';
import { join } from 'node:path';
import { AnalyticsService } from '../analytics/service';
import type { AnalyticsOverrides } from '../analytics/config';
import { analyticsCapability } from './analytics-capability';
import { ContractHost, type HostInfo } from './contract-host';
import { InstrumentCache } from '../market/instrument-cache';
import { recordingCapability } from './recording-capability';
import { recordingsDir, replayCapability } from './replay-capability';
import { UiCommandBus } from './ui-commands';
import { startStore } from './store-capability';
import type { Store } from '../store/client/store';
import { marketCapability } from './market-capability';
import { MarketService, type VenueConfig } from '../market/service';
import { RecentTrades } from '../market/recent-trades';
import { TradedVolume } from '../market/traded-volume';
import { marketMakerCapability } from './market-maker-capability';
import { settingsCapability, type SettingsCapabilityOptions } from '../settings/capability';

export interface ServicesOptions {
  venues: VenueId[];
  logger: Logger;
  host: HostInfo;
  /** Override a venue's endpoints (testnets, proxies, fake exchanges in tests). */
  endpoints?: Partial<Record<VenueId, { ws: string; rest: string }>>;
  demo?: DemoOptions;
  /** Publisher tick in ms (default 50 ms = 20 frames/s per window). */
  tickMs?: number;
  /** Where the app keeps its data (instrument cache, recordings, database); none in some tests. */
  dataDir?: string;
  /** API keys per venue (see credentialsFromEnv). */
  credentials?: Partial<Record<VenueId, VenueCredentials>>;
  /** Analytics thresholds and sizes (defaults in src/main/analytics/config.ts). */
  analytics?: AnalyticsOverrides;
  /** The settings page's store and what flags/env override (src/main/settings); none in some tests. */
  settings?: Omit<SettingsCapabilityOptions, 'applyRetention'>;
}

export interface Services {
  market: MarketService;
  /** The last prints of every feed (tape backlogs, GET /api/trades). */
  recentTrades: RecentTrades;
  publisher: Publisher;
  contract: ContractHost;
  analytics: AnalyticsService;
  /** Where captures to replay are kept (uploads land here); null without a data folder. */
  recordingsDir: string | null;
  /** Each book's heatmap history (heatmap.history). */
  heatmaps: HeatmapHistories;
  /** The SQLite store (top of book, alerts, feed history, exports); null without a data folder. */
  store: Store | null;
  /** Feeds, memory and store in one report (the health stream, health.get and GET /api/health). */
  health(): HealthReport;
  /** Commands to windows (the desktop app's menus post here). */
  ui: UiCommandBus;
  /** Stop everything, newest service first; resolves when files are flushed. */
  close(): Promise<void>;
}

/**
 * API keys from the environment, never from files the app writes: ORDERBOOK_COINBASE_KEY,
 * ORDERBOOK_COINBASE_SECRET and ORDERBOOK_COINBASE_PASSPHRASE give the Coinbase Exchange feed its
 * authenticated `level2` channel (every change instead of 50 ms batches).
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Record<VenueId, VenueCredentials>> {
  const key = env.ORDERBOOK_COINBASE_KEY;
  const secret = env.ORDERBOOK_COINBASE_SECRET;
  if (!key || !secret) return {};
  return { coinbase: { key, secret, passphrase: env.ORDERBOOK_COINBASE_PASSPHRASE } };
}

export function createServices(options: ServicesOptions): Services {
  const live = new LiveTransport();
  const closers: Array<() => void | Promise<void>> = [];
  const configs: VenueConfig[] = options.venues.map((id) => {
    if (id === 'demo') {
      const transport = new DemoTransport(options.demo);
      closers.push(() => transport.close());
      return { id, mode: 'demo', transport, endpoints: { ws: DEMO_WS, rest: DEMO_REST } };
    }
    return { id, mode: 'live', transport: live, endpoints: options.endpoints?.[id], credentials: options.credentials?.[id] };
  });
  const market = new MarketService(
    configs,
    options.logger,
    options.dataDir ? new InstrumentCache(join(options.dataDir, 'instruments')) : null,
  );
  const publisher = new Publisher(options.tickMs ?? 50);
  const contract = new ContractHost(publisher, options.logger);
  // The store starts below; health reads it through this holder.
  let store: Store | null = null;
  const health = (): HealthReport => ({ ...market.health(), store: store?.status() ?? null });
  const recentTrades = new RecentTrades(market);
  closers.push(() => recentTrades.close());
  // Each book's heatmap columns, kept for the heatmap.history command (released with a replay's books).
  const heatmaps = new HeatmapHistories(market);
  closers.push(heatmaps.attach());
  // Traded volume per price for the ladder, on each book's clock (the recorded time in a replay).
  const tradedVolume = new TradedVolume(market, (feed) => (market.isReplayFeed(feed) ? feed.lastLocalTs : Date.now()));
  closers.push(() => tradedVolume.close());
  const marketCap = marketCapability(market, options.host, health, recentTrades, heatmaps, tradedVolume);
  contract.register(marketCap.commands, marketCap.streams);
  const ui = new UiCommandBus();
  contract.register({}, ui.streams());
  const analytics = new AnalyticsService({ config: options.analytics, logger: options.logger });
  closers.push(analytics.attach(market));
  const analyticsCap = analyticsCapability(analytics, market);
  contract.register(analyticsCap.commands, analyticsCap.streams);
  // The paper market maker reads books and trades only; it never sends anything to a venue.
  const marketMaker = marketMakerCapability(market);
  contract.register(marketMaker.commands, marketMaker.streams);
  closers.push(() => marketMaker.close());
  if (options.dataDir) {
    const recording = recordingCapability(market, options.dataDir, options.logger);
    contract.register(recording.commands);
    contract.register(replayCapability(market, options.dataDir));
    closers.push(() => recording.close());
  }
  const storeWiring = options.dataDir
    ? startStore({ dataDir: options.dataDir, market, contract, logger: options.logger, host: options.host })
    : null;
  if (storeWiring) {
    store = storeWiring.store;
    closers.push(() => storeWiring.close());
    // Alerts become history (not those of a replayed capture: it is not live data).
    const storeRef = storeWiring.store;
    closers.push(
      analytics.onAlert(({ type, alert }) => {
        if (type === 'acknowledged') return;
        const feed = market.feed(alert.venue, alert.symbol);
        if (feed && market.isReplayFeed(feed)) return;
        storeRef.recordAlert({
          id: alert.id,
          venue: alert.venue,
          symbol: alert.symbol,
          kind: alert.kind,
          severity: alert.severity,
          phase: type,
          ts: type === 'raised' ? alert.raisedAt : type === 'cleared' ? (alert.clearedAt ?? alert.updatedAt) : alert.updatedAt,
          message: alert.title,
          evidence: { ...alert.evidence, outcome: alert.outcome },
        });
      }),
    );
  }
  if (options.settings) {
    const storeForRetention = store as Store | null;
    contract.register(
      settingsCapability({
        ...options.settings,
        // Keep the store's size cap; the page sets the age limit.
        applyRetention: storeForRetention
          ? (days) => storeForRetention.setRetention({ days, maxBytes: storeForRetention.status().retention.maxBytes })
          : undefined,
      }).commands,
    );
  }
  return {
    market,
    recentTrades,
    publisher,
    contract,
    analytics,
    recordingsDir: options.dataDir ? recordingsDir(options.dataDir) : null,
    heatmaps,
    store,
    health,
    ui,
    async close() {
      publisher.stop();
      market.close();
      for (const c of closers.reverse()) {
        try {
          await c();
        } catch (error) {
          options.logger.log('error', 'shutdown-error', { error: (error as Error).message });
        }
      }
    },
  };
}
