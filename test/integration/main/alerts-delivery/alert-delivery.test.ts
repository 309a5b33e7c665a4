import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../src/main/app/compose';
import { resolveAlertDeliveryOptions } from '../../../../src/main/alerts-delivery/options';
import { AlertDelivery } from '../../../../src/main/alerts-delivery/service';
import { nullLogger } from '../../../../src/main/log';
import type { Alert } from '../../../../src/shared/analytics';
import type { DeliveryLogEntry } from '../../../../src/shared/alert-delivery';
import { until } from '../../../support/wait';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** An HTTP server on 127.0.0.1 that records every request and answers with `answer(n)` (n from 1). */
class LoopbackReceiver {
  readonly received: Received[] = [];
  private readonly server: Server;
  url = '';

  constructor(private readonly answer: (n: number, req: Received) => { status: number; body?: string; headers?: Record<string, string> } = () => ({ status: 200, body: '{"ok":true}' })) {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const got = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(got);
        const reply = this.answer(this.received.length, got);
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body ?? '');
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((done) => this.server.close(() => done()));
  }
}

const SECRET = 'loopback-webhook-secret';
const BOT_TOKEN = '123456789:AAtestTokenForLoopbackOnly';

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'a1',
  key: 'price:demo:BTCUSDT:p1',
  kind: 'price',
  venue: 'demo',
  symbol: 'BTCUSDT',
  severity: 'warning',
  state: 'active',
  title: 'BTCUSDT bid reached 60000',
  raisedAt: Date.UTC(2026, 0, 5, 23, 30),
  updatedAt: Date.UTC(2026, 0, 5, 23, 30),
  clearedAt: null,
  updates: 0,
  acknowledged: false,
  evidence: { price: '60000' },
  outcome: null,
  ...over,
});

