import type { ContractErrorInfo } from '../../../shared/contract';
import type { SymbolChoice } from './SymbolPicker';

interface NumberSelectProps {
  label: string;
  /** Accessible name (tests and screen readers find the control by it). */
  name: string;
  value: number;
  options: number[];
  format(n: number): string;
  onChange(n: number): void;
}

/** A labelled drop-down of numeric choices, for panel toolbars. */
export function NumberSelect({ label, name, value, options, format, onChange }: NumberSelectProps) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} aria-label={name}>
        {options.map((n) => (
          <option key={n} value={n}>
            {format(n)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Why a panel shows no data: the stream's error, or no symbol picked yet. */
export function StreamProblem({ error, choice }: { error: ContractErrorInfo | null; choice: SymbolChoice | null }) {
  if (error)
    return (
      <p className="error-state" role="alert">
        {error.message}
      </p>
    );
  if (!choice) return <p className="empty-state">Pick a symbol.</p>;
  return null;
}
