/**
 * Which proxy venue traffic goes through: one typed options object (a settings page can save it),
 * validated with zod, with the command line and the environment taking precedence over what was saved.
 */
import { z } from 'zod';

/** Schemes the agents speak: HTTP(S) CONNECT, and SOCKS5 (socks5h: the proxy resolves names). */
export const PROXY_PROTOCOLS = ['http:', 'https:', 'socks5:', 'socks5h:'] as const;

export const proxyOptionsSchema = z.object({
  /** The proxy, e.g. http://user:pass@10.0.0.2:3128 or socks5h://127.0.0.1:1080; null: connect directly. */
  url: z
    .string()
    .nullable()
    .refine((value) => value === null || isProxyUrl(value), {
      message: `proxy must be a URL starting with ${PROXY_PROTOCOLS.map((p) => p + '//').join(', ')} and naming a host`,
    }),
  /** Hosts reached directly (NO_PROXY syntax: "example.com", ".example.com", "host:port", "*"). */
  noProxy: z.array(z.string().min(1)).default([]),
});

export type ProxyOptions = z.infer<typeof proxyOptionsSchema>;

export const NO_PROXY: ProxyOptions = { url: null, noProxy: [] };

function isProxyUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (PROXY_PROTOCOLS as readonly string[]).includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The proxy options in force: `--proxy URL` first, then HTTPS_PROXY / https_proxy, then ALL_PROXY /
 * all_proxy, then the saved settings. NO_PROXY / no_proxy adds hosts to reach directly. An empty
 * `--proxy ""` turns a saved or inherited proxy off. Throws with a readable message when invalid.
 */
export function resolveProxyOptions(input: { flag?: string; env?: NodeJS.ProcessEnv; saved?: Partial<ProxyOptions> }): ProxyOptions {
  const env = input.env ?? {};
  const fromEnv = env.HTTPS_PROXY || env.https_proxy || env.ALL_PROXY || env.all_proxy || undefined;
  let url: string | null;
  if (input.flag !== undefined) url = input.flag === '' ? null : input.flag;
  else url = fromEnv ?? input.saved?.url ?? null;
  const noProxyEnv = (env.NO_PROXY || env.no_proxy || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const parsed = proxyOptionsSchema.safeParse({ url, noProxy: [...(input.saved?.noProxy ?? []), ...noProxyEnv] });
  if (!parsed.success) throw new Error(`invalid proxy setting: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

/** The proxy URL without its password, for logs and health reasons. */
export function redactProxyUrl(value: string): string {
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString().replace(/\/$/, '');
}

/** Whether a target host (and port) is to be reached directly under a NO_PROXY list. */
export function bypassesProxy(target: URL, noProxy: readonly string[]): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' || target.protocol === 'wss:' ? '443' : '80');
  for (const raw of noProxy) {
    const entry = raw.toLowerCase();
    if (entry === '*') return true;
    const [entryHost, entryPort] = entry.startsWith('[') ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]] : entry.split(':');
    if (entryPort && entryPort !== port) continue;
    const bare = entryHost.replace(/^\*?\./, '');
    if (host === bare || host.endsWith('.' + bare)) return true;
  }
  return false;
}

/** The value of `--proxy URL` or `--proxy=URL` in an argument list (the desktop app's command line). */
export function proxyFlagFromArgv(argv: readonly string[]): string | undefined {
  for (const [i, arg] of argv.entries()) {
    if (arg === '--proxy') return argv[i + 1] ?? '';
    if (arg.startsWith('--proxy=')) return arg.slice('--proxy='.length);
  }
  return undefined;
}
