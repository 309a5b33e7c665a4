import { expect, type Page } from '@playwright/test';

/**
 * Picks the dashboard's symbol as a trader does: types `search` into the header's symbol picker,
 * checks the first option reads `option`, takes it with Enter, and waits for the ladder of `symbol`.
 */
export async function pickSymbol(page: Page, search: string, option: string, symbol: string, timeout = 10_000): Promise<void> {
  const picker = page.getByRole('combobox', { name: 'Symbol', exact: true });
  await picker.click();
  await picker.fill(search);
  await expect(page.getByRole('option').first()).toContainText(option);
  await picker.press('Enter');
  await expect(page.getByRole('table', { name: `Order book ladder for ${symbol}` })).toBeVisible({ timeout });
}
