/** The market's capability on the contract: app info, venues, instruments, health, the book views and the tape. */
import { ContractError, type HealthReport } from '../../shared/contract';
import { followFeed } from '../market/follow-feed';
import type { RecentTrades } from '../market/recent-trades';
import type { MarketService } from '../market/service';
import type { TradedVolume } from '../market/traded-volume';
import { depthSource } from '../publish/views/depth';
import type { HeatmapHistories } from '../publish/heatmap-histories';
import { heatmapSource } from '../publish/views/heatmap';
import { ladderSource } from '../publish/views/ladder';
import { topOfBookSource } from '../publish/views/top-of-book';
import { tradesSource } from '../publish/views/trades';
import type { CommandHandlers, HostInfo, StreamFactories } from './contract-host';

export function marketCapability(
  market: MarketService,
  info: HostInfo,
  health: () => HealthReport,
  recent: RecentTrades,
  heatmaps: HeatmapHistories | null = null,
  tradedVolume: TradedVolume | null = null,
): { commands: CommandHandlers; streams: StreamFactories } {
  const heatmapHistory: CommandHandlers['heatmap.history'] = (request) => {
    const answer = heatmaps?.query(request);
    if (!answer) throw new ContractError('not-found', `no book for ${request.venue} ${request.symbol}: subscribe to it first`);
    return answer;
  };
  return {
    commands: {
      'app.info': () => info,
      'venues.list': () => market.venues(),
      'instruments.list': ({ venue }) => market.instruments(venue),
      'health.get': () => health(),
      ...(heatmaps ? { 'heatmap.history': heatmapHistory } : {}),
    },
    streams: {
      'book.ladder': (p) =>
        followFeed(market, p.venue, p.symbol, (feed) =>
          ladderSource(
            feed,
            p.depth,
            p.group,
            () => market.instrument(p.venue, feed.symbol) ?? null,
            tradedVolume,
            market.isReplayFeed(feed) ? null : Date.now,
          ),
        ),
      'book.depth': (p) => followFeed(market, p.venue, p.symbol, (feed) => depthSource(feed, p.rangeBps, p.points)),
      // Stamped with the book's time (the recorded time in a replay), on the grid of its kept history.
      'book.heatmap': (p) =>
        followFeed(market, p.venue, p.symbol, (feed) =>
          heatmaps
            ? heatmapSource(
                feed,
                p.rows,
                p.spanBps,
                p.intervalMs,
                () => heatmaps.timeOf(feed),
                () => (p.rows === heatmaps.rows ? heatmaps.rowStep(feed) : null),
                () => heatmaps.trades(feed),
              )
            : heatmapSource(feed, p.rows, p.spanBps, p.intervalMs, Date.now),
        ),
      'book.top': (p) => followFeed(market, p.venue, p.symbol, (feed) => topOfBookSource(market, feed)),
      trades: (p) =>
        followFeed(market, p.venue, p.symbol, (feed) =>
          tradesSource(market, feed, recent.newest(feed, p.backlog), () => market.instrument(p.venue, feed.symbol) ?? null),
        ),
      health: () => ({ version: () => Math.floor(Date.now() / 1000), build: () => health() }),
      'replay.status': () => ({
        // Four updates a second while a capture plays; otherwise only when the status changes.
        version: () => {
          const s = market.replayStatus();
          return s.active && !s.paused && !s.done ? Math.floor(Date.now() / 250) : `${s.active}/${s.paused}/${s.done}/${s.name}`;
        },
        build: () => market.replayStatus(),
      }),
    },
  };
}
