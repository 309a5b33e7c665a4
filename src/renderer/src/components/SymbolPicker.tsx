import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { VenueInfo } from '../../../shared/contract';
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
  group: 'Favourites' | 'Recent' | 'All';
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

  const choose = (i: Instrument) => {
    onChange({ venue: i.venue, symbol: i.symbol });
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
        choose(pick.instrument);
      }
    } else if (e.key === 'Escape') {
      setOpen(false);
      setQuery('');
      inputRef.current?.blur();
    }
  };

  const selected = value ? instruments.find((i) => i.venue === value.venue && i.symbol === value.symbol) : undefined;
  const shown = selected ? `${selected.display} · ${venueName(selected.venue)}` : value ? `${value.symbol} · ${venueName(value.venue)}` : '';
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
            const fav = lists.favourites.some((c) => sameChoice(c, i));
            const header = n === 0 || options[n - 1]!.group !== o.group;
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
