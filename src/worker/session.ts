import {
  analyzeKeyText,
  blockedMessage,
  columnOf,
  csvKeys,
  display,
  explainKey,
  GENERATED_BY,
  locateRecord,
  markdownReport,
  newSpan,
  orderBySlot,
  prepareAnalysis,
  reportInput,
  shardRows,
  streamOptions,
  summarizeKeyStream,
  TEXT_KEYS_LIMIT,
  unreadableRecord,
  utf8,
  type Explanation,
  type FileSlotter,
  type Inputs,
  type KeyList,
  type KeyRecord,
  type KeysSummary,
  type KeyText,
  type LineRange,
  type PreparedAnalysis,
  type ReadyAnalysis,
  type RegexEngine,
  type ReportMeta,
  type Settings,
} from '../core/index.ts';
import { FileKeys, keyOf, readBytes, type FileKey, type Progress } from './file-keys.ts';
import type { AnalysisResult, ExportFormat, KeyRow, KeySort, ResultView } from './protocol.ts';

/** Keys whose hashed part the editor highlights (the rest would cost more than it shows). */
const HIGHLIGHTED_KEYS = 5000;

/** Keys of the current analysis, wherever they live: read whole, or in a file re-read on demand. */
interface KeySource {
  readonly count: number;
  /** Main-policy slot of every key. */
  readonly slots: Int16Array;
  keys(indexes: readonly number[]): Promise<FileKey[]>;
  /** Keys matching; null when `current()` turns false midway (a newer request superseded this one). */
  filter(needle: string, current: () => boolean, matches: (list: KeyList, j: number) => boolean): Promise<Uint32Array | null>;
  /** The key pattern entry i is a sample of (read whole only). */
  patternOf(i: number): string | undefined;
}

class TextKeys implements KeySource {
  constructor(
    readonly text: KeyText,
    private readonly patterns: readonly string[],
  ) {}
  get count() {
    return this.text.list.count;
  }
  get slots() {
    return this.text.main.slots;
  }
  async keys(indexes: readonly number[]): Promise<FileKey[]> {
    return indexes.map((i) => keyOf(this.text.list, i));
  }
  async filter(_needle: string, _current: () => boolean, matches: (list: KeyList, j: number) => boolean): Promise<Uint32Array> {
    const { list } = this.text;
    const out: number[] = [];
    for (let j = 0; j < list.count; j++) if (!list.invalid[j] && matches(list, j)) out.push(j);
    return Uint32Array.from(out);
  }
  patternOf(i: number): string | undefined {
    const p = this.text.fromPattern?.[i] ?? -1;
    return p >= 0 ? this.patterns[p] : undefined;
  }
}

/** The latest analysis: what rows, Explain and exports read. A blocked one answers with its blockers. */
type State = { prepared: PreparedAnalysis; ready: null } | { prepared: ReadyAnalysis; ready: { keys: KeysSummary; source: KeySource } };

/**
 * Everything the worker does, as a plain class so it runs (and is tested) in Node too: the analysis
 * itself is the core's (prepareAnalysis, analyzeKeyText, summarizeKeyStream, reportInput); the session
 * keeps the latest one alive so the keys table can page through it, Explain can look a key up and
 * exports can read it back, and reuses a key file's read when only commands, target or layout change.
 */
export class AnalysisSession {
  private state: State | null = null;
  /** The order of the keys table, shared by the page requests that arrive while it is computed. */
  private order: { key: string; state: State; indexes: Promise<Uint32Array | null | typeof SUPERSEDED> } | null = null;
  /** The newest keys-table request: a filter scan over a file stops when another one supersedes it. */
  private newestOrder = '';
  /** The last key file streamed, with what its slots depend on: edits to commands, target or layout reuse it. */
  private lastFile: { blob: Blob; dependsOn: string; keys: FileKeys } | null = null;

  constructor(
    private readonly engine: RegexEngine,
    /** A faster Redis/Standard slotter for key files (the WebAssembly one in the browser). */
    private readonly slotter: FileSlotter | null = null,
    /** Files up to this size are read whole (TEXT_KEYS_LIMIT); tests lower it to stream small files. */
    private readonly textKeysLimit = TEXT_KEYS_LIMIT,
  ) {}

