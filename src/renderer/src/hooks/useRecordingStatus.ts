import { useEffect, useState } from 'react';
import type { RecordingStatus } from '../../../shared/contract';
import { getApi } from '../api';

/** The capture recording's status, polled once a second; `refresh` applies a status a command returned. */
export function useRecordingStatus(): [RecordingStatus | null, (s: RecordingStatus) => void] {
  const [status, setStatus] = useState<RecordingStatus | null>(null);
  useEffect(() => {
    let cancelled = false;
    const poll = () =>
      getApi()
        .invoke('recording.status', {})
        .then((s) => {
          // An unchanged status while nothing records (the usual case) keeps the old object: no
          // re-render. While recording every poll re-renders, so the record button's clock ticks.
          if (!cancelled) setStatus((prev) => (prev && !s.active && JSON.stringify(prev) === JSON.stringify(s) ? prev : s));
        })
        .catch(() => {});
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, []);
  return [status, setStatus];
}
