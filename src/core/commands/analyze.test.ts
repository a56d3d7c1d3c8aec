import { describe, expect, it } from 'vitest';
import { utf8 } from '../bytes.ts';
import { parseRules } from '../rules/ruleset.ts';
import { createBytecodeEngine } from '../rules/bytecode-engine.ts';
import { createCustomPolicy, redisPolicy, standardPolicy, type Policy } from '../slots/policy.ts';
import { analyzeCommands } from './analyze.ts';
import { tokenizeCommands } from './tokenize.ts';
import type { Target } from './verdict.ts';

function check(text: string, policy: Policy = redisPolicy) {
  const parsed = tokenizeCommands(utf8(text));
  return analyzeCommands(parsed.lines, policy);
}
const verdicts = (text: string, target: Target, policy?: Policy) => check(text, policy).reports.map((r) => r.verdicts[target].verdict);

describe('verdicts per deployment target', () => {
  const lines = ['MGET a b', 'EXISTS a b', 'TOUCH a b', 'DEL a b', 'MSET a 1 b 2', 'UNLINK a b', 'SUNIONSTORE a b c', 'MGET {t}a {t}b'].join('\n');
  it('oss-cluster and enterprise-oss-api: every multi-key command needs one slot', () => {
    const expected = ['crossslot', 'crossslot', 'crossslot', 'crossslot', 'crossslot', 'crossslot', 'crossslot', 'ok'];
    expect(verdicts(lines, 'oss-cluster')).toEqual(expected);
    expect(verdicts(lines, 'enterprise-oss-api')).toEqual(expected);
  });
  it('enterprise-proxy: DEL, MGET, MSET, EXISTS, UNLINK, TOUCH may span slots', () => {
    expect(verdicts(lines, 'enterprise-proxy')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'crossslot', 'ok']);
    expect(check(lines).reports[0].verdicts['enterprise-proxy'].reason).toMatch(/split across them \(not atomic\)/);
  });
  it('active-active: MGET, EXISTS, TOUCH may span slots; DEL, MSET, UNLINK may not', () => {
    expect(verdicts(lines, 'active-active')).toEqual(['ok', 'ok', 'ok', 'crossslot', 'crossslot', 'crossslot', 'crossslot', 'ok']);
  });
  it('no target splits commands inside MULTI/EXEC', () => {
    const tx = 'MULTI\nMGET a b\nEXEC';
    for (const t of ['oss-cluster', 'enterprise-proxy', 'active-active', 'enterprise-oss-api'] as Target[]) {
      expect(verdicts(tx, t)).toEqual(['no-keys', 'crossslot', 'error']);
    }
  });
});

describe('transactions', () => {
  it('the EXEC verdict covers every queued command, reported on the EXEC line', () => {
    const r = check('MULTI\nSET {u}:a 1\nSET {u}:b 2\nEXEC\nMULTI\nSET a 1\nSET b 2\nEXEC').reports;
    expect(r[3]).toMatchObject({ command: 'EXEC', keys: ['{u}:a', '{u}:b'], transaction: { from: 1, to: 4 } });
    expect(r[3].verdicts['oss-cluster'].verdict).toBe('ok');
    expect(r[7].verdicts['oss-cluster'].verdict).toBe('crossslot');
    expect(r[7].suggestion).toBeDefined();
  });
  it('a refused command aborts EXEC; later commands are not stored (as the server does)', () => {
    expect(verdicts('MULTI\nSET a 1\nNOSUCH x\nSET b 1\nEXEC', 'oss-cluster')).toEqual(['no-keys', 'ok', 'error', 'ok', 'error']);
    expect(verdicts('MULTI\nSET a 1\nSET b 1\nNOSUCH x\nEXEC', 'oss-cluster')).toEqual(['no-keys', 'ok', 'ok', 'error', 'crossslot']);
  });
  it('control errors and warnings', () => {
    expect(verdicts('EXEC\nDISCARD\nMULTI\nMULTI', 'oss-cluster')).toEqual(['error', 'error', 'no-keys', 'error']);
    expect(check('MULTI\nSET a 1').diagnostics.map((d) => d.code)).toEqual(['unclosed-multi']);
    expect(verdicts('MULTI\nSET a 1\nSET b 1\nDISCARD', 'oss-cluster')).toEqual(['no-keys', 'ok', 'ok', 'no-keys']);
    const watch = check('WATCH x\nMULTI\nSET {u}:a 1\nEXEC').diagnostics;
    expect(watch.map((d) => [d.code, d.line])).toEqual([['watch-other-slot', 4]]);
  });
});

