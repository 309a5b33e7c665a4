/**
 * Strict ISO 8601 times for command-line options. `Date.parse` rolls impossible dates over
 * (2021-02-30 becomes 2 March) and reads a time without a zone as local time; a command that selects
 * recorded data by time must do neither, so this accepts only:
 *   2021-10-12                      (midnight UTC)
 *   2021-10-12T10:00Z               (minutes, seconds and a fraction optional: 10:00:05.123Z)
 *   2021-10-12T10:00:00+02:00       (an explicit offset instead of Z)
 * and checks that every field exists on the calendar (month 1-12, the month's days, 00-23 hours, ...).
 */

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Why `text` is not a strict ISO time, or null when it is one. */
export function isoTimeError(text: string): string | null {
  return parse(text).error;
}

/** Milliseconds since the epoch of a strict ISO time; throws with a message fit for the command line. */
export function parseIsoTime(text: string): number {
  const { ms, error } = parse(text);
  if (error !== null) throw new Error(error);
  return ms;
}

function parse(text: string): { ms: number; error: string | null } {
  const fail = (why: string): { ms: number; error: string } => ({
    ms: NaN,
    error: `"${text}" ${why}; use an ISO date such as 2021-10-12 or a time with its zone such as 2021-10-12T10:00:00Z`,
  });
  const m = ISO_TIME.exec(text);
  if (!m) {
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) return fail('has no time zone');
    return fail('is not an ISO date/time');
  }
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12) return fail(`has no month ${mo}`);
  if (day < 1 || day > daysInMonth(year, month)) return fail(`is not a day of the calendar (${y}-${mo} has ${daysInMonth(year, month)} days)`);
  if (hour > 23 || minute > 59 || second > 59) return fail('is not a time of day');
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return fail(`has no time zone ${zone}`);
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  // Milliseconds: digits beyond the third are dropped (a time in ms cannot hold them).
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const utc = utcMs(year, month - 1, day) + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return { ms: utc - offsetMinutes * 60_000, error: null };
}

/** Midnight UTC of a calendar day; setUTCFullYear, unlike Date.UTC, takes years 0-99 as written. */
function utcMs(year: number, monthIndex: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(utcMs(year, month, 0)).getUTCDate();
}
