#!/usr/bin/env node
/**
 * Build better-sqlite3 for Electron's ABI into native/electron-<version>/better_sqlite3.node, leaving
 * node_modules' own build (for Node: tests, the web host, the CLI) untouched. The desktop app loads the
 * Electron build through ORDERBOOK_SQLITE_BINDING; packaging copies it into the app's resources.
 *
 *   node scripts/rebuild-native.mjs --electron [--force]
 *
 * Needs Electron's headers (downloaded from electronjs.org on first use). Where they cannot be had,
 * says so and exits 0: the app then runs without recording to the database, and shows why.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');
const say = (m) => process.stderr.write(`rebuild-native: ${m}\n`);

if (!process.argv.includes('--electron')) {
  say('usage: node scripts/rebuild-native.mjs --electron [--force]');
  process.exit(2);
}

const electronPkg = join(root, 'node_modules', 'electron', 'package.json');
if (!existsSync(electronPkg)) {
  say('Electron is not installed (npm install); skipping the native rebuild.');
  process.exit(0);
}
const electronVersion = JSON.parse(readFileSync(electronPkg, 'utf8')).version;
const outDir = join(root, 'native', `electron-${electronVersion}`);
const out = join(outDir, 'better_sqlite3.node');
if (existsSync(out) && !force) process.exit(0);

const source = join(root, 'node_modules', 'better-sqlite3');
const work = join(tmpdir(), `obm-native-electron-${electronVersion}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'node_modules'), { recursive: true });
// A scratch project holding a copy of the module: rebuilding it there keeps node_modules' Node build.
cpSync(source, join(work, 'node_modules', 'better-sqlite3'), { recursive: true, filter: (p) => !p.includes(`${join('better-sqlite3', 'build')}`) });
const version = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')).version;
writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'obm-native', version: '0.0.0', private: true, dependencies: { 'better-sqlite3': version } }));

// An npm `nodedir` setting points node-gyp at Node's own headers: building with those would give a
// module for Node's ABI under an Electron name. Electron's headers must be used.
for (const key of Object.keys(process.env)) if (key.toLowerCase() === 'npm_config_nodedir') delete process.env[key];

say(`building better-sqlite3 ${version} for Electron ${electronVersion} (about a minute the first time)…`);
try {
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: work, electronVersion, onlyModules: ['better-sqlite3'], force: true, mode: 'sequential' });
  const built = join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) throw new Error('the build finished without producing better_sqlite3.node');
  mkdirSync(outDir, { recursive: true });
  copyFileSync(built, out);
  say(`done: ${out}`);
} catch (error) {
  say(
    `could not build better-sqlite3 for Electron ${electronVersion}: ${error instanceof Error ? error.message.split('\n')[0] : error}\n` +
      '  The desktop app still runs, but records nothing to its database until this succeeds.\n' +
      '  It needs Electron\'s headers from https://electronjs.org/headers: run `npm start` again where that is reachable.',
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
