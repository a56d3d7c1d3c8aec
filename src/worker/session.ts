import {
  analyzeCommands,
  analyzePatterns,
  commandKeys,
  crc16,
  createCustomPolicy,
  csvKeys,
  describeLayout,
  display,
  distribution,
  evenLayout,
  expandKeyList,
  hasPlaceholder,
  KEY_ERROR_CODES,
  keyErrorMessage,
  markdownReport,
  MAX_MATRIX_PATTERNS,
  migrationDiff,
  newSpan,
  orderBySlot,
  parseKeyList,
  parsePatternDocuments,
  parseRules,
  parseTopology,
  redisCliCreateLayout,
  redisPolicy,
  shardRows,
  slotTable,
  standardPolicy,
  STANDARD_RULES,
  summarizeStream,
  TARGETS,
  tokenizeCommands,
  utf8,
  verdictChanges,
  type CommandReport,
  type CsvKeyRow,
  type Diagnostic,
  type FileSlotter,
  type KeyList,
  type PatternDocuments,
  type PatternReport,
  type Policy,
  type Distribution,
  type PolicyName,
  type ReasonOptions,
  type RegexEngine,
  type ReportInput,
  type ShardMap,
  type SlotTable,
  type StreamPolicy,
  type Target,
} from '../core/index.ts';
import { columnOf, diagnostic } from '../core/index.ts';
import { FileKeys, keyOf, type FileKey, type Progress } from './file-keys.ts';
import type { AnalysisResult, CommandRow, Explanation, Inputs, KeyRow, KeySort, Problems, Settings } from './protocol.ts';

/** Keys whose hashed part the editor highlights (the rest would cost more than it shows). */
const HIGHLIGHTED_KEYS = 5000;

/** The shard that holds every slot of a multi-slot key set, or undefined (also for a single slot). */
function oneShard(slots: number[], shards: ShardMap): string | undefined {
  const distinct = new Set(slots);
  if (distinct.size < 2 || slots.some((s) => s < 0)) return undefined;
  const owners = new Set([...distinct].map((s) => shards.slotShard[s]));
  const [owner] = owners;
  return owners.size === 1 && owner >= 0 ? shards.labels[owner] : undefined;
}

/** Keys of the current analysis, wherever they live: in the pasted text or in a file re-read on demand. */
interface KeySource {
  readonly count: number;
  /** Main-policy slot of every key. */
  readonly slots: Int16Array;
  keys(indexes: readonly number[]): Promise<FileKey[]>;
  /** Keys matching; null when `current()` turns false midway (a newer request superseded this one). */
  filter(needle: string, current: () => boolean, matches: (list: KeyList, j: number) => boolean): Promise<Uint32Array | null>;
}

class TextKeys implements KeySource {
  constructor(
    readonly list: KeyList,
    readonly table: SlotTable,
  ) {}
  get count() {
    return this.list.count;
  }
  get slots() {
    return this.table.slots;
  }
  async keys(indexes: readonly number[]): Promise<FileKey[]> {
    return indexes.map((i) => keyOf(this.list, i));
  }
  async filter(_needle: string, _current: () => boolean, matches: (list: KeyList, j: number) => boolean): Promise<Uint32Array> {
    const out: number[] = [];
    for (let j = 0; j < this.list.count; j++) if (!this.list.invalid[j] && matches(this.list, j)) out.push(j);
    return Uint32Array.from(out);
  }
}

interface State {
  report: ReportInput;
  source: KeySource;
  /** Kept alive while the state is current: rows and Explain locate keys again. */
  policy: Policy;
  other: Policy | null;
  shards: ShardMap;
  settings: Settings;
  rules: { index: number; source: string }[];
}

/** What every analysis computes apart from the keys: rules, layout, commands. */
interface Prepared {
  problems: Problems;
  policyReady: Record<PolicyName, boolean>;
  policy: Policy;
  other: Policy | null;
  shards: ShardMap;
  layoutDescription: string;
  commandLines: ReturnType<typeof tokenizeCommands>['lines'];
  reports: CommandReport[];
  commands: CommandRow[];
  verdictChanges: ReturnType<typeof verdictChanges> | null;
  warnings: { line: number; message: string }[];
  rules: (name: PolicyName | null) => string[] | undefined;
  ruleList: { index: number; source: string }[];
  /** Key patterns and command templates, when the inputs have placeholders. */
  patterns: { docs: PatternDocuments; report: PatternReport } | null;
}

