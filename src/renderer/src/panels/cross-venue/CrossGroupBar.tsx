import type { CrossBookFrame } from '../../../../shared/cross-venue';
import type { VenueId } from '../../../../shared/market';
import { formatDuration } from '../../../../shared/format';
import type { SymbolChoice } from '../../layout/symbol-choice';
import { venueColor } from './venue-colors';

const STATE_LABEL: Record<string, string> = { synced: 'in sync', buffering: 'syncing', connecting: 'connecting', resyncing: 'resyncing', failed: 'failed', idle: 'idle' };

/**
 * The group a cross-venue panel shows: its key, each member venue in its colour with its state (an
 * excluded one struck through, with the reason on hover and in the list under the bar), a toggle per
 * venue to narrow the group, and the USD-family switch.
 */
export function CrossGroupBar({ frame, choice, onChoice }: { frame: CrossBookFrame | null; choice: SymbolChoice; onChoice?: (c: SymbolChoice) => void }) {
  const members = frame?.members ?? [];
  const subset = choice.venues;
  const toggle = (venue: VenueId): void => {
    if (!onChoice) return;
    const all = members.map((m) => m.venue);
    const current = subset && subset.length > 0 ? subset : all;
    const next = current.includes(venue) ? current.filter((v) => v !== venue) : [...current, venue];
    if (next.length === 0) return;
    onChoice({ ...choice, venues: next.length === all.length && !subset ? undefined : next });
  };
  return (
    <div className="cross-group-bar">
      <span className="cross-key" aria-label="Instrument group">
        {frame?.key ?? choice.group ?? choice.symbol}
      </span>
      {members.map((m) => (
        <button
          type="button"
          key={m.venue}
          className={`cross-venue-chip ${m.included ? 'included' : 'excluded'}`}
          style={{ ['--venue' as string]: venueColor(m.venue) }}
          onClick={() => toggle(m.venue)}
          title={m.included ? `${m.venue} ${m.symbol}: in sync, merged (click to leave out of the group)` : `${m.venue} ${m.symbol}: excluded, ${m.reason}`}
          aria-label={`${m.venue} ${m.symbol}: ${m.included ? 'merged' : `excluded (${m.reason})`}`}
          data-venue={m.venue}
          data-included={m.included}
        >
          <span className="swatch" />
          {m.venue}
          <span className="chip-state">{m.included ? (m.ageMs !== null ? formatDuration(m.ageMs) : '') : (STATE_LABEL[m.state] ?? m.state)}</span>
        </button>
      ))}
      {subset && subset.length > 0 && onChoice && (
        <button type="button" className="cross-link-button" onClick={() => onChoice({ ...choice, venues: undefined })} title="Take every venue listing the asset">
          all venues
        </button>
      )}
      {onChoice && (
        <label className="cross-family" title="Count USD, USDT and USDC as one quote (off by default: they are different assets)">
          <input type="checkbox" checked={choice.quoteFamily ?? false} onChange={(e) => onChoice({ ...choice, quoteFamily: e.target.checked, venues: undefined })} />
          USD ≈ USDT ≈ USDC
        </label>
      )}
    </div>
  );
}

/** The members left out of the merge and why: never silently dropped. */
export function ExcludedList({ frame }: { frame: CrossBookFrame | null }) {
  const excluded = frame?.members.filter((m) => !m.included) ?? [];
  if (excluded.length === 0) return null;
  return (
    <ul className="cross-excluded" aria-label="Excluded venues">
      {excluded.map((m) => (
        <li key={m.venue} data-venue={m.venue}>
          <span className="swatch" style={{ background: venueColor(m.venue) }} />
          {m.venue} {m.symbol} excluded: {m.reason}
        </li>
      ))}
    </ul>
  );
}
