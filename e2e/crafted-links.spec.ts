/**
 * Issue 8: share links are untrusted data. Crafted links — markup and script in every input, prototype
 * pollution keys, wrong types, garbage, huge payloads — must run nothing, pollute nothing and leave a
 * usable page: the decoded inputs shown as text, or the example with a notice that says why.
 */
import { deflateRawSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, settled, test } from './helpers.ts';

/** A `#v1/` link for any JSON value or raw text, built the way src/ui/share.ts reads it (deflate-raw, base64url). */
function link(body: unknown, raw = false): string {
  const bytes = raw ? Buffer.from(body as string | Uint8Array) : Buffer.from(JSON.stringify(body), 'utf8');
  return '#v1/' + deflateRawSync(bytes).toString('base64url');
}

const DAMAGED = 'Showing the example: this link is damaged (it may have been cut short).';
const TOO_LARGE = 'Showing the example: this link is too large to open.';

/**
 * Watches a page for anything a payload could make happen: a dialog, a CSP violation, an uncaught
 * error, the `window.__pwned` flag every payload sets, a change to Object.prototype (the names on it
 * are recorded before any page script runs).
 */
async function guard(page: Page) {
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.__protoBefore = Object.getOwnPropertyNames(Object.prototype).sort().join();
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => (w.__csp as string[]).push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return {
    async nothingRan() {
      const state = await page.evaluate(() => {
        const w = window as unknown as Record<string, unknown>;
        const probe = {} as Record<string, unknown>;
        return {
          pwned: w.__pwned ?? null,
          csp: w.__csp,
          prototypeChanged: Object.getOwnPropertyNames(Object.prototype).sort().join() !== w.__protoBefore,
          inherited: ['polluted', 'keys', 'rules', 'policy', 'kind', 'count', 'i', 's', 'p'].filter((k) => k in probe),
          injected: document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], iframe, object, embed').length,
          scripts: [...document.scripts].filter((s) => (s.textContent ?? '').includes('__pwned')).length,
        };
      });
      expect(state).toEqual({ pwned: null, csp: [], prototypeChanged: false, inherited: [], injected: 0, scripts: 0 });
      expect(dialogs, 'dialogs').toEqual([]);
      expect(errors, 'page errors').toEqual([]);
    },
  };
}

/**
 * Opens the app on `hash` as a fresh document. Going from one fragment to another on the same page is
 * a same-document navigation that the app (rightly) does not re-read, so each link starts from blank.
 */
async function open(page: Page, hash: string) {
  await page.goto('about:blank');
  await page.goto('./' + hash);
  await settled(page);
}

/** The example is on screen: its first key heads the keys table. */
async function showsExample(page: Page) {
  await page.getByTestId('panel-keys').click();
  await expect(page.getByTestId('keys-table').getByRole('row').first()).toContainText('user:1000:profile');
}