describe('keys and errors', () => {
  it('uses the command table: subcommands, numkeys, STREAMS, STORE', () => {
    const keys = (line: string) => check(line).reports[0].keys;
    expect(keys('OBJECT ENCODING k')).toEqual(['k']);
    expect(keys('MEMORY USAGE k SAMPLES 5')).toEqual(['k']);
    expect(keys('XINFO STREAM s')).toEqual(['s']);
    expect(keys('EVAL "return 1" 2 a b x y')).toEqual(['a', 'b']);
    expect(keys('ZUNIONSTORE d 2 a b WEIGHTS 1 2')).toEqual(['d', 'a', 'b']);
    expect(keys('XREAD COUNT 2 STREAMS a b 0 0')).toEqual(['a', 'b']);
    expect(keys('SORT k BY nosort STORE d')).toEqual(['k', 'd']);
    expect(keys('GEORADIUS g 0 0 5 km STORE d')).toEqual(['g', 'd']);
    expect(keys('MIGRATE h 6379 "" 0 100 KEYS a b')).toEqual(['a', 'b']);
    expect(keys('SPUBLISH channel msg')).toEqual(['channel']);
    expect(keys('SSUBSCRIBE c1 c2')).toEqual(['c1', 'c2']);
    expect(keys('PUBLISH channel msg')).toEqual([]);
  });
  it('names the problem with a stable code and column', () => {
    const d = check('SET k v\nFOO bar\nGET\nEVAL "x" 3 a\nSORT k BY w_*').diagnostics;
    expect(d.map((x) => [x.code, x.line, x.column])).toEqual([
      ['unknown-command', 2, 1],
      ['wrong-arity', 3, 1],
      ['bad-numkeys', 4, 1],
      ['sort-pattern', 5, 1],
    ]);
    expect(verdicts('PING\nKEYS *', 'oss-cluster')).toEqual(['no-keys', 'no-keys']);
  });
  it('warns about literal keys a script does not declare', () => {
    const d = check(`EVAL "redis.call('SET', KEYS[1], 1); return redis.call('GET', 'config:flag')" 1 k`).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['undeclared-key']);
    expect(d[0].message).toMatch(/config:flag/);
  });
  it('comment lines are kept as comments', () => {
    expect(check('# hello\nGET k').reports.map((r) => r.kind)).toEqual(['comment', 'command']);
  });
});

describe('hash-tag suggestions are right under the chosen policy', () => {
  const suggestion = (line: string, policy: Policy) => check(line, policy).reports[0].suggestion;
  it('wraps the common prefix', () => {
    expect(suggestion('MSET user:1000:profile a user:1000:settings b', redisPolicy)).toEqual(['{user:1000}:profile', '{user:1000}:settings']);
    expect(suggestion('MGET user:1000 user:1000:cart', redisPolicy)).toEqual(['{user:1000}', '{user:1000}:cart']);
    expect(suggestion('MSET user:1000:profile a user:1000:settings b', standardPolicy)).toEqual(['{user:1000}:profile', '{user:1000}:settings']);
  });
  it('falls back to a shared tag when there is no common prefix, and checks it', () => {
    const s = suggestion('MGET alpha beta', redisPolicy)!;
    expect(s).toEqual(['{alpha}:alpha', '{alpha}:beta']);
    const rewritten = check(`MGET ${s.join(' ')}`, redisPolicy).reports[0];
    expect(rewritten.verdicts['oss-cluster'].verdict).toBe('ok');
  });
  it('under Standard, a tag the last {…} would override is not suggested', () => {
    // Standard hashes the last {…}: wrapping "bull" in front of "{emails}" changes nothing there.
    const s = suggestion('MGET bull:{emails}:1 bull:{payments}:2', standardPolicy);
    if (s) expect(check(`MGET ${s.join(' ')}`, standardPolicy).reports[0].verdicts['oss-cluster'].verdict).toBe('ok');
  });
  it('under custom rules it only suggests what the rules would co-locate', () => {
    const rules = parseRules('(?<tag>[^:]+):.*');
    const policy = createCustomPolicy(rules, createBytecodeEngine());
    const s = suggestion('MGET a:1 b:2', policy);
    if (s) expect(check(`MGET ${s.join(' ')}`, policy).reports[0].verdicts['oss-cluster'].verdict).toBe('ok');
  });
});
