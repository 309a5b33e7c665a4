/**
 * What happened to every delivery: the newest lines in memory (alerts.delivery.log) and, with a data
 * folder, every line appended to `alert-deliveries.jsonl` there (rolled to `.1` past 5 MB).
 */
import { appendFile, rename, stat } from 'node:fs/promises';
import type { DeliveryLogEntry } from '../../shared/alert-delivery';

const KEPT_IN_MEMORY = 1000;
const ROLL_BYTES = 5 * 1024 * 1024;

export class DeliveryLog {
  private readonly entries: DeliveryLogEntry[] = [];
  /** Appends run one after another so lines never interleave. */
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string | null) {}

  add(entry: DeliveryLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > KEPT_IN_MEMORY) this.entries.splice(0, this.entries.length - KEPT_IN_MEMORY);
    const file = this.file;
    if (!file) return;
    this.writing = this.writing
      .then(async () => {
        const size = await stat(file).then((s) => s.size, () => 0);
        if (size > ROLL_BYTES) await rename(file, file + '.1');
        await appendFile(file, JSON.stringify(entry) + '\n');
      })
      // A full disk must not stop alerts going out; the in-memory log still has the line.
      .catch(() => {});
  }

  /** Newest first. */
  newest(limit: number): DeliveryLogEntry[] {
    return this.entries.slice(-limit).reverse();
  }

  /** Resolves when every line so far is on disk. */
  flush(): Promise<void> {
    return this.writing;
  }
}
