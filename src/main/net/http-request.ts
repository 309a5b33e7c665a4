/**
 * One HTTP request, directly with fetch or through a proxy's agent (node:http/https, since fetch
 * takes no agent). Both answer alike: the same response shape and the same TimeoutError.
 */
import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HttpResponse } from '../venues/transport';
import type { ProxyRoute } from './proxy-route';

export function requestThroughAgent(url: string, init: RequestInit, agent: Agent, proxy: ProxyRoute): Promise<HttpResponse> {
  return new Promise<HttpResponse>((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers = (init.headers ?? {}) as Record<string, string>;
    const signal = init.signal ?? undefined;
    const req = send(target, { method: init.method ?? 'GET', headers, agent }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => reject(proxy.explain(error, url)));
      res.on('end', () => {
        const responseHeaders: Record<string, string> = {};
        for (const [key, value] of Object.entries(res.headers)) {
          if (value !== undefined) responseHeaders[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: responseHeaders });
      });
    });
    // An HTTP proxy that answers CONNECT with anything but 200 refused us; its answer is not the venue's.
    req.on('proxyConnect', (connect: { statusCode: number }) => {
      if (connect.statusCode !== 200) req.destroy(new Error(`proxy ${proxy.label} refused to connect to ${target.host} (HTTP ${connect.statusCode})`));
    });
    req.on('error', (error) => {
      const ours = error.name === 'TimeoutError' || error.message.startsWith('proxy ');
      reject(ours ? error : proxy.explain(error, url));
    });
    if (signal) {
      const onAbort = () => {
        // The same error fetch raises, so isTimeout() and retries treat both paths alike.
        const reason = signal.reason instanceof Error ? signal.reason : new Error('request aborted');
        req.destroy(reason);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      req.on('close', () => signal.removeEventListener('abort', onAbort));
    }
    if (typeof init.body === 'string') req.write(init.body);
    req.end();
  });
}

/** `url` fetched directly, or through the proxy unless NO_PROXY exempts it; the body read as text. */
export async function sendHttpRequest(url: string, init: RequestInit, proxy: ProxyRoute | null): Promise<HttpResponse> {
  const agent = proxy?.agentFor(url);
  if (agent && proxy) return requestThroughAgent(url, init, agent, proxy);
  const response = await fetch(url, init);
  const body = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  return { status: response.status, body, headers };
}
