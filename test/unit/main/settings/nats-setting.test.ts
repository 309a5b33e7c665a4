/** The settings page's "NATS URL (desk)": what it accepts, that the --nats flag wins, and older files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PUBLIC_SETTINGS, PublicSettingsSchema, settingsFieldErrors, type PublicSettings } from '../../../../src/shared/settings';
import { natsFlagFromArgv } from '../../../../src/main/desk/desk-setting';
import { effectiveSettingsOptions, settingsOverrides } from '../../../../src/main/settings/effective';
import { aesGcmCipher } from '../../../../src/main/settings/secret-cipher';
import { SettingsError, SettingsStore } from '../../../../src/main/settings/settings-store';

const withCipher = () => ({ cipher: aesGcmCipher('a-long-enough-test-key'), refusal: null }) as const;
const settings = (natsUrl: unknown) => ({ ...structuredClone(DEFAULT_PUBLIC_SETTINGS), natsUrl });

function store(): SettingsStore {
  return new SettingsStore(join(mkdtempSync(join(tmpdir(), 'obm-settings-nats-')), 'settings.json'), withCipher());
}

describe('NATS URL (desk) setting', () => {
  it('accepts none, one server, or several separated by commas (nats:// or tls://)', () => {
    for (const ok of [null, 'nats://127.0.0.1:4222', 'nats://a.internal:4222, nats://b.internal:4222,tls://c.internal:4443', 'nats://[::1]:4222']) {
      expect(PublicSettingsSchema.safeParse(settings(ok)).success, String(ok)).toBe(true);
    }
  });

  it('refuses what is not a NATS URL, naming the field and the reason', () => {
    for (const [bad, reason] of [
      ['127.0.0.1:4222', /give nats:\/\/host:port/],
      ['http://127.0.0.1:4222', /must start with nats:\/\/ or tls:\/\//],
      ['nats://a:4222,,nats://b:4222', /is not a URL/],
      ['', /is not a URL/],
      ['not a url', /is not a URL/],
    ] as const) {
      const parsed = PublicSettingsSchema.safeParse(settings(bad));
      expect(parsed.success, bad).toBe(false);
      expect(settingsFieldErrors(parsed.error!).natsUrl, bad).toMatch(reason);
    }
    expect(() => store().save(settings('http://x') as PublicSettings)).toThrow(SettingsError);
  });

  it('reads a settings file saved before the field existed as "no desk"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'obm-settings-nats-'));
    const { natsUrl: _drop, ...older } = DEFAULT_PUBLIC_SETTINGS;
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 1, settings: { ...older, venues: ['kraken'] }, secrets: {} }));
    const loaded = new SettingsStore(join(dir, 'settings.json'), withCipher());
    expect(loaded.loadProblem).toBeNull();
    expect(loaded.settings()).toMatchObject({ venues: ['kraken'], natsUrl: null });
  });

  it('is in force at the next start, and the --nats flag wins over it (shown as overridden)', () => {
    const s = store();
    expect(effectiveSettingsOptions(s, {}, {}, '/tmp/app').natsUrl).toBeNull();
    s.save(settings('nats://desk.internal:4222') as PublicSettings);
    expect(effectiveSettingsOptions(s, {}, {}, '/tmp/app').natsUrl).toBe('nats://desk.internal:4222');
    expect(settingsOverrides({}, {}).natsUrl).toBeUndefined();
    expect(effectiveSettingsOptions(s, { nats: 'nats://other.internal:4222' }, {}, '/tmp/app').natsUrl).toBe('nats://other.internal:4222');
    expect(settingsOverrides({ nats: 'nats://other.internal:4222' }, {}).natsUrl).toBe('--nats flag');
  });

  it('finds the desktop app’s --nats flag in either spelling', () => {
    expect(natsFlagFromArgv(['electron', '.', '--nats', 'nats://a:4222'])).toBe('nats://a:4222');
    expect(natsFlagFromArgv(['electron', '.', '--nats=nats://a:4222,nats://b:4222'])).toBe('nats://a:4222,nats://b:4222');
    expect(natsFlagFromArgv(['electron', '.', '--proxy', 'socks5h://x'])).toBeUndefined();
  });
});
