/**
 * Taking the saved appearance once at a window's start, kept apart from the DOM so it is unit-tested
 * in Node. A choice made while the load was in flight (in this window or another) is newer than the
 * saved one and is kept.
 */
export interface AppearanceLike {
  theme: string;
  numberFormat: string;
}

interface Store<T> {
  get(): T;
  set(next: T): void;
  subscribe(listener: () => void): () => void;
}

export function adoptSavedAppearance<T extends AppearanceLike>(store: Store<T>, load: () => Promise<{ settings: T }>): Promise<void> {
  let changedMeanwhile = false;
  const stop = store.subscribe(() => {
    changedMeanwhile = true;
  });
  return load()
    .then(({ settings }) => {
      stop();
      if (changedMeanwhile) return;
      const now = store.get();
      if (now.theme !== settings.theme || now.numberFormat !== settings.numberFormat) {
        store.set({ ...now, theme: settings.theme, numberFormat: settings.numberFormat });
      }
    })
    .catch(() => stop());
}
