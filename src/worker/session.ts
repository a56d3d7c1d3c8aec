import {
  analyzeCommands, commandKeys, csvKeys, describeLayout, markdownReport, shardRows, type CsvKeyRow, type ReportInput, createCustomPolicy, crc16, display, distribution, evenLayout, KEY_ERROR_CODES,
  migrationDiff, parseKeyList, parseRules, parseTopology, redisCliCreateLayout, redisPolicy, slotTable,
  standardPolicy, STANDARD_RULES, TARGETS, tokenizeCommands, utf8, verdictChanges, type KeyList, type Policy,
  type PolicyName, type RegexEngine, type ShardMap, type SlotTable, type Target,
} from '../core/index.ts';
import { columnOf, diagnostic } from '../core/index.ts';
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

interface State {
  report: ReportInput;
  list: KeyList;
  main: SlotTable;
  compare: SlotTable | null;
  shards: ShardMap;
  settings: Settings;
  rules: { index: number; source: string }[];
}

/**
 * Everything the worker computes, as a plain class so it runs (and is tested) in Node too. Keeps the
 * latest analysis so the keys table can page through it and Explain can look a key up.
 */
export class AnalysisSession {
  private state: State | null = null;

  constructor(private readonly engine: RegexEngine) {}

  analyze(inputs: Inputs, settings: Settings): AnalysisResult {
    const t0 = performance.now();
    const problems: Problems = { keys: [], rules: [], rulesB: [], commands: [], topology: [] };
    const list = parseKeyList(utf8(inputs.keys));
    problems.keys = list.diagnostics;

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
    const shards = layout.shards;

    const main = slotTable(list, policy);
    const compare = other ? slotTable(list, other) : null;
    const d = distribution(list, main, shards);

    const lines = tokenizeCommands(utf8(inputs.commands));
    problems.commands = lines.diagnostics.filter((x) => x.severity !== 'info');
    const analysis = analyzeCommands(lines.lines, policy);
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

    let migration: AnalysisResult['migration'] = null;
    if (other && compare) {
      const { moved: _moved, ...diff } = migrationDiff(list, { table: main, shards }, { table: compare, shards });
      const after = analyzeCommands(lines.lines, other);
      migration = { ...diff, commands: verdictChanges(analysis.reports, after.reports, settings.target) };
    }
    policy.dispose();
    other?.dispose();

    const shardList = shardRows(shards, d.perShard);
    this.order = null;
    const rulesOf = (name: PolicyName | null, set: typeof ruleSets.a) => (name === 'custom' ? set.rules.map((r) => r.source) : undefined);
    this.state = {
      report: {
        policy: settings.policy,
        compare: settings.compare,
        target: settings.target,
        layout: layout.description,
        keyCount: list.count,
        unplaced: d.unplaced,
        distribution: d,
        shards: shardList,
        commands: analysis.reports,
        migration,
        generatedBy: 'Slot Playground',
        rules: rulesOf(settings.policy, ruleSets.a),
        compareRules: rulesOf(settings.compare, settings.policy === 'custom' ? ruleSets.b : ruleSets.a),
        implicitShardKey: settings.implicitShardKey,
        warnings: analysis.diagnostics.filter((x) => x.severity === 'warning').map((x) => ({ line: x.line, message: x.message })),
      },
      list,
      main,
      compare,
      shards,
      settings,
      rules: (settings.policy === 'custom' ? ruleSets.a.rules : []).map((r) => ({ index: r.index, source: r.source })),
    };
    return {
      keyCount: list.count,
      unplaced: d.unplaced,
      usedSlots: d.usedSlots,
      shards: shardList,
      perSlot: d.perSlot,
      slotShard: shards.slotShard,
      maxShardOverMean: d.maxShardOverMean,
      busiestSlot: d.busiestSlot,
      hotTags: d.hotTags,
      groups: d.groups,
      commands,
      migration,
      problems,
      highlights: this.highlights(list, main),
      commandKeyRanges: lines.lines.flatMap((cl) => {
        if (cl.kind !== 'command' || cl.invalid) return [];
        const found = commandKeys(cl.args);
        return found.ok ? found.keys.map((k) => ({ line: cl.line, start: cl.spans[k][0], end: cl.spans[k][1] })) : [];
      }),
      policyReady,
      millis: performance.now() - t0,
    };
  }