  /** Analyses keys typed or pasted in the editor: every view exact, per key. */
  analyze(inputs: Inputs, settings: Settings): AnalysisResult {
    return this.analyzeText(inputs, settings, utf8(inputs.keys), null);
  }

  /**
   * Analyses a key file: up to TEXT_KEYS_LIMIT read whole, exactly as if typed (patterns included); a
   * bigger one streamed — slots, counts, skew and moves exact over every key, hot tags, groups and
   * co-location changes from a uniform sample (marked so).
   */
  async analyzeFile(file: Blob, name: string, inputs: Inputs, settings: Settings, onProgress: (p: Progress) => void = () => {}): Promise<AnalysisResult> {
    if (file.size <= this.textKeysLimit) {
      const bytes = await readBytes(file, 0, file.size);
      onProgress({ bytes: file.size, total: file.size, keys: 0, millis: 0 });
      return this.analyzeText(inputs, settings, bytes, { name, bytes: file.size });
    }
    const t0 = performance.now();
    const prepared = prepareAnalysis(inputs, settings, { engine: this.engine });
    if (!prepared.ready) return this.blocked(prepared, t0, { name, bytes: file.size, lines: 0, streamed: true });
    // Slots depend on the policies and rules only; commands, target and layout can reuse the last read.
    const dependsOn = JSON.stringify([prepared.main.name, prepared.compare?.name, settings.implicitShardKey, prepared.main.rules, prepared.compare?.rules]);
    let keys: FileKeys;
    if (this.lastFile && this.lastFile.blob === file && this.lastFile.dependsOn === dependsOn) {
      keys = this.lastFile.keys;
      onProgress({ bytes: file.size, total: file.size, keys: keys.count, millis: performance.now() - t0 });
    } else {
      this.lastFile = null;
      try {
        keys = await FileKeys.read(file, name, streamOptions(prepared, this.slotter), onProgress);
      } catch (e) {
        prepared.dispose();
        throw e;
      }
      this.lastFile = { blob: file, dependsOn, keys };
    }
    const stream = keys.stream;
    const { summary, diagnostics } = summarizeKeyStream(prepared, stream);
    prepared.problems.keys = diagnostics;
    this.adopt({
      prepared,
      ready: {
        keys: summary,
        source: {
          count: stream.keys,
          slots: stream.slots,
          keys: (indexes) => keys.keys(indexes),
          filter: (needle, current, matches) => keys.filter(needle, current, matches),
          patternOf: () => undefined,
        },
      },
    });
    return this.result(prepared, summary, [], { name, bytes: file.size, lines: stream.lines, streamed: true }, t0);
  }

  private analyzeText(inputs: Inputs, settings: Settings, keyText: Uint8Array, file: { name: string; bytes: number } | null): AnalysisResult {
    const t0 = performance.now();
    const prepared = prepareAnalysis(inputs, settings, { engine: this.engine }, keyText);
    const lines = file ? countLines(keyText) : 0;
    if (!prepared.ready) return this.blocked(prepared, t0, file && { ...file, lines, streamed: false });
    const text = analyzeKeyText(prepared, keyText);
    prepared.problems.keys = text.diagnostics;
    const patterns = prepared.commands.patterns?.docs.keys.patterns.map((p) => p.text) ?? [];
    this.adopt({ prepared, ready: { keys: text.summary, source: new TextKeys(text, patterns) } });
    // A file's keys are not in the editor: nothing to highlight there.
    const highlights = file ? [] : this.highlights(text);
    return this.result(prepared, text.summary, highlights, file && { ...file, lines, streamed: false }, t0);
  }

  private blocked(prepared: PreparedAnalysis, t0: number, file: AnalysisResult['file']): AnalysisResult {
    this.adopt({ prepared, ready: null });
    const { problems, blockers, setup } = prepared;
    return { problems, blockers, setup, view: null, highlights: [], commandKeyRanges: [], file, millis: performance.now() - t0 };
  }

