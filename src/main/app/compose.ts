/**
 * The one place that builds the services and wires them together, for both hosts and the CLI.
 */
import type { VenueId } from '../../shared/market';
import type { Logger } from '../log';
import { Publisher } from '../publish/publisher';
import { DEMO_REST, DEMO_WS, DemoTransport, type DemoOptions } from '../venues/demo/transport';
import { LiveTransport } from '../venues/live-transport';
import { ContractHost, type HostInfo } from './contract-host';
import { marketCapability } from './market-capability';
import { MarketService, type VenueConfig } from './market';

export interface ServicesOptions {
  venues: VenueId[];
  logger: Logger;
  host: HostInfo;
  /** Override a venue's endpoints (testnets, proxies, fake exchanges in tests). */
  endpoints?: Partial<Record<VenueId, { ws: string; rest: string }>>;
  demo?: DemoOptions;
  /** Publisher tick in ms (default 50 ms = 20 frames/s per window). */
  tickMs?: number;
}

export interface Services {
  market: MarketService;
  publisher: Publisher;
  contract: ContractHost;
  close(): void;
}

export function createServices(options: ServicesOptions): Services {
  const live = new LiveTransport();
  const closers: Array<() => void> = [];
  const configs: VenueConfig[] = options.venues.map((id) => {
    if (id === 'demo') {
      const transport = new DemoTransport(options.demo);
      closers.push(() => transport.close());
      return { id, mode: 'demo', transport, endpoints: { ws: DEMO_WS, rest: DEMO_REST } };
    }
    return { id, mode: 'live', transport: live, endpoints: options.endpoints?.[id] };
  });
  const market = new MarketService(configs, options.logger);
  const publisher = new Publisher(options.tickMs ?? 50);
  const contract = new ContractHost(publisher, options.logger);
  const marketCap = marketCapability(market, options.host);
  contract.register(marketCap.commands, marketCap.streams);
  return {
    market,
    publisher,
    contract,
    close() {
      publisher.stop();
      market.close();
      for (const c of closers) c();
    },
  };
}
