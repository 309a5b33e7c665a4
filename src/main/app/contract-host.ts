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
  type ContractErrorInfo,
  type CommandResponse,
  type Commands,
  type ServerMessage,
  type StreamName,
  type Streams,
} from '../../shared/contract';
import type { Logger } from '../log';
import { DEFAULT_CLIENT_LIMITS, MessageRate, type ClientLimits } from './client-limits';
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
  connect(client: WindowClient, limits: ClientLimits = DEFAULT_CLIENT_LIMITS): ClientConnection {
    return new ClientConnection(this, this.publisher.open(client), client, this.logger, limits);
  }

  async source(stream: unknown, params: unknown): Promise<FrameSource> {
    if (!isStreamName(stream)) throw new ContractError('bad-request', `unknown stream ${JSON.stringify(stream)}`);
    const parsed = parseStreamParams(stream, params);
    const factory = this.streamFactories[stream] as ((p: unknown) => Promise<FrameSource> | FrameSource) | undefined;
    if (!factory) throw new ContractError('unavailable', `${stream} is not available in this session`);
    return factory(parsed);
  }
}

/** What a host gives the contract for one window: where its messages go, and how to hang up on it. */
export interface WindowClient extends PublisherClient {
  /** End the conversation from the host's side (flooding, malformed messages). Optional: IPC cannot. */
  disconnect?(reason: string): void;
}

/** Log at most this many refused messages per window, so a flood cannot fill the log. */
const MAX_LOGGED_REFUSALS = 5;

/** One window's conversation with the host, within that window's limits (client-limits.ts). */
export class ClientConnection {
  /** Subscriptions whose source is still starting, by id; a repeated id supersedes the earlier request. */
  private readonly startingSubs = new Map<number, object>();
  private pendingInvokes = 0;
  private readonly rate: MessageRate;
  private refusalsLogged = 0;

  constructor(
    private readonly host: ContractHost,
    private readonly session: Session,
    private readonly client: WindowClient,
    private readonly logger: Logger,
    private readonly limits: ClientLimits,
  ) {
    this.rate = new MessageRate(limits, performance.now());
  }

