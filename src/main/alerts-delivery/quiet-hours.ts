/** Quiet hours: a daily window, read on the clock of a chosen time zone, when only some severities go out. */
import type { AlertSeverity } from '../../shared/analytics';
import type { QuietHours } from '../../shared/alert-delivery';

/** Minutes past midnight of `ts` in `timeZone`. */
export function minutesOfDay(ts: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ts);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value);
  return hour * 60 + minute;
}

function clockMinutes(text: string): number {
  const [h, m] = text.split(':');
  return Number(h) * 60 + Number(m);
}

/** Whether `ts` falls inside the window [from, to) (wrapping midnight when to < from; from = to: never). */
export function inQuietHours(quiet: QuietHours, ts: number): boolean {
  const from = clockMinutes(quiet.from);
  const to = clockMinutes(quiet.to);
  if (from === to) return false;
  const now = minutesOfDay(ts, quiet.timeZone);
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/** Whether an alert of this severity is held back at `ts`. */
export function silencedByQuietHours(quiet: QuietHours | null, severity: AlertSeverity, ts: number): boolean {
  return quiet !== null && !quiet.allow.includes(severity) && inQuietHours(quiet, ts);
}