/** Key files get hot tags, groups and co-location changes from this many keys spread over the file. */
export const FILE_SAMPLE_KEYS = 100_000;

/**
 * Everything the worker computes, as a plain class so it runs (and is tested) in Node too. Keeps the
 * latest analysis so the keys table can page through it and Explain can look a key up.
 */
export class AnalysisSession {
  private state: State | null = null;
  /** The order of the keys table, shared by the page requests that arrive while it is computed. */
  private order: { key: string; state: State; indexes: Promise<Uint32Array | null | typeof SUPERSEDED> } | null = null;
  /** The newest keys-table request: a filter scan over a file stops when another one supersedes it. */
  private newestOrder = '';
  /** The last key file read, with what its slots depend on: edits to commands, target or layout reuse it. */
  private lastFile: { blob: Blob; dependsOn: string; keys: FileKeys } | null = null;

  constructor(
    private readonly engine: RegexEngine,
    /** A faster Redis/Standard slotter for key files (the WebAssembly one in the browser). */
    private readonly slotter: FileSlotter | null = null,
  ) {}

  private prepare(inputs: Inputs, settings: Settings, keyBytes: Uint8Array | null = null): Prepared {
    const problems: Problems = { keys: [], rules: [], rulesB: [], commands: [], topology: [] };
    const ruleSets = { a: parseRules(inputs.rules), b: parseRules(inputs.rulesB) };
    problems.rules = ruleSets.a.diagnostics;
    problems.rulesB = ruleSets.b.diagnostics;
    const customReady = ruleSets.a.ok && ruleSets.a.rules.length > 0;
    const policyReady: Record<PolicyName, boolean> = { redis: true, standard: true, custom: customReady };
    const make = (name: PolicyName, which: 'a' | 'b'): Policy => {
      if (name === 'redis') return redisPolicy;
      if (name === 'standard') return standardPolicy;
      const set = ruleSets[which].ok && ruleSets[which].rules.length > 0 ? ruleSets[which] : ruleSets.a;
      if (!set.ok || set.rules.length === 0) return standardPolicy; // shown as not ready; Standard stands in
      return createCustomPolicy(set, this.engine, { implicitShardKey: settings.implicitShardKey });
    };
    const policy = make(settings.policy, 'a');
    // Custom → Custom compares the two rule sets; any other pair compares policies.
    const other = settings.compare ? make(settings.compare, settings.compare === 'custom' && settings.policy === 'custom' ? 'b' : 'a') : null;

    const layout = this.layout(inputs.topology, settings);
    problems.topology = layout.diagnostics;

    const commandBytes = utf8(inputs.commands);
    const lines = tokenizeCommands(commandBytes);
    problems.commands = lines.diagnostics.filter((x) => x.severity !== 'info');
    // Placeholders make a schema review: patterns in the Keys text (the editor's, not a file's), templates in Commands.
    const docs =
      (keyBytes && hasPlaceholder(keyBytes)) || hasPlaceholder(commandBytes)
        ? parsePatternDocuments({ keys: keyBytes ?? new Uint8Array(), commands: commandBytes })
        : null;
    const customSet = settings.policy === 'custom' && ruleSets.a.ok && ruleSets.a.rules.length > 0 ? ruleSets.a : undefined;
    const patterns = docs ? { docs, report: reviewPatterns(docs, policy, { ruleSet: customSet, samples: customSamples(docs) }) } : null;
    // Template lines (and transactions holding one) get template verdicts; the rest are ordinary commands.
    const templated = docs ? templateLines(docs) : new Set<number>();
    const ordinary = templated.size ? lines.lines.filter((cl) => !templated.has(cl.line)) : lines.lines;
    const analysis = analyzeCommands(ordinary, policy);
    problems.commands.push(...analysis.diagnostics);
    // A CROSSSLOT verdict on the chosen target is a marker on its line too, not only a table row.
    const nameSpan = new Map(lines.lines.map((cl) => [cl.line, cl.spans[0] ?? [1, 2]]));
    for (const r of analysis.reports) {
      const v = r.verdicts[settings.target];
      if (v.verdict !== 'crossslot') continue;
      const fix = r.suggestion ? ` — fix: ${r.suggestion.join(' ')}` : '';
      const [from, to] = nameSpan.get(r.line) ?? [1, 2];
      problems.commands.push(diagnostic('warning', 'crossslot', `CROSSSLOT: ${v.reason}${fix}`, r.line, from, to));
    }
    if (patterns) {
      const seen = new Set(lines.diagnostics.map((d) => `${d.line}:${d.code}`));
      problems.commands.push(...patterns.report.commandDiagnostics.filter((d) => d.severity !== 'info' && !seen.has(`${d.line}:${d.code}`)));
      for (const t of patterns.report.templates) {
        const v = t.verdicts[settings.target];
        if (!t.template || v.verdict === 'always' || v.verdict === 'no-keys') continue;
        const [from, to] = nameSpan.get(t.line) ?? [1, 2];
        const fix = t.fix ? ` — fix: ${t.fix.join(' ')}` : '';
        problems.commands.push(
          diagnostic('warning', 'template-crossslot', `${v.verdict === 'error' ? 'refused' : `${v.verdict} single-slot`}: ${v.reason}${fix}`, t.line, from, to),
        );
      }
      problems.commands.sort((a, b) => a.line - b.line || a.column - b.column);
    }
    const commands: CommandRow[] = analysis.reports.map((r) => ({
      line: r.line,
      kind: r.kind,
      command: r.command,
      keys: r.keys,
      slots: r.slots,
      verdict: r.verdicts[settings.target],
      all: Object.fromEntries(TARGETS.map((t) => [t, r.verdicts[t].verdict])) as Record<Target, CommandRow['verdict']['verdict']>,
      suggestion: r.suggestion,
      transaction: r.transaction,
      oneShard: oneShard(r.slots, layout.shards),
    }));
    const changes = other ? verdictChanges(analysis.reports, analyzeCommands(ordinary, other).reports, settings.target) : null;
    const rules = (name: PolicyName | null) =>
      name === 'custom' ? (name === settings.compare && settings.policy === 'custom' ? ruleSets.b : ruleSets.a).rules.map((r) => r.source) : undefined;
    return {
      problems,
      policyReady,
      policy,
      other,
      shards: layout.shards,
      layoutDescription: layout.description,
      commandLines: lines.lines,
      reports: analysis.reports,
      commands,
      verdictChanges: changes,
      warnings: analysis.diagnostics.filter((x) => x.severity === 'warning').map((x) => ({ line: x.line, message: x.message })),
      rules,
      ruleList: (settings.policy === 'custom' ? ruleSets.a.rules : []).map((r) => ({ index: r.index, source: r.source })),
      patterns,
    };
  }

