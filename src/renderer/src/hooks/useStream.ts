import { useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ContractErrorInfo, StreamFrame, StreamName, StreamParams } from '../../../shared/contract';
import { getApi } from '../api';
import { useFrameJob } from './useFrameJob';

export interface StreamState<S extends StreamName> {
  frame: StreamFrame<S> | null;
  error: ContractErrorInfo | null;
}

/**
 * Subscribe to a stream while the component is mounted (or until params change). `key` must change
 * whenever params do; frames arrive at most once per publisher tick.
 *
 * A frame is not rendered when it arrives: the newest is kept and rendered in the shared frame loop
 * (panels/frame-jobs.ts), inside its budget. Why: the publisher sends every stream's frame in one
 * message per tick, so rendering on arrival re-rendered every panel that uses a stream in the same
 * task, one long frame per tick; in the loop the renders spread over frames like the panels' draws.
 * A frame that a newer one replaces before it is rendered is never shown (the streams carry state, not
 * events, so the newest frame holds everything).
 */
export function useStream<S extends StreamName>(stream: S, params: StreamParams<S> | null, key: string): StreamState<S> {
  // Frames are tagged with the key they belong to, so a change of symbol never shows the old book.
  const [state, setState] = useState<StreamState<S> & { key: string }>({ key, frame: null, error: null });
  const pending = useRef<{ key: string; frame: StreamFrame<S> } | null>(null);
  const renderJob = useFrameJob(() => {
    const next = pending.current;
    pending.current = null;
    if (!next) return;
    // Rendered now, so its cost is counted in the frame's budget (React would otherwise render it in a
    // task of its own after the frame, with every other panel's update of the tick).
    flushSync(() => setState({ key: next.key, frame: next.frame, error: null }));
  });
  useEffect(() => {
    if (!params) return;
    const off = getApi().subscribe(
      stream,
      params,
      (frame) => {
        pending.current = { key, frame };
        renderJob.request();
      },
      (error) => {
        pending.current = null;
        renderJob.cancel();
        setState({ key, frame: null, error });
      },
    );
    return () => {
      off();
      pending.current = null;
      renderJob.cancel();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stream, key]);
  return state.key === key ? state : { frame: null, error: null };
}

export interface SelectedState<T> {
  /** `select` of the newest frame; null before the first frame, after an error, or without params. */
  value: T | null;
  error: ContractErrorInfo | null;
}

/**
 * Like useStream, but the component re-renders only when `select(frame)` changes (compared with
 * `equal`, Object.is by default), not on every frame: for the app's shell, which shows a word or two
 * of a stream (a memory alert, the replay's name) whose frames arrive several times a second and
 * would otherwise re-render everything below it. `select` and `equal` are read at each frame, so they
 * may be inline functions.
 */
export function useStreamSelect<S extends StreamName, T>(
  stream: S,
  params: StreamParams<S> | null,
  key: string,
  select: (frame: StreamFrame<S>) => T,
  equal: (a: T, b: T) => boolean = Object.is,
): SelectedState<T> {
  // `has` tells a first selected value (which may itself be null) from none yet.
  const [state, setState] = useState<SelectedState<T> & { key: string; has: boolean }>({ key, has: false, value: null, error: null });
  const selector = useRef({ select, equal });
  useEffect(() => {
    selector.current = { select, equal };
  });
  useEffect(() => {
    if (!params) return;
    return getApi().subscribe(
      stream,
      params,
      (frame) => {
        const value = selector.current.select(frame);
        // Returning the previous state object makes React skip the re-render.
        setState((prev) => (prev.key === key && prev.has && selector.current.equal(prev.value as T, value) ? prev : { key, has: true, value, error: null }));
      },
      (error) => setState({ key, has: false, value: null, error }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stream, key]);
  return state.key === key ? state : { value: null, error: null };
}