describe('alert delivery to loopback servers', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  async function receiver(answer?: ConstructorParameters<typeof LoopbackReceiver>[0]): Promise<LoopbackReceiver> {
    const r = await new LoopbackReceiver(answer).start();
    cleanups.push(() => r.stop());
    return r;
  }

  it('a price alert on a live book reaches a signed webhook and the Telegram Bot API', async () => {
    const webhook = await receiver();
    const telegram = await receiver(() => ({ status: 200, body: '{"ok":true,"result":{"message_id":1}}' }));
    const services: Services = createServices({
      venues: ['demo'],
      logger: nullLogger,
      host: { name: 'Order Book Monitor', version: 'test', host: 'web' },
      alertDelivery: resolveAlertDeliveryOptions({
        flags: { webhook: webhook.url + '/hooks/obm', webhookSecret: SECRET, telegramToken: BOT_TOKEN, telegramChat: '-1001234567', telegramApi: telegram.url, kinds: 'price' },
      }),
    });
    cleanups.push(() => services.close());
    // A level far below the market: the best bid is above it at the first update, so the rule fires.
    const rule = (await services.contract.invoke('alerts.price.set', { venue: 'demo', symbol: 'BTCUSDT', price: '1000', direction: 'above' })) as { id: string };
    await until(() => webhook.received.length >= 1 && telegram.received.length >= 1, 10_000, 'both deliveries');

    const hook = webhook.received[0]!;
    expect(hook.path).toBe('/hooks/obm');
    expect(hook.headers['content-type']).toBe('application/json');
    const timestamp = hook.headers['x-obm-timestamp'] as string;
    const expected = 'sha256=' + createHmac('sha256', SECRET).update(`${timestamp}.${hook.body}`).digest('hex');
    expect(hook.headers['x-obm-signature']).toBe(expected);
    const payload = JSON.parse(hook.body) as { type: string; deliveryId: string; alert: Alert };
    expect(payload.type).toBe('alert.raised');
    expect(hook.headers['x-obm-delivery']).toBe(payload.deliveryId);
    expect(payload.alert).toMatchObject({ kind: 'price', venue: 'demo', symbol: 'BTCUSDT', state: 'active' });
    expect(payload.alert.title).toContain('1000');

    const tg = telegram.received[0]!;
    expect(tg.path).toBe(`/bot${BOT_TOKEN}/sendMessage`);
    const message = JSON.parse(tg.body) as { chat_id: string; text: string };
    expect(message.chat_id).toBe('-1001234567');
    expect(message.text).toContain('Alert: price · demo BTCUSDT');
    expect(message.text).toContain(payload.alert.title);

    const deliveredLog = async () => ((await services.contract.invoke('alerts.delivery.log', {})) as DeliveryLogEntry[]).filter((e) => e.outcome === 'delivered');
    await until(async () => (await deliveredLog()).length >= 2, 5000, 'the delivery log');
    const log = await deliveredLog();
    expect(log.filter((e) => e.outcome === 'delivered').map((e) => e.channel).sort()).toEqual(['telegram', 'webhook']);
    expect(log.map((e) => e.alertId)).toEqual([payload.alert.id, payload.alert.id]);
    expect(rule.id).toBeTruthy();

    // The test button: one message on each channel, reported per channel.
    const results = await services.contract.invoke('alerts.delivery.test', {});
    expect(results).toEqual([
      { channel: 'webhook', ok: true, httpStatus: 200, error: null },
      { channel: 'telegram', ok: true, httpStatus: 200, error: null },
    ]);
    expect(JSON.parse(webhook.received.at(-1)!.body).type).toBe('alert.test');
    expect(JSON.parse(telegram.received.at(-1)!.body).text).toContain('Test message from Order Book Monitor');
    const status = await services.contract.invoke('alerts.delivery.status', {});
    expect(JSON.stringify(status)).not.toContain(SECRET);
    expect(JSON.stringify(status)).not.toContain(BOT_TOKEN);
  });

  it('retries a failing webhook with back-off under one delivery id, and gives up on a 4xx at once', async () => {
    const flaky = await receiver((n) => (n <= 2 ? { status: 503 } : { status: 204 }));
    const delivery = new AlertDelivery(resolveAlertDeliveryOptions({ saved: { webhook: { url: flaky.url, backoffMs: 20, retries: 3 } } }), { logger: nullLogger });
    cleanups.push(() => delivery.close());
    const started = Date.now();
    delivery.onAlertEvent({ type: 'raised', alert: alert() });
    await until(() => delivery.log.newest(10).some((e) => e.outcome === 'delivered'), 5000, 'delivery after retries');
    // Waits of 20 and 40 ms between the three attempts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    const ids = new Set(flaky.received.map((r) => r.headers['x-obm-delivery']));
    expect(ids.size).toBe(1);
    expect(flaky.received).toHaveLength(3);
    expect(delivery.log.newest(10).map((e) => [e.attempt, e.outcome, e.httpStatus])).toEqual([
      [3, 'delivered', 204],
      [2, 'retrying', 503],
      [1, 'retrying', 503],
    ]);
    // No secret: no signature header.
    expect(flaky.received[0]!.headers['x-obm-signature']).toBeUndefined();

    const refusing = await receiver(() => ({ status: 400, body: 'bad' }));
    const once = new AlertDelivery(resolveAlertDeliveryOptions({ saved: { webhook: { url: refusing.url, backoffMs: 20, retries: 3 } } }), { logger: nullLogger });
    cleanups.push(() => once.close());
    once.onAlertEvent({ type: 'raised', alert: alert() });
    await until(() => once.log.newest(10).some((e) => e.outcome === 'failed'), 5000, 'failure');
    expect(refusing.received).toHaveLength(1);
    expect(once.log.newest(1)[0]).toMatchObject({ attempt: 1, outcome: 'failed', httpStatus: 400, error: 'HTTP 400' });
  });

  it('waits as long as Telegram asks after a 429 and reports an unreachable endpoint without leaking the token', async () => {
    const limited = await receiver((n) => (n === 1 ? { status: 429, body: '{"ok":false,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}' } : { status: 200, body: '{"ok":true}' }));
    const delivery = new AlertDelivery(
      resolveAlertDeliveryOptions({ flags: { telegramToken: BOT_TOKEN, telegramChat: '@obm_alerts', telegramApi: limited.url }, saved: {} }),
      { logger: nullLogger },
    );
    cleanups.push(() => delivery.close());
    const started = Date.now();
    delivery.onAlertEvent({ type: 'raised', alert: alert() });
    await until(() => delivery.log.newest(10).some((e) => e.outcome === 'delivered'), 5000, 'delivery after 429');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(delivery.log.newest(10)[1]).toMatchObject({ outcome: 'retrying', httpStatus: 429, error: 'HTTP 429: Too Many Requests: retry after 1' });

    const gone = await receiver();
    const deadUrl = gone.url;
    await gone.stop();
    cleanups.pop();
    const dead = new AlertDelivery(resolveAlertDeliveryOptions({ flags: { telegramToken: BOT_TOKEN, telegramChat: '42', telegramApi: deadUrl } }), { logger: nullLogger });
    cleanups.push(() => dead.close());
    const [result] = await dead.test('telegram');
    expect(result!.ok).toBe(false);
    expect(result!.error).toBeTruthy();
    expect(result!.error).not.toContain(BOT_TOKEN);
  });

  it('holds back alerts in quiet hours, except the severities allowed through, and sends cleared alerts only when asked', async () => {
    const hook = await receiver();
    const quietAt = Date.UTC(2026, 0, 5, 23, 30); // 23:30 UTC, inside 22:00-07:00
    const delivery = new AlertDelivery(
      resolveAlertDeliveryOptions({ flags: { webhook: hook.url, quietHours: '22:00-07:00@UTC' }, saved: {} }),
      { logger: nullLogger, now: () => quietAt },
    );
    cleanups.push(() => delivery.close());
    delivery.onAlertEvent({ type: 'raised', alert: alert({ id: 'quiet', severity: 'warning' }) });
    delivery.onAlertEvent({ type: 'raised', alert: alert({ id: 'loud', severity: 'critical' }) });
    delivery.onAlertEvent({ type: 'cleared', alert: alert({ id: 'loud', severity: 'critical', state: 'cleared', outcome: 'reverted' }) });
    delivery.onAlertEvent({ type: 'updated', alert: alert({ id: 'loud', severity: 'critical' }) });
    await until(() => hook.received.length >= 1, 5000, 'the critical alert');
    await new Promise((r) => setTimeout(r, 100));
    expect(hook.received.map((r) => (JSON.parse(r.body) as { alert: Alert }).alert.id)).toEqual(['loud']);
    expect(delivery.log.newest(10).find((e) => e.alertId === 'quiet')).toMatchObject({ outcome: 'quiet-hours', attempt: 0 });
  });

  it('routes by alert kind', async () => {
    const hook = await receiver();
    const delivery = new AlertDelivery(resolveAlertDeliveryOptions({ flags: { webhook: hook.url, kinds: 'wall,feed' } }), { logger: nullLogger });
    cleanups.push(() => delivery.close());
    delivery.onAlertEvent({ type: 'raised', alert: alert({ id: 'p', kind: 'price' }) });
    delivery.onAlertEvent({ type: 'raised', alert: alert({ id: 'w', kind: 'wall' }) });
    await until(() => hook.received.length >= 1, 5000, 'the wall alert');
    await new Promise((r) => setTimeout(r, 100));
    expect(hook.received.map((r) => (JSON.parse(r.body) as { alert: Alert }).alert.kind)).toEqual(['wall']);
  });

  it("a price rule routed to the webhook only reaches the loopback webhook and not Telegram, though price goes to both by kind", async () => {
    const webhook = await receiver();
    const telegram = await receiver(() => ({ status: 200, body: '{"ok":true,"result":{"message_id":1}}' }));
    const services: Services = createServices({
      venues: ['demo'],
      logger: nullLogger,
      host: { name: 'Order Book Monitor', version: 'test', host: 'web' },
      alertDelivery: resolveAlertDeliveryOptions({
        flags: { webhook: webhook.url + '/hooks/obm', telegramToken: BOT_TOKEN, telegramChat: '-1001234567', telegramApi: telegram.url, kinds: 'price' },
      }),
    });
    cleanups.push(() => services.close());
    const rule = (await services.contract.invoke('alerts.price.set', { venue: 'demo', symbol: 'BTCUSDT', price: '1000', direction: 'above', channels: ['webhook'] })) as {
      id: string;
      channels: string[] | null;
    };
    expect(rule.channels).toEqual(['webhook']);
    await until(() => webhook.received.length >= 1, 10_000, 'the webhook delivery');
    const payload = JSON.parse(webhook.received[0]!.body) as { alert: Alert };
    expect(payload.alert.title).toContain('1000');
    // A by-kind rule on the same book does reach Telegram, so the quiet Telegram above is the rule's routing.
    await services.contract.invoke('alerts.price.set', { venue: 'demo', symbol: 'BTCUSDT', price: '2000', direction: 'above' });
    await until(() => telegram.received.length >= 1 && webhook.received.length >= 2, 10_000, 'the by-kind rule on both channels');
    await new Promise((r) => setTimeout(r, 200));
    expect(telegram.received).toHaveLength(1);
    expect((JSON.parse(telegram.received[0]!.body) as { text: string }).text).toContain('2000');
    expect(webhook.received).toHaveLength(2);
    // The route can be changed afterwards, and is validated.
    const rerouted = (await services.contract.invoke('alerts.price.route', { id: rule.id, channels: ['telegram', 'sound'] })) as { channels: string[] };
    expect(rerouted.channels).toEqual(['telegram', 'sound']);
    await expect(services.contract.invoke('alerts.price.route', { id: rule.id, channels: ['pager'] })).rejects.toThrow();
    await expect(services.contract.invoke('alerts.price.route', { id: 'p999', channels: null })).rejects.toThrow(/no price alert/);
  });
});
