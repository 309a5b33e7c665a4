/**
 * The desk under faults, on real captures and real nats-server processes:
 * - the JetStream stream's leader node of a three-node cluster is killed while a capture is being
 *   published: every subscriber book still equals the collector's (the depth export of the capture);
 * - the collector stops mid-capture: the subscriber's books show as lost with the reason, not
 *   frozen-live; a new collector run brings them back;
 * - NATS unreachable at start: a clear message and retries until it comes up;
 * - a malformed message on a book's subject: counted on the book's health and skipped;
 * - a book whose consumer is lost is followed again on a new one, and is live again once the collector is
 *   heard (its snapshot old: a quiet book's is not taken again);
 * - a book message stored after later ones (a publish retried during an election) is waited for, not
 *   reloaded; one never stored reloads the book from its snapshot after the wait.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { replayCapture } from '../../../../src/main/capture/replay';
import { REORDER_WAIT_MS, connectDeskSubscriber, type DeskSource } from '../../../../src/main/desk/subscriber';
import { STREAM_NAME, bookFilter, encode, parseSnapshot, snapshotKey, subjectOf } from '../../../../src/main/desk/subjects';
import { nullLogger } from '../../../../src/main/log';
import { depthSnapshot, type DepthSnapshot } from '../../../../src/main/store/client/depth-export';
import { bookAnswerOf } from '../../../../src/main/web/book-route';
import { collectCapture, startCli } from '../../../support/desk';
import { freePort, startNatsCluster, startNatsServer, type NatsCluster } from '../../../support/nats-server';
import { capture } from '../../../support/paths';
import { until } from '../../../support/wait';

const LEVELS = 50;
const OKX = capture('okx_2021-07-22.capture.jsonl');

async function exportedDepths(file: string): Promise<DepthSnapshot[]> {
  let snapshots: DepthSnapshot[] = [];
  await replayCapture(file, { onEnd: (feeds) => (snapshots = feeds.map((f) => depthSnapshot(f, LEVELS))) });
  return snapshots;
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A web host's services taking every book the desk publishes. */
async function subscriber(urls: string): Promise<{ desk: DeskSource; services: Services }> {
  const desk = await connectDeskSubscriber(urls, { logger: nullLogger, onWait: () => {} });
  const services = createServices({ venues: desk.venues, desk, logger: nullLogger, host: { name: 't', version: '0', host: 'web' } });
  cleanups.push(() => desk.nc.close(), () => services.close());
  return { desk, services };
}

async function followAll(services: Services, venue: 'okx', count: number): Promise<void> {
  await until(async () => (await services.market.instruments(venue)).length >= count, 40_000, 'every book published');
  for (const i of await services.market.instruments(venue)) await services.market.ensure(venue, i.symbol);
}

/** A nats-server, a collector playing the OKX capture in recorded time (about 30 s), and a subscriber following every book. */
async function liveDesk(): Promise<{ urls: string; collector: ReturnType<typeof startCli>; desk: DeskSource; services: Services }> {
  const server = await startNatsServer();
  cleanups.push(() => server.stop());
  const collector = startCli('collect.ts', ['--nats', server.urls, '--capture', OKX, '--speed', '1', '--snapshot-every', '500']);
  cleanups.push(() => collector.child.kill('SIGKILL'));
  const { desk, services } = await subscriber(server.urls);
  await followAll(services, 'okx', 3);
  return { urls: server.urls, collector, desk, services };
}

