/** The panels' state badge: a book in sync reads live only when it is live (not replayed, source not ended). */
import { describe, expect, it } from 'vitest';
import { stateBadge } from '../../../src/renderer/src/components/state-label';

const live = { replayed: false, ended: false };

describe('stateBadge', () => {
  it('reads live for a live book in sync', () => {
    expect(stateBadge('synced', live)).toEqual({ label: 'live', className: 'state-synced' });
  });

  it('reads ended, not live, for a book whose source ended (a desk collector’s finished capture)', () => {
    expect(stateBadge('synced', { replayed: false, ended: true })).toEqual({ label: 'ended', className: 'state-ended' });
  });

  it('keeps "in sync" for a replayed book, ended or not (its panel carries the REPLAY badge)', () => {
    expect(stateBadge('synced', { replayed: true, ended: true }).label).toBe('in sync');
  });

  it('shows the feed state itself when the book is out of sync (a stale desk book reads connecting)', () => {
    expect(stateBadge('connecting', { replayed: false, ended: true })).toEqual({ label: 'connecting', className: 'state-connecting' });
    expect(stateBadge('buffering', live).label).toBe('syncing');
    expect(stateBadge(null, live).label).toBe('idle');
  });
});
