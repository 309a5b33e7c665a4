import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared fixtures live beside the repository (../shared), never inside it. */
export const capturesDir = join(repoRoot, '..', 'shared', 'fixtures', 'captures');

export function capture(name: string): string {
  const path = join(capturesDir, name);
  if (!existsSync(path)) throw new Error(`shared capture missing: ${path} (clone ../shared beside the repository)`);
  return path;
}
