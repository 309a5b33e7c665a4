import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/paths';

/** The import-boundary lint rules must actually fire: lint small snippets as if they lived in each folder. */
describe('import boundaries', () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const violations = async (path: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: `${repoRoot}/${path}` });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it('keeps src/shared free of Electron, Node and React', async () => {
    expect(await violations('src/shared/x.ts', "import { app } from 'electron';\nvoid app;")).toHaveLength(1);
    expect(await violations('src/shared/x.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;")).toHaveLength(1);
    expect(await violations('src/shared/x.ts', "import fs from 'fs';\nvoid fs;")).toHaveLength(1);
    expect(await violations('src/shared/x.ts', "import { useState } from 'react';\nvoid useState;")).toHaveLength(1);
    expect(await violations('src/shared/x.ts', "import { z } from 'zod';\nvoid z;")).toHaveLength(0);
  });

  it('keeps Electron out of the web host and the services', async () => {
    expect(await violations('src/main/web/x.ts', "import { app } from 'electron';\nvoid app;")).toHaveLength(1);
    expect(await violations('src/main/app/x.ts', "import { app } from 'electron';\nvoid app;")).toHaveLength(1);
    expect(await violations('src/main/windows/x.ts', "import { app } from 'electron';\nvoid app;")).toHaveLength(0);
  });

  it('lets the renderer import only src/shared and itself', async () => {
    expect(await violations('src/renderer/src/x.ts', "import { x } from '../../main/book/order-book';\nvoid x;")).toHaveLength(1);
    expect(await violations('src/renderer/src/x.ts', "import { x } from '../../preload/web';\nvoid x;")).toHaveLength(1);
    expect(await violations('src/renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;")).toHaveLength(1);
    expect(await violations('src/renderer/src/x.ts', "import { canonicalDecimal } from '../../shared/decimal';\nvoid canonicalDecimal;")).toHaveLength(0);
  });
});
