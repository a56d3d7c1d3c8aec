import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyFilePieces } from '../bench/keys.ts';
import { createBytecodeEngine, createCustomPolicy, newSpan, parseRules, redisPolicy, utf8 } from '../src/core/index.ts';
import { EXAMPLE } from '../src/ui/example.ts';
import { expect, keepScreenshot, settled, test } from './helpers.ts';

// Generated files live outside test-results/ (another Playwright run may clear that) and go afterwards.
const dir = mkdtempSync(join(tmpdir(), 'slot-e2e-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function keyFile(name: string, count: number): Promise<string> {
  const path = join(dir, name);
  const out = createWriteStream(path);
  for (const piece of keyFilePieces(count, 7)) if (!out.write(piece)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  return path;
}

const slotOf = (key: string) => redisPolicy.locate(utf8(key), 0, utf8(key).length, newSpan());

test('a key file streams through the worker: exact counts, a table that pages through the whole file, Explain reads a key back', async ({ page }, info) => {
  const path = await keyFile('keys.txt', 400_000);
  await page.goto('./');
  await settled(page);
  await page.getByTestId('open-keys').setInputFiles(path);
  await expect(page.getByTestId('key-file')).toContainText('keys.txt');
  await expect(page.getByTestId('done')).toContainText('400,000 keys', { timeout: 30_000 });
  await expect(page.getByTestId('file-summary')).toContainText('400,000 keys on 400,000 lines');
  await expect(page.getByTestId('file-summary')).toContainText('a uniform sample of 100,000 keys');
  await expect(page.getByTestId('key-count')).toHaveText('400,000 keys');
  await keepScreenshot(page, info, 'key-file');

  // The last rows: read back from the end of the file.
  const table = page.getByTestId('keys-table');
  await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(table.locator('[aria-rowindex="400001"]')).toBeVisible();
  const lastKey = (await table.locator('[aria-rowindex="400001"] button.key').textContent())!;
  const lastSlot = Number(await table.locator('[aria-rowindex="400001"] [role=cell]').nth(2).textContent());
  expect(lastSlot).toBe(slotOf(lastKey));

  // Filtering searches the whole file; Explain shows a key from it.
  await page.getByTestId('key-filter').fill(lastKey);
  await expect(page.getByTestId('key-count')).toHaveText(/^[1-9]\d* keys$/, { timeout: 20_000 });
  await table.locator('button.key').first().click();
  await expect(page.getByTestId('explain')).toContainText(`mod 16384 = ${lastSlot}`);

  // Back to the editor: its keys were never replaced.
  await page.getByTestId('close-file').click();
  await expect(page.getByTestId('done')).toContainText('25 keys');
});

test('a paste too big for the editor is analysed as a key source of its own; the editor keeps its text', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  await expect(page.getByTestId('keys-editor')).toHaveAttribute('data-ready', 'monaco', { timeout: 20_000 });
  const lines = Array.from({ length: 150_000 }, (_, i) => `bull:{q${i % 10}}:job:${i}`).join('\n');
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document
      .querySelector('[data-testid=keys-editor] textarea')!
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, lines);
  await expect(page.getByTestId('key-file')).toContainText('pasted keys');
  await expect(page.getByTestId('done')).toContainText('150,000 keys', { timeout: 30_000 });
  await page.getByTestId('panel-groups').click();
  await expect(page.locator('.results')).toContainText('q3');
  await page.getByTestId('close-file').click();
  await expect(page.getByTestId('keys-editor').locator('.view-lines')).toContainText('user:1000:profile');
});

test('a dropped key file is read like an opened one', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  const text = Array.from({ length: 120_000 }, (_, i) => `session:${i.toString(16).padStart(24, '0')}`).join('\n');
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.items.add(new File([t], 'dropped.txt', { type: 'text/plain' }));
    const zone = document.querySelector('.drop')!;
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, text);
  await expect(page.getByTestId('key-file')).toContainText('dropped.txt');
  await expect(page.getByTestId('done')).toContainText('120,000 keys', { timeout: 30_000 });
});

test('Cancel stops a long file analysis; the page keeps its inputs and can analyse again', async ({ page }) => {
  const path = await keyFile('big.txt', 3_000_000);
  await page.goto('./');
  await settled(page);
  await page.getByTestId('policy').selectOption('custom');
  await settled(page);
  await page.getByTestId('open-keys').setInputFiles(path);
  await expect(page.getByTestId('file-progress')).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('cancel').click();
  await expect(page.getByTestId('status')).toContainText('stopped');
  await expect(page.getByTestId('key-file')).toContainText('big.txt');
  await page.getByTestId('policy').selectOption('redis');
  await expect(page.getByTestId('done')).toContainText('3,000,000 keys', { timeout: 60_000 });
});

