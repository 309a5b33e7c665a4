import { useEffect, useState } from 'react';

/** How long a status line ("saved …", "Download CSV") stays in the header before it clears. */
export const STATUS_MS = 10_000;

/**
 * `key` while it is fresh, null once it has stood unchanged for `ms` (or when it is null). Header
 * messages go through this so they clear on their own instead of crowding the controls.
 */
export function useTransient(key: string | null, ms = STATUS_MS): string | null {
  const [expired, setExpired] = useState<string | null>(null);
  useEffect(() => {
    if (key === null) return;
    const timer = setTimeout(() => setExpired(key), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return key !== null && key !== expired ? key : null;
}
