/**
 * Active and standby collectors of one shard: the active one holds a lease in the `obm_leases` KV
 * bucket and renews it every few seconds (a compare-and-set on the entry's revision); a standby runs
 * the same adapters and books without publishing, and takes the lease over when it is not renewed in
 * time (the active collector crashed or lost its network).
 */
import type { KV } from '@nats-io/kv';
import type { Logger } from '../log';
import type { Shard } from './shard';

export const LEASE_MS = 6000;
const RENEW_MS = 2000;

interface LeaseValue {
  holder: string;
  until: number;
}

export class ShardLease {
  readonly holder = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private revision = 0;
  private timer: NodeJS.Timeout | null = null;
  private held = false;

  constructor(
    private readonly kv: KV,
    shard: Shard | null,
    private readonly logger: Logger,
    private readonly onLost: () => void = () => {},
    private readonly key = shard ? `shard-${shard.index}-of-${shard.count}` : 'shard-all',
  ) {}

  get active(): boolean {
    return this.held;
  }

  private value(): Uint8Array {
    return Buffer.from(JSON.stringify({ holder: this.holder, until: Date.now() + LEASE_MS } satisfies LeaseValue));
  }

  /** One try: true when this collector now holds the lease. */
  async tryAcquire(): Promise<boolean> {
    try {
      this.revision = await this.kv.create(this.key, this.value());
      return this.took();
    } catch {
      // Held, or was: take it over if it has run out.
    }
    const entry = await this.kv.get(this.key);
    if (!entry) return false;
    let current: LeaseValue | null;
    try {
      current = entry.operation === 'PUT' ? (JSON.parse(entry.string()) as LeaseValue) : null;
    } catch {
      current = null;
    }
    if (current && current.until > Date.now() && current.holder !== this.holder) return false;
    try {
      this.revision = await this.kv.update(this.key, this.value(), entry.revision);
      return this.took();
    } catch {
      return false; // another standby was faster
    }
  }

  private took(): boolean {
    this.held = true;
    this.logger.log('info', 'lease-acquired', { key: this.key, holder: this.holder });
    this.timer = setInterval(() => void this.renew(), RENEW_MS);
    return true;
  }

  private async renew(): Promise<void> {
    try {
      this.revision = await this.kv.update(this.key, this.value(), this.revision);
    } catch (error) {
      if (!this.held) return;
      this.held = false;
      if (this.timer) clearInterval(this.timer);
      this.logger.log('warn', 'lease-lost', { key: this.key, error: (error as Error).message });
      this.onLost();
    }
  }

  /** Waits (standby) until this collector holds the lease, or `signal` aborts. */
  async acquire(signal?: AbortSignal): Promise<void> {
    while (!signal?.aborted) {
      try {
        if (await this.tryAcquire()) return;
      } catch (error) {
        this.logger.log('warn', 'lease-error', { key: this.key, error: (error as Error).message });
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (!this.held) return;
    this.held = false;
    try {
      await this.kv.delete(this.key, { previousSeq: this.revision });
    } catch {
      // Expires by itself.
    }
  }
}