describe('desk faults', () => {
  it('a killed cluster node (the stream leader) loses nothing: subscriber books equal the collector’s', async () => {
    const cluster: NatsCluster = await startNatsCluster();
    cleanups.push(() => cluster.stop());
    const expected = await exportedDepths(OKX);
    // A 30 s capture at 3x: about 10 s of publishing.
    const collector = startCli('collect.ts', ['--nats', cluster.urls, '--capture', OKX, '--speed', '3', '--replicas', '3', '--snapshot-every', '500']);
    cleanups.push(() => collector.child.kill('SIGKILL'));
    const { desk, services } = await subscriber(cluster.urls);
    await followAll(services, 'okx', expected.length);
    const jsm = await jetstreamManager(desk.nc);
    const leader = (await jsm.streams.info(STREAM_NAME)).cluster!.leader!;
    await new Promise((r) => setTimeout(r, 2000));
    await cluster.kill(cluster.nodes.findIndex((n) => n.name === leader));
    const finished = await collector.done;
    expect(finished.code, finished.stderr).toBe(0);
    // What the kill cost the collector (publishes retried while a new leader was elected).
    process.stderr.write(`collector after the node kill: ${finished.stdout.trim().split('\n').at(-1)}\n`);
    for (const book of expected) {
      await until(() => {
        const feed = services.market.feed(book.venue as 'okx', book.symbol)!;
        const answer = bookAnswerOf(feed, LEVELS);
        return JSON.stringify([answer.state, answer.bids, answer.asks]) === JSON.stringify([book.state, book.bids, book.asks]);
      }, 20_000, `${book.symbol} equal to the collector's`).catch(() => {});
      const answer = bookAnswerOf(services.market.feed(book.venue as 'okx', book.symbol)!, LEVELS);
      expect({ symbol: book.symbol, state: answer.state, bids: answer.bids, asks: answer.asks }).toEqual({ symbol: book.symbol, state: book.state, bids: book.bids, asks: book.asks });
    }
    // The integrity counters are the collector's, carried by its health messages: the final ones (marked
    // ended, or in the final snapshot if the subscriber reloads) can arrive after the books are complete.
    await until(() => services.health().symbols.filter((h) => h.ended).length === expected.length, 30_000, 'the collector’s final health of every book');
    const health = services.health().symbols;
    expect(health.length).toBe(expected.length);
    expect(health.every((h) => h.checksumFailed === 0)).toBe(true);
    expect(health.reduce((n, h) => n + h.checksumOk, 0)).toBe(1504);
  }, 120_000);

  it('a stopped collector shows the books as lost, not frozen-live; a new run brings them back', async () => {
    const { urls, collector, services } = await liveDesk();
    const symbol = 'BTC-USD-210924-66000-C';
    await until(() => services.market.feed('okx', symbol)?.state === 'synced', 30_000, 'a synced book');
    collector.child.kill('SIGKILL');
    await collector.done;
    const killedAt = Date.now();
    await until(() => services.market.feed('okx', symbol)!.state !== 'synced', 10_000, 'the book to show the collector is gone');
    const lostAfter = Date.now() - killedAt;
    expect(lostAfter).toBeGreaterThan(3000);
    const health = services.health().symbols.find((h) => h.symbol === symbol)!;
    expect(health.state).toBe('connecting');
    expect(health.lastError).toMatch(/no message from the collector for \d+ s/);
    expect(services.market.venues().find((v) => v.id === 'okx')!.status).not.toBe('ok');
    // Another collector (a new run) publishes again: the book comes back from its snapshot.
    await collectCapture(urls, OKX, ['--snapshot-every', '500']);
    await until(() => services.market.feed('okx', symbol)!.state === 'synced', 30_000, 'the book back from the new run');
    const expected = (await exportedDepths(OKX)).find((b) => b.symbol === symbol)!;
    const answer = bookAnswerOf(services.market.feed('okx', symbol)!, LEVELS);
    expect([answer.bids, answer.asks]).toEqual([expected.bids, expected.asks]);
  }, 120_000);

  it('NATS unreachable at start: a clear message and retries until it is up', async () => {
    const port = await freePort();
    const url = `nats://127.0.0.1:${port}`;
    const collector = startCli('collect.ts', ['--nats', url, '--capture', capture('okx_2022-05-13.capture.jsonl')]);
    cleanups.push(() => collector.child.kill('SIGKILL'));
    const waits: string[] = [];
    const stop = new AbortController();
    cleanups.push(() => stop.abort());
    const subscribing = connectDeskSubscriber(url, { logger: nullLogger, onWait: (m) => waits.push(m), signal: stop.signal });
    await until(() => /cannot reach NATS at nats:\/\/127\.0\.0\.1:\d+ \(.+\); retrying in/.test(collector.stderr()), 20_000, 'the collector to say it cannot reach NATS');
    await until(() => waits.length >= 2, 10_000, 'the subscriber to retry');
    expect(waits[0]).toMatch(new RegExp(`cannot reach NATS at ${url} \\(.+\\); retrying in \\d`));
    const server = await startNatsServer(port);
    cleanups.push(() => server.stop());
    const finished = await collector.done;
    expect(finished.code, finished.stderr).toBe(0);
    const desk = await subscribing;
    cleanups.push(() => desk.nc.close());
    expect(desk.venues).toEqual(['okx']);
  }, 90_000);

  it('a malformed message on a book subject is counted and skipped; the book stays right', async () => {
    const server = await startNatsServer();
    cleanups.push(() => server.stop());
    const file = capture('okx_2022-05-13.capture.jsonl');
    await collectCapture(server.urls, file);
    const { desk, services } = await subscriber(server.urls);
    await services.market.ensure('okx', 'BTC-USDT');
    await until(() => services.market.feed('okx', 'BTC-USDT')?.state === 'synced', 10_000, 'synced');
    const js = jetstream(desk.nc);
    await js.publish(subjectOf('okx', 'BTC-USDT', 'book'), new TextEncoder().encode('{"run": 12, not json'));
    await js.publish(subjectOf('okx', 'BTC-USDT', 'book'), new TextEncoder().encode('{"run":"x","seq":1,"kind":"delta","bids":[[1,2]],"asks":[],"n":[1,1],"exchangeTs":null,"localTs":1}'));
    await until(() => services.health().symbols.find((h) => h.symbol === 'BTC-USDT')!.malformed >= 2, 10_000, 'both malformed messages counted');
    const health = services.health().symbols.find((h) => h.symbol === 'BTC-USDT')!;
    expect(health.malformed).toBe(2);
    expect(health.state).toBe('synced');
    const expected = (await exportedDepths(file)).find((b) => b.symbol === 'BTC-USDT')!;
    const answer = bookAnswerOf(services.market.feed('okx', 'BTC-USDT')!, LEVELS);
    expect([answer.bids, answer.asks]).toEqual([expected.bids, expected.asks]);
  }, 60_000);

  it('a book message stored after later ones is waited for; one never stored reloads the book after the wait', async () => {
    const server = await startNatsServer();
    cleanups.push(() => server.stop());
    await collectCapture(server.urls, capture('okx_2022-05-13.capture.jsonl'));
    const { desk, services } = await subscriber(server.urls);
    await services.market.ensure('okx', 'BTC-USDT');
    await until(() => services.market.feed('okx', 'BTC-USDT')?.state === 'synced', 10_000, 'synced');
    const feed = services.market.feed('okx', 'BTC-USDT')!;
    const snapshot = parseSnapshot((await desk.options.books.get(snapshotKey('okx', 'BTC-USDT')))!.value);
    expect(feed.bookSequence).toBe(snapshot.seq);
    const [bestBid] = snapshot.bids[0]!;
    // What the collector would publish next: the best bid's size changes twice.
    const js = jetstream(desk.nc);
    const publishDelta = (seq: number, size: string) =>
      js.publish(
        subjectOf('okx', 'BTC-USDT', 'book'),
        encode({ run: snapshot.run, seq, kind: 'delta', bids: [[bestBid, size]], asks: [], n: [snapshot.bids.length, snapshot.asks.length], exchangeTs: null, localTs: Date.now() }),
      );
    const bestBidNow = () => bookAnswerOf(feed, 1).bids[0];
    // Stored in the wrong order: the later one first.
    await publishDelta(snapshot.seq + 2, '7');
    await new Promise((r) => setTimeout(r, 300));
    expect(feed.bookSequence).toBe(snapshot.seq); // held, not applied over the missing one
    await publishDelta(snapshot.seq + 1, '5');
    await until(() => feed.bookSequence === snapshot.seq + 2, 5000, 'both applied in order');
    expect(bestBidNow()).toEqual([bestBid, '7']);
    expect(feed.health.gaps).toBe(0);
    expect(feed.state).toBe('synced');
    // One never stored: the book waits, then reloads from the collector's snapshot and the stream's
    // messages after it (the two above, in order; the one past the missing one is held again).
    const heldAt = Date.now();
    await publishDelta(snapshot.seq + 4, '9');
    await until(() => feed.health.gaps === 1, REORDER_WAIT_MS + 5000, 'the gap counted');
    expect(Date.now() - heldAt).toBeGreaterThanOrEqual(REORDER_WAIT_MS - 100);
    await until(() => feed.state === 'synced' && feed.bookSequence === snapshot.seq + 2, 5000, 'synced again from the snapshot and the stream');
    expect(bestBidNow()).toEqual([bestBid, '7']);
  }, 60_000);

  it('a book whose consumer is lost is followed again on a new one, and is live again once the collector is heard', async () => {
    const { desk, services } = await liveDesk();
    // A quiet book: one update in the capture, so its snapshot is not taken again and grows old.
    const symbol = 'BTC-USD-210924-66000-C';
    const feed = () => services.market.feed('okx', symbol)!;
    await until(() => feed()?.state === 'synced', 30_000, 'a synced book');
    const snapshotAge = async () => Date.now() - parseSnapshot((await desk.options.books.get(snapshotKey('okx', symbol)))!.value).takenAt;
    await until(async () => (await snapshotAge()) > 6000, 20_000, 'the snapshot older than the stale limit');
    const jsm = await jetstreamManager(desk.nc);
    const consumersOfBook = async () => {
      const names: string[] = [];
      for await (const c of jsm.consumers.list(STREAM_NAME)) if (c.config.filter_subject === bookFilter('okx', symbol)) names.push(c.name);
      return names;
    };
    const [lost] = await consumersOfBook();
    expect(lost).toBeDefined();
    await jsm.consumers.delete(STREAM_NAME, lost!);
    await until(async () => (await consumersOfBook()).some((name) => name !== lost), 10_000, 'a new consumer of the book');
    await until(() => feed().state === 'synced' && feed().book.levelCount('bid') > 0, 5000, 'the book live again');
    const expected = (await exportedDepths(OKX)).find((b) => b.symbol === symbol)!;
    const answer = bookAnswerOf(feed(), LEVELS);
    expect([answer.bids, answer.asks]).toEqual([expected.bids, expected.asks]);
  }, 60_000);
});
