import { expect, test } from '@playwright/test';

const foreign: string[] = [];

test.beforeEach(async ({ page, baseURL }) => {
  // Nothing may leave the browser: record any request that is not to the page's own server.
  foreign.length = 0;
  const own = new URL(baseURL!).host;
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.host !== own) foreign.push(req.url());
  });
});

test.afterEach(() => {
  expect(foreign, 'requests to other origins').toEqual([]);
});

test('opens on the built-in example with Redis and Standard side by side', async ({ page }) => {
  await page.goto('./');
  const table = page.getByTestId('slots');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  const row = table.locator('tbody tr', { hasText: 'bull:{emails}:wait' });
  await expect(row.locator('td[data-policy="redis"]')).toHaveText('3728');
  await expect(page.getByTestId('summary')).toContainText('14 keys');
});

test('typing keys updates slots computed in the worker, byte-exact', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('keys').fill('foo{}{bar}\n"{}\\xff"\n123456789');
  const rows = page.getByTestId('slots').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0).locator('td[data-policy="redis"]')).toHaveText('8363');
  await expect(rows.nth(0).locator('td[data-policy="standard"]')).toHaveText('5061');
  await expect(rows.nth(1).locator('td[data-policy="standard"]')).toHaveText('0');
  await expect(rows.nth(2).locator('td[data-policy="redis"]')).toHaveText('12739');
});

test('an unbalanced quote is reported where it was typed, and the input is kept', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('keys').fill('ok\n"broken');
  await expect(page.getByTestId('key-problems')).toContainText('line 2, col 1');
  await expect(page.getByTestId('key-problems')).toContainText('unbalanced-quote');
  await expect(page.getByTestId('keys')).toHaveValue('ok\n"broken');
});

test('an invalid rule is reported with line and column; the other policies still work', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('rules').fill('(?<tag>a)\n(?=x)(?<tag>b)');
  await expect(page.getByTestId('rule-problems')).toContainText('line 2, col 1');
  await expect(page.getByTestId('rule-problems')).toContainText('lookahead');
  await expect(page.getByTestId('slots').locator('tbody tr').first().locator('td[data-policy="redis"]')).toBeVisible();
});
