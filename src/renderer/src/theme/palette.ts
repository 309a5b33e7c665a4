/**
 * The themes' colours: dark, light, and a colour-blind-safe one (blue bids, orange asks, from the
 * Okabe–Ito palette, distinguishable with any of the common colour-vision deficiencies). DOM styles
 * read them as CSS variables; canvas and chart panels read the palette and redraw when it changes.
 */
import type { ThemeName } from '../../../shared/settings';

export interface Palette {
  name: ThemeName;
  /** The browser's form controls and scrollbars. */
  scheme: 'dark' | 'light';
  bg: string;
  panel: string;
  panelEdge: string;
  header: string;
  input: string;
  hover: string;
  rowLine: string;
  grid: string;
  text: string;
  muted: string;
  faint: string;
  errorText: string;
  bid: string;
  ask: string;
  /** Traded volume and prints: buyers' and sellers' colours (lighter than bid/ask on dark). */
  buy: string;
  sell: string;
  accent: string;
  warn: string;
  wall: string;
  /** The empty half of the ladder's spread rows and rows outside the loaded book. */
  spreadRow: string;
  unloadedRow: string;
}

const DARK: Palette = {
  name: 'dark',
  scheme: 'dark',
  bg: '#0d1117',
  panel: '#131a23',
  panelEdge: '#222c3a',
  header: '#0f151d',
  input: '#0a0f15',
  hover: '#1b2636',
  rowLine: '#18202b',
  grid: '#1c2532',
  text: '#d7dee8',
  muted: '#7d8a9c',
  faint: '#4f5b6b',
  errorText: '#ffb3ae',
  bid: '#26a96c',
  ask: '#e5534b',
  buy: '#5fd39a',
  sell: '#f08a84',
  accent: '#4c8dff',
  warn: '#d9a53b',
  wall: '#f5d142',
  spreadRow: '#0f151d',
  unloadedRow: '#0b1016',
};

const LIGHT: Palette = {
  name: 'light',
  scheme: 'light',
  bg: '#eef1f5',
  panel: '#ffffff',
  panelEdge: '#cfd6e0',
  header: '#f7f9fb',
  input: '#ffffff',
  hover: '#e3eaf4',
  rowLine: '#edf0f4',
  grid: '#e4e8ee',
  text: '#1d2530',
  muted: '#5b6778',
  faint: '#a3adba',
  errorText: '#b3261e',
  bid: '#17855a',
  ask: '#cc3a32',
  buy: '#17855a',
  sell: '#cc3a32',
  accent: '#2f6fe0',
  warn: '#a66f00',
  wall: '#b58900',
  spreadRow: '#f3f5f8',
  unloadedRow: '#f0f2f5',
};

const COLOUR_BLIND: Palette = {
  ...DARK,
  name: 'colour-blind',
  bid: '#3a9bdc',
  ask: '#e69f00',
  buy: '#7cc3f0',
  sell: '#f5c04d',
  // Yellow walls would be confused with orange asks; walls are white-ish instead.
  wall: '#f0f0f0',
  // Neither blue nor orange: buttons and outlines must not read as a side.
  accent: '#a493f0',
};

export const PALETTES: Record<ThemeName, Palette> = { dark: DARK, light: LIGHT, 'colour-blind': COLOUR_BLIND };

/** "#26a96c" + 0.45 → "rgba(38, 169, 108, 0.45)". */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** The CSS variables a palette sets on the document (styles.css uses these names). */
export function cssVariables(p: Palette): Record<string, string> {
  return {
    '--bg': p.bg,
    '--panel': p.panel,
    '--panel-edge': p.panelEdge,
    '--header': p.header,
    '--input': p.input,
    '--hover': p.hover,
    '--row-line': p.rowLine,
    '--grid': p.grid,
    '--text': p.text,
    '--muted': p.muted,
    '--faint': p.faint,
    '--error-text': p.errorText,
    '--bid': p.bid,
    '--bid-bar': withAlpha(p.bid, 0.22),
    '--ask': p.ask,
    '--ask-bar': withAlpha(p.ask, 0.22),
    '--buy': p.buy,
    '--sell': p.sell,
    '--accent': p.accent,
    '--warn': p.warn,
    '--wall': p.wall,
  };
}
