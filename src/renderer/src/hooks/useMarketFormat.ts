import { useMemo } from 'react';
import type { LadderFrame } from '../../../shared/contract';
import { significantDecimals } from '../../../shared/decimal';
import { assetsOf, MAX_DISPLAY_DECIMALS, stepDecimals } from '../../../shared/format';
import type { SymbolChoice } from '../components/SymbolPicker';
import { useInstrumentsContext } from '../layout/InstrumentsContext';
import { useStream } from './useStream';

/** How one instrument's numbers are shown: price and size decimals, the tick, and the asset names. */
export interface MarketFormat {
  priceDecimals: number;
  sizeDecimals: number;
  /** The price step (from the instrument, else 10^-priceDecimals). */
  tick: number;
  base: string;
  quote: string;
  /** False until the precision is known (from the instrument or the book). */
  known: boolean;
}

const learned = new Map<string, { priceDecimals: number; sizeDecimals: number }>();

/** Precision read off a book when the instrument does not say (replays carry no instrument list). */
export function precisionFromLadder(frame: LadderFrame): { priceDecimals: number; sizeDecimals: number } {
  let sizeDecimals = 0;
  for (const [, size] of [...frame.bids, ...frame.asks]) sizeDecimals = Math.max(sizeDecimals, significantDecimals(size));
  return { priceDecimals: frame.priceDecimals, sizeDecimals: Math.min(sizeDecimals, 8) };
}

/**
 * The instrument's number format. Tick and lot come from the venue's instrument list; where it gives
 * none (a replayed capture), they are learned once from the book's own prices and sizes.
 */
export function useMarketFormat(choice: SymbolChoice | null): MarketFormat {
  const { instruments } = useInstrumentsContext();
  const key = choice ? `${choice.venue}:${choice.symbol}` : '';
  const instrument = choice ? instruments.find((i) => i.venue === choice.venue && i.symbol === choice.symbol) : undefined;
  const fromInstrument = instrument && instrument.pricePrecision !== null && instrument.sizePrecision !== null;
  const needBook = choice !== null && !fromInstrument && !learned.has(key);
  const ladder = useStream('book.ladder', needBook ? { venue: choice.venue, symbol: choice.symbol, depth: 20, group: 1 } : null, needBook ? `fmt:${key}` : '').frame;
  if (needBook && ladder && ladder.bids.length + ladder.asks.length > 0) learned.set(key, precisionFromLadder(ladder));
  const fromBook = learned.get(key);
  return useMemo((): MarketFormat => {
    const assets = assetsOf(choice?.symbol ?? '', instrument?.base, instrument?.quote);
    if (fromInstrument) {
      const priceDecimals = Math.min(MAX_DISPLAY_DECIMALS, instrument.pricePrecision!);
      const tick = instrument.tickSize ? Number(instrument.tickSize) : 10 ** -priceDecimals;
      return {
        priceDecimals: Math.max(priceDecimals, instrument.tickSize ? stepDecimals(instrument.tickSize) : 0),
        sizeDecimals: Math.min(MAX_DISPLAY_DECIMALS, instrument.sizePrecision!),
        tick,
        ...assets,
        known: true,
      };
    }
    if (fromBook) return { ...fromBook, tick: 10 ** -fromBook.priceDecimals, ...assets, known: true };
    return { priceDecimals: 2, sizeDecimals: 4, tick: 0.01, ...assets, known: false };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, instrument, fromBook]);
}
