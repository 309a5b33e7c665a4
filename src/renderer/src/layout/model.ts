/**
 * The dashboard's layout: columns of panels with their sizes, each panel's kind, link group and
 * settings, and the panels detached into their own windows. Pure functions; the store persists it.
 */
import type { SymbolChoice } from './symbol-choice';

export const PANEL_KINDS = ['ladder', 'depth', 'timeseries', 'heatmap', 'profile', 'metrics', 'alerts', 'impact', 'health', 'tape', 'market-maker', 'candles', 'cross-ladder', 'cross-depth', 'cross-heatmap', 'cross-nbbo', 'footprint', 'traded-profile'] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];

/**
 * Which symbol a panel shows: the dashboard's ('dashboard'), a colour link group's shared symbol
 * (A, B, C: every panel and window in the group follows it), or its own ('none').
 */
export const LINK_GROUPS = ['dashboard', 'A', 'B', 'C', 'none'] as const;
export type LinkGroup = (typeof LINK_GROUPS)[number];

export interface PanelConfig {
  id: string;
  kind: PanelKind;
  link: LinkGroup;
  /** The panel's own symbol, used when link is 'none'. */
  symbol: SymbolChoice | null;
  settings: Record<string, unknown>;
}

export interface ColumnConfig {
  id: string;
  /** Percentage of the dashboard width. */
  size: number;
  panels: PanelConfig[];
  /** Percentage of the column height, one per panel. */
  panelSizes: number[];
}

export interface LayoutState {
  version: 1;
  columns: ColumnConfig[];
  detached: PanelConfig[];
}

let counter = 0;
export function newId(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter.toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export function newPanel(kind: PanelKind, link: LinkGroup = 'dashboard'): PanelConfig {
  return { id: newId(kind), kind, link, symbol: null, settings: {} };
}

function even(n: number): number[] {
  return Array.from({ length: n }, () => 100 / n);
}

export function defaultLayout(): LayoutState {
  const col = (panels: PanelConfig[], size: number, panelSizes = even(panels.length)): ColumnConfig => ({ id: newId('col'), size, panels, panelSizes });
  return {
    version: 1,
    columns: [
      // The ladder keeps the whole height (a price grid wants rows); the tape sits beside the heatmap.
      col([newPanel('ladder')], 30),
      col([newPanel('depth'), newPanel('timeseries')], 40),
      col([newPanel('heatmap'), newPanel('tape'), newPanel('health')], 30, [40, 35, 25]),
    ],
    detached: [],
  };
}

function isPanel(x: unknown): x is PanelConfig {
  const p = x as PanelConfig;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.id === 'string' &&
    (PANEL_KINDS as readonly string[]).includes(p.kind) &&
    (LINK_GROUPS as readonly string[]).includes(p.link) &&
    typeof p.settings === 'object' &&
    p.settings !== null
  );
}

/** A saved layout, checked field by field; anything unrecognisable falls back to the default. */
export function parseLayout(raw: unknown): LayoutState {
  const s = raw as LayoutState;
  if (!s || s.version !== 1 || !Array.isArray(s.columns) || !Array.isArray(s.detached)) return defaultLayout();
  const columns = s.columns
    .filter((c) => c && typeof c.id === 'string' && Array.isArray(c.panels))
    .map((c) => {
      const panels = c.panels.filter(isPanel);
      const sizes = Array.isArray(c.panelSizes) && c.panelSizes.length === panels.length ? c.panelSizes : even(panels.length);
      return { id: c.id, size: typeof c.size === 'number' ? c.size : 33, panels, panelSizes: sizes };
    })
    .filter((c) => c.panels.length > 0);
  if (columns.length === 0 && s.detached.length === 0) return defaultLayout();
  return { version: 1, columns, detached: s.detached.filter(isPanel) };
}

export function findPanel(state: LayoutState, id: string): PanelConfig | undefined {
  for (const c of state.columns) {
    const p = c.panels.find((x) => x.id === id);
    if (p) return p;
  }
  return state.detached.find((x) => x.id === id);
}

