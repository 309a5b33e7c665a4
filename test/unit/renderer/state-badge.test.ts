/** The panels' state badge: a book in sync reads live only when it is live (not replayed, source not ended). */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SyncState } from '../../../src/shared/market';
import { EndedBookContext, ReplayedBookContext, StateBadge } from '../../../src/renderer/src/components/StateBadge';

function badge(state: SyncState | null, { replayed = false, ended = false } = {}): string {
  const inner = createElement(StateBadge, { state });
  return renderToStaticMarkup(createElement(ReplayedBookContext.Provider, { value: replayed }, createElement(EndedBookContext.Provider, { value: ended }, inner)));
}

describe('StateBadge', () => {
  it('reads live for a live book in sync', () => {
    expect(badge('synced')).toContain('aria-label="Feed state: live"');
    expect(badge('synced')).toContain('state-synced');
  });

  it('reads ended, not live, for a book whose source ended (a desk collector’s finished capture)', () => {
    const html = badge('synced', { ended: true });
    expect(html).toContain('aria-label="Feed state: ended"');
    expect(html).toContain('state-ended');
    expect(html).not.toContain('state-synced');
  });

  it('keeps "in sync" for a replayed book, ended or not (its panel carries the REPLAY badge)', () => {
    expect(badge('synced', { replayed: true, ended: true })).toContain('Feed state: in sync');
  });

  it('shows the feed state itself when the book is out of sync (a stale desk book reads connecting)', () => {
    expect(badge('connecting', { ended: true })).toContain('Feed state: connecting');
    expect(badge('resyncing')).toContain('Feed state: resyncing');
  });
});
