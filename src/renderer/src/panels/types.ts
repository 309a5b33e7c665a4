import type { SymbolChoice } from '../components/SymbolPicker';

/** What every panel gets: the symbol it shows (from its link group), its settings, and a way to change them. */
export interface PanelProps<S = Record<string, unknown>> {
  choice: SymbolChoice | null;
  settings: Partial<S>;
  onSettings(patch: Partial<S>): void;
  /** Change the symbol the panel shows (through its link group), e.g. a cross-venue panel's venue subset. */
  onChoice?(choice: SymbolChoice): void;
}
