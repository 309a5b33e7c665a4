import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../support/paths';

describe('npm run dist', () => {
  it('explains what is missing when Electron’s binary is not there, instead of failing obscurely', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'dist.mjs')], {
      cwd: repoRoot,
      env: { ...process.env, ORDERBOOK_ELECTRON_DIST: join(repoRoot, 'no-such-electron-dist') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Electron [\d.]+'s binary is not installed/);
    expect(r.stderr).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD=1/);
    expect(r.stderr).toMatch(/npm run dist/);
  });
});