  private layout(topology: string, settings: Settings): { shards: ShardMap; diagnostics: Problems['topology']; description: string } {
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

  private highlights(list: KeyList, table: SlotTable): AnalysisResult['highlights'] {
    const out: AnalysisResult['highlights'] = [];
    for (let i = 0; i < Math.min(list.count, HIGHLIGHTED_KEYS); i++) {
      if (list.invalid[i] || list.quoted[i] || table.slots[i] < 0) continue;
      const key = list.bytes.subarray(list.offsets[i], list.offsets[i + 1]);
      const from = table.tagStart[i] - list.offsets[i];
      const to = table.tagEnd[i] - list.offsets[i];
      if (to > from) out.push({ line: list.lines[i], start: columnOf(key, from), end: columnOf(key, to) });
    }
    return out;
  }

  private order: { key: string; indexes: Uint32Array } | null = null;

  /**
   * One page of the keys table, filtered (keys or tags containing `filter`, case-insensitive) and
   * sorted by input line, slot or tag. The order is computed once per filter and sort, then paged.
   */
  rows(offset: number, limit: number, filter: string, sort: KeySort = 'line'): { rows: KeyRow[]; total: number } {
    const s = this.state;
    if (!s) return { rows: [], total: 0 };
    const cacheKey = `${sort}\u0000${filter}`;
    if (this.order?.key !== cacheKey) this.order = { key: cacheKey, indexes: this.sorted(filter.toLowerCase(), sort) };
    const indexes = this.order.indexes;
    const rows: KeyRow[] = [];
    for (let k = offset; k < Math.min(indexes.length, offset + limit); k++) rows.push(this.row(indexes[k]));
    return { rows, total: indexes.length };
  }

  private sorted(needle: string, sort: KeySort): Uint32Array {
    const { list, main } = this.state!;
    const picked: number[] = [];
    for (let i = 0; i < list.count; i++) {
      if (list.invalid[i]) continue;
      if (needle) {
        const key = display(list.bytes, list.offsets[i], list.offsets[i + 1]).toLowerCase();
        const tag = main.slots[i] >= 0 ? display(list.bytes, main.tagStart[i], main.tagEnd[i]).toLowerCase() : '';
        if (!key.includes(needle) && !tag.includes(needle)) continue;
      }
      picked.push(i);
    }
    if (sort === 'slot') picked.sort((a, b) => main.slots[a] - main.slots[b] || a - b);
    else if (sort === 'tag') {
      const tags = new Map(picked.map((i) => [i, display(list.bytes, main.tagStart[i], main.tagEnd[i])]));
      picked.sort((a, b) => (tags.get(a)! < tags.get(b)! ? -1 : tags.get(a)! > tags.get(b)! ? 1 : a - b));
    }
    return Uint32Array.from(picked);
  }

  private row(i: number): KeyRow {
    const s = this.state!;
    const { list, main, compare, shards } = s;
    const cell = (t: SlotTable) => {
      const slot = t.slots[i];
      const shard = slot >= 0 ? shards.slotShard[slot] : -1;
      return {
        tag: slot >= 0 ? display(list.bytes, t.tagStart[i], t.tagEnd[i]) : (KEY_ERROR_CODES[slot] ?? 'error'),
        slot,
        shard: shard >= 0 ? shards.labels[shard] : '',
      };
    };
    const a = cell(main);
    return {
      index: i,
      line: list.lines[i],
      key: display(list.bytes, list.offsets[i], list.offsets[i + 1]),
      ...a,
      rule: main.rules[i],
      to: compare ? cell(compare) : undefined,
    };
  }

  /** The analysis as a Markdown review report, a per-key CSV, or JSON (everything). */
  export(format: 'markdown' | 'csv' | 'json'): string {
    const s = this.state;
    if (!s) return '';
    if (format === 'markdown') return markdownReport(s.report);
    const rows: CsvKeyRow[] = [];
    for (let i = 0; i < s.list.count; i++) {
      if (s.list.invalid[i]) continue;
      const r = this.row(i);
      rows.push(r.slot >= 0 ? { key: r.key, tag: r.tag, slot: r.slot, shard: r.shard, rule: r.rule } : { key: r.key, tag: '', slot: '', shard: '', error: r.tag });
    }
    if (format === 'csv') return csvKeys(rows);
    const { distribution: d, ...report } = s.report;
    const { perSlot: _perSlot, perShard: _perShard, ...summary } = d as typeof d & { perSlot?: unknown; perShard?: unknown };
    return JSON.stringify({ format: 'slot-playground-report', version: 1, ...report, distribution: summary, keys: rows }, null, 2);
  }

  /** Up to `limit` keys in one slot (input order). */
  slotKeys(slot: number, limit = 5): string[] {
    const s = this.state;
    if (!s) return [];
    const keys: string[] = [];
    for (let i = 0; i < s.list.count && keys.length < limit; i++) {
      if (s.main.slots[i] === slot) keys.push(display(s.list.bytes, s.list.offsets[i], s.list.offsets[i + 1]));
    }
    return keys;
  }

  /** How one key got its slot, step by step: the teaching view. */
  explain(index: number): Explanation | null {
    const s = this.state;
    if (!s || index < 0 || index >= s.list.count || s.list.invalid[index]) return null;
    const { list, main, settings } = s;
    const start = list.offsets[index];
    const end = list.offsets[index + 1];
    const slot = main.slots[index];
    const tagStart = main.tagStart[index];
    const tagEnd = main.tagEnd[index];
    const bytes = Array.from(list.bytes.subarray(start, end), (b, k) => ({
      hex: b.toString(16).padStart(2, '0'),
      char: b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·',
      hashed: slot >= 0 && start + k >= tagStart && start + k < tagEnd,
    }));
    const key = display(list.bytes, start, end);
    const tag = display(list.bytes, tagStart, tagEnd);
    const steps: Explanation['steps'] = [{ title: 'Key', detail: `${key} — ${end - start} bytes` }];
    if (settings.policy === 'redis') {
      const open = list.bytes.subarray(start, end).indexOf(0x7b);
      steps.push({
        title: 'Hash tag (Redis)',
        detail:
          open < 0
            ? 'no { in the key: the whole key is hashed'
            : tagStart === start && tagEnd === end
              ? 'the first { has no non-empty {…} after it: the whole key is hashed'
              : `first { at byte ${open}, first } after it: hash ${tag}`,
      });
    } else if (settings.policy === 'standard') {
      const rule = main.rules[index];
      steps.push({ title: `Rule ${rule} of Standard matches`, detail: `${STANDARD_RULES[rule - 1]} — tag ${tag}` });
    } else if (slot < 0) {
      steps.push({ title: 'No rule matches', detail: 'the server refuses this key (ERR key does not match any rule)' });
    } else {
      const rule = s.rules.find((r) => r.index === main.rules[index]);
      steps.push({
        title: rule ? `Rule ${rule.index} matches (first that does)` : 'No rule matches: implicit_shard_key hashes the whole key',
        detail: rule ? `${rule.source} — tag ${tag}` : key,
      });
    }
    const crc = slot >= 0 ? crc16(list.bytes, tagStart, tagEnd) : 0;
    if (slot >= 0) {
      steps.push({ title: 'CRC16-XMODEM', detail: `crc16(${tag}) = 0x${crc.toString(16).padStart(4, '0')} (${crc})` });
      steps.push({ title: 'Slot', detail: `${crc} mod 16384 = ${slot}` });
      const shard = s.shards.slotShard[slot];
      if (shard >= 0) steps.push({ title: 'Shard', detail: `slot ${slot} is on ${s.shards.labels[shard]}` });
    }
    return { key, bytes, steps, crc, slot };
  }
}
