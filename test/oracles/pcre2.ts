/**
 * Test oracle: runs patterns through the real PCRE2 library via pcre2test
 * (8-bit library, non-UTF mode, PCRE2_ANCHORED, interpreter rather than JIT).
 *
 * How the input is made unambiguous:
 *  - patterns are written with the `hex` modifier, so any byte (NUL, newline,
 *    the delimiter, 0x80-0xFF) reaches pcre2_compile() unchanged and by length;
 *  - every subject byte is written as a two-digit `\xhh` escape, so nothing is
 *    stripped (trailing blanks) or misread (backslashes), and an empty subject
 *    is a lone `\`.
 *
 * How the output is made unambiguous: pcre2test prints captured text with
 * bytes 0x20-0x7E as themselves and all others as `\xhh`, so a printed `\x41`
 * could be four literal bytes or not. We don't decode the text. With
 * `allaftertext` every SET group N also gets an `N+` line holding the rest of
 * the subject after the group. Printing is byte-by-byte and every byte prints
 * as at least one char, so the printed width of subject[i..] strictly
 * decreases with i: the width of the `N+` text pins the group's end offset,
 * and adding the width of the `N:` text pins its start offset. The groups are
 * then sliced from the original subject bytes, and we check that re-printing
 * the slices gives exactly what pcre2test printed. An unset group prints
 * `<unset>` with no `N+` line, so it can't be mistaken for a group that
 * captured the text "<unset>".
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './find-executable.ts';

export interface PcreResult {
  matched: boolean;
  /** captured bytes per named group, null when the group is unset (or there was no match) */
  groups: Record<string, Uint8Array | null>;
  /** whole match bytes */
  match: Uint8Array | null;
  /**
   * Set when PCRE2 could not give a match/no-match answer: a match-time error
   * such as "error -47: match limit exceeded", or "compile error: ..." when the
   * pattern itself was rejected. `matched` is false in both cases.
   */
  error?: string;
}

export interface PcreJob {
  pattern: string;
  subjects: Uint8Array[];
  caseless?: boolean;
  /** Compile with PCRE2_NO_AUTO_POSSESS: the rule as written, without PCRE's auto-possessification. */
  noAutoPossess?: boolean;
}

// ---------------------------------------------------------------------------
// Writing the pcre2test script

/**
 * ovector=0 sizes the match data from the pattern (the default of 15 pairs
 * would report "too many substrings" for bigger patterns); callout_none makes
 * (?C) callouts no-ops instead of printing trace lines into the results.
 */
const SUBJECT_DEFAULTS = '#subject ovector=0,callout_none';

/** One code unit per char, each 0..255, as promised by the API; anything else is a caller bug. */
function patternBytes(pattern: string): Buffer {
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.charCodeAt(i) > 0xff) {
      throw new Error(`pattern char at index ${i} is U+${pattern.charCodeAt(i).toString(16)}; only 0..255 (one byte each) is allowed`);
    }
  }
  return Buffer.from(pattern, 'latin1');
}

/**
 * never_utf rejects (*UTF) in the pattern: UTF mode would change both the
 * matching semantics we promise (bytes) and the way pcre2test prints text.
 * info prints the name table; allcaptures lists every group, set or not.
 */
function patternLine(pattern: string, caseless: boolean, noAutoPossess = false): string {
  const modifiers = ['hex', 'anchored', 'never_utf', 'info', 'allcaptures', 'allaftertext'];
  if (caseless) modifiers.push('caseless');
  if (noAutoPossess) modifiers.push('no_auto_possess');
  return `/${patternBytes(pattern).toString('hex')}/${modifiers.join(',')}`;
}

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

function subjectLine(subject: Uint8Array): string {
  if (subject.length === 0) return '\\'; // a final lone backslash is dropped: the empty subject
  // Filled byte-wise: string concatenation was the main cost for big batches.
  const line = Buffer.allocUnsafe(subject.length * 4);
  for (let i = 0, o = 0; i < subject.length; i++, o += 4) {
    const byte = subject[i];
    line[o] = 0x5c; // '\\'
    line[o + 1] = 0x78; // 'x'
    line[o + 2] = HEX_DIGITS[byte >> 4];
    line[o + 3] = HEX_DIGITS[byte & 15];
  }
  return line.toString('latin1');
}

