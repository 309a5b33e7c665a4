import { useEffect, useState } from 'react';
import type { VenueInfo } from '../../../shared/contract';
import type { Instrument } from '../../../shared/market';
import { getApi } from '../api';
import { useStreamSelect } from './useStream';

export interface InstrumentsState {
  venues: VenueInfo[];
  instruments: Instrument[];
  /** Per-venue messages for lists that could not be loaded. */
  errors: string[];
  loading: boolean;
}

/**
 * Every enabled venue and its instruments, for the symbol picker. Loaded again when a replay starts
 * or stops (its venues and symbols take the place of the live ones while it plays).
 */
export function useInstruments(): InstrumentsState {
  const [state, setState] = useState<InstrumentsState>({ venues: [], instruments: [], errors: [], loading: true });
  // Only which capture plays matters here: its progress (four frames a second) must not re-render the app.
  const revision =
    useStreamSelect('replay.status', {}, 'replay-venues', (replay) => (replay.active ? `${replay.name}:${replay.symbols.length}` : 'live')).value ?? 'live';
  useEffect(() => {
    let cancelled = false;
    const api = getApi();
    void (async () => {
      try {
        const venues = await api.invoke('venues.list', {});
        const results = await Promise.allSettled(venues.map((v) => api.invoke('instruments.list', { venue: v.id })));
        const instruments: Instrument[] = [];
        const errors: string[] = [];
        results.forEach((r, i) => {
          if (r.status === 'fulfilled') instruments.push(...r.value);
          else errors.push(`${venues[i]!.name}: ${(r.reason as Error).message}`);
        });
        if (!cancelled) setState({ venues, instruments, errors, loading: false });
      } catch (error) {
        if (!cancelled) setState({ venues: [], instruments: [], errors: [(error as Error).message], loading: false });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [revision]);
  return state;
}
