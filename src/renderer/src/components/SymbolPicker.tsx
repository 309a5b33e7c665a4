import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { VenueInfo } from '../../../shared/contract';
import { instrumentGroups, type InstrumentGroup } from '../../../shared/cross-venue';
import type { Instrument, VenueId } from '../../../shared/market';
import { sameChoice, symbolListStore, toggleFavourite } from '../layout/state';
import { useStore } from '../layout/store';
import type { SymbolChoice } from '../layout/symbol-choice';

export type { SymbolChoice } from '../layout/symbol-choice';

interface Props {
  value: SymbolChoice | null;
  venues: VenueInfo[];
  instruments: Instrument[];
  loading: boolean;
  onChange(choice: SymbolChoice): void;
  /** Accessible name of the input (default "Symbol"). */
  label?: string;
  compact?: boolean;
  id?: string;
}

const MAX_OPTIONS = 200;

/** A venue's name without its parenthesised note: "Demo (synthetic market)" → "Demo". */
export function shortVenueName(name: string): string {
  return name.replace(/\s*\(.*\)\s*$/, '') || name;
}

interface Option {
  instrument: Instrument;
  group: 'Favourites' | 'Recent' | 'All' | 'Groups';
  /** Set on a cross-venue group entry ("BTC/USDT · all venues"): the group, with the USD family or not. */
  crossGroup?: { group: InstrumentGroup; quoteFamily: boolean };
}

/** Group entries: the same asset on several venues, exact quotes, then the USD family where it adds venues. */
function groupOptions(instruments: Instrument[]): Array<{ group: InstrumentGroup; quoteFamily: boolean }> {
  const exact = instrumentGroups(instruments, false);
  const family = instrumentGroups(instruments, true).filter((g) => g.key.endsWith('/USD(T)') && !exact.some((e) => e.members.length >= g.members.length && e.key.split('/')[0] === g.key.split('/')[0]));
  return [...exact.map((group) => ({ group, quoteFamily: false })), ...family.map((group) => ({ group, quoteFamily: true }))];
}

/** "BTC/USDT · all venues" for a group choice; null for a single book. */
export function groupChoiceLabel(choice: SymbolChoice | null): string | null {
  if (!choice?.group) return null;
  return `${choice.group} · ${choice.venues && choice.venues.length > 0 ? choice.venues.join(', ') : 'all venues'}`;
}

/**
 * Searchable venue + symbol dropdown (ARIA combobox): favourites and recent picks first, then every
 * instrument; type to filter ("eth usdt"), ↑/↓ to move, Enter to pick, Esc to close, ☆ to favourite.
 */
