/**
 * Replay a recorded capture in the app: list the recordings in the data folder, open one (only by
 * name from that folder: a window cannot make the host read an arbitrary path), pause, change speed,
 * stop. The Electron File menu opens any file the user picks through the main process instead.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ContractError, type CaptureFile } from '../../shared/contract';
import type { CommandHandlers } from './contract-host';
import type { MarketService } from '../market/service';

const CAPTURE_NAME = /\.capture\.jsonl(\.gz)?$/;

export function recordingsDir(dataDir: string): string {
  return join(dataDir, 'recordings');
}

export function listCaptures(dir: string): CaptureFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => CAPTURE_NAME.test(name))
    .map((name) => {
      const st = statSync(join(dir, name));
      return { name, bytes: st.size, modified: st.mtimeMs };
    })
    .sort((a, b) => b.modified - a.modified);
}

export function replayCapability(market: MarketService, dataDir: string): CommandHandlers {
  const dir = recordingsDir(dataDir);
  return {
    'replay.list': () => listCaptures(dir),
    'replay.open': ({ name, speed }) => {
      if (basename(name) !== name || !CAPTURE_NAME.test(name)) throw new ContractError('bad-request', `"${name}" is not a capture file name`);
      const path = join(dir, name);
      if (!existsSync(path)) throw new ContractError('not-found', `no capture named ${name} in ${dir}`);
      return market.startReplay(path, speed);
    },
    'replay.control': ({ action, speed }) => {
      if (action === 'speed' && speed === undefined) throw new ContractError('bad-request', 'replay.control: speed is required with action "speed"');
      return market.controlReplay(action, speed);
    },
  };
}
