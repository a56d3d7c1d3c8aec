/**
 * Issue 22 in the page: a setup Redis does not offer is said above the results (with the source) and in the
 * export; keys that are not portable between Redis and Standard are listed with portable names.
 */
import { readFileSync } from 'node:fs';
import { expect, settled, test } from './helpers.ts';

test('Custom with the OSS Cluster API: the page says the setup does not exist, the verdicts stay', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  await expect(page.getByTestId('setup-warning')).toHaveCount(0);
  await page.getByTestId('policy').selectOption('custom');
  await page.getByTestId('target').selectOption('enterprise-oss-api');
  await expect(page.getByTestId('setup-warning')).toContainText('the OSS Cluster API needs the Standard hashing policy');
  await expect(page.getByTestId('setup-warning').getByRole('link', { name: 'Source' })).toHaveAttribute(
    'href',
    'https://redis.io/docs/latest/operate/rc/databases/configuration/clustering/#oss-cluster-api',
  );
  await page.getByTestId('panel-commands').click();
  await expect(page.getByTestId('commands')).toContainText('crossslot');
  const download = page.waitForEvent('download');
  await page.getByTestId('export').selectOption('markdown');
  const md = readFileSync(await (await download).path(), 'utf8');
  expect(md).toContain('**A setup Redis does not offer:**');
  await page.getByTestId('policy').selectOption('standard');
  await expect(page.getByTestId('setup-warning')).toHaveCount(0);
});

test('the Groups view lists the keys that are not portable between Redis and Standard, with portable names', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  await page.getByTestId('panel-groups').click();
  const box = page.getByTestId('portability');
  await expect(box).toContainText('5 keys, 5 of them in another slot under Standard');
  await expect(box.getByRole('row').filter({ hasText: 'order:{2024}{eu}:7781' })).toContainText('order:{2024}eu:7781');
  await expect(box.getByRole('row')).toHaveCount(6);
  await expect(page.getByTestId('problems')).toContainText('not-portable');
});
