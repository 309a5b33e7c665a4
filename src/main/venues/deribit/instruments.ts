/**
 * Deribit instruments from `GET /api/v2/public/get_instruments?currency=any&expired=false` (one
 * request for every currency and kind: futures and perpetuals, options, spot and combos). The answer
 * is a JSON-RPC envelope `{"jsonrpc":"2.0","result":[...]}` or `{"error":{code,message}}`. Rows are
 * read defensively: a row without `instrument_name` is skipped, a missing tick size or minimum
 * amount stays null. Source: docs.deribit.com "public/get_instruments"; docs/venues.md#deribit.
 */
import type { Instrument } from '../../../shared/market';
import { MalformedFrameError } from '../adapter';
import { instrumentFrom, isObject, parseJsonObject } from '../frames';
import { numberText } from './messages';

export const INSTRUMENTS_PATH = '/api/v2/public/get_instruments?currency=any&expired=false';

function text(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

/** A positive decimal from a JSON number, else null. */
function positive(x: unknown): string | null {
  const t = numberText(x);
  return t !== null && Number(t) > 0 ? t : null;
}

/** The `result` list of a JSON-RPC answer; throws with Deribit's message for an error answer. */
export function deribitResult(body: string, what: string): unknown[] {
  const msg = parseJsonObject(body, `deribit: ${what}`);
  if (isObject(msg.error)) {
    const code = typeof msg.error.code === 'number' ? ` (code ${msg.error.code})` : '';
    throw new MalformedFrameError(`deribit: ${what} failed: ${text(msg.error.message) || 'error'}${code}`);
  }
  if (!Array.isArray(msg.result)) throw new MalformedFrameError(`deribit: ${what} has no result list`);
  return msg.result;
}

export function parseInstruments(body: string): Instrument[] {
  const out: Instrument[] = [];
  for (const row of deribitResult(body, 'instrument list')) {
    if (!isObject(row) || typeof row.instrument_name !== 'string' || row.instrument_name === '') continue;
    const name = row.instrument_name;
    const base = text(row.base_currency) || name.split(/[-_]/)[0]!;
    // Options and inverse futures are quoted in the coin or in USD; the counter currency says what a price means.
    const quote = text(row.quote_currency) || text(row.counter_currency);
    const active = row.is_active !== false && (row.state === undefined || row.state === 'open');
    out.push(
      instrumentFrom({
        venue: 'deribit',
        symbol: name,
        display: name,
        base,
        quote,
        tickSize: positive(row.tick_size),
        lotSize: positive(row.min_trade_amount),
        status: active ? 'trading' : text(row.state) || 'inactive',
      }),
    );
  }
  return out;
}
