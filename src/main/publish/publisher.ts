/**
 * Throttled frames to windows. Each window (a session) subscribes to what it shows; every tick the
 * publisher builds one message per window holding a frame for each subscription whose source changed
 * since the last send. A window that is still busy with the previous message is skipped this tick and
 * gets the newest state next time: never a queue.
 */
import type { ServerMessage } from '../../shared/contract';

export interface FrameSource {
  /** Changes whenever a new frame would differ from the last one. */
  version(): string | number;
  build(): unknown;
  /** Release listeners when the subscription ends (window closed or unsubscribed). */
  dispose?(): void;
}

export interface PublisherClient {
  send(message: ServerMessage): void;
  /** True while the window has not drained earlier messages (web host: socket buffer non-empty). */
  backpressured?(): boolean;
}

interface Subscription {
  source: FrameSource;
  lastVersion: string | number | null;
}

export class Session {
  readonly subscriptions = new Map<number, Subscription>();
  closed = false;
  constructor(
    readonly client: PublisherClient,
    private readonly onClose: (s: Session) => void,
  ) {}

  add(id: number, source: FrameSource): void {
    if (this.closed) {
      source.dispose?.();
      return;
    }
    this.subscriptions.get(id)?.source.dispose?.();
    this.subscriptions.set(id, { source, lastVersion: null });
  }

  remove(id: number): void {
    this.subscriptions.get(id)?.source.dispose?.();
    this.subscriptions.delete(id);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const sub of this.subscriptions.values()) sub.source.dispose?.();
    this.subscriptions.clear();
    this.onClose(this);
  }
}

export class Publisher {
  private readonly sessions = new Set<Session>();
  private timer: ReturnType<typeof setInterval> | null = null;
  framesSent = 0;
  messagesSent = 0;

  constructor(private readonly tickMs = 50) {}

  open(client: PublisherClient): Session {
    const session = new Session(client, (s) => this.sessions.delete(s));
    this.sessions.add(session);
    this.start();
    return session;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Build and send at most one message per window. Exposed for tests. */
  tick(): void {
    for (const session of this.sessions) {
      if (session.subscriptions.size === 0) continue;
      if (session.client.backpressured?.()) continue;
      let frames: Array<{ id: number; frame: unknown }> | null = null;
      for (const [id, sub] of session.subscriptions) {
        const version = sub.source.version();
        if (version === sub.lastVersion) continue;
        sub.lastVersion = version;
        (frames ??= []).push({ id, frame: sub.source.build() });
      }
      if (frames) {
        this.framesSent += frames.length;
        this.messagesSent++;
        session.client.send({ t: 'frames', frames });
      }
    }
  }
}
