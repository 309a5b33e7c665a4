/**
 * The verdict of `replay --verify`: a replay passes only when it verified something and nothing it
 * verified failed. Each problem is one sentence a person can act on.
 */
import type { ReplayResult } from './replay';

export interface ReplayVerdict {
  ok: boolean;
  problems: string[];
  /**
   * Books the capture subscribed to that never received a frame (`venue:symbol`). A recording may name
   * instruments it holds no data for (a subscribe frame kept whole while the data was cut to some
   * instruments); such a book proves nothing either way, so it is listed, not failed.
   */
  booksWithoutData: string[];
}

/** Corrupt lines quoted in the problem text; the count covers them all. */
const QUOTED_CORRUPT = 3;

export function judgeReplay(result: ReplayResult): ReplayVerdict {
  const problems: string[] = [];
  const v = result.verify;

  if (result.endedEarly) {
    problems.push(`the file ends early: it could not be read past line ${result.endedEarly.line - 1} (${result.endedEarly.error})`);
  }
  if (result.corruptLines.count > 0) {
    const quoted = result.corruptLines.lines
      .slice(0, QUOTED_CORRUPT)
      .map((l) => `line ${l.line}: ${l.error}`)
      .join('; ');
    const more = result.corruptLines.count > QUOTED_CORRUPT ? '; ...' : '';
    problems.push(`${plural(result.corruptLines.count, 'corrupt line')} skipped (${quoted}${more})`);
  }
  for (const u of result.unsupported) problems.push(u.message);
  if (result.malformedFrames > 0) problems.push(`${plural(result.malformedFrames, 'frame')} the adapter could not parse skipped`);

  const withData = result.books.filter((b) => b.messages > 0);
  const booksWithoutData = result.books.filter((b) => b.messages === 0).map((b) => `${b.venue}:${b.symbol}`);
  if (withData.length === 0) problems.push('no book received any data');
  for (const b of withData) {
    if (!b.everSynced) problems.push(`${b.venue}:${b.symbol} never synced: ${plural(b.messages, 'message')} received, ended ${b.state}`);
  }

  if (v.checksumFailed > 0) problems.push(`${plural(v.checksumFailed, 'checksum')} failed`);
  if (v.bboFailed > 0) problems.push(`${plural(v.bboFailed, 'best bid/offer cross-check')} failed`);
  if (v.gaps > 0) problems.push(`${plural(v.gaps, 'sequence gap')} seen`);
  if (v.tradeGaps > 0) problems.push(`${plural(v.tradeGaps, 'trade id gap')} seen: trades were lost`);
  if (v.crossed > 0) problems.push(`the book crossed ${plural(v.crossed, 'time')}`);
  const checks = v.checksumOk + v.checksumFailed + v.bboOk + v.bboFailed + v.gaps + v.updatesChecked;
  if (checks === 0) {
    problems.push('no integrity check ran: no checksum, sequence, best bid/offer or crossed-book check on any update');
  }

  return { ok: problems.length === 0, problems, booksWithoutData };
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