  /** Makes this analysis the current one (for rows, Explain, exports), freeing the policies of the previous one. */
  private adopt(p: Prepared, settings: Settings, report: ReportInput, source: KeySource): void {
    if (this.state) {
      this.state.policy.dispose();
      this.state.other?.dispose();
    }
    this.state = { report, source, policy: p.policy, other: p.other, shards: p.shards, settings, rules: p.ruleList };
    this.order = null;
  }

  private report(
    p: Prepared,
    settings: Settings,
    keyCount: number,
    unplaced: number,
    d: ReportInput['distribution'],
    shards: ReportInput['shards'],
    migration: ReportInput['migration'],
  ): ReportInput {
    return {
      policy: settings.policy,
      compare: settings.compare,
      target: settings.target,
      layout: p.layoutDescription,
      keyCount,
      unplaced,
      distribution: d,
      shards,
      commands: p.reports,
      migration,
      generatedBy: 'Slot Playground',
      rules: p.rules(settings.policy),
      compareRules: settings.compare
        ? settings.compare === 'custom' && settings.policy === 'custom'
          ? p.rules('custom')
          : p.rules(settings.compare)
        : undefined,
      implicitShardKey: settings.implicitShardKey,
      warnings: p.warnings,
      patterns: p.patterns?.report ?? null,
    };
  }

  /** The result fields both key sources fill the same way. */
  private common(p: Prepared, d: Distribution, shards: AnalysisResult['shards']) {
    return {
      unplaced: d.unplaced,
      usedSlots: d.usedSlots,
      shards,
      perSlot: d.perSlot,
      slotShard: p.shards.slotShard,
      maxShardOverMean: d.maxShardOverMean,
      busiestSlot: d.busiestSlot,
      hotTags: d.hotTags,
      groups: d.groups,
      commands: p.commands,
      problems: p.problems,
      commandKeyRanges: this.commandKeyRanges(p),
      policyReady: p.policyReady,
      patterns: p.patterns?.report ?? null,
    };
  }

