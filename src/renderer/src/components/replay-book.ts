import type { SymbolChoice } from '../layout/symbol-choice';

/**
 * The book the dashboard shows once a capture plays: the one it already shows when the capture has
 * it (a book the trader picked from the capture, or the page reopened mid-replay), else the
 * capture's first book so the replay is on screen. Undefined while the capture has met no book.
 */
export function replayDashboardBook(current: SymbolChoice | null | undefined, books: readonly SymbolChoice[]): SymbolChoice | undefined {
  if (current && books.some((b) => b.venue === current.venue && b.symbol === current.symbol)) return current;
  const first = books[0];
  return first ? { venue: first.venue, symbol: first.symbol } : undefined;
}
