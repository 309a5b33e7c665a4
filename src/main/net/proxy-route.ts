/**
 * The agent that carries venue traffic through a proxy. One agent serves both WebSocket (`ws`
 * takes an `agent`) and REST (node:http/https take the same agent), so HTTP CONNECT and SOCKS5
 * behave alike for both kinds of traffic; fetch would need undici's own dispatchers, which do not
 * cover SOCKS5 in the undici Node 20 ships.
 */
import type { Agent } from 'node:http';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { bypassesProxy, redactProxyUrl, type ProxyOptions } from './proxy-options';

/** Socket errors met while reaching the proxy itself, in words. */
const PROXY_SOCKET_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'refused the connection',
  ECONNRESET: 'dropped the connection',
  ETIMEDOUT: 'did not answer',
  EHOSTUNREACH: 'cannot be reached (host unreachable)',
  ENETUNREACH: 'cannot be reached (network unreachable)',
  ENOTFOUND: 'cannot be reached (its name does not resolve)',
  EAI_AGAIN: 'cannot be reached (its name does not resolve)',
};

export class ProxyRoute {
  /** The proxy as shown to users (password hidden). */
  readonly label: string;
  private readonly agent: Agent;
  /** Target host → the proxy's refusal of the last CONNECT to it (HTTP proxies answer with a status). */
  private readonly refusals = new Map<string, number>();

  constructor(private readonly options: ProxyOptions & { url: string }) {
    this.label = redactProxyUrl(options.url);
    const url = new URL(options.url);
    if (url.protocol.startsWith('socks')) {
      this.agent = new SocksProxyAgent(url);
    } else {
      const agent = new HttpsProxyAgent(url);
      agent.on('proxyConnect', (connect: { statusCode: number }, req: { host?: string }) => {
        if (connect.statusCode !== 200 && req.host) this.refusals.set(req.host.toLowerCase(), connect.statusCode);
      });
      this.agent = agent;
    }
  }

  /** The agent for a target URL, or undefined when NO_PROXY says to connect directly. */
  agentFor(target: string): Agent | undefined {
    return bypassesProxy(new URL(target), this.options.noProxy) ? undefined : this.agent;
  }

  /**
   * An error from traffic to `target` through this proxy, reworded so feed health names the proxy
   * when the proxy is what failed ("proxy http://127.0.0.1:3128 refused the connection").
   */
  explain(error: Error, target: string): Error {
    const host = new URL(target).hostname.toLowerCase();
    const refusedStatus = this.refusals.get(host);
    if (refusedStatus !== undefined && /Unexpected server response/.test(error.message)) {
      this.refusals.delete(host);
      return new Error(`proxy ${this.label} refused to connect to ${host} (HTTP ${refusedStatus})`, { cause: error });
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code && PROXY_SOCKET_ERRORS[code]) {
      return new Error(`proxy ${this.label} ${PROXY_SOCKET_ERRORS[code]} (${code})`, { cause: error });
    }
    if (/socks/i.test(error.message)) return new Error(`proxy ${this.label}: ${error.message}`, { cause: error });
    return new Error(`${error.message} (through proxy ${this.label})`, { cause: error });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The route for these options, or null to connect directly. */
export function proxyRoute(options: ProxyOptions): ProxyRoute | null {
  return options.url ? new ProxyRoute({ ...options, url: options.url }) : null;
}
