/**
 * Issue 13: a result is always computed under what its label says, or not shown. Broken custom rules,
 * an unreadable topology and slots no shard owns, on every panel, in the exports and in an embed.
 */
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { slotOfBytes, utf8 } from '../src/core/index.ts';
import { expect, keepScreenshot, openTab, setInput, settled, test } from './helpers.ts';

const PANELS = ['keys', 'groups', 'slotmap', 'shards', 'commands', 'patterns', 'migration', 'explain'];
const BROKEN_RULES = 'The custom rules have errors, so no result is shown under Custom until they are fixed';
const UNASSIGNED = readFileSync(new URL('../fixtures/topology/unassigned-nodes.txt', import.meta.url), 'utf8');

/** A `#v1/` link holding only these fields (the rest are the example's). */
function link(state: { i?: Record<string, string>; s?: Record<string, unknown> }): string {
  return '#v1/' + deflateRawSync(Buffer.from(JSON.stringify(state))).toString('base64url');
}

/** Keys whose Redis slot no shard owns in the fixture (5000-5099, 16383), found by trying names. */
function unownedKeys(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const slot = slotOfBytes(utf8(`orphan:${i}`));
    if ((slot >= 5000 && slot <= 5099) || slot === 16383) out.push(`orphan:${i}`);
  }
  return out;
}

async function exportNotice(page: Page): Promise<string> {
  await page.getByTestId('export').selectOption('markdown');
  await expect(page.getByTestId('notice')).toBeVisible();
  return (await page.getByTestId('notice').textContent()) ?? '';
}

async function exportText(page: Page, format: 'markdown' | 'csv'): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByTestId('export').selectOption(format);
  return readFileSync(await (await download).path(), 'utf8');
}

test('custom rules that do not compile: no panel shows a result, exports refuse, nothing is computed with Standard', async ({ page }, info) => {
  await page.goto('./');
  await settled(page);
  await page.getByTestId('policy').selectOption('custom');
  await page.getByTestId('compare').selectOption({ label: '— nothing —' });
  await openTab(page, 'rules');
  await setInput(page, 'rules-editor', '(?<tag>user:\\d+');
  await expect(page.getByTestId('blocked')).toContainText(BROKEN_RULES);
  await expect(page.getByTestId('blocked')).toContainText('line 1, column');
  await expect(page.getByTestId('status')).toContainText('no results');
  for (const panel of PANELS) {
    await page.getByTestId(`panel-${panel}`).click();
    await expect(page.getByTestId('blocked')).toBeVisible();
    await expect(page.getByTestId('keys-table')).toHaveCount(0);
  }
  await keepScreenshot(page, info, 'blocked-rules');
  expect(await exportNotice(page)).toContain(`Export: nothing to export: ${BROKEN_RULES}`);
  // The Problems list still points at the rule.
  await expect(page.getByTestId('problems')).toContainText('Rules 1:');
  // Fixed: results come back, computed under Custom.
  await setInput(page, 'rules-editor', '(?<tag>user:\\d+)');
  await settled(page);
  await page.getByTestId('panel-keys').click();
  await expect(page.getByTestId('keys-table').getByRole('row').filter({ hasText: 'user:1000:profile' })).toContainText('user:1000');
});

test('a broken compared rule set hides only the comparison, and says so', async ({ page }) => {
  await page.goto('./' + link({ i: { rules: '(?<tag>a' }, s: { policy: 'redis', compare: 'custom' } }));
  await settled(page);
  await page.getByTestId('panel-migration').click();
  await expect(page.getByTestId('migration-blocked')).toContainText('The custom rules have errors, so the comparison with Custom is not shown');
  await page.getByTestId('panel-keys').click();
  // The keys table has no compared columns: nothing is shown for a policy that was not computed.
  await expect(page.getByRole('columnheader', { name: '→ slot' })).toHaveCount(0);
  expect(await exportNotice(page)).toContain('Export: nothing to export: The custom rules have errors');
});

test('a pasted topology that cannot be read shows no layout at all, not an even split', async ({ page }) => {
  await page.goto('./' + link({ i: { topology: 'this is not a topology' }, s: { layout: { kind: 'paste' } } }));
  await expect(page.getByTestId('blocked')).toContainText('The pasted topology could not be read');
  for (const panel of ['shards', 'keys', 'migration']) {
    await page.getByTestId(`panel-${panel}`).click();
    await expect(page.getByTestId('blocked')).toBeVisible();
  }
  await expect(page.getByTestId('shards')).toHaveCount(0);
  expect(await exportNotice(page)).toContain('Export: nothing to export: The pasted topology could not be read');
});

test('keys on slots no shard owns are a row of their own in the Shards panel, the keys table and the exports', async ({ page }, info) => {
  const orphans = unownedKeys(2);
  await page.goto('./' + link({ i: { keys: ['user:1', ...orphans].join('\n'), topology: UNASSIGNED }, s: { layout: { kind: 'paste' }, compare: null } }));
  await settled(page);
  await page.getByTestId('panel-shards').click();
  await expect(page.getByTestId('no-owner')).toContainText('no owner');
  await expect(page.getByTestId('no-owner')).toContainText('2 (66.7%)');
  await expect(page.getByTestId('no-owner')).toContainText('5000-5099, 16383');
  await keepScreenshot(page, info, 'no-owner');
  await page.getByTestId('panel-keys').click();
  await expect(page.getByTestId('keys-table').getByRole('row').filter({ hasText: orphans[0] })).toContainText('no owner');
  const md = await exportText(page, 'markdown');
  expect(md).toMatch(/\| _no owner_ \| 2 \| 66\.7% \| 5000-5099, 16383 \|/);
  expect(md).toContain('2 keys fall in slots no shard owns');
  const csv = await exportText(page, 'csv');
  expect(csv).toContain(`,${orphans[0]},${orphans[0]},${slotOfBytes(utf8(orphans[0]))},no owner,,`);
});

test('an embed of a view whose rules are broken shows why, not another policy', async ({ page }) => {
  await page.goto('./?embed&panels=shards,keys' + link({ i: { rules: '(?<tag>user:\\d+' }, s: { policy: 'custom' } }));
  await expect(page.getByTestId('blocked')).toContainText(BROKEN_RULES);
  await expect(page.getByTestId('shards')).toHaveCount(0);
});
