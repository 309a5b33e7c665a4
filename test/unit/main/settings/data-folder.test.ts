import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseDataFolder, dataFlagFromArgv } from '../../../../src/main/settings/data-folder';
import { SettingsStore } from '../../../../src/main/settings/settings-store';
import { DEFAULT_PUBLIC_SETTINGS } from '../../../../src/shared/settings';

describe('desktop data folder', () => {
  const dirs: string[] = [];
  const temp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'obm-data-folder-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reads --data from the command line in both spellings', () => {
    expect(dataFlagFromArgv(['electron', '.', '--data', '/srv/obm'])).toBe('/srv/obm');
    expect(dataFlagFromArgv(['electron', '.', '--data=/srv/obm'])).toBe('/srv/obm');
    expect(dataFlagFromArgv(['electron', '.', '--proxy', 'http://127.0.0.1:1'])).toBeUndefined();
  });

  it('uses the folder saved in settings (created when missing); the flag, then the variable, override it', () => {
    const appDir = temp();
    const saved = join(temp(), 'market-data');
    // The settings page saves the folder into settings.json in the app's own folder.
    const store = new SettingsStore(join(appDir, 'settings.json'), { cipher: null, refusal: 'no secrets in this test' }, DEFAULT_PUBLIC_SETTINGS);
    store.save({ ...DEFAULT_PUBLIC_SETTINGS, dataDir: saved }, {});
    const reopened = new SettingsStore(join(appDir, 'settings.json'), { cipher: null, refusal: 'no secrets in this test' }, DEFAULT_PUBLIC_SETTINGS);
    const savedDir = reopened.settings().dataDir;
    expect(savedDir).toBe(saved);

    expect(chooseDataFolder({ env: {}, saved: savedDir, appDir })).toEqual({ dir: saved, source: 'settings', problem: null });
    expect(existsSync(saved)).toBe(true);
    const flagDir = join(temp(), 'from-flag');
    expect(chooseDataFolder({ flag: flagDir, env: { ORDERBOOK_USER_DATA: '/elsewhere' }, saved: savedDir, appDir })).toMatchObject({ dir: flagDir, source: 'flag' });
    expect(chooseDataFolder({ env: { ORDERBOOK_USER_DATA: '/elsewhere' }, saved: savedDir, appDir })).toMatchObject({ dir: '/elsewhere', source: 'env' });
    expect(chooseDataFolder({ env: {}, saved: null, appDir })).toEqual({ dir: appDir, source: 'app', problem: null });
  });

  it('falls back to the app folder, saying why, when the saved folder cannot be used', () => {
    const appDir = temp();
    const file = join(temp(), 'a-file');
    writeFileSync(file, 'not a folder');
    const choice = chooseDataFolder({ env: {}, saved: join(file, 'data'), appDir });
    expect(choice).toMatchObject({ dir: appDir, source: 'app' });
    expect(choice.problem).toMatch(/cannot be used/);
    if (process.getuid?.() !== 0) {
      const readOnly = join(temp(), 'read-only');
      chooseDataFolder({ env: {}, saved: readOnly, appDir });
      chmodSync(readOnly, 0o500);
      expect(chooseDataFolder({ env: {}, saved: readOnly, appDir }).source).toBe('app');
      chmodSync(readOnly, 0o700);
    }
  });
});
