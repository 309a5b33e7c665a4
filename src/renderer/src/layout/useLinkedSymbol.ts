import type { SymbolChoice } from '../components/SymbolPicker';
import type { Instrument } from '../../../shared/market';
import { useInstrumentsContext } from './InstrumentsContext';
import type { PanelConfig } from './model';
import { updatePanel } from './model';
import { layoutStore, linkStore, rememberRecent } from './state';
import { useStore } from './store';

/**
 * The dashboard's symbol as shown: the saved one while it is listed (or while lists load), else the
 * first instrument, so the dashboard is never blank. Never written back: a list that is momentarily
 * out of date (a replay starting) must not overwrite the user's choice.
 */
export function effectiveDashboardChoice(saved: SymbolChoice | undefined, instruments: Instrument[], loading: boolean): SymbolChoice | null {
  if (loading || instruments.length === 0) return saved ?? null;
  if (saved && instruments.some((i) => i.venue === saved.venue && i.symbol === saved.symbol)) return saved;
  return { venue: instruments[0]!.venue, symbol: instruments[0]!.symbol };
}

export function useDashboardSymbol(): [SymbolChoice | null, (c: SymbolChoice) => void] {
  const links = useStore(linkStore);
  const { instruments, loading } = useInstrumentsContext();
  const set = (c: SymbolChoice): void => {
    rememberRecent(c);
    linkStore.set((l) => ({ ...l, dashboard: c }));
  };
  return [effectiveDashboardChoice(links.dashboard, instruments, loading), set];
}

/** The symbol a panel shows, and how to change it, according to its link group. */
export function useLinkedSymbol(panel: PanelConfig): [SymbolChoice | null, (c: SymbolChoice) => void] {
  const links = useStore(linkStore);
  const [dashboard, setDashboard] = useDashboardSymbol();
  if (panel.link === 'dashboard') return [dashboard, setDashboard];
  const choice = panel.link === 'none' ? panel.symbol : (links[panel.link] ?? null);
  const set = (c: SymbolChoice): void => {
    rememberRecent(c);
    if (panel.link === 'none') layoutStore.set((s) => updatePanel(s, panel.id, (p) => ({ ...p, symbol: c })));
    else linkStore.set((l) => ({ ...l, [panel.link]: c }));
  };
  return [choice, set];
}
