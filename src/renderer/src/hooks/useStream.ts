import { useEffect, useState } from 'react';
import type { ContractErrorInfo, StreamFrame, StreamName, StreamParams } from '../../../shared/contract';
import { getApi } from '../api';

export interface StreamState<S extends StreamName> {
  frame: StreamFrame<S> | null;
  error: ContractErrorInfo | null;
}

/**
 * Subscribe to a stream while the component is mounted (or until params change). `key` must change
 * whenever params do; frames arrive at most once per publisher tick.
 */
export function useStream<S extends StreamName>(stream: S, params: StreamParams<S> | null, key: string): StreamState<S> {
  // Frames are tagged with the key they belong to, so a change of symbol never shows the old book.
  const [state, setState] = useState<StreamState<S> & { key: string }>({ key, frame: null, error: null });
  useEffect(() => {
    if (!params) return;
    return getApi().subscribe(
      stream,
      params,
      (frame) => setState({ key, frame, error: null }),
      (error) => setState({ key, frame: null, error }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stream, key]);
  return state.key === key ? state : { frame: null, error: null };
}
