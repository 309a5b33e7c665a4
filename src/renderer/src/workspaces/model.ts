/**
 * Workspaces: named layouts (columns of panels with their settings, link groups and their symbols,
 * panels detached into windows). Save, switch, rename, delete, and export to / import from a JSON
 * file. Pure functions; workspaces/state.ts persists them. An import is validated in full: a file
 * from a newer version or a damaged one is refused with the reason and nothing changes.
 */
import { z } from 'zod';
import { VENUE_IDS } from '../../../shared/market';
import { PanelWindowsSchema, type PanelWindows } from '../../../shared/window-bounds';
import { LINK_GROUPS, PANEL_KINDS, parseLayout, type LayoutState } from '../layout/model';
import type { LinkGroup } from '../layout/model';
import type { SymbolChoice } from '../layout/symbol-choice';

/** The link groups' symbols (as layout/state.ts keeps them; that module needs a browser). */
export type LinkedSymbols = Partial<Record<Exclude<LinkGroup, 'none'>, SymbolChoice>>;

export const WORKSPACE_FILE_FORMAT = 'orderbook-monitor-workspace';
export const WORKSPACE_FILE_VERSION = 1;
export const MAX_WORKSPACES = 50;

export interface Workspace {
  name: string;
  layout: LayoutState;
  links: LinkedSymbols;
  savedAt: number;
  /** Desktop app: where each detached panel's window was (by panel id); absent in the web host. */
  windows?: PanelWindows;
}

export interface WorkspacesState {
  /** The workspace last saved or switched to (null: none yet). */
  active: string | null;
  workspaces: Workspace[];
}

const NameSchema = z
  .string()
  .trim()
  .min(1, 'a workspace needs a name')
  .max(60, 'at most 60 characters');

const ChoiceSchema = z.object({ venue: z.enum(VENUE_IDS), symbol: z.string().min(1).max(64) });

const PanelSchema = z.object({
  id: z.string().min(1).max(100),
  kind: z.enum(PANEL_KINDS),
  link: z.enum(LINK_GROUPS),
  symbol: ChoiceSchema.nullable(),
  settings: z.record(z.string(), z.unknown()),
});

const LayoutSchema = z.object({
  version: z.literal(1),
  columns: z
    .array(
      z.object({
        id: z.string().min(1).max(100),
        size: z.number().min(0).max(100),
        panels: z.array(PanelSchema).min(1).max(20),
        panelSizes: z.array(z.number().min(0).max(100)),
      }),
    )
    .max(12),
  detached: z.array(PanelSchema).max(40),
});

const WorkspaceSchema = z.object({
  name: NameSchema,
  layout: LayoutSchema,
  links: z.partialRecord(z.enum(['dashboard', 'A', 'B', 'C']), ChoiceSchema).default({}),
  savedAt: z.number().int().nonnegative(),
  windows: PanelWindowsSchema.optional(),
});

const WorkspaceFileSchema = z.object({
  format: z.literal(WORKSPACE_FILE_FORMAT),
  version: z.literal(WORKSPACE_FILE_VERSION),
  workspace: WorkspaceSchema,
});

