import { useInstruments } from './hooks/useInstruments';
import { Dashboard } from './layout/Dashboard';
import { InstrumentsContext } from './layout/InstrumentsContext';
import { PanelWindow } from './layout/PanelWindow';

/** The dashboard, or one detached panel when the window was opened with ?panel=<id>. */
export function App() {
  const instruments = useInstruments();
  const params = new URLSearchParams(window.location.search);
  const panelId = params.get('panel');
  return (
    <InstrumentsContext.Provider value={instruments}>
      {panelId ? <PanelWindow id={panelId} kind={params.get('kind')} /> : <Dashboard />}
    </InstrumentsContext.Provider>
  );
}