function isPrintable(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e;
}

/** Mirrors how pcre2test prints subject text in 8-bit non-UTF mode without a locale: 0x20-0x7E as is, else \xhh. */
function printLikePcre2test(bytes: Uint8Array, width: number): string {
  const out = Buffer.allocUnsafe(width);
  let o = 0;
  for (const byte of bytes) {
    if (isPrintable(byte)) {
      out[o++] = byte;
    } else {
      out[o++] = 0x5c; // '\\'
      out[o++] = 0x78; // 'x'
      out[o++] = HEX_DIGITS[byte >> 4];
      out[o++] = HEX_DIGITS[byte & 15];
    }
  }
  return out.toString('latin1');
}

type Step = { kind: 'command' } | { kind: 'pattern'; job: number } | { kind: 'subject'; job: number; index: number } | { kind: 'end'; job: number };

interface Script {
  lines: string[];
  steps: Step[]; // steps[i] describes lines[i]
}

function buildScript(jobs: PcreJob[]): Script {
  const lines = [SUBJECT_DEFAULTS];
  const steps: Step[] = [{ kind: 'command' }];
  jobs.forEach((job, j) => {
    lines.push(patternLine(job.pattern, job.caseless ?? false, job.noAutoPossess));
    steps.push({ kind: 'pattern', job: j });
    job.subjects.forEach((subject, index) => {
      lines.push(subjectLine(subject));
      steps.push({ kind: 'subject', job: j, index });
    });
    lines.push(''); // a blank line ends the subject list
    steps.push({ kind: 'end', job: j });
  });
  return { lines, steps };
}

// ---------------------------------------------------------------------------
// Reading pcre2test's output

interface CompiledInfo {
  compileError: string | null;
  /** name -> group numbers in name-table order (several with (?J) / dupnames) */
  names: Map<string, number[]>;
}

function parsePatternOutput(output: string[]): CompiledInfo {
  const names = new Map<string, number[]>();
  let compileError: string | null = null;
  for (let i = 0; i < output.length; i++) {
    const line = output[i];
    if (line.startsWith('Failed: ') || line.startsWith('** ')) {
      compileError = (compileError ? `${compileError}\n` : '') + line.replace(/^Failed: /, '');
    } else if (line === 'Named capture groups:') {
      for (let m; i + 1 < output.length && (m = /^ {2}(\S+) +(\d+)$/.exec(output[i + 1])); i++) {
        const list = names.get(m[1]) ?? [];
        list.push(Number(m[2]));
        names.set(m[1], list);
      }
    }
  }
  return { compileError, names };
}

interface PrintedGroup {
  text: string;
  rest?: string;
}

