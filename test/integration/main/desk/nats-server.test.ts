import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startNatsCluster, startNatsServer, type NatsCluster } from '../../../support/nats-server';

describe('test nats-server helper', () => {
  const started: NatsCluster[] = [];
  afterAll(async () => {
    for (const c of started) await c.stop();
  });

  it('starts a single JetStream node on loopback and a client reaches JetStream', async () => {
    const server = await startNatsServer();
    started.push(server);
    expect(server.urls).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    const nc = await connect({ servers: server.urls });
    const info = await (await jetstreamManager(nc)).getAccountInfo();
    expect(info.limits).toBeDefined();
    await nc.close();
  });

  it('starts a three-node cluster that holds a stream replicated three times', async () => {
    const cluster = await startNatsCluster();
    started.push(cluster);
    expect(cluster.nodes).toHaveLength(3);
    const nc = await connect({ servers: cluster.urls.split(',') });
    const jsm = await jetstreamManager(nc);
    const stream = await jsm.streams.add({ name: 'T', subjects: ['t.>'], num_replicas: 3 });
    expect(stream.config.num_replicas).toBe(3);
    expect(stream.cluster?.replicas?.length).toBe(2);
    await nc.close();
  }, 60_000);
});
