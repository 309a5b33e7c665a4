import { useLayoutEffect, useMemo, useRef } from 'react';
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

/**
 * A ref for a <select> given `defaultValue` instead of `value`, that keeps it showing `value`: written
 * only when it differs. A controlled <select> has React re-select its option on every render, and
 * panels re-render with their stream frames many times a second.
 */
export function useSelectValue(value: string | number) {
  const selectRef = useRef<HTMLSelectElement>(null);
  useLayoutEffect(() => {
    const select = selectRef.current;
    if (select && select.value !== String(value)) select.value = String(value);
  });
  return selectRef;
}

/** A labelled drop-down of numeric choices, for panel toolbars. */
export function NumberSelect({ label, name, value, options, format, onChange }: NumberSelectProps) {
  const selectRef = useSelectValue(value);
  // Panels re-render with every frame of their stream and pass inline `format`s: the option elements
  // are made again only when the choices or their labels change, so React skips the list otherwise.
  const labels = options.map(format);
  const listKey = `${options.join(',')}|${labels.join('\n')}`;
  const items = useMemo(
    () =>
      options.map((n, i) => (
        <option key={n} value={n}>
          {labels[i]}
        </option>
      )),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [listKey],
  );
  return (
    <label>
      {label}
      <select ref={selectRef} defaultValue={value} onChange={(e) => onChange(Number(e.target.value))} aria-label={name}>
        {items}
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
