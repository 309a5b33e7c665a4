import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PUBLIC_SETTINGS, type PublicSettings } from '../../../../src/shared/settings';
import { settingsCapability } from '../../../../src/main/settings/capability';
import { effectiveSettingsOptions, settingsOverrides } from '../../../../src/main/settings/effective';
import { aesGcmCipher, webHostCipher } from '../../../../src/main/settings/secret-cipher';
import { SettingsError, SettingsStore } from '../../../../src/main/settings/settings-store';

const KEY = 'a-long-enough-test-key';
const withCipher = () => ({ cipher: aesGcmCipher(KEY), refusal: null }) as const;

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'obm-settings-'));
}

function changed(patch: Partial<PublicSettings>): PublicSettings {
  return { ...structuredClone(DEFAULT_PUBLIC_SETTINGS), ...patch };
}

describe('SettingsStore', () => {
  it('saves valid settings as JSON and reads them back in a new store', () => {
    const dir = folder();
    const path = join(dir, 'settings.json');
    const store = new SettingsStore(path, withCipher());
    store.save(changed({ venues: ['demo', 'kraken'], theme: 'light', retentionDays: 30, proxy: { url: 'socks5h://127.0.0.1:1080', noProxy: ['.internal'] } }));
    const again = new SettingsStore(path, withCipher());
    expect(again.settings()).toMatchObject({ venues: ['demo', 'kraken'], theme: 'light', retentionDays: 30, proxy: { url: 'socks5h://127.0.0.1:1080' } });
    expect(again.loadProblem).toBeNull();
    // Written atomically: no temporary file is left beside it.
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('refuses invalid settings with every problem named, and writes nothing', () => {
    const path = join(folder(), 'settings.json');
    const store = new SettingsStore(path, withCipher());
    const bad = changed({ venues: [], retentionDays: 0, proxy: { url: 'ftp://x', noProxy: [] } });
    expect(() => store.save(bad)).toThrow(SettingsError);
    try {
      store.save(bad);
    } catch (error) {
      expect((error as Error).message).toMatch(/venues: enable at least one venue/);
      expect((error as Error).message).toMatch(/retentionDays: at least 1 day/);
      expect((error as Error).message).toMatch(/proxy\.url: must be a URL starting with http/);
    }
    expect(() => readFileSync(path)).toThrow();
  });

  it('stores secrets only encrypted, decrypts them for the services, and removes them on request', () => {
    const path = join(folder(), 'settings.json');
    const store = new SettingsStore(path, withCipher());
    store.save(changed({}), { coinbaseKey: 'KEY-123', coinbaseSecret: 'c2VjcmV0', telegramToken: '123456:ABC_def' });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('KEY-123');
    expect(text).not.toContain('c2VjcmV0');
    expect(text).not.toContain('123456:ABC_def');
    const again = new SettingsStore(path, withCipher());
    expect(again.secret('coinbaseKey')).toBe('KEY-123');
    expect(again.secretsSet()).toMatchObject({ coinbaseKey: true, coinbaseSecret: true, telegramToken: true, webhookSecret: false });
    // Another key cannot read them (and does not pretend to).
    expect(new SettingsStore(path, { cipher: aesGcmCipher('some-other-long-key'), refusal: null }).secret('coinbaseKey')).toBeNull();
    again.save(again.settings(), { coinbaseKey: null });
    expect(again.secretsSet().coinbaseKey).toBe(false);
    expect(again.secret('coinbaseSecret')).toBe('c2VjcmV0');
  });

  it('refuses secrets with the reason on a web host that cannot encrypt, but saves the rest', () => {
    const choice = webHostCipher({});
    expect(choice.cipher).toBeNull();
    const path = join(folder(), 'settings.json');
    const store = new SettingsStore(path, choice);
    expect(() => store.save(changed({}), { coinbaseKey: 'KEY' })).toThrow(/no way to encrypt secrets: start it with ORDERBOOK_SETTINGS_KEY/);
    expect(() => readFileSync(path)).toThrow();
    store.save(changed({ theme: 'colour-blind' }));
    expect(JSON.parse(readFileSync(path, 'utf8')).settings.theme).toBe('colour-blind');
    expect(webHostCipher({ ORDERBOOK_SETTINGS_KEY: 'short' }).refusal).toMatch(/shorter than 16/);
    expect(webHostCipher({ ORDERBOOK_SETTINGS_KEY: KEY }).cipher).not.toBeNull();
  });

  it('sets a damaged file or one from a newer version aside, keeps it, and starts from defaults', () => {
    for (const [content, reason] of [
      ['{"version": 1, "settings": {"venues": [', /cannot be read/],
      ['{"version": 7, "settings": {}}', /from a newer version \(7; this app reads 1\)/],
      ['{"version": 1, "settings": {"theme": "pink"}}', /does not validate/],
    ] as const) {
      const dir = folder();
      const path = join(dir, 'settings.json');
      writeFileSync(path, content);
      const store = new SettingsStore(path, withCipher());
      expect(store.loadProblem).toMatch(reason);
      expect(store.settings()).toEqual(DEFAULT_PUBLIC_SETTINGS);
      const kept = readdirSync(dir).find((f) => f.startsWith('settings.json.unreadable-'))!;
      expect(readFileSync(join(dir, kept), 'utf8')).toBe(content);
    }
  });
});

describe('flags and environment over saved settings', () => {
  it('names what overrides each field', () => {
    const overridden = settingsOverrides({ venues: ['kraken'], proxy: 'http://127.0.0.1:3128' }, { ORDERBOOK_COINBASE_KEY: 'k', ORDERBOOK_ALERT_QUIET_HOURS: '22:00-07:00', HTTPS_PROXY: 'http://x:1' });
    expect(overridden).toEqual({
      venues: '--venue flag',
      proxy: '--proxy flag',
      coinbaseKey: 'ORDERBOOK_COINBASE_KEY environment variable',
      'alertDelivery.quietHours': 'ORDERBOOK_ALERT_QUIET_HOURS environment variable',
    });
    expect(settingsOverrides({}, { https_proxy: 'http://x:1' }).proxy).toBe('https_proxy environment variable');
  });

  it('gives the effective options: flags, then env, then saved; proxy and alert delivery in the services\u2019 shapes', () => {
    const path = join(folder(), 'settings.json');
    const store = new SettingsStore(path, withCipher());
    store.save(
      changed({
        venues: ['kraken', 'okx'],
        dataDir: '/srv/obm',
        proxy: { url: 'http://127.0.0.1:3128', noProxy: [] },
        alertDelivery: { webhook: { url: 'http://127.0.0.1:9/hook' }, telegram: { chatId: '-100200' }, quietHours: { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin' } },
      }),
      { webhookSecret: 'whsec', telegramToken: '123:abc', coinbaseKey: 'saved-key', coinbaseSecret: 'saved-secret' },
    );
    const saved = effectiveSettingsOptions(store, {}, {}, '/home/u/.obm');
    expect(saved.venues).toEqual(['kraken', 'okx']);
    expect(saved.dataDir).toBe('/srv/obm');
    expect(saved.savedProxy).toEqual({ url: 'http://127.0.0.1:3128', noProxy: [] });
    expect(saved.savedAlertDelivery).toEqual({
      webhook: { url: 'http://127.0.0.1:9/hook', secret: 'whsec' },
      telegram: { botToken: '123:abc', chatId: '-100200' },
      quietHours: { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin' },
    });
    expect(saved.coinbase).toEqual({ key: 'saved-key', secret: 'saved-secret', passphrase: undefined });
    const flagged = effectiveSettingsOptions(store, { venues: ['demo'], data: '/tmp/x' }, { ORDERBOOK_COINBASE_KEY: 'env-key', ORDERBOOK_COINBASE_SECRET: 'env-secret' }, '/home/u/.obm');
    expect(flagged.venues).toEqual(['demo']);
    expect(flagged.dataDir).toBe('/tmp/x');
    expect(flagged.coinbase?.key).toBe('env-key');
  });
});

describe('settings commands', () => {
  it('never send a secret back to a window, and name a refused save', async () => {
    const store = new SettingsStore(join(folder(), 'settings.json'), withCipher());
    const { commands } = settingsCapability({ store, overridden: { venues: '--venue flag' } });
    const view = await commands['settings.save']!({ settings: changed({ theme: 'light' }), secrets: { coinbaseKey: 'TOP-SECRET' } });
    expect(JSON.stringify(view)).not.toContain('TOP-SECRET');
    expect(view.secrets.coinbaseKey).toBe(true);
    expect(view.overridden).toEqual({ venues: '--venue flag' });
    expect(view.settings.theme).toBe('light');
    await expect(Promise.resolve().then(() => commands['settings.save']!({ settings: changed({ venues: [] }), secrets: {} }))).rejects.toThrow(/enable at least one venue/);
    expect((await commands['settings.testDelivery']!({ channel: 'webhook' })).message).toMatch(/no webhook is set up/);
  });
});
