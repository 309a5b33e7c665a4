import type { SymbolChoice } from '../components/SymbolPicker';
import type { PanelConfig } from './model';
import { layoutStore, linkStore, rememberRecent } from './state';
import { useStore } from './store';
import { updatePanel } from './model';

/** The symbol a panel shows, and how to change it, according to its link group. */
export function useLinkedSymbol(panel: PanelConfig): [SymbolChoice | null, (c: SymbolChoice) => void] {
  const links = useStore(linkStore);
  const choice = panel.link === 'none' ? panel.symbol : (links[panel.link] ?? null);
  const set = (c: SymbolChoice): void => {
    rememberRecent(c);
    if (panel.link === 'none') layoutStore.set((s) => updatePanel(s, panel.id, (p) => ({ ...p, symbol: c })));
    else linkStore.set((l) => ({ ...l, [panel.link]: c }));
  };
  return [choice, set];
}
