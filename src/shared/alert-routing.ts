/**
 * Where an alert goes: sound and OS notification (played and shown by the windows), a webhook and
 * Telegram (sent by the main process). By default each channel takes the alert kinds it is set up
 * for; a user rule (a price alert) may name its own channels instead, and then those alone apply to
 * its alerts. Quiet hours still hold back webhook and Telegram (they are about a phone buzzing at
 * night; sound and notifications only reach someone sitting at the screen).
 * Pure: used by both the main process and the renderer.
 */
import { z } from 'zod';

export const ALERT_CHANNELS = ['sound', 'notification', 'webhook', 'telegram'] as const;
export const AlertChannelSchema = z.enum(ALERT_CHANNELS);
export type AlertChannel = z.output<typeof AlertChannelSchema>;

/** Channels the main process sends on; quiet hours apply to these. */
export const REMOTE_CHANNELS = ['webhook', 'telegram'] as const satisfies readonly AlertChannel[];

/**
 * A rule's own routing: the channels its alerts go to (may be empty: the alert only shows in the
 * list), each named once. Null or absent: the per-kind routing.
 */
export const RuleChannelsSchema = z
  .array(AlertChannelSchema)
  .max(ALERT_CHANNELS.length)
  .refine((channels) => new Set(channels).size === channels.length, 'each channel at most once')
  .nullable();
export type RuleChannels = z.output<typeof RuleChannelsSchema>;

/** Per-kind routing: for each channel, the alert kinds it takes (null: the channel is off or not set up). */
export type KindRouting = Record<AlertChannel, readonly string[] | null>;

export interface RoutingInput {
  kind: string;
  /** The alert's rule's own channels; null or undefined: route by kind. */
  ruleChannels?: RuleChannels | undefined;
  /** Whether quiet hours hold this alert back now (for its severity). */
  quiet: boolean;
}

export interface RoutingDecision {
  /** Channels the alert goes to now. */
  send: AlertChannel[];
  /** Channels it would go to but quiet hours hold back (the delivery log says so). */
  heldBack: AlertChannel[];
}

/**
 * The channels an alert goes to. A rule's channels override the per-kind routing, but a channel that
 * is not set up (null in `byKind`) can never be chosen, and quiet hours still hold back webhook and
 * Telegram.
 */
export function alertChannels(input: RoutingInput, byKind: KindRouting): RoutingDecision {
  const decision: RoutingDecision = { send: [], heldBack: [] };
  for (const channel of ALERT_CHANNELS) {
    const kinds = byKind[channel];
    if (kinds === null) continue;
    const wanted = input.ruleChannels != null ? input.ruleChannels.includes(channel) : kinds.includes(input.kind);
    if (!wanted) continue;
    if (input.quiet && (REMOTE_CHANNELS as readonly AlertChannel[]).includes(channel)) decision.heldBack.push(channel);
    else decision.send.push(channel);
  }
  return decision;
}

/** "sound, webhook" / "nowhere" / "by kind", for people. */
export function describeRuleChannels(channels: RuleChannels | undefined): string {
  if (channels == null) return 'by kind';
  if (channels.length === 0) return 'list only';
  const names: Record<AlertChannel, string> = { sound: 'sound', notification: 'notification', webhook: 'webhook', telegram: 'Telegram' };
  return channels.map((c) => names[c]).join(', ');
}
