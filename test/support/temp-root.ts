import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: every temporary folder a test (or a child process it starts) makes with
 * os.tmpdir() lands under one folder for this run, removed when the run ends, so test runs leave
 * nothing behind in /tmp. Workers and child processes inherit TMPDIR from this process.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'obm-test-run-'));
  // Open to every user like /tmp itself: one test runs a child as an unprivileged user, whose tools
  // (tsx's cache) write to TMPDIR too.
  chmodSync(root, 0o1777);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
