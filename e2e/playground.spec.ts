import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { expect, keepScreenshot, openTab, setInput, settled, test } from './helpers.ts';

const BIN = new URL('../bin/hashslot.js', import.meta.url).pathname;

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  await settled(page);
});

test('opens on the built-in example with every panel working', async ({ page }, info) => {
  const row = page.getByTestId('keys-table').getByRole('row').filter({ hasText: 'bull:{emails}:wait' });
  await expect(row).toContainText('3728');
  await keepScreenshot(page, info, 'keys');
  for (const panel of ['groups', 'slotmap', 'shards', 'commands', 'migration', 'explain']) {
    await page.getByTestId(`panel-${panel}`).click();
    await expect(page.getByRole('tabpanel').last()).not.toBeEmpty();
    await keepScreenshot(page, info, panel);
  }
  await page.getByTestId('panel-groups').click();
  await expect(page.getByTestId('hot-tags')).toContainText('emails');
  await page.getByTestId('panel-shards').click();
  await expect(page.getByTestId('shards')).toContainText('Shard 3');
});

test('typed keys get the same slots as the CLI, under each policy', async ({ page }) => {
  const keys = ['foo{}{bar}', '{}foo', 'a{b}c{d}e', 'user:1000:profile', '"\\xff{k}\\x00"', 'clé{é}'];
  await setInput(page, 'keys-editor', keys.join('\n'));
  for (const policy of ['redis', 'standard'] as const) {
    await page.getByTestId('policy').selectOption(policy);
    await page.getByTestId('compare').selectOption({ label: '— nothing —' });
    const cli = execFileSync('node', [BIN, 'slots', '--policy', policy, '--json'], { input: keys.join('\n') })
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).slot);
    const rows = page.getByTestId('keys-table').getByRole('row');
    await expect(rows).toHaveCount(keys.length);
    for (let i = 0; i < keys.length; i++) await expect(rows.nth(i)).toContainText(String(cli[i]));
  }
});

test('an invalid rule shows a marker in place and a Problems entry', async ({ page }) => {
  await openTab(page, 'rules');
  await setInput(page, 'rules-editor', '(?<tag>user:\\d+):.*\n(?=x)(?<tag>b)');
  await expect(page.getByTestId('problems')).toContainText('Rules 2:1');
  await expect(page.getByTestId('problems')).toContainText('unsupported-lookahead');
  await expect(page.getByTestId('rules-editor').locator('.squiggly-error')).toHaveCount(1);
  await expect(page.getByTestId('rules-editor')).toBeVisible();
});

test('a CROSSSLOT command is flagged with its fix, per deployment', async ({ page }) => {
  await openTab(page, 'commands');
  await setInput(page, 'commands-editor', 'MSET user:1000:profile a user:1000:settings b\nMGET {u}:a {u}:b');
  await page.getByTestId('panel-commands').click();
  const table = page.getByTestId('commands');
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('row').nth(1)).toContainText('crossslot');
  await expect(table.getByTestId('fix')).toContainText('{user:1000}:profile  {user:1000}:settings');
  await expect(page.getByTestId('commands-editor').locator('.squiggly-warning')).toHaveCount(1);
  await expect(page.getByTestId('problems')).toContainText('Commands 1:1');
  // user:1000:profile (8918) and user:1000:settings (15083) are on different shards of 3; on 1 shard, one node.
  await expect(table.getByTestId('one-shard')).toHaveCount(0);
  await page.getByTestId('shard-count').fill('1');
  await expect(table.getByTestId('one-shard')).toContainText('all on Shard 1');
  await page.getByTestId('target').selectOption('enterprise-proxy');
  await expect(table.getByRole('row').nth(1)).toContainText('split across them');
});

test('the compare view lists what moves and which commands change', async ({ page }) => {
  await page.getByTestId('policy').selectOption('redis');
  await page.getByTestId('compare').selectOption('standard');
  await page.getByTestId('panel-migration').click();
  await expect(page.getByTestId('migration')).toContainText('change slot');
  await expect(page.getByTestId('changed-slot')).not.toHaveText('0');
  await expect(page.getByTestId('verdict-changes')).toContainText('crossslot → ok');
  await page.getByTestId('panel-keys').click();
  await page.getByTestId('key-filter').fill('order:');
  await expect(page.getByTestId('keys-table').getByRole('row')).toHaveCount(2);
});

