/**
 * Each venue's instrument list saved on disk after every successful fetch, so the symbol picker
 * works offline with the last known list. Files: `<data>/instruments/<venue>.json`, written
 * atomically (temporary file, then rename). A damaged file is ignored, never trusted.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InstrumentSchema } from '../../shared/contract';
import type { Instrument, VenueId } from '../../shared/market';

const CacheFileSchema = z.object({ savedAt: z.number(), instruments: z.array(InstrumentSchema) });

export interface CachedInstruments {
  savedAt: number;
  instruments: Instrument[];
}

export class InstrumentCache {
  constructor(private readonly dir: string) {}

  private path(venue: VenueId): string {
    return join(this.dir, `${venue}.json`);
  }

  load(venue: VenueId): CachedInstruments | null {
    try {
      const parsed = CacheFileSchema.safeParse(JSON.parse(readFileSync(this.path(venue), 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Save; a failure (read-only or full disk) is returned as a message, never thrown. */
  save(venue: VenueId, instruments: Instrument[], now = Date.now()): string | null {
    const path = this.path(venue);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(tmp, JSON.stringify({ savedAt: now, instruments }));
      renameSync(tmp, path);
      return null;
    } catch (error) {
      return `could not save the ${venue} instrument list to ${path}: ${(error as Error).message}`;
    }
  }
}
