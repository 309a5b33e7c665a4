/**
 * Replay a recorded capture in the app: list the recordings in the data folder, open one (only by
 * name from that folder: a window cannot make the host read an arbitrary path), pause, change speed,
 * stop. The Electron File menu opens any file the user picks through the main process instead.
 * tardis.dev CSV plays the same way: a folder in the recordings folder holding incremental_book_L2
 * and/or trades files (an uploaded pair lands in one), or one such .csv / .csv.gz file.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tardisFiles } from '../bridges/tardis/replay';
import { basename, join } from 'node:path';
import { ContractError, type CaptureFile } from '../../shared/contract';
import type { CommandHandlers } from './contract-host';
import type { MarketService } from '../market/service';

const CAPTURE_NAME = /\.capture\.jsonl(\.gz)?$/;
/** A tardis.dev CSV file name (tardis names its files by data type: incremental_book_L2, trades). */
const TARDIS_FILE_NAME = /(incremental_book_L2|trades).*\.csv(\.gz)?$/;

/** Whether `name` in `dir` is something to replay: a capture, a tardis CSV file, or a folder holding tardis CSV. */
function isReplayable(dir: string, name: string): boolean {
  if (name.startsWith('.')) return false;
  if (CAPTURE_NAME.test(name) || TARDIS_FILE_NAME.test(name)) return true;
  const path = join(dir, name);
  try {
    return statSync(path).isDirectory() && tardisFiles(path).length > 0;
  } catch {
    return false;
  }
}

/** Bytes of a file, or of the tardis files in a folder. */
function replayBytes(path: string): number {
  const st = statSync(path);
  return st.isDirectory() ? tardisFiles(path).reduce((sum, file) => sum + statSync(file).size, 0) : st.size;
}

export function recordingsDir(dataDir: string): string {
  return join(dataDir, 'recordings');
}

export function listCaptures(dir: string): CaptureFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => isReplayable(dir, name))
    .map((name) => {
      const st = statSync(join(dir, name));
      return { name, bytes: replayBytes(join(dir, name)), modified: st.mtimeMs };
    })
    .sort((a, b) => b.modified - a.modified);
}

export function replayCapability(market: MarketService, dataDir: string): CommandHandlers {
  const dir = recordingsDir(dataDir);
  return {
    'replay.list': () => listCaptures(dir),
    'replay.open': ({ name, speed }) => {
      if (basename(name) !== name || name === '..' || name.startsWith('.')) throw new ContractError('bad-request', `"${name}" is not a capture file name`);
      const path = join(dir, name);
      if (!existsSync(path)) throw new ContractError('not-found', `no capture named ${name} in ${dir}`);
      if (!isReplayable(dir, name)) throw new ContractError('bad-request', `"${name}" is not a capture file or a tardis CSV file or folder`);
      return market.startReplay(path, speed);
    },
    'replay.control': ({ action, speed }) => {
      if (action === 'speed' && speed === undefined) throw new ContractError('bad-request', 'replay.control: speed is required with action "speed"');
      return market.controlReplay(action, speed);
    },
  };
}
