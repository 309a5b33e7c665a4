/**
 * Active and standby collectors of one shard: one holds the lease, the other waits; when the active
 * one stops renewing (crashed), the standby takes over once the lease has run out, not before.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { connectDesk, openDeskStorage } from '../../../../src/main/desk/connection';
import { LEASE_MS, ShardLease } from '../../../../src/main/desk/lease';
import { nullLogger } from '../../../../src/main/log';
import { startNatsServer, type NatsCluster } from '../../../support/nats-server';
import { until } from '../../../support/wait';

describe('shard lease', () => {
  let server: NatsCluster;
  afterAll(async () => server?.stop());

  it('a standby takes over only after the active collector stops renewing', async () => {
    server = await startNatsServer();
    const nc = await connectDesk(server.urls, { name: 't' });
    const { leases } = await openDeskStorage(nc, { create: true });
    const shard = { index: 1, count: 2 };
    let lost = 0;
    const active = new ShardLease(leases, shard, nullLogger, () => lost++);
    const standby = new ShardLease(leases, shard, nullLogger);
    expect(await active.tryAcquire()).toBe(true);
    expect(await standby.tryAcquire()).toBe(false);
    // Renewals keep it: still refused after longer than one lease.
    await new Promise((r) => setTimeout(r, LEASE_MS + 500));
    expect(await standby.tryAcquire()).toBe(false);
    // Another shard is free.
    const other = new ShardLease(leases, { index: 2, count: 2 }, nullLogger);
    expect(await other.tryAcquire()).toBe(true);
    await other.release();
    // The active collector "crashes": it stops renewing without releasing.
    const crashedAt = Date.now();
    (active as unknown as { timer: NodeJS.Timeout }).timer.close();
    const taking = standby.acquire();
    await until(() => standby.active, LEASE_MS + 5000, 'the standby to take the lease');
    await taking;
    expect(Date.now() - crashedAt).toBeGreaterThan(LEASE_MS - 2500);
    expect(lost).toBe(0);
    await standby.release();
    await nc.close();
  }, 40_000);
});
