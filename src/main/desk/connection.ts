/**
 * Reaching the desk's NATS: connect with retries and a clear message while it cannot be reached, and
 * make sure the stream and the KV buckets exist.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { BOOKS_BUCKET, INSTRUMENTS_BUCKET, LEASES_BUCKET, STREAM_NAME, SUBJECT_ROOT } from './subjects';

export interface DeskConnectOptions {
  /** Connection name the server shows (collector, web host, recorder). */
  name: string;
  /** Told about every failed attempt, with the message a user should read. */
  onRetry?: (message: string, attempt: number, delayMs: number) => void;
  /** Stop trying (the process is shutting down). */
  signal?: AbortSignal;
  /** Longest wait between attempts (default 10 s; the first waits 0.5 s, doubling). */
  maxDelayMs?: number;
}

/** `nats://a:4222,nats://b:4222` → the list of servers. */
export function parseServers(urls: string): string[] {
  const servers = urls.split(',').map((s) => s.trim()).filter(Boolean);
  if (servers.length === 0) throw new Error('--nats needs at least one URL (e.g. nats://127.0.0.1:4222)');
  return servers;
}

/**
 * Connects, retrying until it works (or `signal` aborts). Once connected the client reconnects by
 * itself (to any server of the cluster it learnt) for as long as the process runs.
 */
export async function connectDesk(urls: string, options: DeskConnectOptions): Promise<NatsConnection> {
  const servers = parseServers(urls);
  let delay = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect({ servers, name: options.name, maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: 5000 });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const reason = (error as Error).message || String(error);
      options.onRetry?.(`cannot reach NATS at ${servers.join(', ')} (${reason}); retrying in ${(delay / 1000).toFixed(1)} s`, attempt, delay);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        options.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (options.signal?.aborted) throw new Error('stopped while waiting for NATS', { cause: error });
      delay = Math.min(delay * 2, options.maxDelayMs ?? 10_000);
    }
  }
}

export interface DeskStorage {
  js: JetStreamClient;
  jsm: JetStreamManager;
  books: KV;
  leases: KV;
  /** Each book's instrument; null for a subscriber of a desk whose collectors predate the bucket. */
  instruments: KV | null;
}

export interface DeskStorageOptions {
  /** Copies of the stream and buckets (3 on a three-node cluster). Only applies when creating them. */
  replicas?: number;
  /** How long the stream keeps messages (default 24 h). */
  maxAgeMs?: number;
  /** How long a JetStream API request is waited for (default: the client's, 5 s). */
  apiTimeoutMs?: number;
}

/** Opens the stream and the KV buckets, creating them when missing (collectors do; subscribers only open). */
export async function openDeskStorage(nc: NatsConnection, options: DeskStorageOptions & { create: boolean }): Promise<DeskStorage> {
  const timeout = options.apiTimeoutMs === undefined ? {} : { timeout: options.apiTimeoutMs };
  const jsm = await jetstreamManager(nc, timeout);
  const js = jetstream(nc, timeout);
  const replicas = options.replicas ?? 1;
  if (options.create) {
    try {
      await jsm.streams.info(STREAM_NAME);
    } catch {
      await jsm.streams.add({
        name: STREAM_NAME,
        subjects: [`${SUBJECT_ROOT}.>`],
        num_replicas: replicas,
        max_age: (options.maxAgeMs ?? 24 * 3600_000) * 1_000_000,
        // Retried publishes carry the same message id; the stream keeps one.
        duplicate_window: 120 * 1_000_000_000,
      });
    }
  }
  const kvm = new Kvm(js);
  const books = options.create ? await kvm.create(BOOKS_BUCKET, { replicas, history: 1 }) : await kvm.open(BOOKS_BUCKET);
  const leases = options.create ? await kvm.create(LEASES_BUCKET, { replicas, history: 1, ttl: 60_000 }) : await kvm.open(LEASES_BUCKET);
  const instruments = options.create ? await kvm.create(INSTRUMENTS_BUCKET, { replicas, history: 1 }) : await kvm.open(INSTRUMENTS_BUCKET).catch(() => null);
  return { js, jsm, books, leases, instruments };
}
