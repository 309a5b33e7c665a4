import { memo, useCallback, useEffect, useMemo, useState } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { ExportButton, requestExport } from '../components/ExportButton';
import { useStreamSelect } from '../hooks/useStream';
import { useUiCommands } from '../hooks/useUiCommands';
import { RecordButton } from '../components/RecordButton';
import { ReplayControl } from '../components/ReplayControl';
import { shortVenueName, SymbolPicker } from '../components/SymbolPicker';
import { PANELS } from '../panels/registry';
import { useInstrumentsContext } from './InstrumentsContext';
import {
  addPanel,
  detachPanel,
  dockPanel,
  movePanel,
  newPanel,
  removePanel,
  setColumnSizes,
  setPanelSizes,
  type PanelConfig,
  type PanelKind,
} from './model';
import { PanelFrame } from './PanelFrame';
import { layoutStore } from './state';
import { useDashboardSymbol } from './useLinkedSymbol';
import { useStore } from './store';
import { WorkspaceMenu } from '../workspaces/WorkspaceMenu';
import { SETTINGS_WINDOW_ID } from '../settings/open';

export const DASHBOARD_SYMBOL_INPUT = 'dashboard-symbol';

function clickRecord(): void {
  (document.querySelector('button[aria-label="Start recording"], button[aria-label="Stop recording"]') as HTMLButtonElement | null)?.click();
}

/** Open a panel in its own window (Electron makes it a BrowserWindow, a browser a popup). */
export function openPanelWindow(id: string): boolean {
  const url = new URL(window.location.href);
  url.search = '';
  const token = new URLSearchParams(window.location.search).get('token');
  if (token) url.searchParams.set('token', token);
  url.searchParams.set('panel', id);
  return window.open(url.href, `obm-panel-${id}`, 'popup=yes,width=760,height=560') !== null;
}

/**
 * A docked panel with its title-bar actions. Memoised (its actions too), so the dashboard re-rendering
 * for its own reasons (a menu, a banner, a resize of another column) does not re-render every panel.
 */
const DockedPanel = memo(function DockedPanel({ panel, onDetach }: { panel: PanelConfig; onDetach: (id: string) => void }) {
  const id = panel.id;
  const actions = useMemo(
    () => ({
      onDetach: () => onDetach(id),
      onClose: () => layoutStore.set((s) => removePanel(s, id)),
      onMove: (d: -1 | 1) => layoutStore.set((s) => movePanel(s, id, d)),
    }),
    [id, onDetach],
  );
  return <PanelFrame panel={panel} actions={actions} />;
});

