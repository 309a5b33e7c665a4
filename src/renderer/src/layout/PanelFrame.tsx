import { EndedBookContext, ReplayBadge, ReplayedBookContext } from '../components/StateBadge';
import { SymbolPicker } from '../components/SymbolPicker';
import { useFeedEnded } from '../hooks/useFeedEnded';
import { PANELS } from '../panels/registry';
import { useInstrumentsContext } from './InstrumentsContext';
import { LINK_GROUPS, updatePanel, type LinkGroup, type PanelConfig } from './model';
import { layoutStore } from './state';
import { useLinkedSymbol } from './useLinkedSymbol';

const LINK_LABELS: Record<LinkGroup, string> = {
  dashboard: 'Dashboard',
  A: 'Link A',
  B: 'Link B',
  C: 'Link C',
  none: 'Own',
};

const LINK_TITLES: Record<LinkGroup, string> = {
  dashboard: 'Follows the dashboard symbol',
  A: 'Shares its symbol with every panel and window in link group A',
  B: 'Shares its symbol with every panel and window in link group B',
  C: 'Shares its symbol with every panel and window in link group C',
  none: 'Has its own symbol',
};

export interface PanelActions {
  onDetach?(): void;
  onDock?(): void;
  onClose?(): void;
  onMove?(direction: -1 | 1): void;
}

/** A panel with its title bar: symbol (per link group), link group, move, detach or dock, close. */
export function PanelFrame({ panel, actions }: { panel: PanelConfig; actions: PanelActions }) {
  const def = PANELS[panel.kind];
  const [choice, setChoice] = useLinkedSymbol(panel);
  const { venues, instruments, loading } = useInstrumentsContext();
  const ended = useFeedEnded(panel.kind !== 'health' ? choice?.venue : null, choice?.symbol);
  if (!def) return null;
  // While a capture plays, its venues stand in for the live ones (listed with mode 'replay').
  const replayVenue = panel.kind !== 'health' && choice ? venues.find((v) => v.id === choice.venue && v.mode === 'replay') : undefined;
  const Body = def.component;
  const setLink = (link: LinkGroup) => layoutStore.set((s) => updatePanel(s, panel.id, (p) => ({ ...p, link, symbol: p.symbol ?? choice })));
  const onSettings = (patch: Record<string, unknown>) =>
    layoutStore.set((s) => updatePanel(s, panel.id, (p) => ({ ...p, settings: { ...p.settings, ...patch } })));
  return (
    <section className={`panel panel-${panel.kind}`} aria-label={def.title} data-panel-id={panel.id}>
      <header className="panel-header">
        <h2>{def.title}</h2>
        {panel.kind !== 'health' &&
          (panel.link === 'dashboard' ? (
            <span className="panel-symbol" title="Follows the dashboard symbol">
              {choice?.symbol ?? '—'}
            </span>
          ) : (
            <div className="panel-picker">
              <SymbolPicker value={choice} venues={venues} instruments={instruments} loading={loading} onChange={setChoice} compact label={`${def.title} symbol`} />
            </div>
          ))}
        {replayVenue && <ReplayBadge capture={replayVenue.message} />}
        <div className="panel-actions">
          {panel.kind !== 'health' && (
            <select
              className={`link-select link-${panel.link}`}
              value={panel.link}
              onChange={(e) => setLink(e.target.value as LinkGroup)}
              aria-label={`${def.title} link group`}
              title={LINK_TITLES[panel.link]}
            >
              {LINK_GROUPS.map((g) => (
                <option key={g} value={g}>
                  {LINK_LABELS[g]}
                </option>
              ))}
            </select>
          )}
          {actions.onMove && (
            <>
              <button type="button" className="icon-button" onClick={() => actions.onMove!(-1)} aria-label={`Move ${def.title} left`} title="Move left">
                ←
              </button>
              <button type="button" className="icon-button" onClick={() => actions.onMove!(1)} aria-label={`Move ${def.title} right`} title="Move right">
                →
              </button>
            </>
          )}
          {actions.onDetach && (
            <button type="button" className="icon-button" onClick={actions.onDetach} aria-label={`Detach ${def.title}`} title="Open in its own window">
              ↗
            </button>
          )}
          {actions.onDock && (
            <button type="button" className="icon-button" onClick={actions.onDock} aria-label={`Dock ${def.title}`} title="Dock back into the dashboard">
              ↙ Dock
            </button>
          )}
          {actions.onClose && (
            <button type="button" className="icon-button" onClick={actions.onClose} aria-label={`Close ${def.title}`} title="Close">
              ×
            </button>
          )}
        </div>
      </header>
      <div className="panel-body">
        <ReplayedBookContext.Provider value={replayVenue !== undefined}>
          <EndedBookContext.Provider value={ended}>
            <Body choice={choice} settings={panel.settings as never} onSettings={onSettings as never} onChoice={setChoice} />
          </EndedBookContext.Provider>
        </ReplayedBookContext.Provider>
      </div>
    </section>
  );
}