export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'file'}: ${i.message}`)
    .join('; ');
}

export function checkName(name: string): Result<string> {
  const parsed = NameSchema.safeParse(name);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: parsed.error.issues[0]!.message };
}

/** Save the current layout under `name` (replacing a workspace of that name) and make it active. */
export function saveWorkspace(
  state: WorkspacesState,
  name: string,
  layout: LayoutState,
  links: LinkedSymbols,
  now: number,
  windows: PanelWindows | null = null,
): Result<WorkspacesState> {
  const checked = checkName(name);
  if (!checked.ok) return checked;
  const workspace: Workspace = { name: checked.value, layout: structuredClone(layout), links: structuredClone(links), savedAt: now };
  // Only the detached panels' windows belong to the layout.
  const detached = new Set(layout.detached.map((p) => p.id));
  const kept = Object.entries(windows ?? {}).filter(([id]) => detached.has(id));
  if (kept.length > 0) workspace.windows = Object.fromEntries(kept.map(([id, b]) => [id, { ...b }]));
  const exists = state.workspaces.some((w) => w.name === checked.value);
  if (!exists && state.workspaces.length >= MAX_WORKSPACES) return { ok: false, reason: `at most ${MAX_WORKSPACES} workspaces: delete one first` };
  const workspaces = exists ? state.workspaces.map((w) => (w.name === checked.value ? workspace : w)) : [...state.workspaces, workspace];
  return { ok: true, value: { active: checked.value, workspaces } };
}

export function renameWorkspace(state: WorkspacesState, from: string, to: string): Result<WorkspacesState> {
  const checked = checkName(to);
  if (!checked.ok) return checked;
  if (!state.workspaces.some((w) => w.name === from)) return { ok: false, reason: `no workspace named "${from}"` };
  if (checked.value !== from && state.workspaces.some((w) => w.name === checked.value)) return { ok: false, reason: `a workspace named "${checked.value}" exists already` };
  return {
    ok: true,
    value: {
      active: state.active === from ? checked.value : state.active,
      workspaces: state.workspaces.map((w) => (w.name === from ? { ...w, name: checked.value } : w)),
    },
  };
}

export function deleteWorkspace(state: WorkspacesState, name: string): WorkspacesState {
  return { active: state.active === name ? null : state.active, workspaces: state.workspaces.filter((w) => w.name !== name) };
}

export function findWorkspace(state: WorkspacesState, name: string): Workspace | undefined {
  return state.workspaces.find((w) => w.name === name);
}

/** The JSON file a workspace is exported as. */
export function workspaceFileText(workspace: Workspace): string {
  return JSON.stringify({ format: WORKSPACE_FILE_FORMAT, version: WORKSPACE_FILE_VERSION, workspace }, null, 2) + '\n';
}

/** A workspace file's text, checked in full; the reason when it cannot be used. */
export function parseWorkspaceFile(text: string): Result<Workspace> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not a workspace file: the JSON is damaged (${(error as Error).message})` };
  }
  const head = raw as { format?: unknown; version?: unknown };
  if (typeof raw !== 'object' || raw === null || head.format !== WORKSPACE_FILE_FORMAT) {
    return { ok: false, reason: 'not a workspace file (it does not say format "orderbook-monitor-workspace")' };
  }
  if (typeof head.version === 'number' && head.version > WORKSPACE_FILE_VERSION) {
    return { ok: false, reason: `this workspace file is from a newer version of the app (file version ${head.version}, this app reads ${WORKSPACE_FILE_VERSION}); update the app to import it` };
  }
  const parsed = WorkspaceFileSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `the workspace file is damaged: ${issues(parsed.error)}` };
  const w = parsed.data.workspace;
  const columnsOk = w.layout.columns.every((c) => c.panelSizes.length === c.panels.length);
  if (!columnsOk) return { ok: false, reason: 'the workspace file is damaged: a column lists a different number of panel sizes than panels' };
  const ids = [...w.layout.columns.flatMap((c) => c.panels), ...w.layout.detached].map((p) => p.id);
  if (new Set(ids).size !== ids.length) return { ok: false, reason: 'the workspace file is damaged: two panels share an id' };
  const detached = new Set(w.layout.detached.map((p) => p.id));
  const stray = Object.keys(w.windows ?? {}).find((id) => !detached.has(id));
  if (stray !== undefined) return { ok: false, reason: `the workspace file is damaged: window bounds for "${stray}", which is not a detached panel` };
  return {
    ok: true,
    value: { name: w.name, layout: parseLayout(w.layout), links: w.links as LinkedSymbols, savedAt: w.savedAt, ...(w.windows ? { windows: w.windows } : {}) },
  };
}

/** Add an imported workspace; a name already taken gets " (2)", " (3)"… so nothing is overwritten. */
export function addImported(state: WorkspacesState, workspace: Workspace): Result<WorkspacesState> {
  if (state.workspaces.length >= MAX_WORKSPACES) return { ok: false, reason: `at most ${MAX_WORKSPACES} workspaces: delete one first` };
  let name = workspace.name;
  for (let n = 2; state.workspaces.some((w) => w.name === name); n++) name = `${workspace.name} (${n})`;
  return { ok: true, value: { ...state, workspaces: [...state.workspaces, { ...workspace, name }] } };
}

/** The saved list, checked workspace by workspace (a damaged entry is dropped, the rest kept). */
export function parseWorkspaces(raw: unknown): WorkspacesState {
  const r = raw as Partial<WorkspacesState>;
  const workspaces: Workspace[] = [];
  for (const w of Array.isArray(r?.workspaces) ? r.workspaces : []) {
    const parsed = WorkspaceSchema.safeParse(w);
    if (parsed.success && !workspaces.some((x) => x.name === parsed.data.name)) {
      const { windows, ...rest } = parsed.data;
      workspaces.push({ ...rest, layout: parseLayout(parsed.data.layout), links: parsed.data.links as LinkedSymbols, ...(windows ? { windows } : {}) });
    }
  }
  const active = typeof r?.active === 'string' && workspaces.some((w) => w.name === r.active) ? r.active : null;
  return { active, workspaces };
}