  private result(a: ReadyAnalysis, keys: KeysSummary, highlights: LineRange[], file: AnalysisResult['file'], t0: number): AnalysisResult {
    const d = keys.distribution;
    let migration: ResultView['migration'] = null;
    if (keys.migration) {
      const { moved: _moved, ...rest } = keys.migration;
      migration = { ...rest, commands: a.commands.verdictChanges ?? [] };
    }
    const view: ResultView = {
      keyCount: keys.keyCount,
      unplaced: keys.unplaced,
      usedSlots: d.usedSlots,
      shards: shardRows(a.layout, d.perShard, d.unassigned),
      perSlot: d.perSlot,
      slotShard: a.layout.slotShard,
      maxShardOverMean: d.maxShardOverMean,
      busiestSlot: d.busiestSlot,
      hotTags: d.hotTags,
      groups: d.groups,
      sampled: keys.sampled,
      commands: a.commands.rows,
      migration,
      patterns: a.commands.patterns?.report ?? null,
      portability: keys.portability,
    };
    return {
      problems: a.problems,
      blockers: a.blockers,
      setup: a.setup,
      view,
      highlights,
      commandKeyRanges: a.commands.keyRanges,
      file,
      millis: performance.now() - t0,
    };
  }

  /** Makes this analysis the current one (for rows, Explain, exports), freeing the policies of the previous one. */
  private adopt(next: State): void {
    this.state?.prepared.dispose();
    this.state = next;
    this.order = null;
  }

  private highlights({ list, main, fromPattern }: KeyText): LineRange[] {
    const out: LineRange[] = [];
    for (let i = 0; i < Math.min(list.count, HIGHLIGHTED_KEYS); i++) {
      // A sample of a pattern line is not the line's text; a quoted line's bytes are not its text either.
      if (list.invalid[i] || list.quoted[i] || main.slots[i] < 0 || (fromPattern && fromPattern[i] >= 0)) continue;
      const key = list.bytes.subarray(list.offsets[i], list.offsets[i + 1]);
      const from = main.tagStart[i] - list.offsets[i];
      const to = main.tagEnd[i] - list.offsets[i];
      if (to > from) out.push({ line: list.lines[i], start: columnOf(key, from), end: columnOf(key, to) });
    }
    return out;
  }

  /**
   * One page of the keys table, filtered (keys or tags containing `filter`, case-insensitive) and
   * sorted by input line, slot or tag. The order is computed once per filter and sort, then paged.
   * A key file sorts by tag as by slot (its keys' tags are not kept).
   */
  async rows(offset: number, limit: number, filter: string, sort: KeySort = 'line'): Promise<{ rows: KeyRow[]; total: number }> {
    const s = this.state;
    if (!s?.ready) return { rows: [], total: 0 };
    const cacheKey = `${sort}\u0000${filter}`;
    this.newestOrder = cacheKey;
    if (this.order?.key !== cacheKey || this.order.state !== s) {
      this.order = { key: cacheKey, state: s, indexes: this.sorted(s, filter.toLowerCase(), sort, () => this.state === s && this.newestOrder === cacheKey) };
    }
    const order = this.order;
    const indexes = await order.indexes;
    // Another analysis or another filter came while this one ran: its answer is not wanted.
    if (indexes === SUPERSEDED || this.state !== s) {
      if (this.order === order) this.order = null;
      return { rows: [], total: 0 };
    }
    const { source } = s.ready;
    const total = indexes ? indexes.length : source.count;
    const picked: number[] = [];
    for (let k = offset; k < Math.min(total, offset + limit); k++) picked.push(indexes ? indexes[k] : k);
    const keys = await source.keys(picked);
    return { rows: picked.map((i, k) => ({ ...this.record(s, i, keys[k]), index: i })), total };
  }

  /** Input order needs no index (null): a 10-million-key file pages without one. */
  private async sorted(s: State & { ready: object }, needle: string, sort: KeySort, current: () => boolean): Promise<Uint32Array | null | typeof SUPERSEDED> {
    const { source } = s.ready;
    const policy = s.prepared.main.policy;
    const span = newSpan();
    let picked: Uint32Array | null = null;
    if (needle) {
      const found = await source.filter(needle, current, (list, j) => {
        const from = list.offsets[j];
        const to = list.offsets[j + 1];
        if (display(list.bytes, from, to).toLowerCase().includes(needle)) return true;
        return policy.locate(list.bytes, from, to, span) >= 0 && display(list.bytes, span.start, span.end).toLowerCase().includes(needle);
      });
      if (!found) return SUPERSEDED;
      picked = found;
    }
    const slots = source.slots;
    if (sort === 'line') return picked;
    if (sort === 'tag' && source instanceof TextKeys) {
      const { list, main } = source.text;
      const order = picked ? Array.from(picked) : Array.from({ length: list.count }, (_, i) => i);
      const tags = new Map(order.map((i) => [i, display(list.bytes, main.tagStart[i], main.tagEnd[i])]));
      return Uint32Array.from(order.sort((a, b) => (tags.get(a)! < tags.get(b)! ? -1 : tags.get(a)! > tags.get(b)! ? 1 : a - b)));
    }
    if (!picked) return orderBySlot(slots);
    return Uint32Array.from(Array.from(picked).sort((a, b) => slotRank(slots[a]) - slotRank(slots[b]) || a - b));
  }

