/**
 * Sends alert events to the configured channels (webhook, Telegram): routes each by kind or by its
 * rule's own channels (src/shared/alert-routing.ts), holds it back in quiet hours, retries a failed attempt
 * with doubling back-off, and logs every attempt. It never throws into the alert path: a channel that is down costs a log line, not an alert.
 */
import { randomUUID } from 'node:crypto';
import { alertChannels } from '../../shared/alert-routing';
import type { Alert } from '../../shared/analytics';
import type { AlertDeliveryOptions, DeliveryChannel, DeliveryLogEntry, DeliveryTestResult, TelegramOptions, WebhookOptions } from '../../shared/alert-delivery';
import type { AlertEvent } from '../analytics/alerts';
import { nullLogger, type Logger } from '../log';
import { sendHttpRequest } from '../net/http-request';
import type { ProxyRoute } from '../net/proxy-route';
import { DeliveryLog } from './delivery-log';
import { silencedByQuietHours } from './quiet-hours';
import { telegramFailure, telegramRequest } from './telegram';
import { webhookRequest, type OutgoingRequest } from './webhook';

/** Longest wait between attempts, whatever the back-off or the server's Retry-After says. */
const MAX_RETRY_WAIT_MS = 10 * 60_000;
/** Deliveries waiting or in flight per channel; past this an alert storm is logged as failed, not queued. */
const MAX_PENDING = 200;

type Phase = 'raised' | 'cleared' | 'test';

export interface AlertDeliveryDeps {
  logger?: Logger;
  /** Outgoing requests go through the venue proxy when there is one (Telegram may be blocked too). */
  proxy?: ProxyRoute | null;
  /** Where the delivery log file goes; none: memory only. */
  logFile?: string | null;
  userAgent?: string;
  now?: () => number;
}

interface Attempt {
  status: number | null;
  error: string | null;
  /** Worth another try (network error, timeout, 408, 429, 5xx). */
  retryable: boolean;
  retryAfterMs: number | null;
}

export class AlertDelivery {
  readonly log: DeliveryLog;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly pending: Record<DeliveryChannel, number> = { webhook: 0, telegram: 0 };
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(
    readonly options: AlertDeliveryOptions,
    private readonly deps: AlertDeliveryDeps = {},
  ) {
    this.log = new DeliveryLog(deps.logFile ?? null);
    this.logger = deps.logger ?? nullLogger;
    this.now = deps.now ?? Date.now;
  }

  /** Whether any channel is configured. */
  get active(): boolean {
    return this.options.webhook !== null || this.options.telegram !== null;
  }

  /** An alert event from the alert book (listener for AnalyticsService.onAlert). */
  readonly onAlertEvent = (event: AlertEvent): void => {
    if (this.closed || (event.type !== 'raised' && event.type !== 'cleared')) return;
    const phase = event.type;
    const { webhook, telegram, quietHours } = this.options;
    const ts = this.now();
    const routing = alertChannels(
      { kind: event.alert.kind, ruleChannels: event.alert.channels, quiet: silencedByQuietHours(quietHours, event.alert.severity, ts) },
      { sound: null, notification: null, webhook: webhook?.kinds ?? null, telegram: telegram?.kinds ?? null },
    );
    for (const channel of ['webhook', 'telegram'] as const) {
      const options = channel === 'webhook' ? webhook : telegram;
      const held = routing.heldBack.includes(channel);
      if (!options || (!held && !routing.send.includes(channel)) || (phase === 'cleared' && !options.cleared)) continue;
      const deliveryId = randomUUID();
      if (held) {
        this.record(deliveryId, channel, event.alert, phase, 0, 'quiet-hours', null, null);
        continue;
      }
      if (this.pending[channel] >= MAX_PENDING) {
        this.record(deliveryId, channel, event.alert, phase, 0, 'failed', null, `more than ${MAX_PENDING} deliveries pending`);
        continue;
      }
      void this.deliver(channel, deliveryId, event.alert, phase);
    }
  };

