import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { VenueInfo } from '../../../shared/contract';
import type { Instrument, VenueId } from '../../../shared/market';

export interface SymbolChoice {
  venue: VenueId;
  symbol: string;
}

interface Props {
  value: SymbolChoice | null;
  venues: VenueInfo[];
  instruments: Instrument[];
  loading: boolean;
  onChange(choice: SymbolChoice): void;
}

const MAX_OPTIONS = 200;

/** Searchable venue + symbol dropdown (ARIA combobox), driven by keyboard or mouse. */
export function SymbolPicker({ value, venues, instruments, loading, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const listId = useId();
  const venueName = (id: VenueId) => venues.find((v) => v.id === id)?.name ?? id;

  const matches = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const list = instruments.filter((i) => {
      if (words.length === 0) return true;
      const hay = `${i.venue} ${i.symbol} ${i.display} ${i.base}${i.quote}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    });
    return list.slice(0, MAX_OPTIONS);
  }, [instruments, query]);

  useEffect(() => {
    const el = listRef.current?.children[active] as HTMLElement | undefined;
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
      setActive((a) => Math.min(a + 1, Math.max(0, matches.length - 1)));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      const pick = matches[active];
      if (open && pick) {
        e.preventDefault();
        choose(pick);
      }
    } else if (e.key === 'Escape') {
      setOpen(false);
      setQuery('');
    }
  };

  const label = value ? `${venueName(value.venue)} · ${value.symbol}` : loading ? 'Loading symbols…' : 'Pick a symbol';
  const selected = value ? instruments.find((i) => i.venue === value.venue && i.symbol === value.symbol) : undefined;

  return (
    <div className="symbol-picker">
      <input
        ref={inputRef}
        role="combobox"
        aria-label="Symbol"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && matches[active] ? `${listId}-${active}` : undefined}
        placeholder={label}
        value={open ? query : selected ? `${selected.display}  (${venueName(selected.venue)})` : label}
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
        <ul id={listId} role="listbox" aria-label="Symbols" ref={listRef} className="symbol-options">
          {matches.length === 0 && <li className="empty">{loading ? 'Loading…' : 'No symbol matches'}</li>}
          {matches.map((i, n) => (
            <li
              key={`${i.venue}:${i.symbol}`}
              id={`${listId}-${n}`}
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
              <span className="opt-raw">{i.symbol}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
