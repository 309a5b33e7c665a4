/** Running the desk's command-line parts (collector, recorder) as child processes in tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';


export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<Finished>;
}

/**
 * Starts `src/main/cli/<script>` with `args` in one Node process (tsx as a loader, not its CLI, which
 * would run the script in a second process that a SIGKILL of the first leaves running); `done`
 * resolves when it exits.
 */
export function startCli(script: string, args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'main', 'cli', script), ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<Finished>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/** `npm run collect -- --capture FILE ...` to its end; rejects unless it exits 0. Returns its summary line. */
export async function collectCapture(natsUrls: string, file: string, extra: string[] = []): Promise<{ run: string; books: number; published: Record<string, number> }> {
  const result = await startCli('collect.ts', ['--nats', natsUrls, '--capture', file, ...extra]).done;
  if (result.code !== 0) throw new Error(`collect exited ${result.code}:\n${result.stderr}\n${result.stdout}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}
