/**
 * Analytics on the contract: the metrics and per-second series streams of a book, the alert list
 * (stream and commands), user price alerts, and the impact calculator.
 */
import type { MetricsFrame, SeriesFrame } from '../../shared/analytics';
import { ContractError } from '../../shared/contract';
import { runImpact } from '../analytics/impact-query';
import type { AnalyticsService } from '../analytics/service';
import type { CommandHandlers, StreamFactories } from './contract-host';
import type { MarketService } from '../market/service';

export function analyticsCapability(analytics: AnalyticsService, market: MarketService): { commands: CommandHandlers; streams: StreamFactories } {
  return {
    commands: {
      'alerts.list': (query) => analytics.listAlerts(query),
      'alerts.ack': (request) => ({ acknowledged: analytics.acknowledge(request.all ? 'all' : (request.ids ?? [])) }),
      'alerts.price.set': async (request) => {
        // The rule needs the book streamed (and, without a direction, in sync to read the mid).
        const feed = await market.ensure(request.venue, request.symbol);
        analytics.track(feed);
        return analytics.addPriceRule({ ...request, symbol: feed.symbol });
      },
      'alerts.price.remove': ({ id }) => ({ removed: analytics.removePriceRule(id) }),
      'alerts.price.list': () => analytics.priceRules.list(),
      'alerts.price.route': ({ id, channels }) => {
        const rule = analytics.priceRules.route(id, channels);
        if (!rule) throw new ContractError('not-found', `no price alert ${id}`);
        return rule;
      },
      'impact.simulate': (request) => runImpact(market, request),
    },
    streams: {
      'analytics.metrics': async (p) => {
        const feed = await market.ensure(p.venue, p.symbol);
        const book = analytics.track(feed);
        return {
          version: () => `${book.seq}/${feed.stateVersion}`,
          build: (): MetricsFrame => book.frame(feed.state),
        };
      },
      'analytics.series': async (p) => {
        const feed = await market.ensure(p.venue, p.symbol);
        const book = analytics.track(feed);
        return {
          version: () => book.series.completed,
          build: (): SeriesFrame => ({ venue: p.venue, symbol: feed.symbol, seconds: p.seconds, ...book.series.window(Math.min(p.seconds, analytics.config.seriesSeconds)) }),
        };
      },
      alerts: (query) => ({
        version: () => analytics.alerts.version,
        build: () => analytics.listAlerts(query),
      }),
    },
  };
}
