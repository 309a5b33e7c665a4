import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../support/paths';

/** Every package the main process and preload import (the built bundles keep them as imports). */
function packageSpecifiers(): string[] {
  const found = new Set<string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/^(?:import|export)(?! type)[^;]*? from '([^'.][^']*)'|import\('([^'.][^']*)'\)/gm)) found.add((m[1] ?? m[2])!);
      }
    }
  };
  visit(join(repoRoot, 'src', 'main'));
  visit(join(repoRoot, 'src', 'preload'));
  // Electron's package needs its binary, which these machines cannot have; Node's built-ins always resolve.
  return [...found].filter((s) => s !== 'electron' && !s.startsWith('node:')).sort();
}

describe('the main process imports', () => {
  it('resolve under Node’s ESM rules, as the built main process loads them', () => {
    // Vitest and tsx resolve specifiers loosely (no extension needed); the built main process is
    // plain ESM, where a package subpath must name its file. Resolve each as that ESM would.
    const specifiers = packageSpecifiers();
    expect(specifiers).toContain('better-sqlite3');
    // import.meta.resolve maps a specifier to a URL without looking at the disk: check the file is there.
    const script = [
      `import { statSync } from 'node:fs';`,
      `import { fileURLToPath } from 'node:url';`,
      `for (const s of ${JSON.stringify(specifiers)}) {`,
      `  try { if (!statSync(fileURLToPath(import.meta.resolve(s))).isFile()) console.log(s + ': not a file'); }`,
      `  catch (e) { console.log(s + ': ' + e.message); }`,
      `}`,
    ].join('\n');
    const failures = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' }).trim();
    expect(failures).toBe('');
  });
});
