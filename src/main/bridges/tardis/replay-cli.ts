/** `npm run replay -- DIR --format tardis`: the books tardis CSV files end in, as one JSON line. */
import { replayTardis } from './replay';

/** Prints the result; returns the exit code (1 when nothing could be replayed or rows were unreadable). */
export async function replayTardisCli(path: string): Promise<number> {
  const result = await replayTardis(path);
  const out = {
    format: 'tardis',
    files: result.files,
    books: result.books.map((b) => ({
      exchange: b.exchange,
      venue: b.venue,
      symbol: b.symbol,
      bestBid: b.book.bestBid()?.price ?? null,
      bestAsk: b.book.bestAsk()?.price ?? null,
      bidLevels: b.book.levelCount('bid'),
      askLevels: b.book.levelCount('ask'),
      rows: b.rows,
      messages: b.messages,
      snapshots: b.snapshots,
      crossed: b.crossed,
      trades: b.trades,
      tradeVolume: b.tradeVolume,
      buyVolume: b.buyVolume,
      sellVolume: b.sellVolume,
      from: b.firstLocalUs === null ? null : new Date(b.firstLocalUs / 1000).toISOString(),
      to: b.lastLocalUs === null ? null : new Date(b.lastLocalUs / 1000).toISOString(),
    })),
    badRows: result.badRows,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
  if (result.files.length === 0) {
    process.stderr.write(`replay: no tardis incremental_book_L2 or trades CSV found at ${path}\n`);
    return 1;
  }
  if (result.badRows.count > 0) {
    process.stderr.write(`replay: ${result.badRows.count} rows could not be read\n`);
    return 1;
  }
  return 0;
}
