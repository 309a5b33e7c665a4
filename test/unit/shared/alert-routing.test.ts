import { describe, expect, it } from 'vitest';
import { alertChannels, describeRuleChannels, RuleChannelsSchema, type KindRouting } from '../../../src/shared/alert-routing';
import { PriceRuleRequestSchema } from '../../../src/shared/analytics';

/** Sound for walls only, notifications for everything, webhook for walls and feed, Telegram for price. */
const byKind: KindRouting = {
  sound: ['wall'],
  notification: ['wall', 'price', 'feed'],
  webhook: ['wall', 'feed'],
  telegram: ['price'],
};

describe('alert routing', () => {
  it('routes by kind when the rule names no channels', () => {
    expect(alertChannels({ kind: 'wall', quiet: false }, byKind)).toEqual({ send: ['sound', 'notification', 'webhook'], heldBack: [] });
    expect(alertChannels({ kind: 'price', ruleChannels: null, quiet: false }, byKind)).toEqual({ send: ['notification', 'telegram'], heldBack: [] });
  });

  it("a rule's own channels override the per-kind routing, both ways", () => {
    // Price goes to notification and Telegram by kind; this rule wants sound and the webhook instead.
    expect(alertChannels({ kind: 'price', ruleChannels: ['sound', 'webhook'], quiet: false }, byKind)).toEqual({ send: ['sound', 'webhook'], heldBack: [] });
    // An empty list: the alert only shows in the list.
    expect(alertChannels({ kind: 'wall', ruleChannels: [], quiet: false }, byKind)).toEqual({ send: [], heldBack: [] });
  });

  it('never picks a channel that is not set up, whatever the rule says', () => {
    const noTelegram: KindRouting = { ...byKind, telegram: null };
    expect(alertChannels({ kind: 'price', ruleChannels: ['telegram', 'webhook'], quiet: false }, noTelegram).send).toEqual(['webhook']);
  });

  it('quiet hours still hold back webhook and Telegram, for rule-routed alerts too, but not sound or notification', () => {
    expect(alertChannels({ kind: 'price', ruleChannels: ['sound', 'webhook', 'telegram'], quiet: true }, byKind)).toEqual({
      send: ['sound'],
      heldBack: ['webhook', 'telegram'],
    });
    expect(alertChannels({ kind: 'wall', quiet: true }, byKind)).toEqual({ send: ['sound', 'notification'], heldBack: ['webhook'] });
  });

  it('validates rule channels: known names, each once; null means by kind', () => {
    expect(RuleChannelsSchema.safeParse(['sound', 'telegram']).success).toBe(true);
    expect(RuleChannelsSchema.safeParse(null).success).toBe(true);
    expect(RuleChannelsSchema.safeParse(['email']).success).toBe(false);
    expect(RuleChannelsSchema.safeParse(['sound', 'sound']).success).toBe(false);
    const request = PriceRuleRequestSchema.parse({ venue: 'demo', symbol: 'BTCUSDT', price: '100' });
    expect(request.channels).toBeNull();
    expect(PriceRuleRequestSchema.safeParse({ venue: 'demo', symbol: 'BTCUSDT', price: '100', channels: ['sms'] }).success).toBe(false);
    expect(describeRuleChannels(null)).toBe('by kind');
    expect(describeRuleChannels([])).toBe('list only');
    expect(describeRuleChannels(['webhook', 'telegram'])).toBe('webhook, Telegram');
  });
});
