/**
 * Start and stop a recording of the current symbols from the app. One recording at a time, written
 * to `<data>/recordings/<venue>_<UTC time>.capture.jsonl.gz` on its own connection (see Recorder).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ContractError, type RecordingStatus } from '../../shared/contract';
import { Recorder } from '../capture/recorder';
import type { Logger } from '../log';
import type { CommandHandlers } from './contract-host';
import type { MarketService } from '../market/service';

const IDLE: RecordingStatus = { active: false, path: null, venue: null, symbols: [], lines: 0, bytes: 0, startedAt: null, error: null };

export interface RecordingControl {
  commands: CommandHandlers;
  /** Stop any running recording (flushes the file). */
  close(): Promise<void>;
}

export function recordingCapability(market: MarketService, dataDir: string, logger: Logger): RecordingControl {
  let recorder: Recorder | null = null;
  let last: RecordingStatus = IDLE;
  const status = (): RecordingStatus => (recorder ? recorder.status() : last);
  return {
    commands: {
      'recording.start': ({ venue, symbols, gzip }) => {
        if (recorder) throw new ContractError('bad-request', `a recording is already running (${recorder.status().path}); stop it first`);
        const config = market.venueConfig(venue);
        const dir = join(dataDir, 'recordings');
        try {
          mkdirSync(dir, { recursive: true });
        } catch (error) {
          throw new ContractError('unavailable', `cannot create ${dir}: ${(error as Error).message}`);
        }
        const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
        const path = join(dir, `${venue}_${stamp}.capture.jsonl${gzip ? '.gz' : ''}`);
        recorder = new Recorder({ venue, symbols, path, transport: config.transport, endpoints: config.endpoints, logger });
        return recorder.status();
      },
      'recording.stop': async () => {
        if (!recorder) return last;
        const r = recorder;
        recorder = null;
        last = await r.stop();
        return last;
      },
      'recording.status': () => status(),
    },
    async close() {
      if (recorder) last = await recorder.stop();
      recorder = null;
    },
  };
}
