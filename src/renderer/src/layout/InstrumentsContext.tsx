import { createContext, useContext } from 'react';
import type { InstrumentsState } from '../hooks/useInstruments';

/** Venues and instruments, loaded once per window and shared by every picker in it. */
export const InstrumentsContext = createContext<InstrumentsState>({ venues: [], instruments: [], errors: [], loading: true });

export function useInstrumentsContext(): InstrumentsState {
  return useContext(InstrumentsContext);
}