  /** Key i's record: the same shape as every per-key output of the CLI and the exports. */
  private record(s: State & { ready: object }, i: number, key: FileKey): KeyRecord {
    if (key.invalid) return unreadableRecord(key.line, key.error);
    const a = s.prepared;
    return locateRecord(key.line, key.bytes, a.main, a.compare, a.layout, s.ready.source.patternOf(i));
  }

  /**
   * The analysis as a Markdown review report, a per-key CSV, or JSON (everything). Big files export as a
   * Blob built piece by piece. An analysis with blockers has nothing to export: it throws their message.
   */
  async export(format: ExportFormat, meta: ReportMeta = {}): Promise<string | Blob> {
    const s = this.state;
    if (!s) throw new Error('nothing has been analysed yet');
    if (!s.ready || s.prepared.blockers.length > 0) throw new Error(`nothing to export: ${blockedMessage(s.prepared.blockers)}`);
    const report = reportInput(s.prepared, s.ready.keys, { generatedBy: GENERATED_BY, ...meta });
    if (format === 'markdown') return markdownReport(report);
    const parts: (string | Blob)[] = [];
    // Many small strings become one Blob now and then: the browser may keep Blob data off the JS heap.
    const add = (text: string) => {
      parts.push(text);
      if (parts.length > 64) parts.splice(0, parts.length, new Blob(parts));
    };
    let rows = 0;
    if (format === 'json') {
      const { distribution: d, ...rest } = report;
      const { perSlot: _perSlot, perShard: _perShard, ...summary } = d as typeof d & { perSlot?: unknown; perShard?: unknown };
      const head = JSON.stringify({ format: 'slot-playground-report', version: 2, ...rest, distribution: summary, keys: [] }, null, 2);
      add(head.slice(0, head.lastIndexOf('[') + 1));
    } else add(csvKeys([]));
    const { source } = s.ready;
    const STEP = 4096;
    for (let from = 0; from < source.count; from += STEP) {
      const indexes = Array.from({ length: Math.min(STEP, source.count - from) }, (_, k) => from + k);
      const keys = await source.keys(indexes);
      const page = indexes.map((i, k) => this.record(s, i, keys[k]));
      if (format === 'csv') add(csvKeys(page, false));
      else add(page.map((r) => (rows++ > 0 ? ',\n    ' : '\n    ') + JSON.stringify(r)).join(''));
    }
    if (format === 'json') add(rows > 0 ? '\n  ]\n}\n' : ']\n}\n');
    const blob = new Blob(parts, { type: format === 'csv' ? 'text/csv' : 'application/json' });
    return source instanceof TextKeys ? blob.text() : blob;
  }

  /** Up to `limit` keys in one slot (input order). */
  async slotKeys(slot: number, limit = 5): Promise<string[]> {
    const s = this.state;
    if (!s?.ready) return [];
    const picked: number[] = [];
    const slots = s.ready.source.slots;
    for (let i = 0; i < slots.length && picked.length < limit; i++) if (slots[i] === slot) picked.push(i);
    return (await s.ready.source.keys(picked)).map((k) => display(k.bytes, 0, k.bytes.length));
  }

  /** How one key got its slot, step by step (the core's Explain under the main policy and layout). */
  async explain(index: number): Promise<Explanation | null> {
    const s = this.state;
    if (!s?.ready || index < 0 || index >= s.ready.source.count) return null;
    const [k] = await s.ready.source.keys([index]);
    if (k.invalid) return null;
    return explainKey(k.bytes, s.prepared.main, s.prepared.layout);
  }
}

const SUPERSEDED = Symbol('superseded');

/** Slots in order, key errors after them. */
function slotRank(slot: number): number {
  return slot >= 0 ? slot : 16384 - slot;
}

function countLines(bytes: Uint8Array): number {
  let n = bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? 1 : 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}
