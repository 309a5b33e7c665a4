import { useEffect, useMemo, useState } from 'react';
import { isVenueId } from '../../shared/market';
import { SymbolPicker, type SymbolChoice } from './components/SymbolPicker';
import { useInstruments } from './hooks/useInstruments';
import { HealthStrip } from './components/HealthStrip';
import { RecordButton } from './components/RecordButton';
import { LadderPanel } from './panels/ladder/LadderPanel';

const CHOICE_KEY = 'obm.dashboard.symbol';

function loadChoice(): SymbolChoice | null {
  try {
    const raw = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? 'null') as SymbolChoice | null;
    return raw && isVenueId(raw.venue) && typeof raw.symbol === 'string' ? raw : null;
  } catch {
    return null;
  }
}

export function App() {
  const { venues, instruments, errors, loading } = useInstruments();
  const [saved, setChoice] = useState<SymbolChoice | null>(loadChoice);

  // A saved symbol the venue no longer lists falls back to the first instrument, so the dashboard is
  // never blank; while lists load, the saved choice stands.
  const choice = useMemo(() => {
    if (loading || instruments.length === 0) return saved;
    if (saved && instruments.some((i) => i.venue === saved.venue && i.symbol === saved.symbol)) return saved;
    const first = instruments[0]!;
    return { venue: first.venue, symbol: first.symbol };
  }, [loading, instruments, saved]);

  useEffect(() => {
    if (choice) localStorage.setItem(CHOICE_KEY, JSON.stringify(choice));
  }, [choice]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Order Book Monitor</h1>
        <SymbolPicker value={choice} venues={venues} instruments={instruments} loading={loading} onChange={setChoice} />
        <RecordButton choice={choice} />
        <div className="venue-status" aria-label="Venues">
          {venues.map((v) => (
            <span key={v.id} className={`venue-pill venue-${v.status}`} title={v.message ?? v.status}>
              {v.name}
            </span>
          ))}
        </div>
      </header>
      {errors.length > 0 && (
        <div className="banner error" role="alert">
          {errors.map((e) => (
            <div key={e}>{e}</div>
          ))}
        </div>
      )}
      <main className="dashboard">
        <LadderPanel choice={choice} />
        <HealthStrip choice={choice} />
      </main>
    </div>
  );
}
