import type { CompiledRule, ParsedRule, RegexEngine } from './engine.ts';
import { compileProgram } from './program.ts';
import { Matcher } from './vm.ts';

/**
 * The engine the app and CLI use: rules compiled to a small program and run by a memoising
 * backtracker that follows PCRE's match order exactly and cannot take more than
 * O(program × key length) steps. Pure TypeScript, so it runs the same in Node and in a worker.
 */
export function createBytecodeEngine(): RegexEngine {
  const matcher = new Matcher();
  return {
    name: 'bytecode',
    compile(rule: ParsedRule): CompiledRule {
      const prog = compileProgram(rule.ast, rule.notEmpty);
      return {
        exec: (bytes, start, end, out) => (Matcher.fits(prog, end - start) ? matcher.run(prog, bytes, start, end, out) : null),
        dispose() {},
      };
    },
  };
}