test('Explain shows the hashed bytes, the CRC16 and the slot', async ({ page }) => {
  await page.getByTestId('keys-table').getByRole('button', { name: 'bull:{emails}:wait' }).click();
  const steps = page.getByTestId('explain');
  await expect(steps).toContainText('first { at byte 5');
  await expect(steps).toContainText('CRC16-XMODEM');
  await expect(steps).toContainText('= 3728');
});

test('200k pasted keys are analysed in the worker while the page stays responsive', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await expect(page.getByTestId('keys-editor')).toHaveAttribute('data-ready', 'monaco', { timeout: 20_000 });
  const keys = Array.from({ length: 200_000 }, (_, i) => `user:${i}:cart`).join('\n');
  await page.evaluate((text) => navigator.clipboard.writeText(text), keys);
  await page.getByTestId('keys-editor').locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  // While the worker computes, the page still answers: switching tabs works at once.
  await page.getByTestId('panel-shards').click();
  await expect(page.getByTestId('shards')).toBeVisible();
  await expect(page.getByTestId('status')).toContainText('200,000 keys in', { timeout: 60_000 });
  await page.getByTestId('panel-keys').click();
  await expect(page.getByTestId('key-count')).toHaveText('200,000 keys');
  await page.getByTestId('keys-table').evaluate((el) => (el.scrollTop = 28 * 150_000));
  await expect(page.getByTestId('keys-table')).toContainText('user:150000:cart');
});

test('a key file can be opened', async ({ page }) => {
  await page.getByTestId('open-keys').setInputFiles({ name: 'keys.txt', mimeType: 'text/plain', buffer: Buffer.from('a{x}\r\nb{x}\r\n') });
  await expect(page.getByTestId('status')).toContainText('2 keys in');
  await expect(page.getByTestId('keys-table').getByRole('row')).toHaveCount(2);
});

test('accessibility: an axe scan finds no serious violations', async ({ page }) => {
  const results = await new AxeBuilder({ page }).exclude('.monaco-editor').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('an unbalanced quote in the keys is a marker and a problem; the text stays as typed', async ({ page }) => {
  await setInput(page, 'keys-editor', 'ok\n"broken');
  await expect(page.getByTestId('problems')).toContainText('Keys 2:1');
  await expect(page.getByTestId('problems')).toContainText('unbalanced-quote');
  await expect(page.getByTestId('keys-editor').locator('.squiggly-error')).toHaveCount(1);
  await expect(page.getByTestId('keys-editor').locator('.view-lines')).toContainText('"broken');
  // The table lists the line too, marked, so a key file's broken lines can be found in place.
  await expect(page.getByTestId('keys-table').getByRole('row')).toHaveCount(2);
  const broken = page.getByTestId('keys-table').getByRole('row').nth(1);
  await expect(broken).toContainText('line 2: unreadable');
  await expect(broken).toContainText('unbalanced-quote');
});

test('the slot map shows a slot, its keys and shard on hover', async ({ page }) => {
  await page.getByTestId('panel-slotmap').click();
  const map = page.getByTestId('slot-map');
  // Slot 3728 (bull:{emails}…) is column 3728 % 128 = 16, row 29; each cell is 4 px.
  await map.hover({ position: { x: 16 * 4 + 2, y: 29 * 4 + 2 } });
  await expect(page.getByTestId('slot-hover')).toContainText('Slot 3728: 4 keys, Shard 1');
});

test('dark theme, meeting mode and a 360 px phone', async ({ page }, info) => {
  await page.getByTestId('theme').selectOption('dark');
  await page.getByTestId('meeting').check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('html')).toHaveAttribute('data-meeting', 'on');
  await keepScreenshot(page, info, 'dark-meeting');
  await page.setViewportSize({ width: 360, height: 800 });
  await page.getByTestId('theme').selectOption('light');
  await page.getByTestId('meeting').uncheck();
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expect(page.getByTestId('keys-table').getByRole('row').first()).toBeVisible();
  await keepScreenshot(page, info, 'phone', true);
});

test('every control has an accessible name', async ({ page }) => {
  for (const name of ['Policy', 'Compare with', 'Target', 'Example', 'Theme']) await expect(page.getByLabel(name, { exact: true })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Keys' })).toBeAttached();
  for (const [tab, name] of [
    ['rules', 'Rules'],
    ['commands', 'Commands'],
    ['topology', 'Topology'],
  ] as const) {
    await openTab(page, tab);
    await expect(page.getByRole('textbox', { name, exact: true })).toBeAttached();
  }
});
