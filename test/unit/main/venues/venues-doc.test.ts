import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VENUE_IDS } from '../../../../src/shared/market';
import { repoRoot } from '../../../support/paths';

/** docs/venues.md is cited from code comments by anchor (`docs/venues.md#kraken`): the anchors must exist. */
describe('docs/venues.md', () => {
  const text = readFileSync(join(repoRoot, 'docs/venues.md'), 'utf8');
  const anchors = new Set([...text.matchAll(/<a id="([a-z0-9-]+)"><\/a>/g)].map((m) => m[1]!));

  it('has a stable anchor for every venue the app supports, and for the shared rules', () => {
    for (const venue of [...VENUE_IDS, 'shared', 'binance', 'bybit']) expect(anchors, venue).toContain(venue);
  });

  it('has a Trades subsection for every venue family', () => {
    for (const family of ['binance', 'coinbase', 'coinbase-advanced', 'kraken', 'okx', 'bybit', 'demo']) {
      expect(anchors, family).toContain(`${family}-trades`);
    }
  });

  it('links only to anchors it defines', () => {
    const links = [...text.matchAll(/\]\(#([a-z0-9-]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(10);
    for (const link of links) expect(anchors, link).toContain(link);
  });
});
