/**
 * The application menu as data: File, Edit, View, Window, Help with keyboard accelerators. Built from
 * the actions it triggers so it can be checked in plain Node; index.ts turns it into an Electron Menu.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { CANDLE_INTERVAL_NAMES, type CandleIntervalName } from '../../shared/candles';

export type NewWindowKind = 'ladder' | 'depth' | 'timeseries' | 'alerts' | 'impact' | 'heatmap' | 'health' | 'metrics' | 'profile' | 'tape' | 'candles' | 'footprint' | 'traded-profile';

export interface MenuActions {
  exportCsv(): void;
  exportTradesCsv(): void;
  /** Candles of the dashboard symbol's recorded trades at the chosen interval. */
  exportCandlesCsv(interval: CandleIntervalName): void;
  exportDepth(): void;
  toggleRecording(): void;
  openCapture(): void;
  newWindow(kind: NewWindowKind): void;
  bringAllToFront(): void;
  focusSymbolSearch(): void;
  about(): void;
  openDataFolder(): void;
  openDocumentation(): void;
}

export const NEW_WINDOWS: Array<[NewWindowKind, string, string]> = [
  ['ladder', 'New Ladder Window', 'CmdOrCtrl+1'],
  ['depth', 'New Depth Window', 'CmdOrCtrl+2'],
  ['timeseries', 'New Time Series Window', 'CmdOrCtrl+3'],
  ['alerts', 'New Alerts Window', 'CmdOrCtrl+4'],
  ['impact', 'New Impact Window', 'CmdOrCtrl+5'],
  ['heatmap', 'New Heatmap Window', 'CmdOrCtrl+6'],
  ['health', 'New Feed Health Window', 'CmdOrCtrl+7'],
  ['metrics', 'New Metrics Window', 'CmdOrCtrl+8'],
  ['profile', 'New Resting Liquidity Profile Window', 'CmdOrCtrl+9'],
  ['tape', 'New Time && Sales Window', 'CmdOrCtrl+Shift+T'],
  ['candles', 'New Candles Window', 'CmdOrCtrl+Shift+C'],
  ['footprint', 'New Footprint Window', 'CmdOrCtrl+Shift+F'],
  ['traded-profile', 'New Traded Volume Profile Window', 'CmdOrCtrl+Shift+P'],
];

export function buildMenuTemplate(actions: MenuActions, opts: { isMac: boolean; isDev: boolean; appName: string }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { label: 'Find Symbol…', accelerator: 'CmdOrCtrl+K', click: () => actions.focusSymbolSearch() },
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  // Developer tools only when running from source: a packaged app gives users no console.
  if (opts.isDev) view.push({ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' });
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Export CSV…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportCsv() },
        { label: 'Export Trades CSV…', accelerator: 'CmdOrCtrl+Alt+E', click: () => actions.exportTradesCsv() },
        {
          label: 'Export Candles CSV…',
          submenu: CANDLE_INTERVAL_NAMES.map((interval): MenuItemConstructorOptions => ({ label: interval, click: () => actions.exportCandlesCsv(interval) })),
        },
        { label: 'Export Depth Snapshot…', accelerator: 'CmdOrCtrl+Shift+E', click: () => actions.exportDepth() },
        { type: 'separator' },
        { label: 'Start/Stop Recording', accelerator: 'CmdOrCtrl+Shift+R', click: () => actions.toggleRecording() },
        { label: 'Open Capture for Replay…', accelerator: 'CmdOrCtrl+O', click: () => actions.openCapture() },
        { type: 'separator' },
        opts.isMac ? { role: 'close' } : { role: 'quit', accelerator: 'CmdOrCtrl+Q' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    {
      label: 'Window',
      submenu: [
        ...NEW_WINDOWS.map(([kind, label, accelerator]): MenuItemConstructorOptions => ({ label, accelerator, click: () => actions.newWindow(kind) })),
        { type: 'separator' },
        { role: 'minimize' },
        { label: 'Bring All to Front', click: () => actions.bringAllToFront() },
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: `About ${opts.appName}`, click: () => actions.about() },
        { label: 'Open Data Folder', click: () => actions.openDataFolder() },
        { label: 'Documentation', click: () => actions.openDocumentation() },
      ],
    },
  ];
  if (opts.isMac) template.unshift({ role: 'appMenu' });
  return template;
}
