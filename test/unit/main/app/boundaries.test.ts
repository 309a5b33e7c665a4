import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../support/paths';

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
    expect(await violations('src/renderer/src/x.ts', "import { x } from '../../../../main/book/order-book';\nvoid x;")).toHaveLength(1);
    expect(await violations('src/renderer/src/x.ts', "import { x } from '../../../../preload/web';\nvoid x;")).toHaveLength(1);
    expect(await violations('src/renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;")).toHaveLength(1);
    expect(await violations('src/renderer/src/x.ts', "import { canonicalDecimal } from '../../../../shared/decimal';\nvoid canonicalDecimal;")).toHaveLength(0);
  });

  // Zones inside the main process: each rule fires on a real-looking import and lets the allowed ones through.
  const lint = (path: string, source: string) => violations(path, `import { x } from '${source}';\nvoid x;`);

  it('keeps src/main/book to src/shared, its own files and npm packages', async () => {
    expect(await lint('src/main/book/x.ts', '../venues/symbol-feed')).toHaveLength(1);
    expect(await lint('src/main/book/x.ts', '../analytics/levels')).toHaveLength(1);
    const intoRenderer = await lint('src/main/book/x.ts', '../../renderer/src/format');
    expect(intoRenderer.filter((m) => m.includes('src/main/book imports only src/shared'))).toHaveLength(1);
    expect(await lint('src/main/book/x.ts', 'node:fs')).toHaveLength(1);
    expect(await lint('src/main/book/x.ts', 'electron')).toHaveLength(1);
    expect(await lint('src/main/book/x.ts', '../../shared/decimal')).toHaveLength(0);
    expect(await lint('src/main/book/x.ts', './price-key')).toHaveLength(0);
    expect(await lint('src/main/book/x.ts', 'sorted-btree')).toHaveLength(0);
  });

  it('keeps venues below app/, publish/ and market/', async () => {
    expect(await lint('src/main/venues/x.ts', '../app/compose')).toHaveLength(1);
    expect(await lint('src/main/venues/binance-spot/x.ts', '../../publish/publisher')).toHaveLength(1);
    expect(await lint('src/main/venues/okx/x.ts', '../../market/service')).toHaveLength(1);
    // Still under the main-process rules.
    expect(await lint('src/main/venues/x.ts', 'electron')).toHaveLength(1);
    expect(await lint('src/main/venues/okx/x.ts', '../../book/order-book')).toHaveLength(0);
    expect(await lint('src/main/venues/okx/x.ts', '../demo/market')).toHaveLength(0);
    expect(await lint('src/main/venues/okx/x.ts', '../../../shared/market')).toHaveLength(0);
  });

  it('keeps analytics out of app/', async () => {
    expect(await lint('src/main/analytics/x.ts', '../app/market-capability')).toHaveLength(1);
    expect(await lint('src/main/analytics/detectors/x.ts', '../../app/compose')).toHaveLength(1);
    expect(await lint('src/main/analytics/x.ts', '../book/order-book')).toHaveLength(0);
  });

  it('keeps the store worker away from the store client', async () => {
    expect(await lint('src/main/store/worker/x.ts', '../client/store')).toHaveLength(1);
    expect(await lint('src/main/store/worker/x.ts', '../../store/client/recorder')).toHaveLength(1);
    expect(await lint('src/main/store/worker/x.ts', '../protocol')).toHaveLength(0);
    expect(await lint('src/main/store/worker/x.ts', './queries')).toHaveLength(0);
    // The client may start and talk to the worker.
    expect(await lint('src/main/store/client/x.ts', '../worker/csv-export')).toHaveLength(0);
  });
});