/** A key-list line holding exactly these bytes (redis-cli quoting). */
const quoted = (key: string) => `"${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

const XSS_KEYS = [
  'xss:{<img src=x onerror="window.__pwned=1;alert(1)">}:a',
  '<script>window.__pwned=2;alert(2)</script>',
  'x"><svg onload="window.__pwned=3">',
  'javascript:window.__pwned=4',
  "{{constructor.constructor('window.__pwned=5')()}}",
];

test('markup and script in keys, rules, commands and topology are shown as text and never run', async ({ page }) => {
  const g = await guard(page);
  const state = {
    i: {
      // Quoted, markup is a plain key; unquoted, `<name>` makes a line a key pattern: both kinds are here.
      keys: [...XSS_KEYS.map(quoted), 'xss:{<script>}:<img:int>'].join('\n'),
      rules: '(?<tag><script>window.__pwned=6</script>)\n<img src=x onerror="window.__pwned=7">',
      rulesB: '(?<tag><svg onload=window.__pwned=8>)',
      commands: 'MGET "<script>window.__pwned=9</script>" "<img src=x onerror=window.__pwned=10>"\nSET <svg/onload=window.__pwned=11> v',
      topology: '<img src=x onerror="window.__pwned=12">\n<script>window.__pwned=13</script>',
    },
    s: { policy: 'standard', compare: 'custom' },
    p: 'commands',
  };
  await open(page, link(state));
  await expect(page.getByTestId('notice')).toHaveCount(0);
  // Every input arrives as it was sent, as text: in the editors and in the results. The MGET line holds
  // `<script>`, a placeholder: it is a command template, checked in the Patterns view.
  await expect(page.getByTestId('templates-note')).toContainText('1 command template');
  await page.getByTestId('panel-patterns').click();
  await expect(page.getByTestId('template-verdicts')).toContainText('<script>window.__pwned=9</script>');
  await expect(page.getByTestId('pattern-hashing')).toContainText('xss:{<script>}:<img:int>');
  await expect(page.getByTestId('problems')).toContainText('placeholder <img'); // the malformed one in MGET, as text
  await page.getByTestId('panel-keys').click();
  const table = page.getByTestId('keys-table');
  await expect(page.getByTestId('key-count')).toHaveText(`${XSS_KEYS.length + 32} keys`); // the pattern stands for 32 samples
  for (const key of XSS_KEYS) await expect(table).toContainText(key);
  await expect(table).toContainText('<img src=x onerror="window.__pwned=1;alert(1)">'); // Standard: the tag, as text
  await expect(page.getByTestId('problems')).toContainText('missing-tag'); // the second rule, reported, not run
  for (const panel of ['groups', 'slotmap', 'shards', 'migration', 'explain', 'keys']) await page.getByTestId(`panel-${panel}`).click();
  await table.getByRole('button', { name: XSS_KEYS[0] }).click(); // Explain: the key and its bytes, as text
  await expect(page.getByRole('heading', { name: XSS_KEYS[0] })).toBeVisible();
  await expect(page.getByTestId('explain')).toContainText('CRC16');
  await g.nothingRan();
});

test('__proto__, constructor and prototype keys pollute nothing; the fields beside them apply', async ({ page }) => {
  const g = await guard(page);
  const body =
    '{"__proto__":{"polluted":"yes","keys":"from-proto"},' +
    '"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"},' +
    '"i":{"__proto__":{"keys":"from-proto"},"constructor":"x","keys":"safe:{a}:1\\nsafe:{a}:2"},' +
    '"s":{"__proto__":{"policy":"custom"},"policy":"standard","layout":{"__proto__":{"kind":"even","count":5}}},' +
    '"p":"__proto__"}';
  await open(page, link(body, true));
  // The layout and panel given only through __proto__ are not applied, and the notice says so.
  await expect(page.getByTestId('notice')).toHaveText("Opened the link, but ignored layout, panel: not valid there, so the example's value is used. ×");
  await expect(page.getByTestId('policy')).toHaveValue('standard');
  await expect(page.getByTestId('keys-table').getByRole('row')).toHaveCount(2);
  await expect(page.getByTestId('keys-table')).toContainText('safe:{a}:1');
  await g.nothingRan();
});

test('wrong types are ignored field by field: valid fields apply, the rest stay as in the example', async ({ page }) => {
  const g = await guard(page);
  const state = {
    i: { keys: 'typed:{ok}:1\ntyped:{ok}:2\ntyped:{ok}:3', rules: 42, commands: ['GET', 'x'], topology: { toString: 'x' }, rulesB: null },
    s: { policy: ['custom'], compare: 7, target: { evil: true }, implicitShardKey: 'yes', layout: { kind: 'even', count: 1e308 } },
    p: 12,
    extra: '<script>window.__pwned=1</script>',
  };
  await open(page, link(state));
  // The user is told which fields were not applied; the valid ones (keys) are.
  await expect(page.getByTestId('notice')).toContainText('Opened the link, but ignored rules, ');
  for (const field of ['commands', 'topology', 'rulesB', 'policy', 'compare', 'target', 'implicit_shard_key', 'layout', 'panel']) {
    await expect(page.getByTestId('notice')).toContainText(field);
  }
  await expect(page.getByTestId('notice')).not.toContainText('keys,');
  await expect(page.getByTestId('keys-table').getByRole('row')).toHaveCount(3);
  await expect(page.getByTestId('policy')).toHaveValue('redis');
  await g.nothingRan();
  for (const top of [[], null, 42, 'a string', true]) {
    await open(page, link(top));
    await expect(page.getByTestId('notice')).toHaveText(DAMAGED + ' ×');
    await showsExample(page);
    await g.nothingRan();
  }
});

test('garbage links open the example with a notice that says the link is damaged', async ({ page }) => {
  const g = await guard(page);
  const garbage = [
    '#v1/!!!not*base64~~',
    '#v1/' + Buffer.from('certainly not deflate data, just bytes').toString('base64url'),
    '#v1/' + 'A'.repeat(5),
    link('{"i": {"keys": "cut', true), // JSON cut short
    link('<script>window.__pwned=1</script>', true), // deflated, but not JSON
    link(Buffer.from([0x7b, 0x22, 0x69, 0x22, 0x3a, 0xff, 0xfe, 0x7d]), true), // not UTF-8
    link(JSON.stringify({ i: { keys: 'x' } })).slice(0, -6), // a real link, cut short
    '#v1/' + encodeURIComponent('<img src=x onerror=alert(1)>'),
  ];
  for (const hash of garbage) {
    await open(page, hash);
    await expect(page.getByTestId('notice'), hash.slice(0, 60)).toHaveText(DAMAGED + ' ×');
    await showsExample(page);
    await g.nothingRan();
  }
  await open(page, '#<script>window.__pwned=1</script>');
  await expect(page.getByTestId('notice')).toHaveText('Showing the example: this link is not a Slot Playground link (or is from a newer version). ×');
  await showsExample(page);
  await g.nothingRan();
});

test('huge links: 10 MB never reaches the page, 2 MB and a zip bomb are refused with a notice', async ({ page }) => {
  const g = await guard(page);
  // Chromium itself refuses URLs over 2 MiB: a 10 MB fragment aborts the navigation, and the page that
  // was open stays as it was, usable.
  await open(page, '');
  await expect(page.goto('./#v1/' + 'A'.repeat(10_000_000))).rejects.toThrow(/ERR_ABORTED|ERR_INVALID_URL/);
  await showsExample(page);
  expect(await page.evaluate(() => location.hash.length)).toBeLessThan(100);
  await g.nothingRan();
  // The largest link Chromium passes on is over the app's own limit (2,000,000 characters): refused unread.
  await open(page, '#v1/' + 'A'.repeat(2_050_000));
  await expect(page.getByTestId('notice')).toHaveText(TOO_LARGE + ' ×');
  await showsExample(page);
  await g.nothingRan();
  // A 30 KB link that inflates to 30 MB (over the 20 MB the app inflates) stops there.
  const bomb = link({ i: { keys: 'k'.repeat(30_000_000) } });
  expect(bomb.length).toBeLessThan(100_000);
  await open(page, bomb);
  await expect(page.getByTestId('notice')).toHaveText(TOO_LARGE + ' ×');
  await showsExample(page);
  await g.nothingRan();
});
