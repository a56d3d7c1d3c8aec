import { expect, test as base, type Page, type TestInfo } from '@playwright/test';

/** Every test fails if the page requests anything outside its own origin: keys never leave the browser. */
export const test = base.extend<{ foreign: string[] }>({
  foreign: [
    async ({ page, baseURL }, use) => {
      const foreign: string[] = [];
      const own = new URL(baseURL!).host;
      page.on('request', (req) => {
        const url = new URL(req.url());
        if (!['data:', 'blob:'].includes(url.protocol) && url.host !== own) foreign.push(req.url());
      });
      await use(foreign);
      expect(foreign, 'requests to other origins').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** Replaces the text of one input editor (Monaco once loaded) as a user would: select all, type. */
export async function setInput(page: Page, testid: string, text: string): Promise<void> {
  const editor = page.getByTestId(testid);
  await expect(editor).toHaveAttribute('data-ready', 'monaco', { timeout: 20_000 });
  await editor.locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

export async function openTab(page: Page, tab: 'keys' | 'rules' | 'commands' | 'topology'): Promise<void> {
  await page.getByTestId(`input-tab-${tab}`).click();
}

/** Waits until the worker has answered for the current inputs. */
export async function settled(page: Page): Promise<void> {
  await expect(page.getByTestId('status')).toContainText('keys in', { timeout: 30_000 });
}

/** Screenshots of the main views are kept as artefacts in test-results/screenshots/, and attached. */
export async function keepScreenshot(page: Page, info: TestInfo, name: string, fullPage = false): Promise<void> {
  const path = `test-results/screenshots/${name}.png`;
  await page.screenshot({ path, fullPage });
  await info.attach(name, { path, contentType: 'image/png' });
}
