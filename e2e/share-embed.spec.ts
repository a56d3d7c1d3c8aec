import { expect, keepScreenshot, setInput, settled, test } from './helpers.ts';

test('the app runs under its Content-Security-Policy with no violation or error', async ({ page }) => {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto('./');
  await settled(page);
  await expect(page.getByTestId('keys-editor')).toHaveAttribute('data-ready', 'monaco', { timeout: 20_000 });
  for (const panel of ['groups', 'slotmap', 'shards', 'commands', 'migration', 'explain', 'keys']) await page.getByTestId(`panel-${panel}`).click();
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', /default-src 'self'/);
  expect(problems).toEqual([]);
});

test('a share link reopens exactly what the sender saw', async ({ page, browser, baseURL }) => {
  await page.goto('./');
  await settled(page);
  await setInput(page, 'keys-editor', 'shared:{x}:1\nshared:{x}:2\nother');
  await page.getByTestId('policy').selectOption('standard');
  await page.getByTestId('compare').selectOption({ label: '— nothing —' });
  await page.getByTestId('target').selectOption('active-active');
  await page.getByTestId('panel-groups').click();
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#v1\//);
  await page.waitForTimeout(600); // the fragment follows edits after a short pause
  const url = page.url();

  const other = await browser.newPage({ baseURL });
  await other.goto(url);
  await settled(other);
  await expect(other.getByTestId('policy')).toHaveValue('standard');
  await expect(other.getByTestId('target')).toHaveValue('active-active');
  await expect(other.getByTestId('groups')).toContainText('shared:{x}:1');
  await other.getByTestId('panel-keys').click();
  await expect(other.getByTestId('keys-table').getByRole('row')).toHaveCount(3);
  await other.close();
});

test('a damaged or foreign link falls back to the example with a notice', async ({ page }) => {
  for (const hash of ['#v1/not-really-base64!!', '#v7/future', '#<script>alert(1)</script>', '#v1/' + 'A'.repeat(100_000)]) {
    await page.goto('./' + hash);
    await settled(page);
    await expect(page.getByTestId('notice')).toContainText('Showing the example');
    await expect(page.getByTestId('keys-table').getByRole('row').first()).toContainText('user:1000:profile');
  }
});

test('the state can be saved to a file and opened again', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  await setInput(page, 'keys-editor', 'from:{file}:a\nfrom:{file}:b');
  const download = page.waitForEvent('download');
  await page.getByTestId('save-state').click();
  const file = await (await download).path();
  await page.goto('./');
  await settled(page);
  await page.getByTestId('open-state').setInputFiles(file);
  await expect(page.getByTestId('notice')).toContainText('Opened');
  await expect(page.getByTestId('keys-table').getByRole('row')).toHaveCount(2);
});

test('embed mode: chosen panels, read-only, a link to the full playground, and its height posted to the parent', async ({ page }, info) => {
  await page.goto('./');
  await settled(page);
  await setInput(page, 'keys-editor', 'foo{}{bar}\n{}foo\na{b}c{d}e');
  await page.waitForTimeout(600);
  const hash = await page.evaluate(() => location.hash);
  const src = new URL(`./?embed&panels=keys,migration&inputs=keys&readonly${hash}`, page.url()).href;
  const parent = `<!doctype html><meta charset="utf-8"><body><iframe id="f" src="${src}" style="width:800px;height:100px;border:0"></iframe>
    <script>addEventListener('message', (e) => {
      if (e.data && e.data.type === 'slot-playground:height') {
        document.getElementById('f').style.height = e.data.height + 'px';
        document.body.dataset.height = e.data.height;
      }
    });</script>`;
  await page.route('**/embed-host.html', (route) => route.fulfill({ contentType: 'text/html', body: parent }));
  await page.goto('./embed-host.html');
  await expect(page.locator('body')).toHaveAttribute('data-height', /\d+/, { timeout: 20_000 });
  const frame = page.frameLocator('#f');
  await expect(frame.getByTestId('panel-keys')).toBeVisible();
  await expect(frame.getByTestId('panel-migration')).toBeVisible();
  await expect(frame.getByTestId('panel-commands')).toHaveCount(0);
  await expect(frame.getByTestId('open-full')).toHaveAttribute('href', /#v1\//);
  await expect(frame.getByTestId('keys-table').getByRole('row')).toHaveCount(3);
  await expect(frame.getByTestId('keys-editor')).toHaveAttribute('data-ready', 'monaco', { timeout: 20_000 });
  await expect(frame.locator('.monaco-editor textarea').first()).toHaveAttribute('readonly', /.*/);
  expect(Number(await page.locator('body').getAttribute('data-height'))).toBeGreaterThan(200);
  await keepScreenshot(page, info, 'embed');
});

test('exports: a Markdown review report, CSV per key, JSON', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  const grab = async (format: string) => {
    const download = page.waitForEvent('download');
    await page.getByTestId('export').selectOption(format);
    const d = await download;
    const { readFile } = await import('node:fs/promises');
    return { name: d.suggestedFilename(), text: await readFile((await d.path())!, 'utf8') };
  };
  const md = await grab('markdown');
  expect(md.name).toBe('slot-review.md');
  expect(md.text).toMatch(/CROSSSLOT/);
  expect(md.text).toMatch(/\{user:1000\}:profile/);
  expect(md.text).toMatch(/flushes the database/i);
  const csv = await grab('csv');
  expect(csv.text.split('\r\n')[0]).toBe('line,key,tag,slot,shard,rule,error');
  expect(csv.text).toContain('\r\n9,bull:{emails}:wait,emails,3728,Shard 1,,\r\n');
  const json = JSON.parse((await grab('json')).text);
  expect(json.format).toBe('slot-playground-report');
  expect(json.keys).toHaveLength(25);
});

test('print gives the results without editors or controls', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.toolbar')).toBeHidden();
  await expect(page.locator('section.inputs')).toBeHidden();
  await expect(page.getByTestId('keys-table')).toBeVisible();
});

test('inputs survive a reload (local storage) until reset', async ({ page }) => {
  await page.goto('./');
  await settled(page);
  await setInput(page, 'keys-editor', 'kept:{me}:1\nkept:{me}:2');
  await expect(page.getByTestId('keys-table').getByRole('row')).toHaveCount(2);
  await page.waitForTimeout(700);
  await page.goto(page.url().split('#')[0]); // the bare address, no link
  await settled(page);
  await expect(page.getByTestId('restored')).toBeVisible();
  await expect(page.getByTestId('keys-table').getByRole('row')).toHaveCount(2);
  await page.getByTestId('reset').click();
  await expect(page.getByTestId('keys-table').getByRole('row').first()).toContainText('user:1000:profile');
  await page.goto(page.url().split('#')[0]);
  await settled(page);
  await expect(page.getByTestId('restored')).toHaveCount(0);
});
