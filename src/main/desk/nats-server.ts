/**
 * Real nats-server processes for the tests and for `npm run bench -- --only desk`: a single JetStream
 * node or a three-node JetStream cluster, each on free loopback ports with its store in a temp dir.
 * Debian's nats-server (2.9) must be installed (`node scripts/ensure-system-tool.mjs nats-server`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const candidates = [process.env.NATS_SERVER_PATH, '/usr/sbin/nats-server', '/usr/bin/nats-server'];

/** Path of the nats-server binary, or undefined when it is not installed. */
export function natsServerPath(): string | undefined {
  for (const path of candidates) if (path && existsSync(path)) return path;
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
}

/** A TCP port nobody listens on right now (the OS picks it; we close before the server binds). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface NatsNode {
  name: string;
  clientPort: number;
  monitorPort: number;
  url: string;
  process: ChildProcess | undefined;
  /** The node's output so far (for a failing test's message). */
  log: () => string;
}

export interface NatsCluster {
  nodes: NatsNode[];
  /** Every client URL, comma separated (what --nats takes). */
  urls: string;
  /** Kill one node (SIGKILL: a crash, not a clean shutdown). */
  kill(index: number): Promise<void>;
  /** Start a killed node again with the same ports and store. */
  restart(index: number): Promise<void>;
  stop(): Promise<void>;
}

interface NodeSpec {
  name: string;
  clientPort: number;
  monitorPort: number;
  configFile: string;
}

function httpStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function waitHealthy(node: NatsNode, timeoutMs: number): Promise<void> {
  const start = Date.now();
  // /healthz answers 200 once the server, and JetStream with its meta leader, is ready.
  while ((await httpStatus(node.monitorPort, '/healthz')) !== 200) {
    if (node.process?.exitCode !== null && node.process?.exitCode !== undefined) {
      throw new Error(`nats-server ${node.name} exited (${node.process.exitCode}):\n${node.log()}`);
    }
    if (Date.now() - start > timeoutMs) throw new Error(`nats-server ${node.name} not healthy within ${timeoutMs} ms:\n${node.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function launch(spec: NodeSpec): NatsNode {
  const binary = natsServerPath();
  if (!binary) throw new Error('nats-server is not installed (apt-get install nats-server; .ci/run does it)');
  let output = '';
  const child = spawn(binary, ['-c', spec.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  child.stderr.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  return {
    name: spec.name,
    clientPort: spec.clientPort,
    monitorPort: spec.monitorPort,
    url: `nats://127.0.0.1:${spec.clientPort}`,
    process: child,
    log: () => output,
  };
}

async function killNode(node: NatsNode): Promise<void> {
  const child = node.process;
  node.process = undefined;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function startNodes(specs: NodeSpec[], dir: string): Promise<NatsCluster> {
  const nodes = specs.map(launch);
  const cluster: NatsCluster = {
    nodes,
    urls: nodes.map((n) => n.url).join(','),
    async kill(index) {
      await killNode(nodes[index]!);
    },
    async restart(index) {
      const fresh = launch(specs[index]!);
      nodes[index] = fresh;
      await waitHealthy(fresh, 20_000);
    },
    async stop() {
      await Promise.all(nodes.map(killNode));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(nodes.map((n) => waitHealthy(n, 30_000)));
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** One JetStream node on a free loopback port (or on `port`). */
export async function startNatsServer(port?: number): Promise<NatsCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'obm-nats-'));
  const [clientPort, monitorPort] = [port ?? (await freePort()), await freePort()];
  const configFile = join(dir, 'n1.conf');
  writeFileSync(
    configFile,
    [
      `server_name: n1`,
      `listen: 127.0.0.1:${clientPort}`,
      `http: 127.0.0.1:${monitorPort}`,
      `jetstream { store_dir: "${join(dir, 'n1')}" }`,
    ].join('\n'),
  );
  return startNodes([{ name: 'n1', clientPort, monitorPort, configFile }], dir);
}

/**
 * Three JetStream nodes routed into one cluster, all on free loopback ports. A port found free can be
 * taken before its node binds it (another node's outgoing route connection gets an ephemeral port from
 * the same range), so a start that fails on a taken port is tried again on fresh ports.
 */
export async function startNatsCluster(): Promise<NatsCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startNatsClusterOnce();
    } catch (error) {
      if (attempt >= 3 || !/address already in use/.test((error as Error).message)) throw error;
    }
  }
}

async function startNatsClusterOnce(): Promise<NatsCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'obm-nats-cluster-'));
  const ports: { client: number; monitor: number; route: number }[] = [];
  for (let i = 0; i < 3; i++) ports.push({ client: await freePort(), monitor: await freePort(), route: await freePort() });
  const routes = ports.map((p) => `nats-route://127.0.0.1:${p.route}`);
  const specs: NodeSpec[] = ports.map((p, i) => {
    const name = `n${i + 1}`;
    const configFile = join(dir, `${name}.conf`);
    writeFileSync(
      configFile,
      [
        `server_name: ${name}`,
        `listen: 127.0.0.1:${p.client}`,
        `http: 127.0.0.1:${p.monitor}`,
        `jetstream { store_dir: "${join(dir, name)}" }`,
        `cluster {`,
        `  name: obm-test`,
        `  listen: 127.0.0.1:${p.route}`,
        `  routes: [${routes.filter((_, j) => j !== i).join(', ')}]`,
        `}`,
      ].join('\n'),
    );
    return { name, clientPort: p.client, monitorPort: p.monitor, configFile };
  });
  return startNodes(specs, dir);
}
