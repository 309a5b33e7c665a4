/**
 * Where the desktop app keeps recordings, the database and exports: the `--data` flag, then the
 * ORDERBOOK_USER_DATA variable, then the data folder saved in settings, then the app's own folder.
 * The settings file, logs and window state stay in the app's own folder (they say where the data is).
 * A saved folder that cannot be created or written is not used: the app starts on its own folder and
 * says why, rather than not starting.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

/** The value of `--data DIR` or `--data=DIR` on the command line, if given. */
export function dataFlagFromArgv(argv: readonly string[]): string | undefined {
  for (const [i, arg] of argv.entries()) {
    if (arg === '--data') return argv[i + 1];
    if (arg.startsWith('--data=')) return arg.slice('--data='.length);
  }
  return undefined;
}

export interface DataFolderChoice {
  /** The folder to use (absolute). */
  dir: string;
  /** What chose it. */
  source: 'flag' | 'env' | 'settings' | 'app';
  /** Why the saved folder was passed over, or null. */
  problem: string | null;
}

/** The folder in force; creates it (a flag's or saved folder) when missing. */
export function chooseDataFolder(input: { flag?: string; env: NodeJS.ProcessEnv; saved: string | null; appDir: string }): DataFolderChoice {
  if (input.flag) return { dir: resolve(input.flag), source: 'flag', problem: null };
  if (input.env.ORDERBOOK_USER_DATA) return { dir: resolve(input.env.ORDERBOOK_USER_DATA), source: 'env', problem: null };
  if (input.saved) {
    const dir = resolve(input.saved);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
      return { dir, source: 'settings', problem: null };
    } catch (error) {
      return { dir: resolve(input.appDir), source: 'app', problem: `the data folder ${dir} from settings cannot be used (${(error as Error).message}); using ${input.appDir}` };
    }
  }
  return { dir: resolve(input.appDir), source: 'app', problem: null };
}
