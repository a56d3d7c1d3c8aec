import { describe, expect, it } from 'vitest';
import { latin1, utf8 } from '../../bytes.ts';
import { createBytecodeEngine } from '../../rules/bytecode-engine.ts';
import { parseRules } from '../../rules/ruleset.ts';
import { createCustomPolicy, redisPolicy, standardPolicy, type Policy } from '../../slots/policy.ts';
import { analyzePatterns, parsePatternDocuments, verdictMatrix } from '../review/analysis.ts';
import { parseCommandTemplates } from './templates.ts';
import { typeName } from './types.ts';
import { typeOf } from './schema.ts';

const run = (commands: string, policy: Policy = redisPolicy, keys = '') => analyzePatterns({ keys: utf8(keys), commands: utf8(commands) }, policy);
const verdicts = (commands: string, policy: Policy = redisPolicy) =>
  run(commands, policy)
    .templates.filter((t) => t.kind === 'command')
    .map((t) => [t.line, t.command, t.verdicts['oss-cluster'].verdict, t.verdicts['enterprise-proxy'].verdict]);

describe('reading command templates', () => {
  it('splits like redis-cli first, then reads placeholders in each argument', () => {
    const list = parseCommandTemplates(utf8('MSET user:{<uid>}:a 1 "user:{<uid>}: b" 2\nGET plain\n# note\n'));
    expect(list.lines.map((l) => [l.source.line, l.names, l.patterns.map((p) => p !== null)])).toEqual([
      [1, ['uid'], [false, true, false, true, false]],
      [2, [], [false, false]],
      [3, [], []],
    ]);
    expect(list.diagnostics).toEqual([]);
  });
  it('points at a malformed placeholder in place', () => {
    const list = parseCommandTemplates(utf8('GET  user:<uid:nope>'));
    expect(list.diagnostics.map((d) => [d.code, d.line, d.column, d.endColumn])).toEqual([['unknown-placeholder-type', 1, 16, 20]]);
    expect(run('GET  user:<uid:nope>').templates[0].verdicts['oss-cluster'].verdict).toBe('error');
  });
});

describe('template verdicts per target', () => {
  it('always, never and depends, with the proxy splitting MSET / MGET / DEL', () => {
    expect(
      verdicts('MSET user:{<uid>}:a 1 user:{<uid>}:b 2\nMGET user:<uid>:a user:<uid>:b\nDEL {<s:str>}:a {<s:str>}:b\nSUNIONSTORE {<s:str>}:a {<s:str>}:b'),
    ).toEqual([
      [1, 'MSET', 'always', 'always'],
      [2, 'MGET', 'never', 'always'],
      [3, 'DEL', 'depends', 'always'],
      [4, 'SUNIONSTORE', 'depends', 'depends'],
    ]);
  });
  it('gives a command the target accepts and one it refuses, and the fix that makes it always', () => {
    const t = run('MGET user:<uid:int>:a user:<uid>:b').templates[0];
    expect(t.verdicts['oss-cluster']).toMatchObject({ verdict: 'never', refused: expect.stringMatching(/^MGET user:\d+:a user:\d+:b$/) });
    expect(t.fix).toEqual(['{user:<uid>}:a', '{user:<uid>}:b']);
    const d = run('DEL {<s:str>}:a {<s:str>}:b').templates[0].verdicts['oss-cluster'];
    expect(d.refused).toBe('DEL {}:a {}:b');
    expect(d.accepted).toMatch(/^DEL /);
  });
  it('wraps a shared placeholder when the keys share no prefix, and removes braces that would win', () => {
    expect(run('MGET cart:<uid> orders:<uid>').templates[0].fix).toEqual(['cart:{<uid>}', 'orders:{<uid>}']);
    expect(run('MGET a:{x}:<uid> b:{y}:<uid>').templates[0].fix).toEqual(['a:x:{<uid>}', 'b:y:{<uid>}']);
    // Standard hashes the last {…}: the fix must be proven under the policy that will run it.
    expect(run('MGET user:<uid>:{a} user:<uid>:{b}', standardPolicy).templates[0].fix).toEqual(['user:{<uid>}:a', 'user:{<uid>}:b']);
  });
  it('offers no constant tag: keys without a shared placeholder get no fix', () => {
    const t = run('DEL session:<sid> cart:<uid>').templates[0];
    expect(t.verdicts['oss-cluster'].verdict).toBe('never');
    expect(t.fix).toBeUndefined();
  });
  it('plain commands are decided exactly, with the suggestion hashslot check gives', () => {
    const t = run('MGET user:1000:profile user:1000:cart').templates[0];
    expect(t.template).toBe(false);
    expect(t.verdicts['oss-cluster']).toMatchObject({ verdict: 'never', refused: 'MGET user:1000:profile user:1000:cart' });
    expect(t.keysVerdict).toMatchObject({ exact: true });
    expect(t.fix).toEqual(['{user:1000}:profile', '{user:1000}:cart']);
  });
  it('a MULTI … EXEC block is one template: its EXEC line covers every key, and nothing is split', () => {
    const r = run('MULTI\nDEL user:{<uid>}:a\nDEL user:{<uid>}:b\nEXEC\nMULTI\nDEL user:{<uid>}:a\nDEL user:<uid>:b\nEXEC');
    expect(r.templates.map((t) => [t.line, t.command, t.verdicts['oss-cluster'].verdict, t.verdicts['enterprise-proxy'].verdict])).toEqual([
      [1, 'MULTI', 'no-keys', 'no-keys'],
      [2, 'DEL', 'always', 'always'],
      [3, 'DEL', 'always', 'always'],
      [4, 'EXEC', 'always', 'always'],
      [5, 'MULTI', 'no-keys', 'no-keys'],
      [6, 'DEL', 'always', 'always'],
      [7, 'DEL', 'always', 'always'],
      [8, 'EXEC', 'never', 'never'],
    ]);
    expect(r.templates[7]).toMatchObject({
      transaction: { from: 5, to: 8 },
      keys: ['user:{<uid>}:a', 'user:<uid>:b'],
      fix: ['user:{<uid>}:a', 'user:{<uid>}:b'],
    });
    expect(r.templates[7].verdicts['oss-cluster'].refused).toMatch(/^MULTI; DEL user:\{(\S+)\}:a; DEL user:\1:b; EXEC$/);
  });
  it('a queued command refused with CROSSSLOT makes the whole block fail, not error', () => {
    const r = run('MULTI\nMGET a:<x> b:<x>\nEXEC');
    expect(r.templates.map((t) => t.verdicts['oss-cluster'].verdict)).toEqual(['no-keys', 'never', 'never']);
  });
  it('command errors stay errors, with the diagnostics hashslot check gives', () => {
    expect(verdicts('NOSUCH user:<uid>\nGET')).toEqual([
      [1, 'NOSUCH', 'error', 'error'],
      [2, 'GET', 'error', 'error'],
    ]);
    expect(run('NOSUCH user:<uid>\nMULTI\nGET a:<x>').commandDiagnostics.map((d) => [d.line, d.code])).toEqual([
      [1, 'unknown-command'],
      [2, 'unclosed-multi'],
    ]);
  });
  it('warns when which arguments are keys depends on a value', () => {
    const r = run('EVAL "return 1" <n:1|2> k:<a> k:<b>');
    expect(r.commandDiagnostics.map((d) => d.code)).toEqual(['template-keys-vary']);
  });
  it('custom rules: sampled, and keys no rule matches are errors', () => {
    const set = parseRules('(?<tag>user:\\d+):.*');
    const policy = createCustomPolicy(set, createBytecodeEngine());
    const r = analyzePatterns({ keys: new Uint8Array(), commands: utf8('MSET user:<uid:int>:a 1 user:<uid>:b 2\nGET session:<sid>') }, policy, {
      ruleSet: set,
    });
    expect(r.mode).toBe('sampled');
    expect(r.templates.map((t) => [t.verdicts['oss-cluster'].verdict, t.sampled])).toEqual([
      ['always', true],
      ['error', true],
    ]);
    expect(r.templates[1].verdicts['oss-cluster'].reason).toMatch(/matches no rule/);
  });
});

