/**
 * The alert delivery options in force: saved settings, overridden field by field by environment
 * variables, overridden by command-line flags; validated with the shared schema.
 */
import type { z } from 'zod';
import { AlertDeliveryOptionsSchema, type AlertDeliveryInput, type AlertDeliveryOptions } from '../../shared/alert-delivery';

/** The command line's say (npm run web -- --alert-webhook URL …); absent fields leave the rest alone. */
export interface AlertDeliveryFlags {
  webhook?: string;
  webhookSecret?: string;
  telegramToken?: string;
  telegramChat?: string;
  telegramApi?: string;
  /** "22:00-07:00" or "22:00-07:00@Europe/Berlin". */
  quietHours?: string;
  /** Comma-separated alert kinds for both channels, e.g. "price,wall". */
  kinds?: string;
}

/** The flags' environment twins (a secret or token in a variable stays out of the process list). */
export function alertDeliveryFlagsFromEnv(env: NodeJS.ProcessEnv): AlertDeliveryFlags {
  return {
    webhook: env.ORDERBOOK_ALERT_WEBHOOK || undefined,
    webhookSecret: env.ORDERBOOK_ALERT_WEBHOOK_SECRET || undefined,
    telegramToken: env.ORDERBOOK_TELEGRAM_BOT_TOKEN || undefined,
    telegramChat: env.ORDERBOOK_TELEGRAM_CHAT_ID || undefined,
    telegramApi: env.ORDERBOOK_TELEGRAM_API || undefined,
    quietHours: env.ORDERBOOK_ALERT_QUIET_HOURS || undefined,
    kinds: env.ORDERBOOK_ALERT_KINDS || undefined,
  };
}

function defined(flags: AlertDeliveryFlags): AlertDeliveryFlags {
  return Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) as AlertDeliveryFlags;
}

/** Throws "invalid alert delivery setting: <path>: <why>; …" when anything does not validate. */
export function resolveAlertDeliveryOptions(input: { flags?: AlertDeliveryFlags; env?: NodeJS.ProcessEnv; saved?: AlertDeliveryInput }): AlertDeliveryOptions {
  const f: AlertDeliveryFlags = { ...defined(alertDeliveryFlagsFromEnv(input.env ?? {})), ...defined(input.flags ?? {}) };
  const saved = input.saved ?? {};
  const merged: Record<string, unknown> = { ...saved };
  const kinds = f.kinds?.split(',').map((k) => k.trim()).filter(Boolean);
  if (f.webhook !== undefined || (saved.webhook && (f.webhookSecret !== undefined || kinds))) {
    merged.webhook = {
      ...(saved.webhook ?? {}),
      ...(f.webhook !== undefined ? { url: f.webhook } : {}),
      ...(f.webhookSecret !== undefined ? { secret: f.webhookSecret } : {}),
      ...(kinds ? { kinds } : {}),
    };
  } else if (f.webhookSecret !== undefined) {
    throw new Error('invalid alert delivery setting: --alert-webhook-secret needs --alert-webhook URL');
  }
  const telegramGiven = f.telegramToken !== undefined || f.telegramChat !== undefined || f.telegramApi !== undefined;
  if (telegramGiven || (saved.telegram && kinds)) {
    merged.telegram = {
      ...(saved.telegram ?? {}),
      ...(f.telegramToken !== undefined ? { botToken: f.telegramToken } : {}),
      ...(f.telegramChat !== undefined ? { chatId: f.telegramChat } : {}),
      ...(f.telegramApi !== undefined ? { apiBase: f.telegramApi } : {}),
      ...(kinds ? { kinds } : {}),
    };
  }
  const telegram = merged.telegram as { botToken?: string; chatId?: string } | undefined;
  if (telegram && (!telegram.botToken || !telegram.chatId)) {
    throw new Error('invalid alert delivery setting: Telegram needs both a bot token (--alert-telegram-token) and a chat id (--alert-telegram-chat)');
  }
  if (f.quietHours !== undefined) merged.quietHours = f.quietHours === '' ? null : parseQuietHours(f.quietHours, saved.quietHours ?? undefined);
  const parsed = AlertDeliveryOptionsSchema.safeParse(merged);
  if (!parsed.success) throw new Error(`invalid alert delivery setting: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function parseQuietHours(text: string, saved: AlertDeliveryInput['quietHours']): Record<string, unknown> {
  const match = /^(\d\d:\d\d)-(\d\d:\d\d)(?:@(.+))?$/.exec(text.trim());
  if (!match) throw new Error(`invalid alert delivery setting: quiet hours must look like 22:00-07:00 or 22:00-07:00@Europe/Berlin, got "${text}"`);
  return { ...(saved ?? {}), from: match[1], to: match[2], ...(match[3] ? { timeZone: match[3] } : {}) };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`).join('; ');
}
