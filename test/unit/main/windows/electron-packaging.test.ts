import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Configuration } from 'app-builder-lib';
import { repoRoot } from '../../../support/paths';

// electron-builder's own config loader and schema check (CommonJS internals of app-builder-lib, the
// library electron-builder runs), so the test sees the configuration exactly as packaging does.
const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: Configuration | null): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (isEnabled: boolean) => unknown };

describe('the packaging configuration', () => {
  it('is valid for electron-builder and flips the Electron fuses the app relies on', async () => {
    const config = await getConfig(repoRoot, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      // Pages load from app://, so file:// needs none of its legacy privileges.
      grantFileProtocolExtraPrivileges: false,
    });
    // onlyLoadAppFromAsar and the integrity check mean nothing without an app.asar.
    expect(config.asar).not.toBe(false);
  });

  it('would reject a misspelt fuse (the schema check the test relies on is real)', async () => {
    const config = await getConfig(repoRoot, null, null);
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNodeX: false } } as Configuration;
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });
});
