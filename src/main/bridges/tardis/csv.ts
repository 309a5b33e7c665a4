/**
 * tardis.dev's CSV files (docs.tardis.dev, "Downloadable CSV files"): comma-separated, LF, a header
 * row, times in microseconds since the epoch (UTC), optionally gzip-compressed.
 *   incremental_book_L2: exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount
 *     side bid|ask; amount is the new absolute size, 0 removes the level; a run of is_snapshot=true
 *     rows after other rows starts a new book (the feed reconnected).
 *   trades: exchange,symbol,timestamp,local_timestamp,id,side,price,amount
 *     side is the taker's: buy|sell|unknown.
 */
export const BOOK_COLUMNS = ['exchange', 'symbol', 'timestamp', 'local_timestamp', 'is_snapshot', 'side', 'price', 'amount'] as const;
export const TRADE_COLUMNS = ['exchange', 'symbol', 'timestamp', 'local_timestamp', 'id', 'side', 'price', 'amount'] as const;

/** Milliseconds (with fractions) to whole microseconds, as tardis writes them. */
export function toMicros(ms: number): string {
  return String(Math.round(ms * 1000));
}

/** A field quoted only when it must be (a comma, quote or line break in it). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Split one CSV line into fields (quoted fields with doubled quotes allowed). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** A file name part safe on every file system ("BTC/USD" → "BTC-USD"). */
export function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '-');
}
