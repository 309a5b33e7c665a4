/**
 * The theme in force, kept in step across every window (a synced store), applied to the document as
 * CSS variables, and readable by canvas panels (currentPalette at paint time; usePalette to repaint
 * when it changes). The settings page saves it with the other settings; the store is what windows
 * follow without a reload.
 */
import { setNumberGrouping } from '../../../shared/format';
import { NUMBER_FORMATS, THEMES, type NumberFormatName, type ThemeName } from '../../../shared/settings';
import { syncedStore, useStore } from '../layout/store';
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

/**
 * The saved settings are the source of truth across restarts: take their theme and number format
 * once at start (a host without settings leaves the window's own choice alone). A choice made while
 * the load was in flight (in this window or another) is newer than the saved one and is kept.
 */
export function syncAppearanceWithSettings(load: () => Promise<{ settings: Appearance }>): void {
  let changedMeanwhile = false;
  const stop = appearanceStore.subscribe(() => {
    changedMeanwhile = true;
  });
  load()
    .then(({ settings }) => {
      stop();
      if (changedMeanwhile) return;
      const now = appearanceStore.get();
      if (now.theme !== settings.theme || now.numberFormat !== settings.numberFormat) {
        appearanceStore.set({ theme: settings.theme, numberFormat: settings.numberFormat });
      }
    })
    .catch(() => stop());
}
