/**
 * The app's saved settings (the settings page edits them; the main process keeps them as JSON in the
 * data folder): enabled venues, the Coinbase API key, proxy, data folder, retention, theme, number
 * format and alert delivery. Proxy and alert delivery have the shapes of the main process's proxy and
 * alert-delivery options, so they can be handed over as the "saved" layer under flags and env.
 * Secrets (the Coinbase key, the webhook secret, the Telegram token) never travel back to a window:
 * the page sees only whether each is set.
 */
import { z } from 'zod';
import { VENUE_IDS } from './market';

export const SETTINGS_VERSION = 1;

export const THEMES = ['dark', 'light', 'colour-blind'] as const;
export type ThemeName = (typeof THEMES)[number];

/** grouped: 1,234.56 (the default); plain: 1234.56. */
export const NUMBER_FORMATS = ['grouped', 'plain'] as const;
export type NumberFormatName = (typeof NUMBER_FORMATS)[number];

const HttpUrl = z
  .string()
  .max(2048)
  .refine((value) => /^https?:\/\/[^/\s]+/i.test(value), 'must be an http:// or https:// URL');

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour clock)');

const PROXY_PROTOCOLS = ['http:', 'https:', 'socks5:', 'socks5h:'];

export const ProxySettingsSchema = z
  .object({
    /** e.g. http://user:pass@10.0.0.2:3128 or socks5h://127.0.0.1:1080; null: connect directly. */
    url: z
      .string()
      .max(2048)
      .nullable()
      .refine((value) => value === null || isProxyUrl(value), 'must be a URL starting with http://, https://, socks5:// or socks5h:// and naming a host'),
    /** Hosts reached directly (NO_PROXY syntax). */
    noProxy: z.array(z.string().min(1).max(255)).max(100),
  })
  .strict();

function isProxyUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return PROXY_PROTOCOLS.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

export const QuietHoursSettingsSchema = z
  .object({
    from: ClockTime,
    to: ClockTime,
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-GB', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'unknown time zone'),
  })
  .strict();

/** `nats://a:4222,nats://b:4222`: one or more NATS servers of a desk (nats:// or tls://, host and port). */
export function natsUrlProblem(text: string): string | null {
  const urls = text.split(',').map((s) => s.trim());
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return `"${url}" is not a URL: give nats://host:port, several separated by commas`;
    }
    if (parsed.protocol !== 'nats:' && parsed.protocol !== 'tls:') return `"${url}" must start with nats:// or tls://`;
    if (!parsed.hostname) return `"${url}" has no host`;
  }
  return null;
}

const NatsUrls = z
  .string()
  .max(2048)
  .superRefine((text, ctx) => {
    const problem = natsUrlProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Everything but the secrets: what a window may read and send. */
export const PublicSettingsSchema = z
  .object({
    venues: z.array(z.enum(VENUE_IDS)).min(1, 'enable at least one venue').max(VENUE_IDS.length),
    proxy: ProxySettingsSchema,
    /** Where recordings and the database live; null: the app's own folder. Takes effect at the next start. */
    dataDir: z.string().min(1).max(4096).nullable(),
    /** Days of history the database keeps; null: keep everything. */
    retentionDays: z.number().int('must be a whole number of days').min(1, 'at least 1 day').max(3650, 'at most 3650 days').nullable(),
    theme: z.enum(THEMES),
    numberFormat: z.enum(NUMBER_FORMATS),
    alertDelivery: z
      .object({
        webhook: z.object({ url: HttpUrl }).strict().nullable(),
        telegram: z
          .object({ chatId: z.string().regex(/^(-?\d+|@[A-Za-z0-9_]{5,})$/, 'must be a numeric chat id or @channelname') })
          .strict()
          .nullable(),
        quietHours: QuietHoursSettingsSchema.nullable(),
      })
      .strict(),
    /**
     * A desk's NATS (src/main/desk): books, trades and health come from its collectors instead of
     * exchange connections. Takes effect at the next start; null: connect to the venues. Older files lack it.
     */
    natsUrl: NatsUrls.nullable().default(null),
  })
  .strict();
export type PublicSettings = z.output<typeof PublicSettingsSchema>;

export const SECRET_NAMES = ['coinbaseKey', 'coinbaseSecret', 'coinbasePassphrase', 'webhookSecret', 'telegramToken'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

const SecretText = z.string().min(1).max(1024);

/**
 * What the page sends for a secret: a new value, null to remove it, or leave the field out to keep
 * what is saved.
 */
export const SecretChangesSchema = z
  .object({
    coinbaseKey: SecretText.nullable(),
    coinbaseSecret: SecretText.nullable(),
    coinbasePassphrase: SecretText.nullable(),
    webhookSecret: SecretText.nullable(),
    telegramToken: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456789:AA… (the token @BotFather gives)')
      .nullable(),
  })
  .partial()
  .strict();
export type SecretChanges = z.output<typeof SecretChangesSchema>;

export const DEFAULT_PUBLIC_SETTINGS: PublicSettings = {
  venues: ['demo'],
  proxy: { url: null, noProxy: [] },
  dataDir: null,
  retentionDays: null,
  theme: 'dark',
  numberFormat: 'grouped',
  alertDelivery: { webhook: null, telegram: null, quietHours: null },
  natsUrl: null,
};

/** What a window sees: the settings, which secrets are set, what flags or env override, and why. */
export const SettingsViewSchema = z.object({
  settings: PublicSettingsSchema,
  secrets: z.record(z.enum(SECRET_NAMES), z.boolean()),
  /** Field (a top-level key, or "alertDelivery.webhook" …) → what overrides it, e.g. "--venue flag". */
  overridden: z.record(z.string(), z.string()),
  /** How secrets are kept (e.g. "Electron safeStorage"), or null when they cannot be. */
  secretStorage: z.string().nullable(),
  /** Why secrets cannot be saved here (null when they can). */
  secretRefusal: z.string().nullable(),
  /** Where the settings file is. */
  file: z.string(),
  /** A problem with the saved file found at start (it was set aside and defaults used), or null. */
  loadProblem: z.string().nullable(),
});
export type SettingsView = z.output<typeof SettingsViewSchema>;

export const settingsCommands = {
  'settings.get': { request: z.object({}).strict(), response: SettingsViewSchema },
  'settings.save': {
    request: z.object({ settings: PublicSettingsSchema, secrets: SecretChangesSchema.default({}) }).strict(),
    response: SettingsViewSchema,
  },
  /** Send a test message through a configured channel (the page's test button). */
  'settings.testDelivery': {
    request: z.object({ channel: z.enum(['webhook', 'telegram']) }).strict(),
    response: z.object({ ok: z.boolean(), message: z.string() }),
  },
} as const;

/** "venues: enable at least one venue; proxy.url: must be …" */
export function describeSettingsIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join('; ');
}

/** Field path → first message, for showing errors beside the fields. */
export function settingsFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || 'settings';
    out[key] ??= issue.message;
  }
  return out;
}
