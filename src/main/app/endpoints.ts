import { isVenueId, type VenueId } from '../../shared/market';

export type EndpointOverrides = Partial<Record<VenueId, { ws: string; rest: string }>>;

/**
 * Parse `--endpoint VENUE=WS_URL,REST_URL` options (testnets, proxies, fake exchanges).
 * Throws with a message fit for the command line.
 */
export function parseEndpoints(specs: readonly string[]): EndpointOverrides {
  const out: EndpointOverrides = {};
  for (const spec of specs) {
    const m = /^([a-z-]+)=([^,]+),(.+)$/.exec(spec);
    if (!m || !isVenueId(m[1]!)) throw new Error(`--endpoint must look like binance-spot=wss://host,https://host; got ${spec}`);
    for (const url of [m[2]!, m[3]!]) {
      try {
        new URL(url);
      } catch {
        throw new Error(`--endpoint ${m[1]}: "${url}" is not a URL`);
      }
    }
    out[m[1] as VenueId] = { ws: m[2]!, rest: m[3]! };
  }
  return out;
}