  private commandKeyRanges(p: Prepared): AnalysisResult['commandKeyRanges'] {
    return p.commandLines.flatMap((cl) => {
      if (cl.kind !== 'command' || cl.invalid) return [];
      const found = commandKeys(cl.args);
      return found.ok ? found.keys.map((k) => ({ line: cl.line, start: cl.spans[k][0], end: cl.spans[k][1] })) : [];
    });
  }

  /** Analyses keys typed or pasted in the editor: every view exact, per key. */
  analyze(inputs: Inputs, settings: Settings): AnalysisResult {
    const t0 = performance.now();
    const keyBytes = utf8(inputs.keys);
    const p = this.prepare(inputs, settings, keyBytes);
    // A pattern line stands for deterministic sample keys in every view that needs concrete keys.
    const expanded = p.patterns?.docs.keys.patterns.length
      ? expandKeyList(p.patterns.docs.keys, { samples: settings.patternSamples, schema: p.patterns.docs.schema })
      : null;
    const list = expanded ? expanded.list : parseKeyList(keyBytes);
    p.problems.keys = p.patterns ? p.patterns.report.keyDiagnostics : list.diagnostics;
    const main = slotTable(list, p.policy);
    const compare = p.other ? slotTable(list, p.other) : null;
    const d = distribution(list, main, p.shards);
    let migration: AnalysisResult['migration'] = null;
    if (p.other && compare) {
      migration = {
        ...withoutMoved(migrationDiff(list, { table: main, shards: p.shards }, { table: compare, shards: p.shards })),
        commands: p.verdictChanges ?? [],
      };
    }
    const shardList = shardRows(p.shards, d.perShard);
    this.adopt(p, settings, this.report(p, settings, list.count, d.unplaced, d, shardList, migration), new TextKeys(list, main));
    return {
      ...this.common(p, d, shardList),
      keyCount: list.count,
      migration,
      highlights: this.highlights(list, main, expanded?.pattern ?? null),
      file: null,
      millis: performance.now() - t0,
    };
  }

  /**
   * Analyses a key file by streaming it: slots, counts, skew and moves are exact over every key; hot
   * tags, groups and co-location changes come from a sample of keys spread over the file (marked so).
   */
  async analyzeFile(file: Blob, name: string, inputs: Inputs, settings: Settings, onProgress: (p: Progress) => void = () => {}): Promise<AnalysisResult> {
    const t0 = performance.now();
    const p = this.prepare(inputs, settings);
    const streamPolicy = (policy: Policy): StreamPolicy => {
      const slotter = this.slotter;
      if (!slotter || policy.name === 'custom') return { policy };
      const kind = policy.name;
      return { policy, slotter: (bytes) => slotter(bytes, kind).slots };
    };
    // Slots depend on the policies and rules only; commands, target and layout can reuse the last read.
    const dependsOn = JSON.stringify([settings.policy, settings.compare, settings.implicitShardKey, p.rules(settings.policy), p.rules(settings.compare)]);
    let keys: FileKeys;
    if (this.lastFile && this.lastFile.blob === file && this.lastFile.dependsOn === dependsOn) {
      keys = this.lastFile.keys;
      onProgress({ bytes: file.size, total: file.size, keys: keys.count, millis: performance.now() - t0 });
    } else {
      this.lastFile = null;
      try {
        keys = await FileKeys.read(file, name, { main: streamPolicy(p.policy), compare: p.other ? streamPolicy(p.other) : null, shards: p.shards }, onProgress);
      } catch (e) {
        p.policy.dispose();
        p.other?.dispose();
        throw e;
      }
      this.lastFile = { blob: file, dependsOn, keys };
    }
    const stream = keys.stream;
    p.problems.keys = stream.diagnostics;

    const { distribution: d, migration: diff, sampled } = summarizeStream(stream, p.policy, p.other, p.shards);
    const migration: AnalysisResult['migration'] = diff ? { ...withoutMoved(diff), commands: p.verdictChanges ?? [] } : null;
    const shardList = shardRows(p.shards, d.perShard);
    const report = this.report(p, settings, stream.keys, stream.unplaced, d, shardList, migration);
    report.sampledKeys = sampled;
    this.adopt(p, settings, report, {
      count: stream.keys,
      slots: stream.slots,
      keys: (indexes) => keys.keys(indexes),
      filter: (needle, current, matches) => keys.filter(needle, current, matches),
    });
    return {
      ...this.common(p, d, shardList),
      keyCount: stream.keys,
      migration,
      highlights: [],
      file: { name, bytes: file.size, lines: stream.lines, sampled },
      millis: performance.now() - t0,
    };
  }

