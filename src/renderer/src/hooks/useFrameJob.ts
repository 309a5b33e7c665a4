import { useEffect, useState } from 'react';
import { frameJob, type FrameJob } from '../panels/frame-jobs';

/**
 * A panel's draw in the shared frame loop (panels/frame-jobs.ts): the returned job is the same for the
 * panel's life and always runs the newest `draw`; a waiting request is dropped when the panel unmounts.
 */
export function useFrameJob(draw: () => void): FrameJob {
  const [job] = useState(() => frameJob(draw));
  useEffect(() => {
    job.setRun(draw);
  });
  useEffect(() => () => job.cancel(), [job]);
  return job;
}