export function Dashboard() {
  const layout = useStore(layoutStore);
  const { venues, instruments, errors, loading } = useInstrumentsContext();
  const [notice, setNotice] = useState<string | null>(null);
  const [menu, setMenu] = useState<'add' | 'windows' | 'workspaces' | null>(null);

  const [choice, setDashboardSymbol] = useDashboardSymbol();
  // The host watches its own memory; more than 50% over the start-up baseline is shown here.
  // Selected, so a health frame re-renders the dashboard only when the alert itself changes.
  const memoryAlert = useStreamSelect('health', {}, 'dashboard-health', (health) => health.memory.alert ?? null).value;

  const detach = useCallback((id: string) => {
    layoutStore.set((s) => detachPanel(s, id));
    if (!openPanelWindow(id)) {
      layoutStore.set((s) => dockPanel(s, id));
      setNotice('The window could not be opened: allow pop-ups for this page, then detach again.');
    }
  }, []);

  // The desktop app's menus.
  useUiCommands('dashboard', (c) => {
    if (c.action === 'export-csv') requestExport('csv', true);
    else if (c.action === 'export-trades-csv') requestExport('trades-csv', true);
    else if (c.action === 'export-candles-csv') requestExport('candles-csv', true, c.interval ?? '1m');
    else if (c.action === 'export-depth') requestExport('depth', true);
    else if (c.action === 'toggle-recording') clickRecord();
    else if (c.action === 'focus-symbol-search') document.getElementById(DASHBOARD_SYMBOL_INPUT)?.focus();
  });

  // Shortcuts: Ctrl/⌘+K or / → symbol search; Ctrl/⌘+Shift+R → start/stop recording.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement;
      if (((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') || (e.key === '/' && !typing)) {
        e.preventDefault();
        document.getElementById(DASHBOARD_SYMBOL_INPUT)?.focus();
      } else if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'r') {
        e.preventDefault();
        clickRecord();
      } else if (e.key === 'Escape') {
        setMenu(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const kinds = Object.keys(PANELS) as PanelKind[];
  return (
    <div className="app">
      <header className="app-header">
        <h1 title="Order Book Monitor">
          <WorkspaceMenu open={menu === 'workspaces'} onToggle={() => setMenu(menu === 'workspaces' ? null : 'workspaces')} openPanelWindow={openPanelWindow}
            onOpenSettings={() => {
              setMenu(null);
              if (!openPanelWindow(SETTINGS_WINDOW_ID)) setNotice('The settings window could not be opened: allow pop-ups for this page.');
            }}
          />
        </h1>
        <SymbolPicker id={DASHBOARD_SYMBOL_INPUT} value={choice} venues={venues} instruments={instruments} loading={loading} onChange={setDashboardSymbol} />
        <RecordButton choice={choice} />
        <ReplayControl />
        <ExportButton choice={choice} />
        <div className="menu">
          <button type="button" className="tool-button" aria-haspopup="menu" aria-expanded={menu === 'add'} onClick={() => setMenu(menu === 'add' ? null : 'add')}>
            + Add panel
          </button>
          {menu === 'add' && (
            <ul role="menu" aria-label="Add panel" className="menu-list">
              {kinds.map((k) => (
                <li key={k} role="none">
                  <button
                    type="button"
                    role="menuitem"
                    onClick={() => {
                      layoutStore.set((s) => addPanel(s, newPanel(k)));
                      setMenu(null);
                    }}
                  >
                    {PANELS[k]!.title}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        {layout.detached.length > 0 && (
          <div className="menu">
            <button type="button" className="tool-button" aria-haspopup="menu" aria-expanded={menu === 'windows'} onClick={() => setMenu(menu === 'windows' ? null : 'windows')}>
              Windows ({layout.detached.length})
            </button>
            {menu === 'windows' && (
              <ul role="menu" aria-label="Detached windows" className="menu-list">
                {layout.detached.map((p) => (
                  <li key={p.id} role="none" className="menu-row">
                    <span>{PANELS[p.kind]?.title ?? p.kind}</span>
                    <button type="button" role="menuitem" onClick={() => openPanelWindow(p.id)}>
                      Show
                    </button>
                    <button
                      type="button"
                      role="menuitem"
                      onClick={() => {
                        layoutStore.set((s) => dockPanel(s, p.id));
                        setMenu(null);
                      }}
                    >
                      Dock
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="venue-status" aria-label="Venues">
          {venues.map((v) => (
            <span key={v.id} className={`venue-pill venue-${v.status}`} title={`${v.name}: ${v.message ?? v.status}`}>
              {shortVenueName(v.name)}
            </span>
          ))}
        </div>
      </header>
      {(errors.length > 0 || notice || memoryAlert) && (
        <div className="banner error" role="alert">
          {memoryAlert && <div>Memory: {memoryAlert}</div>}
          {notice && <div>{notice}</div>}
          {errors.map((e) => (
            <div key={e}>{e}</div>
          ))}
        </div>
      )}
      <main className="dashboard">
        {layout.columns.length === 0 && <p className="empty-state">Every panel is in its own window. Add a panel, or dock one back from Windows.</p>}
        {layout.columns.length > 0 && (
          <Group
            orientation="horizontal"
            key={layout.columns.map((c) => c.id).join('|')}
            defaultLayout={Object.fromEntries(layout.columns.map((c) => [c.id, c.size]))}
            onLayoutChanged={(l) => layoutStore.set((s) => setColumnSizes(s, s.columns.map((c) => l[c.id] ?? c.size)))}
            className="dashboard-columns"
          >
            {layout.columns.map((col, ci) => [
              ci > 0 && <Separator key={`sep-${col.id}`} className="resize-handle vertical" />,
              <Panel key={col.id} id={col.id} minSize="12%">
                <Group
                  orientation="vertical"
                  key={col.panels.map((p) => p.id).join('|')}
                  defaultLayout={Object.fromEntries(col.panels.map((p, i) => [p.id, col.panelSizes[i] ?? 100 / col.panels.length]))}
                  onLayoutChanged={(l) => layoutStore.set((s) => setPanelSizes(s, col.id, col.panels.map((p) => l[p.id] ?? 0)))}
                >
                  {col.panels.map((p, pi) => [
                    pi > 0 && <Separator key={`sep-${p.id}`} className="resize-handle horizontal" />,
                    <Panel key={p.id} id={p.id} minSize="10%">
                      <DockedPanel panel={p} onDetach={detach} />
                    </Panel>,
                  ])}
                </Group>
              </Panel>,
            ])}
          </Group>
        )}
      </main>
    </div>
  );
}
