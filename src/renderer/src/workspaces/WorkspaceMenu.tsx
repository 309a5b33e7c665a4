/**
 * The header's Workspace menu: save the current layout under a name, switch, rename, delete, export
 * to a JSON file and import one. Workspaces are kept like the layout (localStorage, in step across
 * windows); switching replaces the dashboard's layout and link-group symbols and opens the
 * workspace's detached panels in their windows.
 */
import { useRef, useState } from 'react';
import { layoutStore, linkStore } from '../layout/state';
import { syncedStore, useStore } from '../layout/store';
import {
  addImported,
  deleteWorkspace,
  findWorkspace,
  parseWorkspaceFile,
  parseWorkspaces,
  renameWorkspace,
  saveWorkspace,
  workspaceFileText,
  type Result,
  type WorkspacesState,
} from './model';
import { getApi } from '../api';
import './workspaces.css';

export const workspacesStore = syncedStore<WorkspacesState>('obm.workspaces.v1', parseWorkspaces, () => ({ active: null, workspaces: [] }));

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'workspace'}.obm-workspace.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** `openPanelWindow` opens a detached panel's window (the dashboard's; passed in to keep imports one-way). */
export function WorkspaceMenu({
  open,
  onToggle,
  openPanelWindow,
  onOpenSettings,
}: {
  open: boolean;
  onToggle: () => void;
  openPanelWindow: (id: string) => boolean;
  onOpenSettings: () => void;
}) {
  const state = useStore(workspacesStore);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const apply = (result: Result<WorkspacesState>, done: string): boolean => {
    if (!result.ok) {
      setMessage({ text: result.reason, error: true });
      return false;
    }
    workspacesStore.set(result.value);
    setMessage({ text: done, error: false });
    return true;
  };

  /** Save the layout, with the detached windows' bounds where the host has windows (the desktop app). */
  const saveAs = async (target: string) => {
    const layout = layoutStore.get();
    const ids = layout.detached.map((p) => p.id);
    const bounds = ids.length > 0 ? await getApi().invoke('windows.bounds.get', { ids }).catch(() => null) : null;
    if (apply(saveWorkspace(workspacesStore.get(), target, layoutStore.get(), linkStore.get(), Date.now(), bounds?.windows ?? null), `Saved ${target.trim()}.`)) setName('');
  };

  const switchTo = (target: string) => {
    const w = findWorkspace(workspacesStore.get(), target);
    if (!w) return;
    const before = new Set(layoutStore.get().detached.map((p) => p.id));
    layoutStore.set(structuredClone(w.layout));
    linkStore.set(structuredClone(w.links));
    workspacesStore.set((s) => ({ ...s, active: w.name }));
    // Windows of the workspace's detached panels (those not already open), opened within the click
    // (a browser blocks pop-ups opened later); then the desktop app moves them where the workspace had
    // them (a web host has no such command: the browser places its windows).
    const blocked = w.layout.detached.filter((p) => !before.has(p.id) && !openPanelWindow(p.id)).length;
    if (w.windows && Object.keys(w.windows).length > 0) void getApi().invoke('windows.bounds.set', { windows: w.windows }).catch(() => {});
    setMessage({ text: blocked ? `Switched to ${w.name}; ${blocked} window(s) were blocked: show them from Windows.` : `Switched to ${w.name}.`, error: blocked > 0 });
  };

  const importFile = async (file: File) => {
    const parsed = parseWorkspaceFile(await file.text());
    if (!parsed.ok) {
      setMessage({ text: `${file.name} not imported: ${parsed.reason}`, error: true });
      return;
    }
    const result = addImported(workspacesStore.get(), parsed.value);
    if (result.ok) {
      const added = result.value.workspaces.at(-1)!.name;
      workspacesStore.set(result.value);
      setMessage({ text: `Imported ${added}.`, error: false });
    } else {
      setMessage({ text: result.reason, error: true });
    }
  };

  const active = state.active;
  return (
    <div className="menu">
      {/* The app's title is the trigger: the header has no room for another button at 1280 px. */}
      <button
        type="button"
        className="workspace-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-label={`Workspace${active ? `: ${active}` : ''}`}
        onClick={onToggle}
        title={`Workspaces and settings${active ? ` (current workspace: ${active})` : ''}`}
      >
        Order Book Monitor <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div role="dialog" aria-label="Workspaces" className="menu-list wide workspace-menu">
          <form
            className="workspace-save"
            onSubmit={(e) => {
              e.preventDefault();
              const target = name.trim() || active || '';
              void saveAs(target);
            }}
          >
            <input aria-label="Workspace name" placeholder={active ? `Name (empty: save over ${active})` : 'Name'} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
            <button type="submit" className="tool-button">
              Save
            </button>
          </form>
          {state.workspaces.length === 0 && <p className="muted workspace-empty">No workspaces yet: name this layout and save it.</p>}
          <ul className="workspace-list" aria-label="Saved workspaces">
            {state.workspaces.map((w) => (
              <li key={w.name} className={w.name === active ? 'active' : undefined}>
                <button type="button" className="workspace-name" aria-current={w.name === active ? 'true' : undefined} onClick={() => switchTo(w.name)} title={`Switch to ${w.name}`}>
                  {w.name}
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Rename ${w.name}`}
                  title="Rename to the name typed above"
                  onClick={() => {
                    if (!name.trim()) setMessage({ text: 'Type the new name above, then Rename.', error: true });
                    else if (apply(renameWorkspace(workspacesStore.get(), w.name, name), `Renamed ${w.name} to ${name.trim()}.`)) setName('');
                  }}
                >
                  Rename
                </button>
                <button type="button" className="icon-button" aria-label={`Export ${w.name}`} onClick={() => download(w.name, workspaceFileText(w))}>
                  Export
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Delete ${w.name}`}
                  onClick={() => {
                    workspacesStore.set((s) => deleteWorkspace(s, w.name));
                    setMessage({ text: `Deleted ${w.name} (the dashboard is unchanged).`, error: false });
                  }}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
          <div className="workspace-actions">
            <button type="button" className="tool-button" onClick={() => fileInput.current?.click()}>
              Import…
            </button>
            <button type="button" className="tool-button" onClick={onOpenSettings}>
              Settings…
            </button>
            <input
              ref={fileInput}
              type="file"
              accept="application/json,.json"
              aria-label="Import workspace file"
              hidden
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void importFile(file);
              }}
            />
          </div>
          {message && (
            <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error-text workspace-message' : 'muted workspace-message'}>
              {message.text}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
