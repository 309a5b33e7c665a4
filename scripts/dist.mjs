#!/usr/bin/env node
/**
 * npm run dist [-- --linux | --win | --mac]: build installers with electron-builder (default: this OS).
 * Checks first what packaging needs and says plainly what is missing: Electron's binary (installed
 * by npm install unless ELECTRON_SKIP_BINARY_DOWNLOAD was set) and better-sqlite3 built for Electron.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => process.stderr.write(`dist: ${m}\n`);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' }).status ?? 1;
const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);

const electronDir = join(root, 'node_modules', 'electron');
if (!existsSync(join(electronDir, 'package.json'))) {
  say('the electron package is not installed: run `npm install` first.');
  process.exit(1);
}
const electronVersion = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
// Packaging for this OS uses the Electron that npm installed; ORDERBOOK_ELECTRON_DIST overrides (tests).
const electronDist = process.env.ORDERBOOK_ELECTRON_DIST ?? join(electronDir, 'dist');
const pathFile = join(electronDir, 'path.txt');
const binaryPresent = existsSync(pathFile) && existsSync(join(electronDist, readFileSync(pathFile, 'utf8').trim()));
if (!binaryPresent) {
  say(
    `Electron ${electronVersion}'s binary is not installed (${electronDist} is missing or empty), so there is nothing to package.\n` +
      '  It is skipped when installing with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or when its download host is unreachable.\n' +
      '  On a machine with internet access: `npm install` (without that variable), then `npm run dist`.',
  );
  process.exit(1);
}

if (run(process.execPath, [join(root, 'scripts', 'rebuild-native.mjs'), '--electron']) !== 0) process.exit(1);
const nativeBuild = join(root, 'native', `electron-${electronVersion}`, 'better_sqlite3.node');
if (!existsSync(nativeBuild)) {
  say('better-sqlite3 could not be built for Electron (see above); an installer without it could not record to its database, so none is made.');
  process.exit(1);
}
rmSync(join(root, 'dist-native'), { recursive: true, force: true });
mkdirSync(join(root, 'dist-native'));
copyFileSync(nativeBuild, join(root, 'dist-native', 'better_sqlite3.node'));

if (run(bin('electron-vite'), ['build']) !== 0) process.exit(1);
const platformArgs = process.argv.slice(2).filter((a) => ['--linux', '--win', '--mac'].includes(a));
process.exit(run(bin('electron-builder'), [...platformArgs, `--config.electronDist=${electronDist}`, `--config.electronVersion=${electronVersion}`]));
