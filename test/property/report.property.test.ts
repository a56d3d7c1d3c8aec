import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvKeys, mdCode, mdText, type KeyRecord } from '../../src/core/index.ts';
import { opts, wellFormedText } from './support.ts';

/** Text that stresses CSV and Markdown escaping. */
const nasty = fc.oneof(
  wellFormedText(20),
  fc
    .array(
      fc.constantFrom(
        ',',
        '"',
        '""',
        '\r',
        '\n',
        '\r\n',
        ' ',
        '\t',
        '`',
        '``',
        '|',
        '\\',
        '\\|',
        '*',
        '_',
        '[',
        ']',
        '<',
        '>',
        '&',
        '#',
        '!',
        '~',
        'a',
        'é',
        '␊',
        '&amp;',
        '&#124;',
      ),
      { maxLength: 12 },
    )
    .map((xs) => xs.join('')),
);

/** RFC 4180, read strictly: CRLF records, comma-separated fields, `"` quoting with `""` for a quote. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const record: string[] = [];
    for (;;) {
      let value = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new Error('unterminated quoted field');
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          value += text[i++];
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
          if (text[i] === '"') throw new Error(`bare quote in an unquoted field at ${i}`);
          value += text[i++];
        }
      }
      record.push(value);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text.startsWith('\r\n', i)) {
        i += 2;
        break;
      }
      throw new Error(`expected , or CRLF at ${i}`);
    }
    records.push(record);
  }
  return records;
}

/** Reads a CommonMark code span back to its content, or throws if `s` is not exactly one code span. */
function codeSpanContent(s: string): string {
  const n = /^`+/.exec(s)?.[0].length ?? 0;
  if (n === 0) throw new Error('no opening backticks');
  if (!s.endsWith('`'.repeat(n)) || s[s.length - n - 1] === '`' || s.length < 2 * n + 1) throw new Error('no matching closing fence');
  const inner = s.slice(n, s.length - n);
  for (const run of inner.match(/`+/g) ?? []) if (run.length === n) throw new Error('the fence closes early');
  return inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '' ? inner.slice(1, -1) : inner;
}

const shown = (t: string) => t.replace(/\r/g, '␍').replace(/\n/g, '␊');

describe('property: report output escaping (csv, markdown)', () => {
  it('csvKeys reads back (RFC 4180) as exactly the values written', () => {
    // Every shape of key record: placed (with or without rule and shard, no owner), a key error, an unreadable line.
    const line = fc.integer({ min: 1, max: 1e6 });
    const row: fc.Arbitrary<KeyRecord> = fc.oneof(
      fc.record(
        { line, key: nasty, tag: nasty, slot: fc.integer({ min: 0, max: 16383 }), rule: fc.integer({ min: 0, max: 32 }), shard: fc.option(nasty) },
        { requiredKeys: ['line', 'key', 'tag', 'slot'] },
      ),
      fc.record({ line, key: nasty, error: nasty, message: nasty }),
      fc.record({ line, key: fc.constant(null), error: nasty, column: line, message: nasty }),
    );
    const expected = (r: KeyRecord) => {
      const cells = (() => {
        if (r.key === null) return [String(r.line), '', '', '', '', '', r.error];
        if ('error' in r) return [String(r.line), r.key, '', '', '', '', r.error];
        const shard = r.shard === undefined ? '' : (r.shard ?? 'no owner');
        return [String(r.line), r.key, r.tag, String(r.slot), shard, r.rule === undefined ? '' : String(r.rule), ''];
      })();
      // A cell a spreadsheet would run as a formula reads back with its guard.
      return cells.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c));
    };
    fc.assert(
      fc.property(fc.array(row, { maxLength: 6 }), (rows) => {
        const records = parseCsv(csvKeys(rows));
        expect(records[0]).toEqual(['line', 'key', 'tag', 'slot', 'shard', 'rule', 'error']);
        expect(records.slice(1)).toEqual(rows.map(expected));
      }),
      opts(1000),
    );
  });

  it('mdCode(text) is one code span whose content is the text (line breaks shown as ␍ ␊)', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const md = mdCode(text);
        if (text === '') expect(md).toBe('(empty)');
        else expect(codeSpanContent(md)).toBe(shown(text));
      }),
      opts(1000),
    );
  });

  it('mdCode(text, true) is safe in a GFM table cell: no bare pipe, and the cell reads back as the text', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const md = mdCode(text, true);
        if (text === '') return;
        expect(/(^|[^\\])\|/.test(md)).toBe(false);
        expect(/[\r\n]/.test(md)).toBe(false);
        if (md.startsWith('<code>')) {
          expect(md.endsWith('</code>')).toBe(true);
          const inner = md.slice(6, -7);
          expect(inner).not.toMatch(/[<>|]/);
          const decoded = inner
            .replace(/\\([\\`*_[\]~])/g, '$1')
            .replace(/&#124;/g, '|')
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&amp;/g, '&');
          expect(decoded).toBe(shown(text));
        } else {
          // GFM removes the backslash of `\|` in a cell before reading the code span.
          expect(codeSpanContent(md.replace(/\\\|/g, '|'))).toBe(shown(text));
        }
      }),
      opts(1000),
    );
  });

  it('mdText(text) has no line break and no unescaped Markdown special character; unescaped it is the text', () => {
    fc.assert(
      fc.property(nasty, (text) => {
        const md = mdText(text);
        expect(/[\r\n]/.test(md)).toBe(false);
        expect(md.replace(/\\[\s\S]/g, '')).not.toMatch(/[\\`*_[\]<>|~&#!]/);
        expect(md.replace(/\\([\s\S])/g, '$1')).toBe(text.replace(/\r\n|[\r\n]/g, ' '));
      }),
      opts(1000),
    );
  });
});
