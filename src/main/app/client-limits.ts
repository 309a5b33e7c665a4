/**
 * What one window (one WebSocket or one Electron renderer) may ask of the host at once, so that a
 * buggy or hostile client cannot starve the others: subscriptions, commands in flight, and message
 * rate. The web host adds the largest message size and the number of connections (src/main/web).
 */

export interface ClientLimits {
  /** Live plus starting subscriptions. A full dashboard uses about 30. */
  maxSubscriptions: number;
  /** Commands sent and not yet answered. */
  maxPendingInvokes: number;
  /** Sustained messages per second… */
  messagesPerSecond: number;
  /** …with this many at once (a reconnecting window replays every subscription in one burst). */
  messageBurst: number;
  /** Messages within one second past which the window is disconnected instead of answered. */
  disconnectAbovePerSecond: number;
}

export const DEFAULT_CLIENT_LIMITS: Readonly<ClientLimits> = Object.freeze({
  maxSubscriptions: 256,
  maxPendingInvokes: 32,
  messagesPerSecond: 100,
  messageBurst: 512,
  disconnectAbovePerSecond: 2000,
});

/**
 * A token bucket for the sustained rate and burst, plus a count per wall-clock second for the
 * disconnect threshold. `now` is milliseconds (performance.now() or Date.now()).
 */
export class MessageRate {
  private tokens: number;
  private refilledAt: number;
  private secondStartedAt: number;
  private inThisSecond = 0;

  constructor(
    private readonly limits: Pick<ClientLimits, 'messagesPerSecond' | 'messageBurst' | 'disconnectAbovePerSecond'>,
    now: number,
  ) {
    this.tokens = limits.messageBurst;
    this.refilledAt = now;
    this.secondStartedAt = now;
  }

  /** Count one message: 'ok', 'over-rate' (answer it with an error), or 'disconnect' (flooding). */
  take(now: number): 'ok' | 'over-rate' | 'disconnect' {
    if (now - this.secondStartedAt >= 1000) {
      this.secondStartedAt = now;
      this.inThisSecond = 0;
    }
    this.inThisSecond++;
    if (this.inThisSecond > this.limits.disconnectAbovePerSecond) return 'disconnect';
    this.tokens = Math.min(this.limits.messageBurst, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.messagesPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return 'over-rate';
    this.tokens -= 1;
    return 'ok';
  }
}
