import { useEffect, useRef } from 'react';
import type { UiCommand } from '../../../shared/contract';
import { useStream } from './useStream';

/** Run `handle` for every command the host sends this window (the desktop app's menus). */
export function useUiCommands(target: string, handle: (command: UiCommand) => void): void {
  const { frame } = useStream('ui.commands', { target }, `ui:${target}`);
  const done = useRef(new Set<number>());
  const handler = useRef(handle);
  useEffect(() => {
    handler.current = handle;
  });
  useEffect(() => {
    for (const c of frame?.commands ?? []) {
      if (done.current.has(c.id)) continue;
      done.current.add(c.id);
      handler.current(c);
    }
  }, [frame]);
}
