/**
 * Desk: the latency a desk adds between a collector and a desktop, on loopback. The bench starts its
 * own nats-server (JetStream, free loopback port, store in a temp dir; stopped at the end, even on
 * error), plays a real capture through a collector (as `npm run collect -- --capture` does, paced at
 * DESK_SPEED× the recorded time) and follows its book with desk subscribers (the adapter a desktop
 * uses: KV snapshot, then a consumer on the book's subjects), each on its own connection.
 *
 * Latency is timed from the moment the collector publishes a book delta (its listener is called as
 * the collector's book applies it, and the publish is issued in the same call) to the moment a
 * subscriber's book has applied it (its listener is called from the same apply). Everything runs in
 * this one process on one clock (performance.now), so subscribers share one core with the collector
 * and with each other: with 20 of them, the last one of a message waits for the 19 before it.
 *
 * Baseline, in the same run: plain NATS core publish → receive of the same message sizes on the same
 * schedule (every message the collector published, at the offsets it published them), to as many
 * subscribers, each on its own connection. The difference is what JetStream (store, acknowledge,
 * consumer delivery) and our encode/parse/apply add.
 *
 * Then fan-out throughput: the collector plays the capture as fast as it can with 20 subscribers, and
 * the aggregate delivered book messages/s counts every subscriber's applied deltas until the last
 * subscriber has the last one, against core NATS pushing the same messages flat out to 20 connections,
 * and against the desk's transport alone: 20 consumers (as a desk subscriber makes them) reading the same stream and only
 * counting. The process's CPU per delivered delta says what our 20 subscribers' work costs; the
 * nats-server's CPU is read from /proc. `BENCH_DESK_FAN_OUT_ONLY=1` skips the paced rounds.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DeliverPolicy, type JetStreamClient, type JetStreamPublishOptions } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { BookEvent } from '../../shared/market';
import { ReplayPlayer } from '../capture/player';
import { DeskCollector } from '../desk/collector';
import { connectDesk, openDeskStorage } from '../desk/connection';
import { startNatsServer } from '../desk/nats-server';
import { DeskVenueAdapter, SUBSCRIBER_API_TIMEOUT_MS, streamConsumer } from '../desk/subscriber';
import { BOOKS_BUCKET, LEASES_BUCKET, STREAM_NAME, bookFilter } from '../desk/subjects';
import { nullLogger } from '../log';
import type { FeedListener, SymbolFeed } from '../venues/symbol-feed';
import { capturePath, emit, percentile, round, sleep } from './bench-util';

export const DESK_CAPTURE = 'binance-usdm_2024-08-08_ethusdt-2min.capture.jsonl';
const DESK_VENUE = 'binance-usdm';
const DESK_SYMBOL = 'ETHUSDT';
/** 10× the recorded pace: ~190 book deltas/s plus trades and top-of-book, 12 s of play. */
const DESK_SPEED = 10;
const FAN_OUT = 20;

/** One publish the collector issued: when (ms, performance clock), its size, and whether it was a book message. */
interface Sent {
  at: number;
  bytes: number;
  book: boolean;
}