describe('analyzePatterns', () => {
  it('one schema for both texts: a type declared in Keys applies to Commands, a conflict is reported in Commands', () => {
    const docs = parsePatternDocuments({ keys: utf8('user:{<uid:int>}:cart\n'), commands: utf8('GET x:<uid>\nGET y:<uid:uuid>\n') });
    expect(typeName(typeOf(docs.schema, 'uid'))).toBe('int');
    expect(docs.commandDiagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['placeholder-type-conflict', 2, 7]]);
    const r = analyzePatterns(docs, redisPolicy);
    expect(r.templates[0].verdicts['oss-cluster'].accepted).toMatch(/^GET x:\d+$/);
    expect(r.templates[1].verdicts['oss-cluster'].verdict).toBe('error');
  });
  it('describes every pattern and fills the matrix; plain keys and malformed patterns stay out of it', () => {
    const r = analyzePatterns({ keys: utf8('user:{<uid>}:a\nplain:key\nuser:{<uid>}:b\nbad:<x:?>\nuser:<uid>:c') }, redisPolicy);
    expect(r.patterns.map((p) => [p.index, p.line, p.ok, p.hashing?.hashing.expr])).toEqual([
      [0, 1, true, '<uid>'],
      [1, 3, true, '<uid>'],
      [2, 4, false, undefined],
      [3, 5, true, 'user:<uid>:c'],
    ]);
    expect(r.pairs.map((p) => [p.a, p.b, p.verdict, p.shared])).toEqual([
      [0, 1, 'always', ['uid']],
      [0, 3, 'never', ['uid']],
      [1, 3, 'never', ['uid']],
    ]);
    expect(verdictMatrix(r)).toEqual([
      [null, 'always', null, 'never'],
      ['always', null, null, 'never'],
      [null, null, null, null],
      ['never', 'never', null, null],
    ]);
    expect(r.keyDiagnostics.map((d) => d.code)).toEqual(['unknown-placeholder-type']);
  });
  it('results are plain data (the worker posts them)', () => {
    const r = run('MGET a:<x> b:<x>', redisPolicy, 'a:{<x>}\nb:{<x>}');
    expect(structuredClone(r)).toEqual(r);
    expect(latin1(utf8(JSON.stringify(r)))).toBeTruthy();
  });
});