  private layout(topology: string, settings: Settings): { shards: ShardMap; diagnostics: Diagnostic[]; description: string } {
    const { layout } = settings;
    const result =
      layout.kind === 'paste' ? parseTopology(topology) : layout.kind === 'masters' ? redisCliCreateLayout(layout.count) : evenLayout(layout.count);
    const topo = result.topology ?? evenLayout(3).topology!;
    return {
      shards: { slotShard: topo.slotShard, labels: topo.shards.map((s) => s.label) },
      diagnostics: result.diagnostics,
      description: describeLayout(topo.source, topo.shards.length),
    };
  }

  /** `fromPattern[i] >= 0`: entry i is a sample of a pattern line, whose text is not the key's. */
  private highlights(list: KeyList, table: SlotTable, fromPattern: Int32Array | null): AnalysisResult['highlights'] {
    const out: AnalysisResult['highlights'] = [];
    for (let i = 0; i < Math.min(list.count, HIGHLIGHTED_KEYS); i++) {
      if (list.invalid[i] || list.quoted[i] || table.slots[i] < 0 || (fromPattern && fromPattern[i] >= 0)) continue;
      const key = list.bytes.subarray(list.offsets[i], list.offsets[i + 1]);
      const from = table.tagStart[i] - list.offsets[i];
      const to = table.tagEnd[i] - list.offsets[i];
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
    if (!s) return { rows: [], total: 0 };
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
    const total = indexes ? indexes.length : s.source.count;
    const picked: number[] = [];
    for (let k = offset; k < Math.min(total, offset + limit); k++) picked.push(indexes ? indexes[k] : k);
    const keys = await s.source.keys(picked);
    return { rows: picked.map((i, k) => this.row(s, i, keys[k])), total };
  }

  /** Input order needs no index (null): a 10-million-key file pages without one. */
  private async sorted(s: State, needle: string, sort: KeySort, current: () => boolean): Promise<Uint32Array | null | typeof SUPERSEDED> {
    const { source, policy } = s;
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
    if (sort === 'line') {
      return picked;
    }
    if (sort === 'tag' && source instanceof TextKeys) {
      const { list, table } = source;
      const order = picked ? Array.from(picked) : Array.from({ length: list.count }, (_, i) => i);
      const tags = new Map(order.map((i) => [i, display(list.bytes, table.tagStart[i], table.tagEnd[i])]));
      return Uint32Array.from(order.sort((a, b) => (tags.get(a)! < tags.get(b)! ? -1 : tags.get(a)! > tags.get(b)! ? 1 : a - b)));
    }
    if (!picked) return orderBySlot(slots);
    return Uint32Array.from(Array.from(picked).sort((a, b) => slotRank(slots[a]) - slotRank(slots[b]) || a - b));
  }

  private row(s: State, i: number, key: FileKey): KeyRow {
    const { policy, other, shards } = s;
    const span = newSpan();
    const cell = (p: Policy) => {
      const slot = key.invalid ? -3 : p.locate(key.bytes, 0, key.bytes.length, span);
      const shard = slot >= 0 ? shards.slotShard[slot] : -1;
      return {
        tag: slot >= 0 ? display(key.bytes, span.start, span.end) : (KEY_ERROR_CODES[slot] ?? 'unreadable line'),
        slot,
        shard: shard >= 0 ? shards.labels[shard] : '',
        rule: slot >= 0 ? span.rule : 0,
        error: slot >= 0 ? undefined : key.invalid ? (key.message ?? 'this line could not be read') : keyErrorMessage(slot, key.bytes.length),
      };
    };
    const { rule, error, ...a } = cell(policy);
    const b = other ? cell(other) : undefined;
    return {
      index: i,
      line: key.line,
      key: display(key.bytes, 0, key.bytes.length),
      ...a,
      rule,
      error,
      to: b ? { tag: b.tag, slot: b.slot, shard: b.shard } : undefined,
    };
  }

  /** The analysis as a Markdown review report, a per-key CSV, or JSON (everything). Big files export as a Blob built piece by piece. */
  async export(format: 'markdown' | 'csv' | 'json'): Promise<string | Blob> {
    const s = this.state;
    if (!s) return '';
    if (format === 'markdown') return markdownReport(s.report);
    const parts: (string | Blob)[] = [];
    // Many small strings become one Blob now and then: the browser may keep Blob data off the JS heap.
    const add = (text: string) => {
      parts.push(text);
      if (parts.length > 64) parts.splice(0, parts.length, new Blob(parts));
    };
    let rows = 0;
    if (format === 'json') {
      const { distribution: d, ...report } = s.report;
      const { perSlot: _perSlot, perShard: _perShard, ...summary } = d as typeof d & { perSlot?: unknown; perShard?: unknown };
      const head = JSON.stringify({ format: 'slot-playground-report', version: 1, ...report, distribution: summary, keys: [] }, null, 2);
      add(head.slice(0, head.lastIndexOf('[') + 1));
    } else add(csvKeys([]));
    const STEP = 4096;
    for (let from = 0; from < s.source.count; from += STEP) {
      const indexes = Array.from({ length: Math.min(STEP, s.source.count - from) }, (_, k) => from + k);
      const keys = await s.source.keys(indexes);
      const page: CsvKeyRow[] = [];
      indexes.forEach((i, k) => {
        if (keys[k].invalid) return;
        const r = this.row(s, i, keys[k]);
        page.push(
          r.slot >= 0 ? { key: r.key, tag: r.tag, slot: r.slot, shard: r.shard, rule: r.rule } : { key: r.key, tag: '', slot: '', shard: '', error: r.tag },
        );
      });
      if (page.length === 0) continue;
      if (format === 'csv') {
        const text = csvKeys(page);
        add(text.slice(text.indexOf('\n') + 1));
      } else add(page.map((r) => (rows++ > 0 ? ',\n    ' : '\n    ') + JSON.stringify(r)).join(''));
    }
    if (format === 'json') add(rows > 0 ? '\n  ]\n}' : ']\n}');
    const blob = new Blob(parts, { type: format === 'csv' ? 'text/csv' : 'application/json' });
    return s.source instanceof TextKeys ? blob.text() : blob;
  }

  /** Up to `limit` keys in one slot (input order). */
  async slotKeys(slot: number, limit = 5): Promise<string[]> {
    const s = this.state;
    if (!s) return [];
    const picked: number[] = [];
    const slots = s.source.slots;
    for (let i = 0; i < slots.length && picked.length < limit; i++) if (slots[i] === slot) picked.push(i);
    return (await s.source.keys(picked)).map((k) => display(k.bytes, 0, k.bytes.length));
  }

  /** How one key got its slot, step by step: the teaching view. */
  async explain(index: number): Promise<Explanation | null> {
    const s = this.state;
    if (!s || index < 0 || index >= s.source.count) return null;
    const [k] = await s.source.keys([index]);
    if (k.invalid) return null;
    const { settings } = s;
    const key = k.bytes;
    const span = newSpan();
    const slot = s.policy.locate(key, 0, key.length, span);
    const { start: tagStart, end: tagEnd } = span;
    const bytes = Array.from(key, (b, i) => ({
      hex: b.toString(16).padStart(2, '0'),
      char: b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·',
      hashed: slot >= 0 && i >= tagStart && i < tagEnd,
    }));
    const shown = display(key, 0, key.length);
    const tag = display(key, tagStart, tagEnd);
    const steps: Explanation['steps'] = [{ title: 'Key', detail: `${shown} — ${key.length} bytes` }];
    if (settings.policy === 'redis') {
      const open = key.indexOf(0x7b);
      steps.push({
        title: 'Hash tag (Redis)',
        detail:
          open < 0
            ? 'no { in the key: the whole key is hashed'
            : tagStart === 0 && tagEnd === key.length
              ? 'the first { has no non-empty {…} after it: the whole key is hashed'
              : `first { at byte ${open}, first } after it: hash ${tag}`,
      });
    } else if (settings.policy === 'standard') {
      steps.push({ title: `Rule ${span.rule} of Standard matches`, detail: `${STANDARD_RULES[span.rule - 1]} — tag ${tag}` });
    } else if (slot < 0) {
      steps.push({ title: 'No rule matches', detail: 'the server refuses this key (ERR key does not match any rule)' });
    } else {
      const rule = s.rules.find((r) => r.index === span.rule);
      steps.push({
        title: rule ? `Rule ${rule.index} matches (first that does)` : 'No rule matches: implicit_shard_key hashes the whole key',
        detail: rule ? `${rule.source} — tag ${tag}` : shown,
      });
    }
    const crc = slot >= 0 ? crc16(key, tagStart, tagEnd) : 0;
    if (slot >= 0) {
      steps.push({ title: 'CRC16-XMODEM', detail: `crc16(${tag}) = 0x${crc.toString(16).padStart(4, '0')} (${crc})` });
      steps.push({ title: 'Slot', detail: `${crc} mod 16384 = ${slot}` });
      const shard = s.shards.slotShard[slot];
      if (shard >= 0) steps.push({ title: 'Shard', detail: `slot ${slot} is on ${s.shards.labels[shard]}` });
    }
    return { key: shown, bytes, steps, crc, slot };
  }
}

const SUPERSEDED = Symbol('superseded');

/**
 * The pattern review, or — if the reasoning fails on some input (a bug: it checks itself and throws
 * rather than print a wrong verdict) — the patterns without verdicts and an error on the first one, so
 * every other view still works.
 */
function reviewPatterns(docs: PatternDocuments, policy: Policy, options: ReasonOptions): PatternReport {
  try {
    return analyzePatterns(docs, policy, options);
  } catch (e) {
    const first = docs.keys.patterns[0]?.line ?? 1;
    const failed = diagnostic(
      'error',
      'pattern-reasoning-failed',
      `the pattern review failed (${(e as Error).message}); the patterns still stand for sample keys in the other views`,
      first,
      1,
      2,
    );
    return {
      policy: policy.name,
      mode: 'symbolic',
      patterns: docs.keys.patterns.map((p) => ({ index: p.index, line: p.line, text: p.text, names: p.names, ok: p.ok })),
      pairs: [],
      templates: [],
      keyDiagnostics: [...docs.keyDiagnostics, failed],
      commandDiagnostics: docs.commandDiagnostics,
    };
  }
}

/**
 * Values sampled per question under custom rules: 400 (the core's default) up to a schema of ten
 * patterns; fewer for a bigger matrix (never under 100), so 60 patterns answer in about 2 s, not 8.
 */
function customSamples(docs: PatternDocuments): number {
  const n = Math.min(MAX_MATRIX_PATTERNS, docs.keys.patterns.filter((p) => p.ok).length);
  const pairs = (n * (n - 1)) / 2;
  return pairs <= 45 ? 400 : Math.max(100, Math.round((400 * 45) / pairs));
}

/** Lines of command templates, and every line of a MULTI … EXEC block that holds one. */
function templateLines(docs: PatternDocuments): Set<number> {
  const out = new Set<number>();
  let block: number[] | null = null;
  let blockHasTemplate = false;
  for (const t of docs.commands.lines) {
    const cl = t.source;
    if (cl.kind !== 'command' || cl.invalid || cl.args.length === 0) continue;
    const name = String.fromCharCode(...cl.args[0].subarray(0, 16)).toUpperCase();
    const isTemplate = t.patterns.some((p) => p !== null) || !t.ok;
    if (name === 'MULTI') {
      block = [cl.line];
      blockHasTemplate = false;
      continue;
    }
    if (block) {
      block.push(cl.line);
      blockHasTemplate ||= isTemplate;
      if (name === 'EXEC' || name === 'DISCARD') {
        if (blockHasTemplate) for (const l of block) out.add(l);
        block = null;
      }
      continue;
    }
    if (isTemplate) out.add(cl.line);
  }
  if (block && blockHasTemplate) for (const l of block) out.add(l);
  return out;
}

/** Slots in order, key errors after them. */
function slotRank(slot: number): number {
  return slot >= 0 ? slot : 16384 - slot;
}

/** A migration diff without its per-key sample (the worker pages keys on demand instead). */
function withoutMoved<T extends object & { moved: unknown }>(diff: T): Omit<T, 'moved'> {
  const { moved: _moved, ...rest } = diff;
  return rest;
}
