import { useInstruments } from './hooks/useInstruments';
import { Dashboard } from './layout/Dashboard';
import { InstrumentsContext } from './layout/InstrumentsContext';
import { PanelWindow } from './layout/PanelWindow';
import { SETTINGS_WINDOW_ID } from './settings/open';
import { SettingsPage } from './settings/SettingsPage';

/** The dashboard, one detached panel when the window was opened with ?panel=<id>, or the settings (?panel=settings). */
export function App() {
  const instruments = useInstruments();
  const params = new URLSearchParams(window.location.search);
  const panelId = params.get('panel');
  // The settings window goes through the same window.open path as panel windows (the desktop allows those).
  if (panelId === SETTINGS_WINDOW_ID) return <SettingsPage />;
  return (
    <InstrumentsContext.Provider value={instruments}>
      {panelId ? <PanelWindow id={panelId} kind={params.get('kind')} /> : <Dashboard />}
    </InstrumentsContext.Provider>
  );
}
