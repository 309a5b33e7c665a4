import { useEffect } from 'react';
import { PANELS } from '../panels/registry';
import { dockPanel, findPanel, newPanel, PANEL_KINDS, type PanelKind } from './model';
import { PanelFrame } from './PanelFrame';
import { layoutStore } from './state';
import { useStore } from './store';

/** A detached panel in its own window; Dock puts it back into the dashboard and closes the window. */
export function PanelWindow({ id, kind }: { id: string; kind: string | null }) {
  const layout = useStore(layoutStore);
  const panel = layout.detached.find((p) => p.id === id);
  // The desktop Window menu opens a new panel window by kind: create its panel the first time.
  useEffect(() => {
    if (panel || !kind || !(PANEL_KINDS as readonly string[]).includes(kind) || !PANELS[kind as PanelKind]) return;
    layoutStore.set((s) => (findPanel(s, id) ? s : { ...s, detached: [...s.detached, { ...newPanel(kind as PanelKind), id }] }));
  }, [panel, kind, id]);
  const title = panel ? PANELS[panel.kind]?.title : undefined;
  useEffect(() => {
    document.title = title ? `${title} — Order Book Monitor` : 'Order Book Monitor';
  }, [title]);
  if (!panel) {
    return (
      <div className="app panel-window">
        <p className="empty-state" role="status">
          This panel is back in the dashboard (or was closed).{' '}
          <button type="button" className="tool-button" onClick={() => window.close()}>
            Close window
          </button>
        </p>
      </div>
    );
  }
  return (
    <div className="app panel-window">
      <PanelFrame
        panel={panel}
        actions={{
          onDock: () => {
            layoutStore.set((s) => dockPanel(s, id));
            window.close();
          },
        }}
      />
    </div>
  );
}
