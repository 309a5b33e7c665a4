/** The settings window's id in ?panel= (panel ids are "<kind>-…", so it cannot clash with one). */
export const SETTINGS_WINDOW_ID = 'settings';
