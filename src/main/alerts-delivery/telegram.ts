/** A Telegram Bot API `sendMessage` call: plain text (no parse mode, so nothing needs escaping). */
import type { Alert } from '../../shared/analytics';
import type { TelegramOptions } from '../../shared/alert-delivery';
import type { OutgoingRequest } from './webhook';

export function telegramText(alert: Alert, phase: 'raised' | 'cleared' | 'test'): string {
  const when = new Date(phase === 'cleared' ? (alert.clearedAt ?? alert.updatedAt) : alert.raisedAt).toISOString().replace('T', ' ').slice(0, 19);
  const head = phase === 'test' ? 'Test message from Order Book Monitor' : `${phase === 'cleared' ? 'Cleared' : 'Alert'}: ${alert.kind} · ${alert.venue} ${alert.symbol}`;
  const outcome = phase === 'cleared' && alert.outcome ? ` (${alert.outcome})` : '';
  return `${head}\n${alert.title}${outcome}\n${alert.severity} · ${when} UTC`;
}

export function telegramRequest(options: TelegramOptions, alert: Alert, phase: 'raised' | 'cleared' | 'test'): OutgoingRequest {
  return {
    url: `${options.apiBase.replace(/\/+$/, '')}/bot${options.botToken}/sendMessage`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chat_id: options.chatId, text: telegramText(alert, phase), disable_web_page_preview: true }),
  };
}

/** Telegram answers `{ ok: false, description, parameters: { retry_after } }` on failure. */
export function telegramFailure(body: string): { description: string | null; retryAfterMs: number | null } {
  try {
    const parsed = JSON.parse(body) as { ok?: boolean; description?: string; parameters?: { retry_after?: number } };
    const retryAfter = parsed.parameters?.retry_after;
    return { description: parsed.ok === false ? (parsed.description ?? null) : null, retryAfterMs: typeof retryAfter === 'number' ? retryAfter * 1000 : null };
  } catch {
    return { description: null, retryAfterMs: null };
  }
}
