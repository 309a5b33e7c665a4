/**
 * The main-process side of the contract: validates every request from a window, runs commands,
 * and turns stream subscriptions into publisher sources. Both hosts (Electron IPC, web WebSocket)
 * hand each window's messages to a ClientConnection and deliver what it sends back.
 */
import type { z } from 'zod';
import {
  ClientMessageSchema,
  ContractError,
  describeIssues,
  isCommandName,
  isStreamName,
  parseCommandRequest,
  parseStreamParams,
  type CommandName,
  type CommandResponse,
  type Commands,
  type ServerMessage,
  type StreamName,
  type Streams,
} from '../../shared/contract';
import type { Logger } from '../log';
import type { FrameSource, Publisher, PublisherClient, Session } from '../publish/publisher';

export interface HostInfo {
  name: string;
  version: string;
  host: 'electron' | 'web';
}

type ParsedRequest<C extends CommandName> = z.output<Commands[C]['request']>;
type ParsedParams<S extends StreamName> = z.output<Streams[S]['params']>;

/** Command implementations, contributed by each capability (market, store, analytics…). */
export type CommandHandlers = {
  [C in CommandName]?: (request: ParsedRequest<C>) => Promise<CommandResponse<C>> | CommandResponse<C>;
};

/** Stream sources, contributed the same way: params in, a frame source out. */
export type StreamFactories = {
  [S in StreamName]?: (params: ParsedParams<S>) => Promise<FrameSource> | FrameSource;
};

export class ContractHost {
  private readonly commandHandlers: CommandHandlers = {};
  private readonly streamFactories: StreamFactories = {};

  constructor(
    private readonly publisher: Publisher,
    private readonly logger: Logger,
  ) {}

  /** Add a capability's commands and streams; a name may be provided only once. */
  register(commands: CommandHandlers, streams: StreamFactories = {}): void {
    for (const name of Object.keys(commands)) {
      if (name in this.commandHandlers) throw new Error(`command ${name} registered twice`);
    }
    for (const name of Object.keys(streams)) {
      if (name in this.streamFactories) throw new Error(`stream ${name} registered twice`);
    }
    Object.assign(this.commandHandlers, commands);
    Object.assign(this.streamFactories, streams);
  }

  /** Run a command after validating its name and payload. Errors are ContractErrors with a user message. */
  async invoke(command: unknown, payload: unknown): Promise<unknown> {
    if (!isCommandName(command)) throw new ContractError('bad-request', `unknown command ${JSON.stringify(command)}`);
    const request = parseCommandRequest(command, payload);
    const handler = this.commandHandlers[command] as ((r: unknown) => unknown) | undefined;
    if (!handler) throw new ContractError('unavailable', `${command} is not available in this session`);
    return handler(request);
  }

  /** A new window: its messages go to the returned connection, its frames to `client`. */
  connect(client: PublisherClient): ClientConnection {
    return new ClientConnection(this, this.publisher.open(client), client, this.logger);
  }

  async source(stream: unknown, params: unknown): Promise<FrameSource> {
    if (!isStreamName(stream)) throw new ContractError('bad-request', `unknown stream ${JSON.stringify(stream)}`);
    const parsed = parseStreamParams(stream, params);
    const factory = this.streamFactories[stream] as ((p: unknown) => Promise<FrameSource> | FrameSource) | undefined;
    if (!factory) throw new ContractError('unavailable', `${stream} is not available in this session`);
    return factory(parsed);
  }
}

/** One window's conversation with the host. */
export class ClientConnection {
  private readonly pendingSubs = new Set<number>();

  constructor(
    private readonly host: ContractHost,
    private readonly session: Session,
    private readonly client: PublisherClient,
    private readonly logger: Logger,
  ) {}

  /** Handle one message from the window; never throws (a bad message gets an error reply). */
  handle(raw: unknown): void {
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.logger.log('warn', 'bad-client-message', { error: describeIssues(parsed.error) });
      return;
    }
    const msg = parsed.data;
    switch (msg.t) {
      case 'invoke':
        this.host.invoke(msg.command, msg.payload).then(
          (value) => this.send({ t: 'result', id: msg.id, ok: true, value }),
          (error: unknown) => this.send({ t: 'result', id: msg.id, ok: false, error: toErrorInfo(error, this.logger) }),
        );
        return;
      case 'sub':
        this.pendingSubs.add(msg.id);
        this.host.source(msg.stream, msg.params).then(
          (source) => {
            // The window may have unsubscribed (or closed) while the feed was starting.
            if (!this.pendingSubs.delete(msg.id)) return;
            this.session.add(msg.id, source);
          },
          (error: unknown) => {
            this.pendingSubs.delete(msg.id);
            this.send({ t: 'suberror', id: msg.id, error: toErrorInfo(error, this.logger) });
          },
        );
        return;
      case 'unsub':
        this.pendingSubs.delete(msg.id);
        this.session.remove(msg.id);
        return;
    }
  }

  close(): void {
    this.pendingSubs.clear();
    this.session.close();
  }

  private send(message: ServerMessage): void {
    if (!this.session.closed) this.client.send(message);
  }
}

function toErrorInfo(error: unknown, logger: Logger): { code: ContractError['code']; message: string } {
  if (error instanceof ContractError) return error.toInfo();
  logger.log('error', 'internal-error', { error: (error as Error)?.stack ?? String(error) });
  return { code: 'internal', message: (error as Error)?.message ?? 'internal error' };
}
