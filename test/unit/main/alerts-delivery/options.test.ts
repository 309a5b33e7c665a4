import { describe, expect, it } from 'vitest';
import { resolveAlertDeliveryOptions } from '../../../../src/main/alerts-delivery/options';
import { inQuietHours, silencedByQuietHours } from '../../../../src/main/alerts-delivery/quiet-hours';
import type { QuietHours } from '../../../../src/shared/alert-delivery';

describe('alert delivery options', () => {
  it('lets flags override the environment and the environment override saved settings, field by field', () => {
    const saved = { webhook: { url: 'https://saved.invalid/hook', secret: 'saved-secret', retries: 2 } };
    const env = { ORDERBOOK_ALERT_WEBHOOK_SECRET: 'env-secret' };
    const fromEnv = resolveAlertDeliveryOptions({ env, saved });
    expect(fromEnv.webhook).toMatchObject({ url: 'https://saved.invalid/hook', secret: 'env-secret', retries: 2 });
    const fromFlag = resolveAlertDeliveryOptions({ env, saved, flags: { webhook: 'http://127.0.0.1:9/x' } });
    expect(fromFlag.webhook).toMatchObject({ url: 'http://127.0.0.1:9/x', secret: 'env-secret', retries: 2, kinds: ['wall', 'layering', 'exhaustion', 'wide-spread', 'feed', 'price', 'iceberg', 'large-trade', 'sweep'] });
    expect(resolveAlertDeliveryOptions({})).toEqual({ webhook: null, telegram: null, quietHours: null });
  });

  it('refuses what cannot work, saying which setting and why', () => {
    expect(() => resolveAlertDeliveryOptions({ flags: { webhook: 'ftp://x.invalid' } })).toThrow('invalid alert delivery setting: webhook.url: must be an http:// or https:// URL');
    expect(() => resolveAlertDeliveryOptions({ flags: { webhookSecret: 's' } })).toThrow(/needs --alert-webhook/);
    expect(() => resolveAlertDeliveryOptions({ flags: { telegramToken: 'nope', telegramChat: '1' } })).toThrow(/telegram.botToken: must look like/);
    expect(() => resolveAlertDeliveryOptions({ flags: { telegramToken: '1:abc' } })).toThrow(/Telegram needs both a bot token \(--alert-telegram-token\) and a chat id/);
    expect(() => resolveAlertDeliveryOptions({ flags: { webhook: 'http://h.invalid', kinds: 'price,moon' } })).toThrow(/webhook.kinds.1/);
    expect(() => resolveAlertDeliveryOptions({ flags: { quietHours: '22-7' } })).toThrow(/22:00-07:00/);
    expect(() => resolveAlertDeliveryOptions({ flags: { quietHours: '22:00-07:00@Mars/Olympus' } })).toThrow(/quietHours.timeZone: unknown time zone/);
  });
});

describe('quiet hours', () => {
  const q = (from: string, to: string, timeZone = 'UTC'): QuietHours => ({ from, to, timeZone, allow: ['critical'] });
  const utc = (h: number, m = 0) => Date.UTC(2026, 6, 1, h, m);

  it('covers [from, to), across midnight when to < from', () => {
    expect(inQuietHours(q('22:00', '07:00'), utc(21, 59))).toBe(false);
    expect(inQuietHours(q('22:00', '07:00'), utc(22, 0))).toBe(true);
    expect(inQuietHours(q('22:00', '07:00'), utc(3))).toBe(true);
    expect(inQuietHours(q('22:00', '07:00'), utc(7, 0))).toBe(false);
    expect(inQuietHours(q('12:00', '13:30'), utc(13, 29))).toBe(true);
    expect(inQuietHours(q('12:00', '12:00'), utc(12))).toBe(false);
  });

  it('reads the clock in the chosen time zone (New York is UTC-4 in July)', () => {
    expect(inQuietHours(q('22:00', '07:00', 'America/New_York'), utc(3))).toBe(true); // 23:00 there
    expect(inQuietHours(q('22:00', '07:00', 'America/New_York'), utc(12))).toBe(false); // 08:00 there
  });

  it('lets allowed severities through', () => {
    expect(silencedByQuietHours(q('00:00', '23:59'), 'warning', utc(5))).toBe(true);
    expect(silencedByQuietHours(q('00:00', '23:59'), 'critical', utc(5))).toBe(false);
    expect(silencedByQuietHours(null, 'warning', utc(5))).toBe(false);
  });
});