test('a worker that stops answering is replaced by the watchdog, with a notice; inputs stay', async ({ page }) => {
  let hung = false;
  // The first worker script the page loads hangs on its first message, as a runaway bug would.
  await page.route('**/analysis.worker*.js', async (route) => {
    if (hung) return route.continue();
    hung = true;
    await route.fulfill({ contentType: 'text/javascript', body: 'self.onmessage = () => { for (;;) {} };' });
  });
  await page.goto('./');
  await expect(page.getByTestId('notice')).toContainText('stopped answering for 10 s and was restarted', { timeout: 30_000 });
  await expect(page.getByTestId('status')).toContainText('stopped');
  await page.getByTestId('analyse-again').click();
  await expect(page.getByTestId('done')).toContainText('25 keys', { timeout: 20_000 });
  await expect(page.getByTestId('keys-editor')).toContainText('user:1000:profile');
});

test('custom rules on a key file give the same slots as the core', async ({ page }) => {
  const path = await keyFile('custom.txt', 200_000);
  await page.goto('./');
  await settled(page);
  await page.getByTestId('policy').selectOption('custom');
  await page.getByTestId('compare').selectOption('redis');
  await page.getByTestId('open-keys').setInputFiles(path);
  await expect(page.getByTestId('done')).toContainText('200,000 keys', { timeout: 30_000 });
  const policy = createCustomPolicy(parseRules(EXAMPLE.rules), createBytecodeEngine());
  const table = page.getByTestId('keys-table');
  await expect(table.locator('[aria-rowindex="2"] button.key')).toBeVisible();
  for (const row of await table.getByRole('row').all()) {
    const key = await row.locator('button.key').textContent();
    if (!key) continue;
    const bytes = utf8(key);
    expect(Number((await row.getByRole('cell').nth(2).textContent())?.replace('–', '-1'))).toBe(Math.max(-1, policy.locate(bytes, 0, bytes.length, newSpan())));
  }
});

test('a 10 M-line key file works in the browser: every key counted, the last line read back', async ({ page }) => {
  test.setTimeout(180_000);
  const path = await keyFile('ten-million.txt', 10_000_000);
  await page.goto('./');
  await settled(page);
  await page.getByTestId('open-keys').setInputFiles(path);
  await expect(page.getByTestId('done')).toContainText('10,000,000 keys', { timeout: 120_000 });
  await expect(page.getByTestId('file-summary')).toContainText('10,000,000 keys on 10,000,000 lines');
  const table = page.getByTestId('keys-table');
  await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = table.locator('[aria-rowindex="10000001"]');
  await expect(last).toBeVisible({ timeout: 20_000 });
  const key = (await last.locator('button.key').textContent())!;
  expect(await last.locator('button.key').getAttribute('title')).toBe('Explain line 10000000');
  expect(Number(await last.getByRole('cell').nth(2).textContent())).toBe(slotOf(key));
});

test('a small file the editor would alter (invalid UTF-8, CR, BOM) is streamed byte for byte; a clean one goes into the editor', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  const bytes = Buffer.from([0x61, 0xe9, 0x7b, 0x74, 0x7d, 0x0a, 0x62, 0x0d, 0x63, 0x0a]); // a\xe9{t}, b\rc
  await page.getByTestId('open-keys').setInputFiles({ name: 'binary.txt', mimeType: 'text/plain', buffer: bytes });
  await expect(page.getByTestId('key-file')).toContainText('binary.txt');
  await expect(page.getByTestId('done')).toContainText('2 keys');
  await expect(page.getByTestId('keys-table')).toContainText('"a\\xe9{t}"');
  await expect(page.getByTestId('keys-table')).toContainText('"b\\rc"');
  const tag = page.getByTestId('keys-table').locator('[aria-rowindex="2"] [role=cell]').nth(2);
  await expect(tag).toHaveText(String(slotOf('t')));
  await page.getByTestId('close-file').click();
  await page.getByTestId('open-keys').setInputFiles({ name: 'clean.txt', mimeType: 'text/plain', buffer: Buffer.from('clean:{x}:1\nclean:{x}:2\n') });
  await expect(page.getByTestId('key-file')).toHaveCount(0);
  await expect(page.getByTestId('keys-editor')).toContainText('clean:{x}:1');
  await expect(page.getByTestId('done')).toContainText('2 keys');
});
