/**
 * The one place that builds the services and wires them together, for both hosts and the CLI.
 */
import type { HealthReport } from '../../shared/contract';
import type { VenueId } from '../../shared/market';
import type { Logger } from '../log';
import { Publisher } from '../publish/publisher';
import { HeatmapHistories } from '../publish/heatmap-histories';
import { DEMO_REST, DEMO_WS, DemoTransport, type DemoOptions } from '../venues/demo/transport';
import { DEMO_B_SYMBOLS } from '../venues/demo/market';
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
import type { ProxyOptions } from '../net/proxy-options';
import { proxyRoute } from '../net/proxy-route';
import type { AlertDeliveryOptions } from '../../shared/alert-delivery';
import { AlertDelivery } from '../alerts-delivery/service';
import { alertDeliveryCapability } from '../alerts-delivery/capability';
import { candlesCapability } from './candles-capability';
import { crossVenueCapability, feesFromEnv } from '../crossvenue/capability';
import type { DeskSource } from '../desk/subscriber';
import { TradeFlows } from '../market/trade-flows';
import { orderFlowCapability } from './order-flow-capability';
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
  /** Send live venue traffic (WebSocket and REST) through this proxy (see src/main/net). */
  proxy?: ProxyOptions;
  /** Where alerts go beyond the windows: webhook, Telegram, quiet hours (see src/main/alerts-delivery). */
  alertDelivery?: AlertDeliveryOptions;
  /** Take every venue's books from a desk's NATS instead of exchange connections (src/main/desk). */
  desk?: DeskSource;
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
  /** Alert delivery to the webhook and Telegram, with its log. */
  alertDelivery: AlertDelivery;
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
  const closers: Array<() => void | Promise<void>> = [];
  const proxy = options.proxy ? proxyRoute(options.proxy) : null;
  if (proxy) {
    options.logger.log('info', 'proxy', { proxy: proxy.label });
    closers.push(() => proxy.close());
  }
  const live = new LiveTransport({ proxy });
  // demo-b follows demo's mids 400 ms late when both run (the cross-venue lead/lag has a leader).
  const demoTransport = options.venues.includes('demo') && !options.desk ? new DemoTransport(options.demo) : null;
  const configs: VenueConfig[] = options.venues.map((id) => {
    const desk = options.desk;
    if (desk) return { id, mode: 'live', transport: live, createAdapter: (ctx) => desk.createAdapter(ctx, id), uncachedList: true };
    if (id === 'demo' || id === 'demo-b') {
      const transport =
        id === 'demo'
          ? demoTransport!
          : new DemoTransport({ ...options.demo, seed: options.demo?.seed === undefined ? undefined : options.demo.seed + 7919, symbols: DEMO_B_SYMBOLS, follow: demoTransport ? { midAt: (s, ts) => demoTransport.market.midAt(s, ts), lagMs: 400 } : undefined });
      closers.push(() => transport.close());
      return { id, mode: 'demo', transport, endpoints: { ws: DEMO_WS, rest: DEMO_REST } };
    }
    return { id, mode: 'live', transport: live, endpoints: options.endpoints?.[id], credentials: options.credentials?.[id] };
  });
  const market = new MarketService(
    configs,
    options.logger,
    // A desk's list is what its collectors publish, not the venue's: it is not cached over the venue's.
    options.dataDir && !options.desk ? new InstrumentCache(join(options.dataDir, 'instruments')) : null,
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
  contract.register({}, crossVenueCapability(market, feesFromEnv(options.logger)).streams);
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
  const alertDelivery = new AlertDelivery(options.alertDelivery ?? { webhook: null, telegram: null, quietHours: null }, {
    logger: options.logger,
    proxy,
    logFile: options.dataDir ? join(options.dataDir, 'alert-deliveries.jsonl') : null,
    userAgent: `${options.host.name}/${options.host.version}`,
  });
  contract.register(alertDeliveryCapability(alertDelivery));
  closers.push(() => alertDelivery.close());
  closers.push(
    analytics.onAlert((event) => {
      // A replayed capture's alerts are not news: only live ones leave the machine.
      const feed = market.feed(event.alert.venue, event.alert.symbol);
      if (feed && market.isReplayFeed(feed)) return;
      alertDelivery.onAlertEvent(event);
    }),
  );
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
  // Candles: the store's recorded trades, then this session's (registered after the store starts).
  const candles = candlesCapability(market, store);
  contract.register({}, candles.streams);
  closers.push(() => candles.close());
  // Footprint and traded volume profile: every feed's volume by time and price (earlier prints from the store).
  const tradeFlows = new TradeFlows(market, store, (feed) => market.isReplayFeed(feed));
  closers.push(() => tradeFlows.close());
  contract.register({}, orderFlowCapability(market, tradeFlows).streams);
  if (options.settings) {
    const storeForRetention = store as Store | null;
    contract.register(
      settingsCapability({
        ...options.settings,
        // Keep the store's size cap; the page sets the age limit.
        applyRetention: storeForRetention
          ? (days) => storeForRetention.setRetention({ days, maxBytes: storeForRetention.status().retention.maxBytes })
          : undefined,
        testDelivery: async (channel) => {
          const [result] = await alertDelivery.test(channel);
          if (!result) return { ok: false, message: `no ${channel} is configured in the running alert delivery (saved settings apply at the next start)` };
          return { ok: result.ok, message: result.ok ? `delivered${result.httpStatus !== null ? ` (HTTP ${result.httpStatus})` : ''}` : `failed: ${result.error ?? `HTTP ${result.httpStatus}`}` };
        },
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
    alertDelivery,
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
