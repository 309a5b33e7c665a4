/**
 * The main-process side of the contract: validates every request from a window, runs commands,
 * and turns stream subscriptions into publisher sources. Both hosts (Electron IPC, web WebSocket)
 * hand each window's messages to a ClientConnection and deliver what it sends back.
 */
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
  type LadderFrame,
  type LadderParams,
  type ServerMessage,
} from '../../shared/contract';
import { formatScaled } from '../../shared/decimal';
import type { Instrument } from '../../shared/market';
import type { Logger } from '../log';
import type { FrameSource, Publisher, PublisherClient, Session } from '../publish/publisher';
import type { SymbolFeed } from '../venues/symbol-feed';
import type { MarketService } from './market';

export interface HostInfo {
  name: string;
  version: string;
  host: 'electron' | 'web';
}

export class ContractHost {
  constructor(
    private readonly market: MarketService,
    private readonly publisher: Publisher,
    private readonly info: HostInfo,
    private readonly logger: Logger,
  ) {}

  /** Run a command after validating its name and payload. Errors are ContractErrors with a user message. */
  async invoke(command: unknown, payload: unknown): Promise<unknown> {
    if (!isCommandName(command)) throw new ContractError('bad-request', `unknown command ${JSON.stringify(command)}`);
    return this.run(command, payload);
  }

  private async run<C extends CommandName>(command: C, payload: unknown): Promise<CommandResponse<C>> {
    const request = parseCommandRequest(command, payload);
    switch (command) {
      case 'app.info':
        return this.info as CommandResponse<C>;
      case 'venues.list':
        return this.market.venues() as CommandResponse<C>;
      case 'instruments.list': {
        const { venue } = request as { venue: Parameters<MarketService['instruments']>[0] };
        return (await this.market.instruments(venue)) as CommandResponse<C>;
      }
      case 'health.get':
        return this.market.health() as CommandResponse<C>;
    }
    throw new ContractError('bad-request', `unknown command ${command}`);
  }

  /** A new window: its messages go to the returned connection, its frames to `client`. */
  connect(client: PublisherClient): ClientConnection {
    return new ClientConnection(this, this.publisher.open(client), client, this.logger);
  }

  async source(stream: unknown, params: unknown): Promise<FrameSource> {
    if (!isStreamName(stream)) throw new ContractError('bad-request', `unknown stream ${JSON.stringify(stream)}`);
    switch (stream) {
      case 'book.ladder': {
        const p = parseStreamParams('book.ladder', params);
        const feed = await this.market.ensure(p.venue, p.symbol);
        return this.ladderSource(feed, p);
      }
      case 'health': {
        parseStreamParams('health', params);
        return { version: () => Math.floor(Date.now() / 1000), build: () => this.market.health() };
      }
    }
    throw new ContractError('bad-request', `unknown stream ${String(stream)}`);
  }

  private ladderSource(feed: SymbolFeed, p: LadderParams): FrameSource {
    return {
      version: () => `${feed.book.version}/${feed.stateVersion}`,
      build: (): LadderFrame => buildLadderFrame(feed, p.depth, this.market.instrument(p.venue, feed.symbol) ?? null),
    };
  }
}

export function buildLadderFrame(feed: SymbolFeed, depth: number, instrument: Instrument | null): LadderFrame {
  const book = feed.book;
  const bids = book.top('bid', depth);
  const asks = book.top('ask', depth);
  const bestBid = bids[0];
  const bestAsk = asks[0];
  const scale = book.priceScale;
  return {
    venue: feed.venue,
    symbol: feed.symbol,
    state: feed.state,
    bids: bids.map((l) => [l.price, l.sizeText]),
    asks: asks.map((l) => [l.price, l.sizeText]),
    bidLevels: book.levelCount('bid'),
    askLevels: book.levelCount('ask'),
    priceDecimals: Math.max(instrument?.pricePrecision ?? 0, scale),
    sizeDecimals: Math.min(instrument?.sizePrecision ?? 4, 6),
    spread: bestBid && bestAsk ? formatScaled(bestAsk.tick - bestBid.tick, scale) : null,
    version: book.version,
    exchangeTs: feed.lastExchangeTs,
    localTs: feed.lastLocalTs,
    message: feed.state === 'synced' ? null : feed.health.lastError,
  };
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
