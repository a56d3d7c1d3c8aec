import { describe, expect, it } from 'vitest';
import { latin1, utf8 } from '../../bytes.ts';
import { keyAt } from '../../input/keylist.ts';
import { renderPattern } from '../reasoning/model.ts';
import { hasPlaceholder, isPatternLine, parseKeyPatterns, parsePatternSyntax, type PatternPart } from './parse.ts';
import { typeOf } from './schema.ts';
import { typeName } from './types.ts';

/** Parts as short strings: literal text, or <name:type> (type '?' when undeclared). */
const shape = (parts: PatternPart[]) => parts.map((p) => (p.kind === 'lit' ? latin1(p.bytes) : `<${p.name}:${p.type ? typeName(p.type) : '?'}>`));
const syntax = (text: string) => parsePatternSyntax(utf8(text));

describe('pattern syntax', () => {
  it('reads placeholders, types and enumerations between literal bytes', () => {
    expect(shape(syntax('user:{<uid>}:cart').parts)).toEqual(['user:{', '<uid:?>', '}:cart']);
    expect(shape(syntax('session:<sid:hex32>').parts)).toEqual(['session:', '<sid:hex32>']);
    expect(shape(syntax('bull:{<queue>}:<job:int>').parts)).toEqual(['bull:{', '<queue:?>', '}:', '<job:int>']);
    expect(shape(syntax('<a:uuid><b:date><c:str><d:word>').parts)).toEqual(['<a:uuid>', '<b:date>', '<c:str>', '<d:word>']);
    expect(shape(syntax('geo:<region:eu|us|ap>').parts)).toEqual(['geo:', '<region:eu|us|ap>']);
  });
  it('enumerations may hold escaped | > \\ and an empty value', () => {
    const p = syntax('<v:a\\|b|c\\>|\\\\|>').parts[0];
    expect(p.kind === 'ph' && p.type?.kind === 'enum' && p.type.values.map((v) => latin1(v))).toEqual(['a|b', 'c>', '\\', '']);
  });
  it('\\< and \\\\ are escapes; other backslashes and a < without a name are bytes', () => {
    expect(shape(syntax('a\\<b>\\\\<x>').parts)).toEqual(['a<b>\\', '<x:?>']);
    expect(shape(syntax('a\\nb<1>< x><>').parts)).toEqual(['a\\nb<1>< x><>']);
    expect(hasPlaceholder(utf8('a\\<b>'))).toBe(false);
    expect(hasPlaceholder(utf8('x < y'))).toBe(false);
    expect(hasPlaceholder(utf8('a\\\\<b>'))).toBe(true);
  });
  it('keeps non-UTF-8 bytes of literals exactly', () => {
    const p = parsePatternSyntax(new Uint8Array([0xff, 0x3c, 0x78, 0x3e, 0x00]));
    expect(p.parts.map((x) => (x.kind === 'lit' ? [...x.bytes] : x.name))).toEqual([[0xff], 'x', [0x00]]);
  });
  it.each([
    ['user:<uid', 'unterminated-placeholder', 6, 10],
    ['a<x:int', 'unterminated-placeholder', 2, 8],
    ['a<x y>b', 'bad-placeholder', 2, 7],
    ['a<x:foo>', 'unknown-placeholder-type', 5, 8],
    ['a<x:hex>', 'unknown-placeholder-type', 5, 8],
    ['a<x:hex0>', 'unknown-placeholder-type', 5, 9],
    ['a<x:>', 'unknown-placeholder-type', 5, 5],
  ])('%s → %s at byte %i', (text, code, at, endAt) => {
    const s = syntax(text);
    expect(s.ok).toBe(false);
    expect(s.problems[0]).toMatchObject({ severity: 'error', code, at: at - 1, endAt: endAt - 1 });
  });
  it('warns about a repeated enumeration value', () => {
    const s = syntax('<r:eu|us|eu>');
    expect(s.ok).toBe(true);
    expect(s.problems.map((p) => p.code)).toEqual(['duplicate-alternative']);
  });
  it('renders back to the same pattern', () => {
    for (const text of ['user:{<uid>}:cart', 'a\\<b>\\\\<x>', 'x<y>\\', '<a><b>']) expect(renderPattern(syntax(text).parts)).toBe(text);
  });
});

describe('Keys text with patterns and plain keys', () => {
  const text = 'user:1000:cart\nuser:{<uid:int>}:cart\n"quoted <a> key"\n\nsession:<sid:hex32>\r\nplain\\<x>\norder:{<uid>}\n';
  const list = parseKeyPatterns(utf8(text));

  it('classifies lines: unquoted lines with a placeholder are patterns; quoted lines are always keys', () => {
    expect(isPatternLine(utf8('"a<b>"'))).toBe(false);
    expect(list.patterns.map((p) => [p.index, p.line, p.text])).toEqual([
      [0, 2, 'user:{<uid:int>}:cart'],
      [1, 5, 'session:<sid:hex32>'],
      [2, 7, 'order:{<uid>}'],
    ]);
    const keys = Array.from({ length: list.keys.count }, (_, i) => latin1(keyAt(list.keys, i)));
    expect(keys).toEqual(['user:1000:cart', 'quoted <a> key', 'plain\\<x>']);
    expect(Array.from(list.keys.lines)).toEqual([1, 3, 6]);
  });
  it('one name is one type: an untyped placeholder takes the declared type', () => {
    expect(typeName(typeOf(list.schema, 'uid'))).toBe('int');
    expect(typeName(typeOf(list.schema, 'nobody'))).toBe('word');
    expect(list.diagnostics).toEqual([]);
  });
  it('conflicting types are an error on the later placeholder, with its columns', () => {
    const l = parseKeyPatterns(utf8('a:<id:int>\nb:<id:uuid>:x\nc:<id>'));
    expect(l.diagnostics).toEqual([expect.objectContaining({ code: 'placeholder-type-conflict', severity: 'error', line: 2, column: 3, endColumn: 12 })]);
    expect(l.patterns.map((p) => p.ok)).toEqual([true, false, true]);
  });
  it('syntax errors are diagnostics in place, in editor columns', () => {
    const l = parseKeyPatterns(utf8('ok\nclé:<x:nope>\n"bad'));
    expect(l.diagnostics.map((d) => [d.line, d.column, d.endColumn, d.code])).toEqual([
      [2, 8, 12, 'unknown-placeholder-type'],
      [3, 1, 5, 'unbalanced-quote'],
    ]);
    expect(l.patterns[0].ok).toBe(false);
  });
});