/** Apply `fn` to the panel wherever it lives (docked or detached). */
export function updatePanel(state: LayoutState, id: string, fn: (p: PanelConfig) => PanelConfig): LayoutState {
  return {
    ...state,
    columns: state.columns.map((c) => ({ ...c, panels: c.panels.map((p) => (p.id === id ? fn(p) : p)) })),
    detached: state.detached.map((p) => (p.id === id ? fn(p) : p)),
  };
}

function withoutPanel(state: LayoutState, id: string): LayoutState {
  const columns = state.columns
    .map((c) => {
      const i = c.panels.findIndex((p) => p.id === id);
      if (i === -1) return c;
      const panels = c.panels.filter((p) => p.id !== id);
      return { ...c, panels, panelSizes: even(panels.length) };
    })
    .filter((c) => c.panels.length > 0);
  return { ...state, columns: rebalance(columns), detached: state.detached.filter((p) => p.id !== id) };
}

function rebalance(columns: ColumnConfig[]): ColumnConfig[] {
  const total = columns.reduce((n, c) => n + c.size, 0);
  return total > 0 && Math.abs(total - 100) > 0.5 ? columns.map((c) => ({ ...c, size: (c.size * 100) / total })) : columns;
}

export function removePanel(state: LayoutState, id: string): LayoutState {
  return withoutPanel(state, id);
}

/** Add a panel at the bottom of the column with the fewest panels (a new column if there is none). */
export function addPanel(state: LayoutState, panel: PanelConfig): LayoutState {
  if (state.columns.length === 0) {
    return { ...state, columns: [{ id: newId('col'), size: 100, panels: [panel], panelSizes: [100] }] };
  }
  let target = 0;
  state.columns.forEach((c, i) => {
    if (c.panels.length < state.columns[target]!.panels.length) target = i;
  });
  return {
    ...state,
    columns: state.columns.map((c, i) =>
      i === target ? { ...c, panels: [...c.panels, panel], panelSizes: even(c.panels.length + 1) } : c,
    ),
  };
}

/** Move a docked panel one column left or right (a new column at the edge if needed). */
export function movePanel(state: LayoutState, id: string, direction: -1 | 1): LayoutState {
  const from = state.columns.findIndex((c) => c.panels.some((p) => p.id === id));
  if (from === -1) return state;
  const panel = state.columns[from]!.panels.find((p) => p.id === id)!;
  const to = from + direction;
  let columns = state.columns.map((c) => ({ ...c }));
  if (to < 0 || to >= columns.length) {
    if (columns[from]!.panels.length === 1) return state;
    const fresh: ColumnConfig = { id: newId('col'), size: 100 / (columns.length + 1), panels: [], panelSizes: [] };
    columns = to < 0 ? [fresh, ...columns] : [...columns, fresh];
  }
  const src = to < 0 ? from + 1 : from;
  const dst = to < 0 ? 0 : to;
  columns[src] = { ...columns[src]!, panels: columns[src]!.panels.filter((p) => p.id !== id) };
  columns[src]!.panelSizes = even(columns[src]!.panels.length);
  columns[dst] = { ...columns[dst]!, panels: [...columns[dst]!.panels, panel] };
  columns[dst]!.panelSizes = even(columns[dst]!.panels.length);
  return { ...state, columns: rebalance(columns.filter((c) => c.panels.length > 0)) };
}

export function detachPanel(state: LayoutState, id: string): LayoutState {
  const panel = findPanel(state, id);
  if (!panel || state.detached.some((p) => p.id === id)) return state;
  const next = withoutPanel(state, id);
  return { ...next, detached: [...next.detached, panel] };
}

export function dockPanel(state: LayoutState, id: string): LayoutState {
  const panel = state.detached.find((p) => p.id === id);
  if (!panel) return state;
  return addPanel({ ...state, detached: state.detached.filter((p) => p.id !== id) }, panel);
}

export function setColumnSizes(state: LayoutState, sizes: number[]): LayoutState {
  if (sizes.length !== state.columns.length) return state;
  return { ...state, columns: state.columns.map((c, i) => ({ ...c, size: sizes[i]! })) };
}

export function setPanelSizes(state: LayoutState, columnId: string, sizes: number[]): LayoutState {
  return {
    ...state,
    columns: state.columns.map((c) => (c.id === columnId && sizes.length === c.panels.length ? { ...c, panelSizes: sizes } : c)),
  };
}
