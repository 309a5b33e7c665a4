/**
 * Two small proxies on 127.0.0.1 for tests: an HTTP CONNECT proxy and a SOCKS5 proxy (no auth,
 * CONNECT only). Both note every tunnel they open and resolve host names through `resolve`, so a
 * test can use a name under `.invalid` that only the proxy knows: traffic that arrives there cannot
 * have gone around the proxy.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';

export type Resolve = (host: string, port: number) => { host: string; port: number } | null;

abstract class LoopbackProxy {
  /** "host:port" of every tunnel asked for, in order. */
  readonly tunnels: string[] = [];
  protected readonly sockets = new Set<Socket>();
  protected abstract readonly server: HttpServer | NetServer;
  port = 0;

  constructor(protected readonly resolve: Resolve) {}

  async start(): Promise<void> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    this.port = (this.server.address() as AddressInfo).port;
  }

  abstract get url(): string;

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  protected track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  /** Join the client to the resolved target; false when the target is unknown. */
  protected pipe(client: Socket, host: string, port: number, onConnected: () => void, onFailed: () => void): void {
    this.tunnels.push(`${host}:${port}`);
    const target = this.resolve(host, port);
    if (!target) return onFailed();
    const upstream = connect(target.port, target.host, () => {
      onConnected();
      upstream.pipe(client);
      client.pipe(upstream);
    });
    this.track(upstream);
    upstream.on('error', () => onFailed());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}

/** HTTP proxy that only tunnels (CONNECT host:port); `refuseWith` answers every CONNECT with that status. */
export class LoopbackConnectProxy extends LoopbackProxy {
  protected readonly server: HttpServer;
  refuseWith: number | null = null;

  constructor(resolve: Resolve) {
    super(resolve);
    this.server = createHttpServer((_req, res) => res.writeHead(405).end('CONNECT only'));
    this.server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      this.track(client);
      const [host, portText] = splitHostPort(req.url ?? '');
      if (this.refuseWith !== null) {
        this.tunnels.push(`${host}:${portText}`);
        client.end(`HTTP/1.1 ${this.refuseWith} Forbidden\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      this.pipe(
        client,
        host,
        Number(portText),
        () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          if (head.length) client.unshift(head);
        },
        () => client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n'),
      );
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
}

function splitHostPort(text: string): [string, string] {
  const at = text.lastIndexOf(':');
  return [text.slice(0, at).replace(/^\[|\]$/g, ''), text.slice(at + 1)];
}

/** SOCKS5 (RFC 1928) with "no authentication" and the CONNECT command, IPv4 or domain-name targets. */
export class LoopbackSocks5Proxy extends LoopbackProxy {
  protected readonly server: NetServer;

  constructor(resolve: Resolve) {
    super(resolve);
    this.server = createNetServer((client) => {
      this.track(client);
      let stage: 'greeting' | 'request' = 'greeting';
      let buffered = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        buffered = Buffer.concat([buffered, chunk]);
        if (stage === 'greeting') {
          if (buffered.length < 2 || buffered.length < 2 + buffered[1]!) return;
          buffered = buffered.subarray(2 + buffered[1]!);
          client.write(Buffer.from([0x05, 0x00])); // version 5, no authentication
          stage = 'request';
        }
        if (buffered.length < 5) return;
        const addressType = buffered[3];
        let host: string;
        let offset: number;
        if (addressType === 0x01) {
          if (buffered.length < 10) return;
          host = [...buffered.subarray(4, 8)].join('.');
          offset = 8;
        } else if (addressType === 0x03) {
          const length = buffered[4]!;
          if (buffered.length < 5 + length + 2) return;
          host = buffered.subarray(5, 5 + length).toString('latin1');
          offset = 5 + length;
        } else {
          client.end(Buffer.from([0x05, 0x08, 0x00, 0x01, 0, 0, 0, 0, 0, 0])); // address type not supported
          return;
        }
        const port = buffered.readUInt16BE(offset);
        client.off('data', onData);
        const reply = (status: number) => Buffer.from([0x05, status, 0x00, 0x01, 127, 0, 0, 1, 0, 0]);
        this.pipe(
          client,
          host,
          port,
          () => client.write(reply(0x00)),
          () => client.end(reply(0x04)), // host unreachable
        );
      };
      client.on('data', onData);
    });
  }

  get url(): string {
    return `socks5h://127.0.0.1:${this.port}`;
  }
}