interface Stats {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

let serverPid = 0;
function serverCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

function stats(values: number[]): Stats {
  return { count: values.length, p50: round(percentile(values, 50), 3), p99: round(percentile(values, 99), 3), max: round(values.reduce((m, v) => Math.max(m, v), 0), 3) };
}

/** Remove the desk's stream and buckets, so each round starts from an empty desk. */
async function resetDesk(url: string): Promise<void> {
  const nc = await connectDesk(url, { name: 'obm-bench-reset' });
  try {
    const { jsm } = await openDeskStorage(nc, { create: true });
    for (const stream of [STREAM_NAME, `KV_${BOOKS_BUCKET}`, `KV_${LEASES_BUCKET}`]) await jsm.streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}

async function waitUntil(what: string, timeoutMs: number, done: () => boolean): Promise<void> {
  const start = performance.now();
  while (!done()) {
    if (performance.now() - start > timeoutMs) throw new Error(`desk bench: ${what} did not happen within ${timeoutMs} ms`);
    await sleep(10);
  }
}

interface DeskRound {
  /** Per subscriber: latency (ms) of every delta published after all subscribers were synced. */
  latencies: number[][];
  /** Every publish of the collector, for the baseline's schedule. */
  sent: Sent[];
  /** Deltas the collector published while measuring, and how long from the first of them to the last subscriber having the last. */
  measuredDeltas: number;
  deliveredSec: number;
  /** CPU time this process (collector and every subscriber) used per second while measuring; 1000 is one core saturated. */
  cpuMsPerSec: number;
  /** The same for the nats-server process. */
  serverCpuMsPerSec: number;
  /** While measuring: playing the rest of the capture, the collector's last acknowledgements, subscribers catching up. */
  phasesMs: { play: number; lastAcks: number; catchUp: number };
  /** What the collector published, by kind. */
  counts: Record<string, number>;
}

/**
 * One collector playing the capture at `speed` (0 = as fast as it can) and `subscribers` desk
 * subscribers, each on its own connection, all in this process.
 */
async function deskRound(url: string, subscribers: number, speed: number): Promise<DeskRound> {
  await resetDesk(url);
  const collectorNc = await connectDesk(url, { name: 'obm-bench-collector' });
  const subscriberNcs: NatsConnection[] = [];
  const adapters: DeskVenueAdapter[] = [];
  let player: ReplayPlayer | null = null;
  try {
    const storage = await openDeskStorage(collectorNc, { create: true });
    const sent: Sent[] = [];
    // The collector only publishes: note each publish's time and size on the way.
    const js = {
      publish: (subject: string, data: Uint8Array, options?: Partial<JetStreamPublishOptions>) => {
        sent.push({ at: performance.now(), bytes: data.length, book: subject.endsWith('.book') });
        return storage.js.publish(subject, data, options);
      },
    } as unknown as JetStreamClient;
    const collector = new DeskCollector({ js, books: storage.books, logger: nullLogger, include: () => true });
    const publishedAt = new Map<number, number>();
    let measureFrom = Infinity;
    let lastPublishedSeq = 0;
    let measuredDeltas = 0;
    let firstMeasured = Infinity;
    const collectorListener: FeedListener = {
      ...collector.listener,
      onBook(feed: SymbolFeed, event: BookEvent) {
        // Called as the collector's book applies the event; the collector publishes it in the same call.
        const now = performance.now();
        if (event.kind === 'delta') {
          publishedAt.set(feed.bookSequence, now);
          if (now >= measureFrom) {
            measuredDeltas++;
            firstMeasured = Math.min(firstMeasured, now);
          }
        }
        lastPublishedSeq = feed.bookSequence;
        collector.listener.onBook(feed, event);
      },
    };

    const latencies: number[][] = [];
    const lastApplied: number[] = [];
    let lastDeliveredAt = 0;
    for (let i = 0; i < subscribers; i++) {
      const nc = await connectDesk(url, { name: `obm-bench-subscriber-${i}` });
      subscriberNcs.push(nc);
      const { js: subscriberJs, books } = await openDeskStorage(nc, { create: false, apiTimeoutMs: SUBSCRIBER_API_TIMEOUT_MS });
      const mine: number[] = [];
      latencies.push(mine);
      lastApplied.push(0);
      const listener: FeedListener = {
        onBook(feed, event) {
          lastApplied[i] = feed.bookSequence;
          if (event.kind !== 'delta') return;
          const now = performance.now();
          const at = publishedAt.get(feed.bookSequence);
          if (at === undefined || at < measureFrom) return;
          mine.push(now - at);
          lastDeliveredAt = Math.max(lastDeliveredAt, now);
        },
        onState() {},
      };
      const adapter = new DeskVenueAdapter(DESK_VENUE, listener, { js: subscriberJs, books, logger: nullLogger, retryMs: 50 });
      adapter.subscribe([DESK_SYMBOL]);
      adapters.push(adapter);
    }

    // Played in recorded time until every subscriber is synced, then at `speed`: flat out from the
    // start, a quiet machine played the whole capture before 20 subscribers had loaded a snapshot.
    player = new ReplayPlayer(capturePath(DESK_CAPTURE), collectorListener, nullLogger, 1);
    collector.start();
    const playing = player.play();
    // Measure once every subscriber follows the book live (loaded from the collector's snapshot).
    const allSynced = (): boolean => adapters.every((a) => a.feed(DESK_SYMBOL)?.state === 'synced');
    await Promise.race([waitUntil('every subscriber synced', 60_000, allSynced), playing]);
    if (!allSynced()) throw new Error(`desk bench: the capture ended before all ${subscribers} subscribers were synced`);
    player.clock.setSpeed(speed);
    measureFrom = performance.now();
    const cpuFrom = process.cpuUsage();
    const serverCpuFrom = serverCpuMs();
    await playing;
    const playedAt = performance.now();
    const status = player.status();
    if (status.error) throw new Error(`desk bench: ${status.error}`);
    await collector.finish();
    const finishedAt = performance.now();
    await waitUntil('every subscriber applied the last message', 60_000, () => lastApplied.every((s) => s >= lastPublishedSeq));
    const cpu = process.cpuUsage(cpuFrom);
    const cpuMsPerSec = (cpu.user + cpu.system) / 1000 / ((performance.now() - measureFrom) / 1000);
    const serverCpuMsPerSec = (serverCpuMs() - serverCpuFrom) / ((performance.now() - measureFrom) / 1000);
    const phasesMs = { play: Math.round(playedAt - measureFrom), lastAcks: Math.round(finishedAt - playedAt), catchUp: Math.round(performance.now() - finishedAt) };
    return { latencies, sent, measuredDeltas, deliveredSec: (lastDeliveredAt - firstMeasured) / 1000, cpuMsPerSec, serverCpuMsPerSec, phasesMs, counts: { ...collector.counts } };
  } finally {
    player?.stop();
    for (const a of adapters) a.close();
    for (const nc of subscriberNcs) await nc.close();
    await collectorNc.close();
  }
}

/**
 * The baseline: the same messages (sizes and schedule, `pace` true) or flat out (`pace` false),
 * published with NATS core to `subscribers` connections; latency of the book messages only.
 */
async function coreRound(url: string, sent: Sent[], subscribers: number, pace: boolean): Promise<{ latencies: number[][]; deliveredSec: number; bookMessages: number }> {
  const publisher = await connect({ servers: url, name: 'obm-bench-core-publisher' });
  const receivers: NatsConnection[] = [];
  const subject = 'bench.core';
  try {
    const latencies: number[][] = [];
    const received: number[] = [];
    let lastAt = 0;
    for (let i = 0; i < subscribers; i++) {
      const nc = await connect({ servers: url, name: `obm-bench-core-${i}` });
      receivers.push(nc);
      const mine: number[] = [];
      latencies.push(mine);
      received.push(0);
      nc.subscribe(subject, {
        callback: (_error, msg) => {
          const now = performance.now();
          received[i]!++;
          const view = new DataView(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength);
          if (view.getUint8(8) === 1) mine.push(now - view.getFloat64(0));
          lastAt = now;
        },
      });
      await nc.flush();
    }
    const payloads = sent.map((s) => {
      const data = new Uint8Array(Math.max(9, s.bytes));
      data[8] = s.book ? 1 : 0;
      return data;
    });
    const start = performance.now();
    const origin = sent[0]?.at ?? 0;
    for (let k = 0; k < sent.length; k++) {
      if (pace) {
        const wait = start + (sent[k]!.at - origin) - performance.now();
        if (wait > 1) await sleep(wait);
      }
      const data = payloads[k]!;
      new DataView(data.buffer).setFloat64(0, performance.now());
      publisher.publish(subject, data);
      // Flat out, still let the receivers' socket reads in now and then, as the collector's publishes do.
      if (!pace && k % 256 === 255) await sleep(0);
    }
    await publisher.flush();
    await waitUntil('every core subscriber received every message', 60_000, () => received.every((n) => n >= sent.length));
    return { latencies, deliveredSec: (lastAt - start) / 1000, bookMessages: sent.filter((s) => s.book).length };
  } finally {
    for (const nc of receivers) await nc.close();
    await publisher.close();
  }
}

/**
 * The desk's transport alone: `subscribers` connections each follow the book's subjects with the same
 * consumer a desk subscriber makes, from the start of what the collector stored, and only count
 * the messages (no parse, no book). What it delivers per second, against core NATS, is what JetStream
 * costs; against the desk round, what our subscribers' work (parse, apply, trades, health) costs.
 */
async function jetStreamRound(url: string, subscribers: number): Promise<{ deliveredSec: number; bookMessages: number; messages: number }> {
  const connections: NatsConnection[] = [];
  const stops: Array<() => void> = [];
  try {
    const first = await connectDesk(url, { name: 'obm-bench-js-info' });
    connections.push(first);
    const { jsm } = await openDeskStorage(first, { create: false });
    const total = (await jsm.streams.info(STREAM_NAME)).state.messages;
    const consumers = [];
    for (let i = 0; i < subscribers; i++) {
      const nc = i === 0 ? first : await connectDesk(url, { name: `obm-bench-js-${i}` });
      if (i > 0) connections.push(nc);
      const { js } = await openDeskStorage(nc, { create: false, apiTimeoutMs: SUBSCRIBER_API_TIMEOUT_MS });
      consumers.push(await streamConsumer(js, bookFilter(DESK_VENUE, DESK_SYMBOL), { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: 1 }));
    }
    const received = consumers.map(() => 0);
    let bookMessages = 0;
    let lastAt = 0;
    const start = performance.now();
    const done = consumers.map(async (consumer, i) => {
      const messages = await consumer.consume({ expires: 2000 });
      stops.push(() => messages.stop());
      for await (const m of messages) {
        received[i]!++;
        if (i === 0 && m.subject.endsWith('.book')) bookMessages++;
        if (received[i]! >= total) {
          lastAt = Math.max(lastAt, performance.now());
          break;
        }
      }
    });
    await Promise.race([Promise.all(done), sleep(60_000).then(() => Promise.reject(new Error('desk bench: JetStream consumers did not get every message within 60 s')))]);
    return { deliveredSec: (lastAt - start) / 1000, bookMessages, messages: total };
  } finally {
    for (const stop of stops) stop();
    for (const nc of connections) await nc.close();
  }
}

function latencyRecord(mode: string, subscribers: number, result: DeskRound, core: number[][]): Record<string, unknown> {
  const desk = result.latencies;
  const deskAll = stats(desk.flat());
  const coreAll = stats(core.flat());
  const record: Record<string, unknown> = {
    bench: 'desk-latency',
    workload: `${DESK_CAPTURE} at ${DESK_SPEED}x`,
    mode,
    subscribers,
    measure: 'collector publishes a book delta -> subscriber book applied (ms)',
    deltas: deskAll.count,
    p50Ms: deskAll.p50,
    p99Ms: deskAll.p99,
    maxMs: deskAll.max,
    baseline: 'NATS core publish -> receive, same message sizes and schedule',
    baselineP50Ms: coreAll.p50,
    baselineP99Ms: coreAll.p99,
    baselineMaxMs: coreAll.max,
    addedP50Ms: round(deskAll.p50 - coreAll.p50, 3),
    addedP99Ms: round(deskAll.p99 - coreAll.p99, 3),
    // Near 1000 the process (collector and subscribers on one thread) is saturated: latency is then queueing.
    processCpuMsPerSec: Math.round(result.cpuMsPerSec),
    serverCpuMsPerSec: Math.round(result.serverCpuMsPerSec),
    clock: 'performance.now() of this one process: the collector and every subscriber run in it',
  };
  if (subscribers > 1) {
    record.perSubscriber = desk.map((l) => {
      const s = stats(l);
      return { p50Ms: s.p50, p99Ms: s.p99 };
    });
  }
  return record;
}

export async function runDeskBench(): Promise<void> {
  const server = await startNatsServer();
  const url = server.nodes[0]!.url;
  serverPid = server.nodes[0]!.process?.pid ?? 0;
  try {
    for (const subscribers of process.env.BENCH_DESK_FAN_OUT_ONLY ? [] : [1, FAN_OUT]) {
      process.stderr.write(`bench desk: ${subscribers} subscriber(s) at ${DESK_SPEED}x…\n`);
      const desk = await deskRound(url, subscribers, DESK_SPEED);
      const core = await coreRound(url, desk.sent, subscribers, true);
      emit(latencyRecord('paced', subscribers, desk, core.latencies));
    }
    process.stderr.write(`bench desk: fan-out to ${FAN_OUT} subscribers, flat out…\n`);
    const desk = await deskRound(url, FAN_OUT, 0);
    const core = await coreRound(url, desk.sent, FAN_OUT, false);
    const transport = await jetStreamRound(url, FAN_OUT);
    const transportRate = (transport.bookMessages * FAN_OUT) / transport.deliveredSec;
    const delivered = desk.latencies.reduce((n, l) => n + l.length, 0);
    const deskRate = delivered / desk.deliveredSec;
    const coreRate = (core.bookMessages * FAN_OUT) / core.deliveredSec;
    emit({
      bench: 'desk-fan-out',
      workload: `${DESK_CAPTURE} as fast as the collector plays it`,
      subscribers: FAN_OUT,
      measure: 'book deltas applied by all subscribers together per second, first measured publish -> last subscriber has the last',
      deltas: desk.measuredDeltas,
      delivered,
      deliveredMsgsPerSec: Math.round(deskRate),
      // Every message the collector published (book, top, trade, health) goes to each subscriber's consumer.
      publishedMessages: desk.sent.length,
      p50Ms: stats(desk.latencies.flat()).p50,
      p99Ms: stats(desk.latencies.flat()).p99,
      baseline: 'NATS core publish -> receive of the same messages flat out to as many connections (book messages counted)',
      baselineDeliveredMsgsPerSec: Math.round(coreRate),
      ratioToBaseline: round(deskRate / coreRate, 3),
      jetStream: 'the same stream read by 20 consumers (as a desk subscriber makes them) that only count: book messages/s',
      jetStreamDeliveredMsgsPerSec: Math.round(transportRate),
      jetStreamRatioToBaseline: round(transportRate / coreRate, 3),
      processCpuMsPerSec: Math.round(desk.cpuMsPerSec),
      serverCpuMsPerSec: Math.round(desk.serverCpuMsPerSec),
      // Our CPU per delivered delta: the collector's share and 20 subscribers' parse, apply, trades and health.
      processCpuUsPerDelivered: Math.round((desk.cpuMsPerSec * 1000) / deskRate),
      phasesMs: desk.phasesMs,
      published: desk.counts,
    });
  } finally {
    await server.stop();
  }
}

