/**
 * The theme in force, kept in step across every window (a synced store), applied to the document as
 * CSS variables, and readable by canvas panels (currentPalette at paint time; usePalette to repaint
 * when it changes). The settings page saves it with the other settings; the store is what windows
 * follow without a reload.
 */
import { setNumberGrouping } from '../../../shared/format';
import { NUMBER_FORMATS, THEMES, type NumberFormatName, type ThemeName } from '../../../shared/settings';
import { syncedStore, useStore } from '../layout/store';
import { adoptSavedAppearance } from './adopt-saved';
import { cssVariables, PALETTES, type Palette } from './palette';

export interface Appearance {
  theme: ThemeName;
  numberFormat: NumberFormatName;
}

export const appearanceStore = syncedStore<Appearance>(
  'obm.appearance.v1',
  (raw) => {
    const r = raw as Partial<Appearance>;
    return {
      theme: (THEMES as readonly string[]).includes(r?.theme as string) ? (r.theme as ThemeName) : 'dark',
      numberFormat: (NUMBER_FORMATS as readonly string[]).includes(r?.numberFormat as string) ? (r.numberFormat as NumberFormatName) : 'grouped',
    };
  },
  () => ({ theme: 'dark', numberFormat: 'grouped' }),
);

export function currentPalette(): Palette {
  return PALETTES[appearanceStore.get().theme];
}

/** The palette; a component using it re-renders (and its charts redraw) when the theme changes. */
export function usePalette(): Palette {
  return PALETTES[useStore(appearanceStore).theme];
}

function apply(a: Appearance): void {
  const palette = PALETTES[a.theme];
  const root = document.documentElement;
  for (const [name, value] of Object.entries(cssVariables(palette))) root.style.setProperty(name, value);
  root.style.colorScheme = palette.scheme;
  root.dataset.theme = a.theme;
  setNumberGrouping(a.numberFormat === 'grouped');
}

/** Apply now and on every change (from this window or another). Call once per window. */
export function installAppearance(): void {
  apply(appearanceStore.get());
  appearanceStore.subscribe(() => apply(appearanceStore.get()));
}

/** The saved settings are the source of truth across restarts: take their theme and number format once at start. */
export function syncAppearanceWithSettings(load: () => Promise<{ settings: Appearance }>): void {
  void adoptSavedAppearance<Appearance>(appearanceStore, load);
}
