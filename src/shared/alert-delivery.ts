/**
 * Alert delivery beyond the window (the part of the contract and the settings it reads): a signed
 * webhook and Telegram, each for chosen alert kinds, with quiet hours, a delivery log and a test.
 * The main process delivers (src/main/alerts-delivery); a settings page can edit these options.
 */
import { z } from 'zod';
import { ALERT_KINDS, AlertKindSchema, AlertSeveritySchema } from './analytics';

const HttpUrl = z
  .string()
  .max(2048)
  .refine((value) => /^https?:\/\/[^/\s]+/i.test(value), 'must be an http:// or https:// URL');

/** "HH:MM", 24-hour clock. */
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour clock)');

const Retries = {
  /** Further attempts after a failed one (network error, 5xx, 429), waiting backoffMs, 2x, 4x… */
  retries: z.number().int().min(0).max(10).default(4),
  backoffMs: z.number().int().min(10).max(600_000).default(2000),
  timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
};

/** Which alerts a channel gets: these kinds (default every kind), raised and optionally cleared. */
const Routing = {
  kinds: z.array(AlertKindSchema).min(1).default([...ALERT_KINDS]),
  /** Also send when an alert clears (default: only when raised). */
  cleared: z.boolean().default(false),
};

export const WebhookOptionsSchema = z
  .object({
    url: HttpUrl,
    /** HMAC-SHA256 key; the signature header is left out without one. */
    secret: z.string().min(1).max(512).nullable().default(null),
    ...Routing,
    ...Retries,
  })
  .strict();

export const TelegramOptionsSchema = z
  .object({
    /** The bot's token from @BotFather, "123456:ABC…". */
    botToken: z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456789:AA… (the token @BotFather gives)'),
    /** A chat id (number, negative for groups) or @channelname. */
    chatId: z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/, 'must be a numeric chat id or @channelname'),
    /** Telegram's Bot API (tests point it at 127.0.0.1). */
    apiBase: HttpUrl.default('https://api.telegram.org'),
    ...Routing,
    ...Retries,
  })
  .strict();

export const QuietHoursSchema = z
  .object({
    /** From `from` to `to` (wrapping midnight when to < from) nothing but `allow` severities is sent. */
    from: ClockTime,
    to: ClockTime,
    /** IANA time zone the clock times are read in. */
    timeZone: z
      .string()
      .default('UTC')
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-GB', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'unknown time zone'),
    /** Severities still delivered during quiet hours (default: critical). */
    allow: z.array(AlertSeveritySchema).default(['critical']),
  })
  .strict();

export const AlertDeliveryOptionsSchema = z
  .object({
    webhook: WebhookOptionsSchema.nullable().default(null),
    telegram: TelegramOptionsSchema.nullable().default(null),
    quietHours: QuietHoursSchema.nullable().default(null),
  })
  .strict();

export const DeliveryChannelSchema = z.enum(['webhook', 'telegram']);

/** One line of the delivery log: one attempt, or a delivery skipped on purpose. */
export const DeliveryLogEntrySchema = z.object({
  /** The delivery (all attempts at one alert event on one channel share it). */
  id: z.string(),
  channel: DeliveryChannelSchema,
  ts: z.number(),
  alertId: z.string(),
  kind: z.string(),
  venue: z.string(),
  symbol: z.string(),
  phase: z.enum(['raised', 'cleared', 'test']),
  attempt: z.number().int(),
  outcome: z.enum(['delivered', 'retrying', 'failed', 'quiet-hours']),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
});

export const DeliveryTestResultSchema = z.object({
  channel: DeliveryChannelSchema,
  ok: z.boolean(),
  httpStatus: z.number().int().nullable(),
  error: z.string().nullable(),
});

export const alertDeliveryCommands = {
  /** Send a test message on every configured channel (or one), now, ignoring quiet hours. */
  'alerts.delivery.test': {
    request: z.object({ channel: DeliveryChannelSchema.optional() }).strict(),
    response: z.array(DeliveryTestResultSchema),
  },
  /** The newest delivery log lines first. */
  'alerts.delivery.log': {
    request: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    response: z.array(DeliveryLogEntrySchema),
  },
  /** What is configured (secrets and tokens shown as set or not, never returned). */
  'alerts.delivery.status': {
    request: z.object({}).strict(),
    response: z.object({
      webhook: z.object({ url: z.string(), signed: z.boolean(), kinds: z.array(z.string()) }).nullable(),
      telegram: z.object({ chatId: z.string(), apiBase: z.string(), kinds: z.array(z.string()) }).nullable(),
      quietHours: QuietHoursSchema.nullable(),
    }),
  },
} as const;

export type WebhookOptions = z.output<typeof WebhookOptionsSchema>;
export type TelegramOptions = z.output<typeof TelegramOptionsSchema>;
export type QuietHours = z.output<typeof QuietHoursSchema>;
export type AlertDeliveryOptions = z.output<typeof AlertDeliveryOptionsSchema>;
export type AlertDeliveryInput = z.input<typeof AlertDeliveryOptionsSchema>;
export type DeliveryChannel = z.output<typeof DeliveryChannelSchema>;
export type DeliveryLogEntry = z.output<typeof DeliveryLogEntrySchema>;
export type DeliveryTestResult = z.output<typeof DeliveryTestResultSchema>;
