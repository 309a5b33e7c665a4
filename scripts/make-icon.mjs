#!/usr/bin/env node
/**
 * Render resources/icon.svg to resources/icon.png (1024×1024) with Chromium, for the installers
 * (electron-builder derives the .ico and .icns from it). Run after changing the SVG.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'resources', 'icon.svg'), 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="512" height="512"', 'width="1024" height="1024"')}</body></html>`);
await page.locator('svg').screenshot({ path: join(root, 'resources', 'icon.png'), omitBackground: true });
await browser.close();
process.stdout.write('resources/icon.png written\n');