  /** Handle one message from the window; never throws (a bad message gets an error reply or a hang-up). */
  handle(raw: unknown): void {
    if (this.session.closed) return;
    const verdict = this.rate.take(performance.now());
    if (verdict === 'disconnect') {
      this.refuse('client-flooding', `more than ${this.limits.disconnectAbovePerSecond} messages in one second`, true);
      return;
    }
    const parsed = ClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.refuse('bad-client-message', `malformed message: ${describeIssues(parsed.error)}`.slice(0, 200), true);
      return;
    }
    const msg = parsed.data;
    // Unsubscribing only frees resources, so it is honoured even above the rate.
    if (verdict === 'over-rate' && msg.t !== 'unsub') {
      const message = `too many messages: at most ${this.limits.messagesPerSecond} a second (${this.limits.messageBurst} at once); slow down`;
      this.refuse('client-over-rate', message, false);
      this.reject(msg, 'unavailable', message);
      return;
    }
    switch (msg.t) {
      case 'invoke':
        if (this.pendingInvokes >= this.limits.maxPendingInvokes) {
          const message = `too many commands in flight (at most ${this.limits.maxPendingInvokes}); wait for their answers`;
          this.refuse('client-over-limit', message, false);
          this.reject(msg, 'unavailable', message);
          return;
        }
        this.pendingInvokes++;
        this.host.invoke(msg.command, msg.payload).then(
          (value) => {
            this.pendingInvokes--;
            this.send({ t: 'result', id: msg.id, ok: true, value });
          },
          (error: unknown) => {
            this.pendingInvokes--;
            this.send({ t: 'result', id: msg.id, ok: false, error: toErrorInfo(error, this.logger) });
          },
        );
        return;
      case 'sub': {
        const replacing = this.session.subscriptions.has(msg.id) || this.startingSubs.has(msg.id);
        if (!replacing && this.session.subscriptions.size + this.startingSubs.size >= this.limits.maxSubscriptions) {
          const message = `at most ${this.limits.maxSubscriptions} subscriptions per window; unsubscribe from something first`;
          this.refuse('client-over-limit', message, false);
          this.reject(msg, 'bad-request', message);
          return;
        }
        const request = {};
        this.startingSubs.set(msg.id, request);
        this.host.source(msg.stream, msg.params).then(
          (source) => {
            // The window may have unsubscribed, asked again with the same id, or closed meanwhile.
            if (this.startingSubs.get(msg.id) !== request || this.session.closed) {
              disposeQuietly(source, this.logger);
              return;
            }
            this.startingSubs.delete(msg.id);
            this.session.add(msg.id, new GuardedSource(source, (error) => this.sourceFailed(msg.id, error)));
          },
          (error: unknown) => {
            // Only the current request for this id reports; the window no longer expects an earlier one.
            if (this.startingSubs.get(msg.id) !== request) return;
            this.startingSubs.delete(msg.id);
            this.send({ t: 'suberror', id: msg.id, error: toErrorInfo(error, this.logger) });
          },
        );
        return;
      }
      case 'unsub':
        this.startingSubs.delete(msg.id);
        this.session.remove(msg.id);
        return;
    }
  }

  close(): void {
    this.startingSubs.clear();
    this.session.close();
  }

  /** Subscriptions live or starting (for tests and diagnostics). */
  get subscriptionCount(): number {
    return this.session.subscriptions.size + this.startingSubs.size;
  }

  private send(message: ServerMessage): void {
    if (this.session.closed) return;
    try {
      this.client.send(message);
    } catch (error) {
      // A value that cannot be serialised must not take the host down; the window gets an error instead.
      this.logger.log('error', 'client-send-failed', { error: (error as Error)?.message ?? String(error) });
      if (message.t === 'result' && message.ok) {
        this.send({ t: 'result', id: message.id, ok: false, error: { code: 'internal', message: 'the answer could not be sent' } });
      }
    }
  }

  private reject(msg: { t: 'invoke' | 'sub'; id: number }, code: ContractErrorInfo['code'], message: string): void {
    if (msg.t === 'invoke') this.send({ t: 'result', id: msg.id, ok: false, error: { code, message } });
    else this.send({ t: 'suberror', id: msg.id, error: { code, message } });
  }

  /** Log a refused message (the first few only) and, for the serious cases, hang up if the host can. */
  private refuse(event: string, message: string, hangUp: boolean): void {
    if (this.refusalsLogged < MAX_LOGGED_REFUSALS) {
      this.refusalsLogged++;
      this.logger.log('warn', event, { error: message });
    }
    if (hangUp && this.client.disconnect) {
      this.close();
      this.client.disconnect(message);
    }
  }

  private sourceFailed(id: number, error: unknown): void {
    // Called from inside the publisher's tick: remove the subscription after it, not during it.
    queueMicrotask(() => {
      const current = this.session.subscriptions.get(id)?.source;
      if (!(current instanceof GuardedSource) || !current.failed) return;
      this.session.remove(id);
      this.send({ t: 'suberror', id, error: toErrorInfo(error, this.logger) });
    });
  }
}

/**
 * A frame source that cannot throw into the publisher's tick (which serves every window): the first
 * failure is reported once and the source goes quiet, offering its last good frame if asked again.
 */
class GuardedSource implements FrameSource {
  failed = false;
  private lastFrame: unknown = null;

  constructor(
    private readonly inner: FrameSource,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  version(): string | number {
    if (this.failed) return 'failed';
    try {
      return this.inner.version();
    } catch (error) {
      this.fail(error);
      return 'failed';
    }
  }

  build(): unknown {
    if (this.failed) return this.lastFrame;
    try {
      this.lastFrame = this.inner.build();
    } catch (error) {
      this.fail(error);
    }
    return this.lastFrame;
  }

  dispose(): void {
    try {
      this.inner.dispose?.();
    } catch {
      // Nothing more to release; the subscription is gone either way.
    }
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.onFailure(error);
  }
}

function disposeQuietly(source: FrameSource, logger: Logger): void {
  try {
    source.dispose?.();
  } catch (error) {
    logger.log('warn', 'source-dispose-failed', { error: (error as Error)?.message ?? String(error) });
  }
}

function toErrorInfo(error: unknown, logger: Logger): { code: ContractError['code']; message: string } {
  if (error instanceof ContractError) return error.toInfo();
  logger.log('error', 'internal-error', { error: (error as Error)?.stack ?? String(error) });
  return { code: 'internal', message: (error as Error)?.message ?? 'internal error' };
}
