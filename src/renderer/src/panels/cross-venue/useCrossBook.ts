import type { CrossBookParams } from '../../../../shared/cross-venue';
import { useStream } from '../../hooks/useStream';
import type { SymbolChoice } from '../../layout/symbol-choice';

/** The group params of a choice: its anchor book, its venue subset and quote family. */
export function groupParams(choice: SymbolChoice): { venue: SymbolChoice['venue']; symbol: string; venues?: SymbolChoice['venues']; quoteFamily: boolean } {
  return {
    venue: choice.venue,
    symbol: choice.symbol,
    ...(choice.venues && choice.venues.length > 0 ? { venues: choice.venues } : {}),
    quoteFamily: choice.quoteFamily ?? false,
  };
}

export function groupStreamKey(choice: SymbolChoice | null): string {
  return choice ? `${choice.venue}:${choice.symbol}:${(choice.venues ?? []).join('+')}:${choice.quoteFamily ? 'family' : 'exact'}` : '';
}

/** The consolidated book for a choice (cross.book), with the view options each panel asks for. */
export function useCrossBook(choice: SymbolChoice | null, options: Partial<Omit<CrossBookParams, 'venue' | 'symbol' | 'venues' | 'quoteFamily'>>, tag: string) {
  const params = choice ? { ...groupParams(choice), ...options } : null;
  return useStream('cross.book', params, choice ? `${tag}:${groupStreamKey(choice)}:${JSON.stringify(options)}` : '');
}
