/**
 * The saved settings: `settings.json` in the app's folder, validated with zod, written atomically
 * (temporary file, fsync, rename). Secrets are stored only encrypted (see secret-cipher.ts); a host
 * that cannot encrypt refuses to store them. A damaged file or one from a newer version is set aside
 * (renamed, never overwritten) and the defaults are used, with the reason kept for the page to show.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_PUBLIC_SETTINGS,
  describeSettingsIssues,
  PublicSettingsSchema,
  SECRET_NAMES,
  SETTINGS_VERSION,
  type PublicSettings,
  type SecretChanges,
  type SecretName,
} from '../../shared/settings';
import type { CipherChoice } from './secret-cipher';

const SavedFileSchema = z
  .object({
    version: z.number().int(),
    settings: PublicSettingsSchema,
    /** Secret name → { cipher name, sealed text }. */
    secrets: z.partialRecord(z.enum(SECRET_NAMES), z.object({ cipher: z.string(), sealed: z.string() })).default({}),
  })
  .strict();
type SavedFile = z.output<typeof SavedFileSchema>;

export class SettingsError extends Error {}

export class SettingsStore {
  private file: SavedFile;
  /** Why the saved file was not used at start (null when it was, or there was none). */
  readonly loadProblem: string | null;

  constructor(
    readonly path: string,
    private readonly secretsCipher: CipherChoice,
    /** What a missing or unreadable file means (the desktop app enables every venue). */
    private readonly defaults: PublicSettings = DEFAULT_PUBLIC_SETTINGS,
  ) {
    const { file, problem } = this.load();
    this.file = file;
    this.loadProblem = problem;
  }

  get cipher(): CipherChoice {
    return this.secretsCipher;
  }

  settings(): PublicSettings {
    return structuredClone(this.file.settings);
  }

  /** Which secrets are saved (their values never leave the main process through this). */
  secretsSet(): Record<SecretName, boolean> {
    return Object.fromEntries(SECRET_NAMES.map((n) => [n, this.file.secrets[n] !== undefined])) as Record<SecretName, boolean>;
  }

  /** A saved secret in plain text, or null when unset or when it cannot be decrypted here. */
  secret(name: SecretName): string | null {
    const entry = this.file.secrets[name];
    const cipher = this.secretsCipher.cipher;
    if (!entry || !cipher || entry.cipher !== cipher.name) return null;
    try {
      return cipher.decrypt(entry.sealed);
    } catch {
      return null;
    }
  }

  /** Validate and save; throws SettingsError with every problem named. Nothing is written on error. */
  save(settings: unknown, secretChanges: SecretChanges = {}): void {
    const parsed = PublicSettingsSchema.safeParse(settings);
    if (!parsed.success) throw new SettingsError(`invalid settings: ${describeSettingsIssues(parsed.error)}`);
    const secrets = { ...this.file.secrets };
    for (const name of SECRET_NAMES) {
      const change = secretChanges[name];
      if (change === undefined) continue;
      if (change === null) {
        delete secrets[name];
        continue;
      }
      const cipher = this.secretsCipher.cipher;
      if (!cipher) throw new SettingsError(`${name} not saved: ${this.secretsCipher.refusal}`);
      secrets[name] = { cipher: cipher.name, sealed: cipher.encrypt(change) };
    }
    const next: SavedFile = { version: SETTINGS_VERSION, settings: parsed.data, secrets };
    writeJsonAtomically(this.path, next);
    this.file = next;
  }

  private load(): { file: SavedFile; problem: string | null } {
    const defaults: SavedFile = { version: SETTINGS_VERSION, settings: structuredClone(this.defaults), secrets: {} };
    if (!existsSync(this.path)) return { file: defaults, problem: null };
    let problem: string;
    try {
      const raw = JSON.parse(readFileSync(this.path, 'utf8')) as { version?: unknown };
      if (typeof raw?.version === 'number' && raw.version > SETTINGS_VERSION) {
        problem = `the settings file is from a newer version (${raw.version}; this app reads ${SETTINGS_VERSION})`;
      } else {
        const parsed = SavedFileSchema.safeParse(raw);
        if (parsed.success) return { file: parsed.data, problem: null };
        problem = `the settings file does not validate (${describeSettingsIssues(parsed.error)})`;
      }
    } catch (error) {
      problem = `the settings file cannot be read (${(error as Error).message})`;
    }
    // Keep the file for the user to inspect or restore; the next save writes a fresh one.
    const aside = `${this.path}.unreadable-${Date.now()}`;
    try {
      renameSync(this.path, aside);
      problem += `; it was kept as ${aside}`;
    } catch {
      // Read-only folder: it stays where it is, and saving will fail with the reason.
    }
    return { file: defaults, problem };
  }
}

/** Temporary file beside the target, fsync, rename: a crash leaves the old file or the new one. */
export function writeJsonAtomically(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(value, null, 2) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}
