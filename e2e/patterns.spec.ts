import AxeBuilder from '@axe-core/playwright';
import { expect, keepScreenshot, settled, test } from './helpers.ts';

test('schema review: ten key patterns and five command templates give a matrix and verdicts a reviewer can act on', async ({ page }, info) => {
  await page.goto('./');
  await settled(page);
  await page.getByTestId('panel-patterns').click();
  await expect(page.getByTestId('patterns-empty')).toBeVisible();
  await page.getByTestId('patterns-example').click();
  await settled(page);

  // What each pattern hashes, with the values that change it.
  const hashing = page.getByTestId('pattern-hashing');
  await expect(hashing.getByRole('row')).toHaveCount(11);
  await expect(hashing.getByRole('row').nth(1)).toContainText('user:{<uid:int>}:profile');
  await expect(hashing.getByRole('row').nth(1)).toContainText('<uid>');
  await expect(hashing.getByRole('row').nth(4)).toContainText('the whole key');
  await expect(hashing.getByRole('row').nth(9)).toContainText('<q>'); // search:{<q:str>}: a str may hold braces
  await expect(hashing.getByRole('row').nth(9).locator('summary').first()).toBeVisible();

  // The matrix: profile/cart always, profile/settings never, search results/count depends.
  const matrix = page.getByTestId('pattern-matrix');
  await expect(matrix.getByRole('button', { name: 'user:{<uid:int>}:profile and user:{<uid>}:cart: always' })).toBeVisible();
  await matrix.getByRole('button', { name: 'user:{<uid:int>}:profile and user:<uid>:settings: never' }).click();
  await expect(page.getByTestId('pair-detail')).toContainText('one slot only by chance');
  await expect(page.getByTestId('pair-detail')).toContainText('Shared placeholders: <uid>');
  await matrix.getByRole('button', { name: 'search:{<q:str>}:results and search:{<q>}:count: depends' }).click();
  const detail = page.getByTestId('pair-detail');
  await expect(detail).toContainText('Same slot:');
  await expect(detail).toContainText('Different slots:');

  // Templates per target, with the fix; the badge counts the ones that are not always single-slot.
  const templates = page.getByTestId('template-verdicts');
  await expect(templates.getByRole('row').filter({ hasText: 'MGET' })).toContainText('never');
  await expect(templates.getByRole('row').filter({ hasText: 'MGET' }).getByTestId('template-fix')).toContainText('user:{<uid>}:profile user:{<uid>}:settings');
  await expect(templates.getByRole('row').filter({ hasText: 'LMOVE' })).toContainText('always');
  await expect(templates.getByRole('row').filter({ hasText: 'EXEC' })).toContainText('always');
  await expect(page.getByTestId('panel-patterns').locator('.badge')).toHaveText('3');
  await keepScreenshot(page, info, 'patterns', true);
  // The matrix and tables pass an accessibility scan too (each cell is a named button).
  const axe = await new AxeBuilder({ page }).include('.results').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // Samples of the patterns fill the key views; templates are not ordinary commands.
  await page.getByTestId('panel-keys').click();
  await expect(page.getByTestId('key-count')).not.toHaveText('0 keys');
  await expect(page.getByTestId('keys-table')).toContainText('user:{');
  await page.getByTestId('panel-commands').click();
  await expect(page.getByTestId('templates-note')).toContainText('checked for every value in the Patterns view');
  await page.getByTestId('pattern-samples').fill('4');
  await page.getByTestId('panel-keys').click();
  await expect(page.getByTestId('key-count')).toHaveText(/^(3[3-9]|40) keys$/);
});

test('a malformed pattern is a marker where it was typed; the other patterns are still reasoned about', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  await page.getByTestId('panel-patterns').click();
  await page.getByTestId('patterns-example').click();
  await settled(page);
  await page.getByTestId('input-tab-keys').click();
  const editor = page.getByTestId('keys-editor');
  await expect(editor).toHaveAttribute('data-ready', 'monaco', { timeout: 20_000 });
  await editor.locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.insertText('\nbroken:<oops:nosuchtype>');
  await expect(page.getByTestId('problems')).toContainText('Keys 11:');
  await expect(editor.locator('.squiggly-error')).toHaveCount(1);
  await expect(page.getByTestId('pattern-hashing')).toContainText('malformed: see Problems');
  await expect(page.getByTestId('pattern-matrix').getByRole('button', { name: 'user:{<uid:int>}:profile and user:{<uid>}:cart: always' })).toBeVisible();
});