export function SymbolPicker({ value, venues, instruments, loading, onChange, label = 'Symbol', compact = false, id }: Props) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const listId = useId();
  const lists = useStore(symbolListStore);
  const venueName = (v: VenueId) => shortVenueName(venues.find((x) => x.id === v)?.name ?? v);

  const options = useMemo((): Option[] => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = (i: Instrument) => {
      if (words.length === 0) return true;
      const hay = `${i.venue} ${i.symbol} ${i.display} ${i.base}${i.quote}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    };
    const find = (c: SymbolChoice) => instruments.find((i) => i.venue === c.venue && i.symbol === c.symbol);
    const out: Option[] = [];
    const seen = new Set<string>();
    const push = (i: Instrument | undefined, group: Option['group']) => {
      if (!i || !matches(i)) return;
      const k = `${i.venue}:${i.symbol}`;
      if (seen.has(k)) return;
      seen.add(k);
      out.push({ instrument: i, group });
    };
    // Cross-venue groups first (at most a few), never hiding the instruments.
    {
      for (const g of groupOptions(instruments)) {
        const hay = `${g.group.key} all venues group ${g.group.members.map((m) => m.venue).join(' ')}`.toLowerCase();
        if (!words.every((w) => hay.includes(w))) continue;
        const first = g.group.members[0]!;
        const anchor = instruments.find((i) => i.venue === first.venue && i.symbol === first.symbol);
        if (anchor && out.filter((o) => o.crossGroup).length < 8) out.push({ instrument: anchor, group: 'Groups', crossGroup: g });
      }
    }
    lists.favourites.forEach((c) => push(find(c), 'Favourites'));
    lists.recent.forEach((c) => push(find(c), 'Recent'));
    for (const i of instruments) {
      if (out.length >= MAX_OPTIONS) break;
      push(i, 'All');
    }
    return out;
  }, [instruments, query, lists]);

  useEffect(() => {
    const el = listRef.current?.querySelector(`[data-index="${active}"]`) as HTMLElement | null;
    el?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const choose = (i: Instrument, crossGroup?: Option['crossGroup']) => {
    onChange(
      crossGroup
        ? { venue: i.venue, symbol: i.symbol, group: crossGroup.group.key, ...(crossGroup.quoteFamily ? { quoteFamily: true } : {}) }
        : { venue: i.venue, symbol: i.symbol },
    );
    setOpen(false);
    setQuery('');
    inputRef.current?.blur();
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, Math.max(0, options.length - 1)));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      const pick = options[active];
      if (open && pick) {
        e.preventDefault();
        choose(pick.instrument, pick.crossGroup);
      }
    } else if (e.key === 'Escape') {
      setOpen(false);
      setQuery('');
      inputRef.current?.blur();
    }
  };

  const selected = value ? instruments.find((i) => i.venue === value.venue && i.symbol === value.symbol) : undefined;
  const shown = groupChoiceLabel(value) ?? (selected ? `${selected.display} · ${venueName(selected.venue)}` : value ? `${value.symbol} · ${venueName(value.venue)}` : '');
  const placeholder = loading ? 'Loading symbols…' : 'Pick a symbol';

  return (
    <div className={compact ? 'symbol-picker compact' : 'symbol-picker'}>
      <input
        id={id}
        ref={inputRef}
        role="combobox"
        aria-label={label}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
        placeholder={shown || placeholder}
        value={open ? query : shown}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        spellCheck={false}
      />
      {open && (
        <ul id={listId} role="listbox" aria-label={`${label} options`} ref={listRef} className="symbol-options">
          {options.length === 0 && <li className="empty">{loading ? 'Loading…' : 'No symbol matches'}</li>}
          {options.map((o, n) => {
            const i = o.instrument;
            const header = n === 0 || options[n - 1]!.group !== o.group;
            if (o.crossGroup) {
              const g = o.crossGroup.group;
              return (
                <li
                  key={`group:${g.key}`}
                  id={`${listId}-${n}`}
                  data-index={n}
                  data-group={header ? o.group : undefined}
                  role="option"
                  aria-selected={n === active}
                  className={n === active ? 'active cross-group-option' : 'cross-group-option'}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    choose(i, o.crossGroup);
                  }}
                  onMouseEnter={() => setActive(n)}
                >
                  <span className="opt-symbol">{g.key} · all venues</span>
                  <span className="opt-venue">{g.members.map((m) => venueName(m.venue)).join(', ')}</span>
                  <span className="opt-raw">{g.members.length} venues</span>
                </li>
              );
            }
            const fav = lists.favourites.some((c) => sameChoice(c, i));
            return (
              <li
                key={`${i.venue}:${i.symbol}`}
                id={`${listId}-${n}`}
                data-index={n}
                data-group={header ? o.group : undefined}
                role="option"
                aria-selected={n === active}
                className={n === active ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(i);
                }}
                onMouseEnter={() => setActive(n)}
              >
                <span className="opt-symbol">{i.display}</span>
                <span className="opt-venue">{venueName(i.venue)}</span>
                <button
                  type="button"
                  className={fav ? 'star on' : 'star'}
                  aria-label={fav ? `Remove ${i.display} on ${venueName(i.venue)} from favourites` : `Add ${i.display} on ${venueName(i.venue)} to favourites`}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    e.stopPropagation();
                    toggleFavourite({ venue: i.venue, symbol: i.symbol });
                  }}
                >
                  {fav ? '★' : '☆'}
                </button>
                <span className="opt-raw">{i.symbol}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
