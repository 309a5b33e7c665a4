/**
 * The desk's recorder: durable JetStream consumers (`obm_recorder_top` on `obm.*.*.top`,
 * `obm_recorder_trade` on `obm.*.*.trade`) that write top of book and trades into the SQLite store.
 *
 * It cannot lose or double a row: each batch is written in one transaction together with the stream
 * sequence of every message in it (table desk_recorder_committed), and acknowledged only after that
 * commit. Killed before the commit, the batch comes again (unacknowledged) and is written then; killed
 * after the commit but before the acks, it comes again and every message already committed is
 * skipped. Committed sequences are kept one by one, not as a high-water mark: a batch the killed
 * recorder held comes again only after its ack wait, behind newer messages a restarted recorder has
 * already written. Sequences at or below the consumer's ack floor never come again and are pruned.
 */
import type Database from 'better-sqlite3';
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { Logger } from '../log';
import { openStoreDatabase } from '../store/worker/open-database';
import { MalformedMessageError, STREAM_NAME, SUBJECT_ROOT, parseSubject, parseTop, parseTrade } from './subjects';

export interface RecorderCounts {
  top: number;
  trades: number;
  /** Redelivered messages already in the database, skipped. */
  skipped: number;
  malformed: number;
}

type Kind = 'top' | 'trade';

/** How often committed sequences below the consumer's ack floor are forgotten. */
const PRUNE_EVERY_MS = 30_000;

export interface DeskRecorderOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** The SQLite store file (the app's `<data>/store.db`). */
  dbPath: string;
  logger: Logger;
  /** Durable consumer names are `<prefix>_top` and `<prefix>_trade` (default obm_recorder). */
  durablePrefix?: string;
  /** Messages per batch (one transaction; default 500). */
  batch?: number;
}

function prepare(db: Database.Database) {
  return {
    insertInstrument: db.prepare('INSERT INTO instruments (venue, symbol, first_seen_ts) VALUES (?, ?, ?) ON CONFLICT (venue, symbol) DO NOTHING'),
    selectInstrument: db.prepare('SELECT id FROM instruments WHERE venue = ? AND symbol = ?'),
    insertTop: db.prepare('INSERT INTO top_of_book (instrument_id, local_ts, exchange_ts, bid, bid_size, ask, ask_size) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertTrade: db.prepare(
      `INSERT INTO trades (instrument_id, exchange_ts, local_ts, trade_id, price, size, side, fills) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (instrument_id, trade_id) DO NOTHING`,
    ),
    committed: db.prepare('SELECT 1 FROM desk_recorder_committed WHERE consumer = ? AND stream_seq = ?'),
    markCommitted: db.prepare('INSERT INTO desk_recorder_committed (consumer, stream_seq) VALUES (?, ?) ON CONFLICT DO NOTHING'),
    prune: db.prepare('DELETE FROM desk_recorder_committed WHERE consumer = ? AND stream_seq <= ?'),
  };
}

export class DeskRecorder {
  readonly counts: RecorderCounts = { top: 0, trades: 0, skipped: 0, malformed: 0 };
  private readonly db: Database.Database;
  private readonly instrumentIds = new Map<string, number>();
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly statements: ReturnType<typeof prepare>;

  constructor(private readonly options: DeskRecorderOptions) {
    this.db = openStoreDatabase(options.dbPath).db;
    this.db.exec('CREATE TABLE IF NOT EXISTS desk_recorder_committed (consumer TEXT NOT NULL, stream_seq INTEGER NOT NULL, PRIMARY KEY (consumer, stream_seq)) WITHOUT ROWID');
    this.statements = prepare(this.db);
  }

  private consumerName(kind: Kind): string {
    return `${this.options.durablePrefix ?? 'obm_recorder'}_${kind}`;
  }

  /** Creates the durable consumers if missing and starts consuming. */
  async start(): Promise<void> {
    for (const kind of ['top', 'trade'] as const) {
      const name = this.consumerName(kind);
      try {
        await this.options.jsm.consumers.info(STREAM_NAME, name);
      } catch {
        await this.options.jsm.consumers.add(STREAM_NAME, {
          durable_name: name,
          filter_subject: `${SUBJECT_ROOT}.*.*.${kind}`,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          // A recorder that died holding a batch gets it again after this long (its rows are skipped if committed).
          ack_wait: 5_000_000_000,
          max_ack_pending: 20_000,
        });
      }
      this.loops.push(this.consume(kind, name));
    }
  }

  private instrumentId(venue: string, symbol: string, ts: number): number {
    const key = `${venue}\u0000${symbol}`;
    let id = this.instrumentIds.get(key);
    if (id === undefined) {
      this.statements.insertInstrument.run(venue, symbol, ts);
      id = (this.statements.selectInstrument.get(venue, symbol) as { id: number }).id;
      this.instrumentIds.set(key, id);
    }
    return id;
  }

  private async consume(kind: Kind, name: string): Promise<void> {
    const consumer = await this.options.js.consumers.get(STREAM_NAME, name);
    let prunedAt = Date.now();
    while (!this.stopped) {
      if (Date.now() - prunedAt >= PRUNE_EVERY_MS) {
        prunedAt = Date.now();
        await this.prune(name);
      }
      const batch: JsMsg[] = [];
      try {
        const messages = await consumer.fetch({ max_messages: this.options.batch ?? 500, expires: 1000 });
        for await (const m of messages) batch.push(m);
      } catch (error) {
        if (this.stopped) return;
        // Nothing of a failed fetch is acknowledged: it comes again.
        this.options.logger.log('warn', 'desk-recorder-fetch', { consumer: name, error: (error as Error).message });
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (batch.length === 0) continue;
      this.write(kind, name, batch);
      // Only after the commit: a crash before this point redelivers the batch, which write() skips.
      for (const m of batch) m.ack();
    }
  }

  /** Forgets committed sequences the consumer will never deliver again (acknowledged: at or below its ack floor). */
  private async prune(name: string): Promise<void> {
    try {
      const info = await this.options.jsm.consumers.info(STREAM_NAME, name);
      this.statements.prune.run(name, info.ack_floor.stream_seq);
    } catch (error) {
      this.options.logger.log('warn', 'desk-recorder-prune', { consumer: name, error: (error as Error).message });
    }
  }

  /** One transaction: the batch's rows and the stream sequence of each of its messages. */
  private write(kind: Kind, name: string, batch: JsMsg[]): void {
    this.db.transaction(() => {
      for (const m of batch) {
        if (this.statements.committed.get(name, m.seq)) {
          this.counts.skipped++;
          continue;
        }
        this.statements.markCommitted.run(name, m.seq);
        try {
          const where = parseSubject(m.subject);
          if (!where) throw new MalformedMessageError(`unknown subject ${m.subject}`);
          if (kind === 'top') {
            const top = parseTop(m.data);
            this.statements.insertTop.run(this.instrumentId(where.venue, where.symbol, top.localTs), top.localTs, top.exchangeTs, top.bid, top.bidSize, top.ask, top.askSize);
            this.counts.top++;
          } else {
            const { trade } = parseTrade(m.data);
            this.statements.insertTrade.run(this.instrumentId(where.venue, where.symbol, trade.localTs), trade.exchangeTs, trade.localTs, trade.id, trade.price, trade.size, trade.side, trade.fills ?? null);
            this.counts.trades++;
          }
        } catch (error) {
          if (!(error instanceof MalformedMessageError)) throw error;
          this.counts.malformed++;
          this.options.logger.log('warn', 'desk-recorder-malformed', { subject: m.subject, seq: m.seq, error: error.message });
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled(this.loops);
    this.db.close();
  }
}
