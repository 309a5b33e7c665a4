/**
 * The names the contract declares, without the schemas: the Electron preload allow-lists against
 * these (a sandboxed preload cannot load libraries such as zod).
 */
export const COMMAND_NAMES = [
  'app.info',
  'venues.list',
  'instruments.list',
  'health.get',
  'recording.start',
  'recording.stop',
  'recording.status',
  'replay.list',
  'replay.open',
  'replay.control',
  'file.saveAs',
  'store.status.get',
  'store.topOfBook',
  'store.trades',
  'store.alerts',
  'store.feedHistory',
  'store.retention.set',
  'export.csv.start',
  'export.depth',
  'heatmap.history',
  // analytics (src/shared/analytics.ts)
  'alerts.list',
  'alerts.ack',
  'alerts.price.set',
  'alerts.price.remove',
  'alerts.price.list',
  'alerts.price.route',
  'impact.simulate',
  // paper market maker (src/shared/market-maker.ts)
  'mm.start',
  'mm.stop',
  'mm.settings',
  // alert delivery (src/shared/alert-delivery.ts)
  'alerts.delivery.test',
  'alerts.delivery.log',
  'alerts.delivery.status',
  // settings page (src/shared/settings.ts)
  'settings.get',
  'settings.save',
  'settings.testDelivery',
  // detached windows' bounds, desktop only (src/shared/window-bounds.ts)
  'windows.bounds.get',
  'windows.bounds.set',
] as const;
export const STREAM_NAMES = ['book.ladder', 'book.depth', 'book.heatmap', 'book.top', 'trades', 'health', 'replay.status', 'ui.commands', 'store.status', 'export.progress', 'analytics.metrics', 'analytics.series', 'alerts', 'mm', 'candles',
  // cross-venue (src/shared/cross-venue.ts)
  'cross.book', 'cross.leadlag',
  // order flow (src/shared/order-flow.ts)
  'flow.footprint', 'flow.tradedProfile'] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];
export type StreamName = (typeof STREAM_NAMES)[number];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && (COMMAND_NAMES as readonly string[]).includes(name);
}

export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && (STREAM_NAMES as readonly string[]).includes(name);
}
