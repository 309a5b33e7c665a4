import { isVenueId } from '../../../shared/market';
import type { SymbolChoice } from './symbol-choice';
import { defaultLayout, parseLayout, type LayoutState, type LinkGroup } from './model';
import { syncedStore } from './store';

export const layoutStore = syncedStore<LayoutState>('obm.layout.v1', parseLayout, defaultLayout);

export type LinkedSymbols = Partial<Record<Exclude<LinkGroup, 'none'>, SymbolChoice>>;

function isChoice(x: unknown): x is SymbolChoice {
  const c = x as SymbolChoice;
  return typeof c === 'object' && c !== null && typeof c.symbol === 'string' && isVenueId(c.venue);
}

export const linkStore = syncedStore<LinkedSymbols>(
  'obm.links.v1',
  (raw) => {
    const out: LinkedSymbols = {};
    for (const g of ['dashboard', 'A', 'B', 'C'] as const) {
      const v = (raw as Record<string, unknown>)?.[g];
      if (isChoice(v)) out[g] = v;
    }
    return out;
  },
  () => ({}),
);

/** The dashboard's symbol from before a replay pointed it at the capture, to return to when the replay stops. */
export const replayReturnStore = syncedStore<{ dashboard: SymbolChoice | null }>(
  'obm.replay-return.v1',
  (raw) => {
    const v = (raw as Record<string, unknown>)?.dashboard;
    return { dashboard: isChoice(v) ? v : null };
  },
  () => ({ dashboard: null }),
);

export interface SymbolLists {
  recent: SymbolChoice[];
  favourites: SymbolChoice[];
}

export const symbolListStore = syncedStore<SymbolLists>(
  'obm.symbols.v1',
  (raw) => {
    const r = raw as Partial<SymbolLists>;
    return {
      recent: Array.isArray(r?.recent) ? r.recent.filter(isChoice).slice(0, 10) : [],
      favourites: Array.isArray(r?.favourites) ? r.favourites.filter(isChoice) : [],
    };
  },
  () => ({ recent: [], favourites: [] }),
);

export function sameChoice(a: SymbolChoice | null | undefined, b: SymbolChoice | null | undefined): boolean {
  return !!a && !!b && a.venue === b.venue && a.symbol === b.symbol;
}

/** Remember a pick at the top of the recent list. */
export function rememberRecent(choice: SymbolChoice): void {
  symbolListStore.set((s) => ({ ...s, recent: [choice, ...s.recent.filter((c) => !sameChoice(c, choice))].slice(0, 10) }));
}

export function toggleFavourite(choice: SymbolChoice): void {
  symbolListStore.set((s) => ({
    ...s,
    favourites: s.favourites.some((c) => sameChoice(c, choice)) ? s.favourites.filter((c) => !sameChoice(c, choice)) : [...s.favourites, choice],
  }));
}
