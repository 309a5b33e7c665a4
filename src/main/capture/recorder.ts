/**
 * A recording session: its own adapter for the chosen venue and symbols, on its own connection,
 * with everything it sends and receives written to a capture file. Independent of the books the
 * windows show, so starting or stopping a recording never disturbs them, and the file always holds
 * the connection's opening, subscriptions and snapshots, so it replays to the same books.
 */
import type { RecordingStatus } from '../../shared/contract';
import type { Instrument, VenueId } from '../../shared/market';
import type { Logger } from '../log';
import type { VenueAdapter } from '../venues/adapter';
import { venueModule } from '../venues/registry';
import type { Transport } from '../venues/transport';
import { RecordingTransport } from './recording-transport';
import { CaptureWriter } from './writer';

export interface RecorderOptions {
  venue: VenueId;
  symbols: string[];
  path: string;
  transport: Transport;
  logger: Logger;
  endpoints?: { ws: string; rest: string };
}

/** What a recording got: per symbol, frames received; and what became of its connections. */
export interface RecordingReport {
  symbols: Array<{ symbol: string; frames: number; state: string; lastError: string | null }>;
  connections: RecordingTransport['connections'];
}

export class Recorder {
  private readonly writer: CaptureWriter;
  private readonly adapter: VenueAdapter;
  private readonly transport: RecordingTransport;
  private readonly startedAt = Date.now();
  private stopped = false;

  constructor(private readonly options: RecorderOptions) {
    const mod = venueModule(options.venue);
    if (!mod) throw new Error(`recording: venue "${options.venue}" is not supported`);
    this.writer = new CaptureWriter(options.path);
    const transport = new RecordingTransport(options.transport, options.venue, (line) => this.writer.write(line));
    this.transport = transport;
    this.adapter = mod.createAdapter({
      transport,
      logger: options.logger,
      endpoints: options.endpoints,
      listener: { onBook: () => {}, onState: () => {} },
    });
    this.adapter.subscribe(options.symbols);
    options.logger.log('info', 'recording-started', { venue: options.venue, symbols: options.symbols, path: options.path });
  }

  /** Books of the recording connection (tests compare them with the replayed file). */
  feeds(): ReturnType<VenueAdapter['feeds']> {
    return this.adapter.feeds();
  }

  report(): RecordingReport {
    return {
      symbols: [...this.adapter.feeds()].map((f) => ({ symbol: f.symbol, frames: f.health.messages, state: f.state, lastError: f.health.lastError })),
      connections: { ...this.transport.connections },
    };
  }

  status(): RecordingStatus {
    return {
      active: !this.stopped,
      path: this.options.path,
      venue: this.options.venue,
      symbols: this.options.symbols,
      lines: this.writer.count,
      bytes: this.writer.bytes,
      startedAt: this.startedAt,
      error: this.writer.error ? `recording stopped writing: ${this.writer.error.message}` : null,
    };
  }

  async stop(): Promise<RecordingStatus> {
    if (!this.stopped) {
      this.stopped = true;
      this.adapter.close();
      try {
        await this.writer.close();
      } catch (error) {
        this.writer.error ??= error as Error;
      }
      this.options.logger.log('info', 'recording-stopped', { venue: this.options.venue, path: this.options.path, lines: this.writer.count });
    }
    return this.status();
  }
}

/**
 * Split the requested symbols into those the venue lists (in the venue's spelling, whatever case the
 * user typed) and those it does not.
 */
export function listedSymbols(requested: readonly string[], instruments: readonly Instrument[]): { listed: string[]; unlisted: string[] } {
  const byUpper = new Map(instruments.map((i) => [i.symbol.toUpperCase(), i.symbol]));
  const listed: string[] = [];
  const unlisted: string[] = [];
  for (const symbol of requested) {
    const venueSpelling = byUpper.get(symbol.toUpperCase());
    if (venueSpelling === undefined) unlisted.push(symbol);
    else if (!listed.includes(venueSpelling)) listed.push(venueSpelling);
  }
  return { listed, unlisted };
}
