import { describe, expect, it } from 'vitest';
import { addPanel, defaultLayout, detachPanel, newPanel } from '../../../src/renderer/src/layout/model';
import {
  addImported,
  deleteWorkspace,
  parseWorkspaceFile,
  parseWorkspaces,
  renameWorkspace,
  saveWorkspace,
  workspaceFileText,
  type WorkspacesState,
} from '../../../src/renderer/src/workspaces/model';

const empty: WorkspacesState = { active: null, workspaces: [] };

function unwrap<T>(r: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('workspaces', () => {
  it('save, save over, rename and delete by name', () => {
    const scalping = addPanel(defaultLayout(), newPanel('profile'));
    let s = unwrap(saveWorkspace(empty, ' Scalping ', scalping, { A: { venue: 'kraken', symbol: 'XBT/USD' } }, 1000));
    expect(s.active).toBe('Scalping');
    s = unwrap(saveWorkspace(s, 'Overview', defaultLayout(), {}, 2000));
    expect(s.workspaces.map((w) => w.name)).toEqual(['Scalping', 'Overview']);
    // Saving under an existing name replaces that workspace, nothing else.
    s = unwrap(saveWorkspace(s, 'Scalping', defaultLayout(), {}, 3000));
    expect(s.workspaces.map((w) => [w.name, w.savedAt])).toEqual([
      ['Scalping', 3000],
      ['Overview', 2000],
    ]);
    expect(renameWorkspace(s, 'Scalping', 'Overview')).toEqual({ ok: false, reason: 'a workspace named "Overview" exists already' });
    expect(saveWorkspace(s, '   ', defaultLayout(), {}, 1)).toEqual({ ok: false, reason: 'a workspace needs a name' });
    s = unwrap(renameWorkspace(s, 'Scalping', 'Fast'));
    // The active workspace (the last saved) follows its new name.
    expect(s.active).toBe('Fast');
    s = deleteWorkspace(s, 'Fast');
    expect(s).toMatchObject({ active: null, workspaces: [{ name: 'Overview' }] });
  });

  it('export and import keep panels, their settings, link groups and detached windows', () => {
    let layout = addPanel(defaultLayout(), { ...newPanel('depth', 'B'), settings: { rangeBps: 25 } });
    const ladderId = layout.columns[0]!.panels[0]!.id;
    layout = detachPanel(layout, ladderId);
    const s = unwrap(saveWorkspace(empty, 'Desk', layout, { B: { venue: 'okx', symbol: 'BTC-USDT' } }, 5));
    const text = workspaceFileText(s.workspaces[0]!);
    const imported = unwrap(parseWorkspaceFile(text));
    expect(imported.layout).toEqual(layout);
    expect(imported.links).toEqual({ B: { venue: 'okx', symbol: 'BTC-USDT' } });
    expect(imported.layout.detached.map((p) => p.id)).toEqual([ladderId]);
    // Importing next to the original keeps both.
    const both = unwrap(addImported(s, imported));
    expect(both.workspaces.map((w) => w.name)).toEqual(['Desk', 'Desk (2)']);
  });

  it('refuses a newer version or a damaged file with the reason', () => {
    const good = JSON.parse(workspaceFileText(unwrap(saveWorkspace(empty, 'W', defaultLayout(), {}, 1)).workspaces[0]!));
    const newer = parseWorkspaceFile(JSON.stringify({ ...good, version: 2 }));
    expect(newer).toEqual({ ok: false, reason: expect.stringMatching(/newer version of the app \(file version 2, this app reads 1\)/) });
    expect(parseWorkspaceFile('{"format": "orderbook-monitor-workspace", "vers')).toEqual({ ok: false, reason: expect.stringMatching(/JSON is damaged/) });
    expect(parseWorkspaceFile('{"hello": 1}')).toEqual({ ok: false, reason: expect.stringMatching(/not a workspace file/) });
    const badKind = structuredClone(good);
    badKind.workspace.layout.columns[0].panels[0].kind = 'teleporter';
    expect(parseWorkspaceFile(JSON.stringify(badKind))).toEqual({ ok: false, reason: expect.stringMatching(/damaged: workspace\.layout\.columns\.0\.panels\.0\.kind/) });
    const twice = structuredClone(good);
    twice.workspace.layout.columns[1].panels[0].id = twice.workspace.layout.columns[0].panels[0].id;
    expect(parseWorkspaceFile(JSON.stringify(twice))).toEqual({ ok: false, reason: expect.stringMatching(/two panels share an id/) });
  });

  it('a damaged saved entry is dropped, the others kept', () => {
    const s = unwrap(saveWorkspace(empty, 'Keep', defaultLayout(), {}, 1));
    const parsed = parseWorkspaces({ active: 'Keep', workspaces: [{ name: 'Broken', layout: { version: 9 } }, ...s.workspaces] });
    expect(parsed.workspaces.map((w) => w.name)).toEqual(['Keep']);
    expect(parsed.active).toBe('Keep');
  });

  it("keeps detached windows' bounds per panel (only detached panels), validated on import", () => {
    let layout = defaultLayout();
    const ladderId = layout.columns[0]!.panels[0]!.id;
    const dockedId = layout.columns[1]!.panels[0]!.id;
    layout = detachPanel(layout, ladderId);
    const bounds = { x: 2000, y: 40, width: 800, height: 600, displayId: 2 };
    const s = unwrap(saveWorkspace(empty, 'Two screens', layout, {}, 5, { [ladderId]: bounds, [dockedId]: { ...bounds, displayId: 1 } }));
    // The docked panel's bounds are not part of the workspace.
    expect(s.workspaces[0]!.windows).toEqual({ [ladderId]: bounds });
    const text = workspaceFileText(s.workspaces[0]!);
    expect(unwrap(parseWorkspaceFile(text)).windows).toEqual({ [ladderId]: bounds });
    // Saved in local storage and read back too; a workspace saved without windows (web host) has none.
    expect(parseWorkspaces(JSON.parse(JSON.stringify(s))).workspaces[0]!.windows).toEqual({ [ladderId]: bounds });
    expect(unwrap(saveWorkspace(empty, 'Web', layout, {}, 5)).workspaces[0]!.windows).toBeUndefined();

    const file = JSON.parse(text);
    const damaged = (mutate: (w: { windows: Record<string, Record<string, unknown>> }) => void) => {
      const copy = structuredClone(file);
      mutate(copy.workspace);
      return parseWorkspaceFile(JSON.stringify(copy));
    };
    expect(damaged((w) => (w.windows[ladderId]!.width = 10))).toEqual({ ok: false, reason: expect.stringMatching(/damaged: workspace\.windows\..*width/) });
    expect(damaged((w) => (w.windows[ladderId]!.x = 'left'))).toEqual({ ok: false, reason: expect.stringMatching(/damaged/) });
    expect(damaged((w) => delete w.windows[ladderId]!.displayId)).toEqual({ ok: false, reason: expect.stringMatching(/damaged: .*displayId/) });
    expect(damaged((w) => (w.windows[ladderId]!.z = 1))).toEqual({ ok: false, reason: expect.stringMatching(/damaged/) });
    expect(damaged((w) => (w.windows[dockedId] = bounds))).toEqual({ ok: false, reason: expect.stringMatching(/not a detached panel/) });
    // A newer file is still refused as newer, whatever it holds.
    expect(parseWorkspaceFile(JSON.stringify({ ...file, version: 2 }))).toEqual({ ok: false, reason: expect.stringMatching(/newer version/) });
  });
});