/** Finds i such that the printed width of subject[i..] is `width`; widths strictly decrease with i. */
function offsetForSuffixWidth(suffixWidths: Int32Array, width: number): number {
  let lo = 0;
  let hi = suffixWidths.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const w = suffixWidths[mid];
    if (w === width) return mid;
    if (w > width) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function suffixWidths(subject: Uint8Array): Int32Array {
  const widths = new Int32Array(subject.length + 1);
  for (let i = subject.length - 1; i >= 0; i--) {
    widths[i] = widths[i + 1] + (isPrintable(subject[i]) ? 1 : 4);
  }
  return widths;
}

/** Recovers a set group's exact bytes from its printed text and printed remainder; throws if they don't add up. */
function sliceGroup(subject: Uint8Array, widths: Int32Array, printed: string, group: number, text: string, rest: string): Uint8Array {
  const end = offsetForSuffixWidth(widths, rest.length);
  const start = offsetForSuffixWidth(widths, rest.length + text.length);
  const total = printed.length;
  if (
    end < 0 ||
    start < 0 ||
    start > end ||
    printed.slice(total - rest.length) !== rest ||
    printed.slice(total - rest.length - text.length, total - rest.length) !== text
  ) {
    throw new Error(`pcre2test output for group ${group} does not line up with the subject (text ${JSON.stringify(text)}, rest ${JSON.stringify(rest)})`);
  }
  return new Uint8Array(subject.subarray(start, end)); // a copy, and a plain Uint8Array even for Buffer input
}

const NO_MATCH = 'No match';

function parseSubjectOutput(subject: Uint8Array, info: CompiledInfo, output: string[]): PcreResult {
  const unsetGroups = (): Record<string, Uint8Array | null> => Object.fromEntries([...info.names.keys()].map((name) => [name, null]));
  if (info.compileError !== null) {
    return { matched: false, groups: unsetGroups(), match: null, error: `compile error: ${info.compileError}` };
  }
  const printedGroups = new Map<number, PrintedGroup>();
  const other: string[] = [];
  for (const line of output) {
    const m = /^ *(\d+)([:+]) (.*)$/s.exec(line);
    if (!m) {
      other.push(line);
    } else if (m[2] === ':') {
      printedGroups.set(Number(m[1]), { text: m[3] });
    } else {
      const group = printedGroups.get(Number(m[1]));
      if (!group) throw new Error(`pcre2test printed "${m[1]}+" before "${m[1]}:"`);
      group.rest = m[3];
    }
  }
  if (printedGroups.size === 0) {
    if (other.length === 1 && other[0] === NO_MATCH) return { matched: false, groups: unsetGroups(), match: null };
    const error = other.map((line) => line.replace(/^Failed: /, '')).join('\n') || 'no output from pcre2test';
    return { matched: false, groups: unsetGroups(), match: null, error };
  }
  if (other.length > 0) throw new Error(`unexpected pcre2test output after a match: ${JSON.stringify(other)}`);

  const widths = suffixWidths(subject);
  const printed = printLikePcre2test(subject, widths[0]);
  const bytesOf = (n: number): Uint8Array | null => {
    const group = printedGroups.get(n);
    if (!group || group.rest === undefined) return null; // "<unset>" lines have no "+" line
    return sliceGroup(subject, widths, printed, n, group.text, group.rest);
  };
  const match = bytesOf(0);
  if (!match) throw new Error('pcre2test reported a match without group 0');
  const groups: Record<string, Uint8Array | null> = {};
  for (const [name, numbers] of info.names) {
    // With duplicate names, the first set group wins, as for a named backreference.
    groups[name] = numbers.map(bytesOf).find((bytes) => bytes !== null) ?? null;
  }
  return { matched: true, groups, match };
}

/**
 * Walks pcre2test's stdout line by line. pcre2test echoes every input line,
 * so a line equal to the next script line marks the start of that step's
 * output. Result lines can never equal a script line (those start with `/`,
 * `\` or `#`, or are blank; results start with a space, digit or letter).
 */
class OutputParser {
  private cursor = 0;
  private current: string[] = [];
  private info: CompiledInfo = { compileError: null, names: new Map() };
  readonly results: PcreResult[][];
  readonly compileErrors: (string | null)[];

  constructor(
    private readonly script: Script,
    private readonly jobs: PcreJob[],
  ) {
    this.results = jobs.map(() => []);
    this.compileErrors = jobs.map(() => null);
  }

  line(text: string): void {
    if (this.cursor < this.script.lines.length && text === this.script.lines[this.cursor]) {
      this.finishStep();
      this.cursor++;
      this.current = [];
    } else if (this.cursor === 0) {
      throw new Error(`unexpected pcre2test output before the script started: ${JSON.stringify(text)}`);
    } else {
      this.current.push(text);
    }
  }

  finish(): void {
    this.finishStep();
    if (this.cursor !== this.script.lines.length) {
      throw new Error(`pcre2test stopped after ${this.cursor} of ${this.script.lines.length} input lines`);
    }
  }

  /** Interprets the output collected for the step whose echo came last. */
  private finishStep(): void {
    if (this.cursor === 0) return;
    const step = this.script.steps[this.cursor - 1];
    const output = this.current;
    switch (step.kind) {
      case 'pattern':
        this.info = parsePatternOutput(output);
        this.compileErrors[step.job] = this.info.compileError;
        return;
      case 'subject':
        this.results[step.job][step.index] = parseSubjectOutput(this.jobs[step.job].subjects[step.index], this.info, output);
        return;
      default:
        if (output.length > 0) throw new Error(`unexpected pcre2test output: ${JSON.stringify(output)}`);
    }
  }
}

// ---------------------------------------------------------------------------
// Running pcre2test

interface RunOutcome {
  results: PcreResult[][];
  compileErrors: (string | null)[];
}

async function runPcre2test(jobs: PcreJob[]): Promise<RunOutcome> {
  const binary = findExecutable('pcre2test', 'pcre2-utils');
  const script = buildScript(jobs);
  const dir = await mkdtemp(join(tmpdir(), 'pcre2-oracle-'));
  try {
    const inputFile = join(dir, 'input.txt');
    await writeFile(inputFile, script.lines.join('\n') + '\n', 'latin1');
    const parser = new OutputParser(script, jobs);
    await streamLines(binary, ['-q', inputFile], (line) => parser.line(line));
    parser.finish();
    return { results: parser.results, compileErrors: parser.compileErrors };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Spawns the program and feeds stdout to onLine as it arrives, so output far
 * bigger than a JS string (hundreds of MB for big batches) is never held at once.
 */
function streamLines(binary: string, args: string[], onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let carry = '';
    let stderr = '';
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      child.kill('SIGKILL');
      reject(error);
    };
    child.stdout.setEncoding('latin1'); // output is ASCII; latin1 can't mangle anything
    child.stdout.on('data', (chunk: string) => {
      if (failed) return;
      const lines = (carry + chunk).split('\n');
      carry = lines.pop() ?? '';
      try {
        for (const line of lines) onLine(line);
      } catch (error) {
        fail(error as Error);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (failed) return;
      if (code !== 0) return fail(new Error(`pcre2test exited with ${signal ?? code}: ${stderr}`));
      try {
        if (carry !== '') onLine(carry);
        resolve();
      } catch (error) {
        fail(error as Error);
      }
    });
  });
}

// ---------------------------------------------------------------------------
// Public API

/**
 * Runs each subject through ONE pattern with real pcre2test in 8-bit NON-UTF
 * mode, compiled with PCRE2_ANCHORED (anchored at the start only). Each char
 * code 0..255 of `pattern` is one pattern byte.
 */
export async function pcreMatchAll(pattern: string, subjects: Uint8Array[], opts?: { caseless?: boolean }): Promise<PcreResult[]> {
  const [results] = await pcreMatchMany([{ pattern, subjects, caseless: opts?.caseless }]);
  return results;
}

/** Same as pcreMatchAll for several patterns, in one pcre2test process. */
export async function pcreMatchMany(jobs: PcreJob[]): Promise<PcreResult[][]> {
  if (jobs.length === 0) return [];
  return (await runPcre2test(jobs)).results;
}

/** Compile-only check: null if PCRE2 accepts the pattern, else pcre2test's error message. */
export async function pcreCompileError(pattern: string): Promise<string | null> {
  const { compileErrors } = await runPcre2test([{ pattern, subjects: [] }]);
  return compileErrors[0];
}

/**
 * PCRE2's compiled code for each pattern as `pcre2test -B` lists it, one opcode per line (trimmed): a
 * repeat PCRE made possessive ends in `+` after its quantifier (`a*+`, `\\d{0,3}+`). Null for a
 * pattern that does not compile.
 */
export async function pcreBincode(patterns: string[]): Promise<(string[] | null)[]> {
  const dir = await mkdtemp(join(tmpdir(), 'pcre2-bincode-'));
  try {
    const input = join(dir, 'input.txt');
    const lines = patterns.map((p) => `/${patternBytes(p).toString('hex')}/hex,never_utf,bincode\n`);
    await writeFile(input, lines.join('\n'), 'latin1');
    const out: (string[] | null)[] = [];
    let current: string[] | null = null;
    let inCode = false;
    await streamLines(findExecutable('pcre2test', 'pcre2-utils'), ['-q', input], (line) => {
      if (line.startsWith('/')) {
        current = [];
        out.push(current);
        inCode = false;
      } else if (line.startsWith('Failed:')) out[out.length - 1] = null;
      else if (line.startsWith('-----')) inCode = !inCode;
      else if (inCode && current) current.push(line.trim());
    });
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