  /** Send a test message now on each configured channel (or the one asked for); quiet hours do not apply. */
  async test(only?: DeliveryChannel): Promise<DeliveryTestResult[]> {
    const alert = testAlert(this.now());
    const results: DeliveryTestResult[] = [];
    for (const channel of ['webhook', 'telegram'] as const) {
      if (only && only !== channel) continue;
      const options = channel === 'webhook' ? this.options.webhook : this.options.telegram;
      if (!options) continue;
      const deliveryId = randomUUID();
      const attempt = await this.attempt(channel, deliveryId, alert, 'test');
      this.record(deliveryId, channel, alert, 'test', 1, attempt.error === null ? 'delivered' : 'failed', attempt.status, attempt.error);
      results.push({ channel, ok: attempt.error === null, httpStatus: attempt.status, error: attempt.error });
    }
    return results;
  }

  /** Stop retrying; resolves when the log file has every line. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.log.flush();
  }

  private async deliver(channel: DeliveryChannel, deliveryId: string, alert: Alert, phase: Phase): Promise<void> {
    const options = (channel === 'webhook' ? this.options.webhook : this.options.telegram)!;
    this.pending[channel]++;
    try {
      for (let attempt = 1; ; attempt++) {
        const result = await this.attempt(channel, deliveryId, alert, phase);
        if (result.error === null) {
          this.record(deliveryId, channel, alert, phase, attempt, 'delivered', result.status, null);
          return;
        }
        const giveUp = !result.retryable || attempt > options.retries || this.closed;
        this.record(deliveryId, channel, alert, phase, attempt, giveUp ? 'failed' : 'retrying', result.status, result.error);
        if (giveUp) {
          this.logger.log('warn', 'alert-delivery-failed', { channel, alertId: alert.id, attempts: attempt, error: result.error });
          return;
        }
        const backoff = options.backoffMs * 2 ** (attempt - 1);
        await this.sleep(Math.min(Math.max(backoff, result.retryAfterMs ?? 0), MAX_RETRY_WAIT_MS));
        if (this.closed) return;
      }
    } finally {
      this.pending[channel]--;
    }
  }

  private async attempt(channel: DeliveryChannel, deliveryId: string, alert: Alert, phase: Phase): Promise<Attempt> {
    const options = (channel === 'webhook' ? this.options.webhook : this.options.telegram)!;
    const request: OutgoingRequest =
      channel === 'webhook'
        ? webhookRequest(options as WebhookOptions, `alert.${phase}`, deliveryId, alert, this.now(), this.deps.userAgent ?? 'OrderBookMonitor')
        : telegramRequest(options as TelegramOptions, alert, phase);
    try {
      const response = await sendHttpRequest(
        request.url,
        { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(options.timeoutMs) },
        this.deps.proxy ?? null,
      );
      if (response.status >= 200 && response.status < 300) return { status: response.status, error: null, retryable: false, retryAfterMs: null };
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
      let retryAfterMs: number | null = null;
      let detail = '';
      if (channel === 'telegram') {
        const failure = telegramFailure(response.body);
        retryAfterMs = failure.retryAfterMs;
        if (failure.description) detail = `: ${failure.description}`;
      } else {
        const seconds = Number(response.headers['retry-after']);
        if (Number.isFinite(seconds) && seconds > 0) retryAfterMs = seconds * 1000;
      }
      return { status: response.status, error: `HTTP ${response.status}${detail}`, retryable, retryAfterMs };
    } catch (error) {
      // Never log the Telegram URL: it holds the bot token.
      const message = (error as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (error as Error).message;
      return { status: null, error: redactToken(message, this.options.telegram?.botToken), retryable: true, retryAfterMs: null };
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      timer.unref?.();
      this.timers.add(timer);
    });
  }

  private record(
    id: string,
    channel: DeliveryChannel,
    alert: Alert,
    phase: Phase,
    attempt: number,
    outcome: DeliveryLogEntry['outcome'],
    httpStatus: number | null,
    error: string | null,
  ): void {
    this.log.add({ id, channel, ts: this.now(), alertId: alert.id, kind: alert.kind, venue: alert.venue, symbol: alert.symbol, phase, attempt, outcome, httpStatus, error });
  }
}

function redactToken(text: string, token: string | undefined): string {
  return token ? text.split(token).join('<bot token>') : text;
}

/** The alert a test message carries. */
function testAlert(now: number): Alert {
  return {
    id: 'test',
    key: 'test',
    kind: 'price',
    venue: 'demo',
    symbol: 'TEST',
    severity: 'info',
    state: 'active',
    title: 'Test alert: delivery works',
    raisedAt: now,
    updatedAt: now,
    clearedAt: null,
    updates: 0,
    acknowledged: false,
    evidence: {},
    outcome: null,
  };
}
