/**
 * Flags and environment variables keep working and win over the saved settings. This module says
 * which saved fields they override (the settings page shows it) and gives the options in force.
 * Proxy and alert delivery come back as the "saved" layer in the shapes the proxy and alert-delivery
 * code takes (resolveProxyOptions({ flag, env, saved }), resolveAlertDeliveryOptions({ flags, env, saved })),
 * which apply flags and env on top themselves.
 */
import type { VenueId } from '../../shared/market';
import type { PublicSettings } from '../../shared/settings';
import type { SettingsStore } from './settings-store';

/** The command line's say; absent fields leave the saved settings alone. */
export interface SettingsFlags {
  venues?: VenueId[];
  data?: string;
  proxy?: string;
  alertWebhook?: string;
  telegramToken?: string;
  telegramChat?: string;
  quietHours?: string;
  /** --nats: take the books from this desk. */
  nats?: string;
}

/** Field of the settings → what overrides it ("--venue flag", "HTTPS_PROXY environment variable"). */
export function settingsOverrides(flags: SettingsFlags, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  const fromEnv = (field: string, names: string[]): void => {
    const name = names.find((n) => env[n]);
    if (name && !(field in out)) out[field] = `${name} environment variable`;
  };
  if (flags.venues) out.venues = '--venue flag';
  if (flags.data !== undefined) out.dataDir = '--data flag';
  fromEnv('dataDir', ['ORDERBOOK_USER_DATA']);
  if (flags.proxy !== undefined) out.proxy = '--proxy flag';
  fromEnv('proxy', ['HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy']);
  fromEnv('coinbaseKey', ['ORDERBOOK_COINBASE_KEY']);
  if (flags.alertWebhook !== undefined) out['alertDelivery.webhook'] = '--alert-webhook flag';
  fromEnv('alertDelivery.webhook', ['ORDERBOOK_ALERT_WEBHOOK', 'ORDERBOOK_ALERT_WEBHOOK_SECRET']);
  if (flags.telegramToken !== undefined || flags.telegramChat !== undefined) out['alertDelivery.telegram'] = '--telegram flags';
  fromEnv('alertDelivery.telegram', ['ORDERBOOK_TELEGRAM_BOT_TOKEN', 'ORDERBOOK_TELEGRAM_CHAT_ID']);
  if (flags.quietHours !== undefined) out['alertDelivery.quietHours'] = '--alert-quiet-hours flag';
  fromEnv('alertDelivery.quietHours', ['ORDERBOOK_ALERT_QUIET_HOURS']);
  if (flags.nats !== undefined) out.natsUrl = '--nats flag';
  return out;
}

/** The saved alert delivery in the alert-delivery options' input shape (secrets decrypted). */
export interface SavedAlertDelivery {
  webhook?: { url: string; secret: string | null };
  telegram?: { botToken: string; chatId: string };
  quietHours?: { from: string; to: string; timeZone: string } | null;
}

export interface EffectiveSettingsOptions {
  venues: VenueId[];
  /** Recordings and the database; the flag, then the saved folder, then the app's own folder. */
  dataDir: string;
  retentionDays: number | null;
  theme: PublicSettings['theme'];
  numberFormat: PublicSettings['numberFormat'];
  /** `saved` for resolveProxyOptions (the flag and env still go on top there). */
  savedProxy: { url: string | null; noProxy: string[] };
  /** `saved` for resolveAlertDeliveryOptions. */
  savedAlertDelivery: SavedAlertDelivery;
  /** Coinbase Exchange key: the environment's if set (credentialsFromEnv), else the saved one. */
  coinbase: { key: string; secret: string; passphrase?: string } | null;
  /** The desk to take books from (the --nats flag, else the saved URL); null: the venues themselves. */
  natsUrl: string | null;
}

/**
 * The options in force: flags first, then environment variables, then the saved settings. The lead
 * wires `savedProxy` and `savedAlertDelivery` into the proxy and alert-delivery services.
 */
export function effectiveSettingsOptions(store: SettingsStore, flags: SettingsFlags, env: NodeJS.ProcessEnv, appDir: string): EffectiveSettingsOptions {
  const s = store.settings();
  const webhookSecret = store.secret('webhookSecret');
  const telegramToken = store.secret('telegramToken');
  const savedAlertDelivery: SavedAlertDelivery = {};
  if (s.alertDelivery.webhook) savedAlertDelivery.webhook = { url: s.alertDelivery.webhook.url, secret: webhookSecret };
  if (s.alertDelivery.telegram && telegramToken) savedAlertDelivery.telegram = { botToken: telegramToken, chatId: s.alertDelivery.telegram.chatId };
  if (s.alertDelivery.quietHours) savedAlertDelivery.quietHours = s.alertDelivery.quietHours;
  const envKey = env.ORDERBOOK_COINBASE_KEY && env.ORDERBOOK_COINBASE_SECRET;
  const savedKey = store.secret('coinbaseKey');
  const savedSecret = store.secret('coinbaseSecret');
  let coinbase: EffectiveSettingsOptions['coinbase'] = null;
  if (envKey) coinbase = { key: env.ORDERBOOK_COINBASE_KEY!, secret: env.ORDERBOOK_COINBASE_SECRET!, passphrase: env.ORDERBOOK_COINBASE_PASSPHRASE };
  else if (savedKey && savedSecret) coinbase = { key: savedKey, secret: savedSecret, passphrase: store.secret('coinbasePassphrase') ?? undefined };
  return {
    venues: flags.venues ?? s.venues,
    dataDir: flags.data ?? env.ORDERBOOK_USER_DATA ?? s.dataDir ?? appDir,
    retentionDays: s.retentionDays,
    theme: s.theme,
    numberFormat: s.numberFormat,
    savedProxy: s.proxy,
    savedAlertDelivery,
    coinbase,
    natsUrl: flags.nats ?? s.natsUrl ?? null,
  };
}
