#!/usr/bin/env node
/**
 * npm start: make sure Electron's binary is there (fetching it if an install skipped it), then build
 * and launch the desktop app. Where Electron cannot be had, say so and point at the web host.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

function say(message) {
  process.stderr.write(`start: ${message}\n`);
}

if (!existsSync(join(root, 'node_modules'))) {
  say('dependencies are not installed; run `npm install` first.');
  process.exit(1);
}

let electronDir;
try {
  electronDir = dirname(require.resolve('electron/package.json'));
} catch {
  say('the electron package is missing; run `npm install`.');
  process.exit(1);
}

function electronBinaryPresent() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return false;
  return existsSync(join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

if (!electronBinaryPresent()) {
  say("Electron's binary is not installed (the install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or its download failed); fetching it now…");
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'inherit', env });
  if (r.status !== 0 || !electronBinaryPresent()) {
    say(
      "could not download Electron's binary (no route to its download host?).\n" +
        '       The same monitor runs in your browser without it:  npm run web   (then open http://127.0.0.1:5178/)',
    );
    process.exit(1);
  }
}

// Native modules must match Electron's ABI, not Node's; rebuilt here, never at install time.
const rebuild = join(root, 'scripts', 'rebuild-native.mjs');
if (existsSync(rebuild)) {
  const r = spawnSync(process.execPath, [rebuild, '--electron'], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const bin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite');
const r = spawnSync(bin, ['preview', ...process.argv.slice(2)], { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
process.exit(r.status ?? 1);
