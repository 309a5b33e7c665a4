/**
 * The webhook request: a JSON POST whose body a receiver can verify. With a secret, the header
 * `X-OBM-Signature: sha256=<hex>` carries HMAC-SHA256(secret, "<X-OBM-Timestamp>.<body>"): signing the
 * timestamp with the body lets a receiver refuse an old request replayed at it.
 */
import { createHmac } from 'node:crypto';
import type { Alert } from '../../shared/analytics';
import type { WebhookOptions } from '../../shared/alert-delivery';

export const SIGNATURE_HEADER = 'x-obm-signature';
export const TIMESTAMP_HEADER = 'x-obm-timestamp';
export const DELIVERY_HEADER = 'x-obm-delivery';
export const EVENT_HEADER = 'x-obm-event';

export type WebhookEvent = 'alert.raised' | 'alert.cleared' | 'alert.test';

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** "sha256=<hex>" for this timestamp and body. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The payload: what happened, the delivery id (same on every retry, for de-duplication) and the alert. */
export function webhookRequest(options: WebhookOptions, event: WebhookEvent, deliveryId: string, alert: Alert, sentAt: number, userAgent: string): OutgoingRequest {
  const body = JSON.stringify({
    type: event,
    deliveryId,
    sentAt,
    alert: {
      id: alert.id,
      kind: alert.kind,
      severity: alert.severity,
      state: alert.state,
      venue: alert.venue,
      symbol: alert.symbol,
      title: alert.title,
      raisedAt: alert.raisedAt,
      updatedAt: alert.updatedAt,
      clearedAt: alert.clearedAt,
      outcome: alert.outcome,
      evidence: alert.evidence,
    },
  });
  const timestamp = String(sentAt);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': userAgent,
    [DELIVERY_HEADER]: deliveryId,
    [EVENT_HEADER]: event,
    [TIMESTAMP_HEADER]: timestamp,
  };
  if (options.secret) headers[SIGNATURE_HEADER] = webhookSignature(options.secret, timestamp, body);
  return { url: options.url, headers, body };
}
