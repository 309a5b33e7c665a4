/**
 * What every webContents may do, decided without Electron so the tests can run the same code in Node:
 * where it may navigate (every navigation event, not only will-navigate) and which permissions it gets.
 */

/**
 * Every event Electron fires before a page or frame goes somewhere else: renderer-initiated top-level
 * navigation, navigation of any frame (iframes included), and server redirects during a navigation.
 * Each carries the target URL on the event and is cancelled with preventDefault().
 */
export const NAVIGATION_EVENTS = ['will-navigate', 'will-frame-navigate', 'will-redirect'] as const;

export interface NavigationEvent {
  url: string;
  preventDefault(): void;
}

/** The part of a WebContents the guard needs (an EventEmitter in the tests). */
export interface GuardedContents {
  on(event: string, listener: (event: NavigationEvent) => void): unknown;
}

/** Cancels every navigation to a URL that is not one of the app's pages, and every <webview>. */
export function guardNavigation(contents: GuardedContents, isTrusted: (url: string) => boolean, onDenied?: (url: string) => void): void {
  for (const name of NAVIGATION_EVENTS) {
    contents.on(name, (event) => {
      if (isTrusted(event.url)) return;
      event.preventDefault();
      onDenied?.(event.url);
    });
  }
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The only permission a page may have: notifications, for alerts. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);

export interface PermissionAsk {
  permission: string;
  /** The URL (request handler) or origin (check handler) of the frame that asks. */
  requester: string;
  /** Set by Electron only for a cross-origin subframe: the origin of the frame embedding it. */
  embeddingOrigin?: string | undefined;
}

/**
 * The answer to both a permission request and a permission check: allowed only for an allowed
 * permission, asked by the app's own origin, and not from inside a frame some other origin embeds.
 */
export function decidePermission(ask: PermissionAsk, isTrusted: (url: string) => boolean): boolean {
  if (!ALLOWED_PERMISSIONS.has(ask.permission)) return false;
  if (ask.embeddingOrigin !== undefined && ask.embeddingOrigin !== '' && !isTrusted(ask.embeddingOrigin)) return false;
  return isTrusted(ask.requester);
}
