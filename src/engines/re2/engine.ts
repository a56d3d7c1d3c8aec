import { latin1, type CompiledRule, type ParsedRule, type RegexEngine, type RuleNode, type TagSpan } from '../../core/index.ts';
import { toRe2Pattern } from './translate.ts';

/**
 * What the adapter needs of re2-wasm's `RE2` class (`import { RE2 } from 're2-wasm'`, or the same
 * class loaded for the browser by `loadRe2Browser`): `new RE2(pattern, 'u')` and `exec`.
 */
export interface Re2Regex {
  /** Element 0 is the whole match, element n the text of group n (undefined if it took no part). */
  exec(input: string): ArrayLike<string | undefined> | null;
}

export type Re2Constructor = new (pattern: string, flags: string) => Re2Regex;

/**
 * Longest key (in bytes) this engine evaluates; `exec` returns null beyond. re2-wasm has a fixed
 * 16 MiB memory (5 MiB of it stack) that cannot grow, and running out aborts the whole WASM
 * instance for good. A match costs about 4 heap bytes per UTF-8 byte of the key (the key, the
 * whole match and the tag are each copied into the heap), and bytes 0x80–0xFF take two UTF-8 bytes
 * each: measured, a single key of 0xFF bytes aborts from ~1.4 MiB on (~2.8 MiB for ASCII), and
 * 1.5 MiB aborts with 32 brace-soup rules compiled. 512 KiB (≤ 4 MiB of heap) leaves the rest to
 * the compiled rules and their DFA caches.
 */
export const RE2_MAX_KEY_BYTES = 512 * 1024;

/** re2-wasm instances that have aborted, with the reason: every later call into them would fail. */
const dead = new WeakMap<Re2Constructor, string>();

/**
 * An engine on Google's RE2 (re2-wasm), independent of ours: it cross-checks the bytecode engine
 * in tests and is the baseline in benchmarks. The RE2 class is passed in, so the same adapter runs
 * in Node (`loadRe2Node`) and in the browser (`loadRe2Browser`).
 *
 * Byte semantics: with the `u` flag re2-wasm matches code points, so running it over the key's
 * latin1 view (one char per byte) matches bytes, and lengths of group texts are byte counts.
 *
 * Limits: keys over RE2_MAX_KEY_BYTES give null. RE2 sizes its per-rule DFA caches for a much
 * larger heap than re2-wasm has, so rules whose DFA needs many states (like `.*a.{15}b`) can still
 * exhaust the heap on long keys (measured: 32 such rules abort on one 5 KB key); that aborts the
 * instance, and from then on compile and exec throw an Error saying so (never a wrong answer).
 * On short keys, RE2 finds captures without its DFA, which is why every call asks for captures:
 * a capture-less `test()` first would be ~4× faster on keys a rule rejects, but runs the DFA on
 * every key, and the same 32 rules then abort within a hundred 30-byte keys.
 */
export function createRe2Engine(RE2: Re2Constructor): RegexEngine {
  return {
    name: 're2-wasm',
    compile(rule: ParsedRule): CompiledRule {
      // What RE2 has no equivalent for: possessive repeats that change a match, (*NOTEMPTY), several tag groups.
      const translated = !rule.possessiveHarmless
        ? { unsupported: 'it has a possessive repeat (written, or made so by PCRE) that changes what it matches, and RE2 has none' }
        : rule.notEmpty
          ? { unsupported: '(*NOTEMPTY) is not translated' }
          : tagGroups(rule.ast) > 1
            ? { unsupported: 'several groups are the tag (a branch reset), which is not translated' }
            : toRe2Pattern(rule.ast);
      if ('unsupported' in translated) {
        throw new Error(`RE2 cannot run rule ${rule.index} exactly: ${translated.unsupported}`);
      }
      const { pattern, layout } = translated;
      const regex = guard(RE2, () => {
        try {
          return new RE2(pattern, 'u');
        } catch (e) {
          if (e instanceof SyntaxError) {
            // re2-wasm's message repeats the pattern: keep RE2's own reason only.
            const reason = e.message.replace(/^Invalid regular expression: \/.*\/u: /s, '');
            throw new Error(`RE2 refuses rule ${rule.index}: ${reason}`, { cause: e });
          }
          throw e;
        }
      });
      // The compiled pattern lives in the WASM heap until freed: re2-wasm's RE2 class has no method
      // for it, but keeps its Embind handle in `wrapper`, whose `delete()` frees it.
      const handle = (regex as { wrapper?: { delete?: () => void } }).wrapper;
      if (typeof handle?.delete !== 'function') {
        throw new Error('this RE2 class has no Embind handle (wrapper.delete) to free compiled patterns with');
      }
      const { group, constant, plus, minus } = layout;
      let disposed = false;

      return {
        exec(bytes: Uint8Array, start: number, end: number, out: TagSpan): boolean | null {
          if (disposed) throw new Error(`rule ${rule.index} was disposed`);
          if (end - start > RE2_MAX_KEY_BYTES) return null;
          const input = latin1(bytes, start, end);
          const m = guard(RE2, () => regex.exec(input));
          if (m === null) return false;
          const tag = group > 0 ? m[group] : undefined;
          if (tag === undefined) {
            out.start = out.end = -1;
            return true;
          }
          let at = start + constant;
          for (const g of plus) at += part(m, g).length;
          for (const g of minus) at -= part(m, g).length;
          out.start = at;
          out.end = at + tag.length;
          return true;
        },
        dispose(): void {
          if (disposed) return;
          disposed = true;
          // After an abort the heap is gone anyway, and delete() would throw.
          if (!dead.has(RE2)) guard(RE2, () => handle.delete!());
        },
      };
    },
  };
}

/** A helper capture: it always takes part when the tag does (see translate.ts). */
function part(m: ArrayLike<string | undefined>, group: number): string {
  const text = m[group];
  if (text === undefined) throw new Error(`re2-wasm engine: helper group ${group} did not take part although the tag did`);
  return text;
}

/** Runs a call into re2-wasm; turns an abort of the WASM instance into a plain, lasting Error. */
function guard<T>(RE2: Re2Constructor, call: () => T): T {
  const reason = dead.get(RE2);
  if (reason !== undefined) throw new Error(reason);
  try {
    return call();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError || (e instanceof Error && e.message.startsWith('abort('))) {
      const what = e.message.replace(/^abort\(/, '').split(/\)? at |\. Either /)[0];
      const message = `re2-wasm aborted (${what}): its WASM instance is unusable from now on (a fresh one takes a new process, page or worker)`;
      dead.set(RE2, message);
      throw new Error(message, { cause: e });
    }
    throw e;
  }
}

/** How many groups save the tag (more than one only in a branch reset). */
function tagGroups(n: RuleNode): number {
  switch (n.t) {
    case 'group':
      return (n.tag ? 1 : 0) + tagGroups(n.body);
    case 'seq':
      return n.items.reduce((k, it) => k + tagGroups(it), 0);
    case 'alt':
      return n.alts.reduce((k, it) => k + tagGroups(it), 0);
    case 'repeat':
      return tagGroups(n.body);
    default:
      return 0;
  }
}
