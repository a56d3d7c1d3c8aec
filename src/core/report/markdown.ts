import type { CommandReport } from '../commands/analyze.ts';
import { TARGET_LABELS, type Target } from '../commands/verdict.ts';
import type { Distribution } from '../distribution/distribution.ts';
import type { MigrationDiff, VerdictChange } from '../distribution/migration.ts';
import type { PatternReport } from '../patterns/review/analysis.ts';
import { describeHashing } from '../patterns/reasoning/model.ts';
import type { TemplateReport } from '../patterns/review/template-verdicts.ts';
import type { PortabilitySummary } from '../analysis/portability.ts';
import type { SetupProblem } from '../analysis/setups.ts';
import type { PolicyName } from '../slots/policy.ts';
import { append, maxOf } from '../arrays.ts';
import { NO_OWNER, type ShardRow } from './shards.ts';

/** Everything a review report shows; the app and the CLI both have it. */
export interface ReportInput {
  title?: string;
  policy: PolicyName;
  compare: PolicyName | null;
  target: Target;
  /** e.g. "3 shards (Redis Cloud even split)" or "pasted CLUSTER NODES, 6 shards" (see describeLayout). */
  layout: string;
  /** Non-empty key-list lines, placed or not; 0 when only commands are checked (no distribution sections). */
  keyCount: number;
  /** Keys without a slot: no rule matched, key too long, unreadable line. */
  unplaced: number;
  distribution: Pick<
    Distribution,
    'usedSlots' | 'maxShardOverMean' | 'busiestSlot' | 'hotTags' | 'groups' | 'groupCount' | 'groupedKeys' | 'emptyShards' | 'unassigned'
  >;
  /** Shard rows (see shardRows), the row of slots no shard owns last. */
  shards: ShardRow[];
  /** From analyzeCommands, already under `policy`. */
  commands: CommandReport[];
  migration: (Omit<MigrationDiff, 'moved'> & { commands: VerdictChange[] }) | null;
  /** e.g. "hashslot 0.1.0". */
  generatedBy?: string;
  /** Custom rules of `policy` and of `compare`, in order, as written. */
  rules?: string[];
  compareRules?: string[];
  /** Redis Software's implicit_shard_key for custom rules. */
  implicitShardKey?: boolean;
  /** Command warnings that are not verdicts (a script's undeclared key, WATCH in another slot …). */
  warnings?: { line: number; message: string }[];
  /** A streamed key list: hot tags and groups come from this many keys (counts per slot and shard stay exact). */
  sampledKeys?: number;
  /** Key patterns and command templates: what each hashes, which pairs co-locate, template verdicts. */
  patterns?: PatternReport | null;
  /** Of `keyCount`, the sample keys key patterns stand for. */
  patternKeys?: number;
  /** Keys that hash, or may hash, differently under Redis and Standard. */
  portability?: PortabilitySummary;
  /** Policy and deployment combinations Redis does not offer. */
  setup?: SetupProblem[];
}

/** Said wherever a policy change is discussed (the CLI's `diff` prints it too). */
export const FLUSH_WARNING =
  'On Redis Cloud / Software, changing the hashing policy or the order of custom rules flushes the database: ' +
  'the data must be imported again, and "moved" means where keys land after that.';

/** How many entries of each list a report shows (it should read in a minute). */
export const REPORT_LIMITS = {
  shards: 16,
  ranges: 4,
  hotTags: 10,
  groups: 10,
  tagsPerGroup: 3,
  failing: 20,
  errors: 10,
  warnings: 10,
  patterns: 60,
  keysPerCommand: 8,
  groupChanges: 5,
  samples: 3,
  verdictChanges: 10,
} as const;

const POLICY_LABELS: Record<PolicyName, string> = { redis: 'Redis', standard: 'Standard', custom: 'Custom' };
const POLICY_TEXT: Record<PolicyName, string> = {
  redis: 'open-source cluster hash tags: the first `{…}` with a non-empty tag, else the whole key (as `CLUSTER KEYSLOT`)',
  standard: 'Redis Cloud / Software default rules `.*\\{(?<tag>.*)\\}.*` then `(?<tag>.*)`: the last `{…}` (an empty tag counts), else the whole key',
  custom: 'ordered PCRE rules; the first that matches gives the `tag` group',
};
const TARGET_RULES: Record<Target, string> = {
  'oss-cluster': "every command's keys must be in one slot",
  'enterprise-oss-api': "every command's keys must be in one slot",
  'enterprise-proxy': 'DEL MGET MSET EXISTS UNLINK TOUCH may span slots (split, not atomic); other commands and transactions need one slot',
  'active-active': 'MGET EXISTS TOUCH may span slots (split, not atomic); other commands and transactions need one slot',
};

// ---- Markdown escaping -------------------------------------------------------------------------

/** Plain text in a paragraph, list item or table cell: Markdown punctuation escaped, one line. */
export function mdText(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ').replace(/[\\`*_[\]<>|~&#!]/g, '\\$&');
}

/**
 * `text` as a code span, exactly: a longer backtick fence than any run inside, padded when the text
 * starts or ends with a backtick. Line breaks (never in display strings) are shown as ␍ / ␊. In a table
 * cell pipes are escaped as GFM wants; `\|` inside cannot be written that way, so such text becomes
 * an HTML <code> element with entities.
 */
export function mdCode(text: string, inTable = false): string {
  const one = text.replace(/\r/g, '␍').replace(/\n/g, '␊');
  if (one === '') return '(empty)';
  if (inTable && one.includes('\\|')) {
    const html = one
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_[\]~]/g, '\\$&')
      .replace(/\|/g, '&#124;');
    return `<code>${html}</code>`;
  }
  const longest = maxOf(
    (one.match(/`+/g) ?? []).map((run) => run.length),
    0,
  );
  const fence = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') || (one.startsWith(' ') && one.endsWith(' ') && one.trim() !== '') ? ' ' : '';
  const span = `${fence}${pad}${one}${pad}${fence}`;
  return inTable ? span.replace(/\|/g, '\\|') : span;
}

/** A GFM table; cells are Markdown already (use mdText / mdCode(…, true)). `align`: l or r per column. */
function table(head: string[], align: string, rows: string[][]): string[] {
  const rule = [...align].map((a) => (a === 'r' ? '--:' : ':--'));
  return [head, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`);
}

const pct = (n: number, of: number) => (of > 0 ? `${((n / of) * 100).toFixed(1)}%` : '—');
const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** A comma-separated list cut after `max` items, with a count of the rest (`noun` singular). */
function capped(items: string[], max: number, noun: string): string {
  const shown = items.slice(0, max);
  if (items.length > max) shown.push(`… ${plural(items.length - max, `more ${noun}`)}`);
  return shown.join(', ');
}

/** Sample keys of a group of `total` keys, with a count of the others. */
function sampleList(sample: string[], total: number): string {
  const shown = sample.slice(0, REPORT_LIMITS.samples).map((k) => mdCode(k));
  if (total > shown.length) shown.push(`… ${plural(total - shown.length, 'more key')}`);
  return shown.join(', ');
}

/** The line under a list cut after `max` of `total` entries (`noun` singular). */
function leftOut(total: number, max: number, noun: string, extra = ''): string[] {
  return total > max ? ['', `_… and ${plural(total - max, `more ${noun}`)}${extra} not shown._`] : [];
}

// ---- the report --------------------------------------------------------------------------------

function isFailing(r: CommandReport, target: Target, verdict: 'crossslot' | 'error'): boolean {
  return r.kind === 'command' && r.verdicts[target].verdict === verdict;
}

/** The keys in the summary line: how many, and how many of them stand for key patterns. */
function keysText(input: ReportInput): string {
  if (input.keyCount === 0) return 'no keys';
  const samples = input.patternKeys ?? 0;
  const patterns = plural(input.patterns?.patterns.length ?? 0, 'key pattern');
  if (samples === 0) return `**${plural(input.keyCount, 'key')}**`;
  if (samples === input.keyCount) return `**${plural(input.keyCount, 'sample key')}** of ${patterns}`;
  return `**${plural(input.keyCount, 'key')}** (${samples} of them sample keys of ${patterns})`;
}

/** What the first lines of the report say about the commands (and command templates); exported for tests and UIs. */
export function commandVerdictLine(commands: CommandReport[], target: Target, templates: readonly TemplateReport[] = []): string {
  const checked = commands.filter((r) => r.kind === 'command').length;
  const where = TARGET_LABELS[target];
  const lines: string[] = [];
  if (checked > 0) {
    const crossslot = commands.filter((r) => isFailing(r, target, 'crossslot')).length;
    const errors = commands.filter((r) => isFailing(r, target, 'error')).length;
    const head =
      crossslot > 0 ? `❌ ${plural(crossslot, 'command')} ${crossslot === 1 ? 'fails' : 'fail'} with CROSSSLOT on ${where}` : `✅ no CROSSSLOT on ${where}`;
    const tail = errors > 0 ? `; ⚠️ ${plural(errors, 'command')} refused with an error` : '';
    lines.push(`**${head}**${tail} (${plural(checked, 'command')} checked)`);
  }
  const decided = templates.filter((t) => t.template && t.kind === 'command');
  if (decided.length > 0) {
    const count = (v: string) => decided.filter((t) => t.verdicts[target].verdict === v).length;
    const risky = count('never') + count('depends');
    const parts = [count('never') && `${count('never')} never`, count('depends') && `${count('depends')} depending on the values`].filter(Boolean);
    const head =
      risky > 0
        ? `❌ ${risky} of ${plural(decided.length, 'command template')} ${risky === 1 ? 'is' : 'are'} not always single-slot on ${where}`
        : `✅ every command template is single-slot on ${where} for every value`;
    const errors = count('error') > 0 ? `; ⚠️ ${plural(count('error'), 'template')} refused with an error` : '';
    lines.push(`**${head}**${parts.length ? ` (${parts.join(', ')})` : ''}${errors}`);
  }
  return lines.length ? lines.join('  \n') : 'ℹ️ No commands checked.';
}

/**
 * A Markdown review report, ready to paste into a ticket: summary and verdict, policy and layout,
 * distribution, hot tags, co-location groups, failing commands with fixes and, when comparing, the
 * migration. Deterministic: the same input gives the same text.
 */
export function markdownReport(input: ReportInput): string {
  const L = REPORT_LIMITS;
  const { target, distribution: d } = input;
  const where = TARGET_LABELS[target];
  const placed = input.keyCount - input.unplaced;
  const shardLabel = (i: number) => (i >= 0 && i < input.shards.length && input.shards[i].owner ? mdText(input.shards[i].label) : `_${NO_OWNER}_`);
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    out.push('', `## ${title}`, '');
    append(out, lines);
  };

  // Title and summary.
  out.push(`# ${mdText(input.title ?? 'Hash-slot review')}`, '');
  const summary = [
    keysText(input),
    `policy **${POLICY_LABELS[input.policy]}**`,
    ...(input.compare ? [`compared with **${POLICY_LABELS[input.compare]}**`] : []),
    `target **${mdText(where)}**`,
    mdText(input.layout),
  ];
  out.push(summary.join(' · '), '', commandVerdictLine(input.commands, target, input.patterns?.templates));
  for (const p of input.setup ?? [])
    out.push('', `> ⚠️ **A setup Redis does not offer:** ${mdText(p.message)} The verdicts below are for it anyway. Source: <${p.source}>`);

  // Policy and topology.
  const policyLines = (name: PolicyName, rules: string[] | undefined) => {
    const lines = [
      `**${POLICY_LABELS[name]}** — ${POLICY_TEXT[name]}` +
        (name === 'custom' && input.implicitShardKey ? '; keys no rule matches hash whole (`implicit_shard_key`)' : '') +
        '.',
    ];
    if (name === 'custom' && rules) rules.forEach((r, i) => lines.push(`   ${i + 1}. ${mdCode(r)}`));
    return lines;
  };
  const [first, ...rest] = policyLines(input.policy, input.rules);
  const policySection = [`- Policy: ${first}`, ...rest];
  if (input.compare) {
    const [cFirst, ...cRest] = policyLines(input.compare, input.compareRules);
    policySection.push(`- Compared with: ${cFirst}`);
    append(policySection, cRest);
  }
  policySection.push(`- Target: ${mdText(where)} (${mdCode(target)}): ${TARGET_RULES[target]}.`, `- Layout: ${mdText(input.layout)}.`);
  section('Policy and topology', policySection);

  // Distribution, hot tags and groups: only with keys.
  if (input.keyCount === 0) {
    section('Distribution', ['No keys given: distribution, hot tags and co-location groups are left out.']);
  } else {
    const owned = input.shards.filter((s) => s.owner);
    const orphan = input.shards.find((s) => !s.owner);
    const shown = owned.slice(0, L.shards);
    const lines = [
      `${plural(placed, 'key')} in ${plural(d.usedSlots, 'slot')} on ${plural(owned.length, 'shard')}` +
        (input.unplaced > 0 ? `; ⚠️ ${plural(input.unplaced, 'key has', 'keys have')} no slot (no rule matched, too long or unreadable).` : '.'),
      '',
    ];
    // Keys on slots no shard owns are a row of their own: they never silently drop out of the shares.
    const row = (s: ShardRow) => [
      s.owner ? mdText(s.label) : `_${s.label}_`,
      String(s.keys),
      pct(s.keys, placed),
      mdText(capped(s.ranges ? s.ranges.split(', ') : [], L.ranges, 'range')) || '_none_',
    ];
    append(lines, table(['Shard', 'Keys', 'Share', 'Slots'], 'lrrl', (orphan ? [...shown, orphan] : shown).map(row)));
    const hidden = owned.slice(L.shards).reduce((n, s) => n + s.keys, 0);
    append(lines, leftOut(owned.length, L.shards, 'shard', ` (${plural(hidden, 'key')})`));
    lines.push('');
    if (placed > 0) {
      lines.push(
        `- Skew: the busiest shard holds **${d.maxShardOverMean.toFixed(2)}×** the mean (1.00 is even).`,
        `- Busiest slot: **${d.busiestSlot.slot}** with ${plural(d.busiestSlot.keys, 'key')} (${pct(d.busiestSlot.keys, placed)}).`,
      );
    }
    lines.push(d.emptyShards.length > 0 ? `- ⚠️ Empty shards: ${capped(d.emptyShards.map(shardLabel), L.shards, 'shard')}.` : '- Empty shards: none.');
    if (d.unassigned > 0) lines.push(`- ⚠️ ${plural(d.unassigned, 'key falls', 'keys fall')} in slots no shard owns (row _${NO_OWNER}_).`);
    if (input.sampledKeys !== undefined && input.sampledKeys < input.keyCount) {
      lines.push(
        `- Hot tags and co-location groups below come from a uniform sample of ${plural(input.sampledKeys, 'key')}: ` +
          'their tag counts are estimates; every count above is exact.',
      );
    }
    section('Distribution', lines);

    const tags = d.hotTags.slice(0, L.hotTags);
    const inTags = tags.reduce((n, t) => n + t.keys, 0);
    const hot = table(
      ['Tag', 'Keys', 'Share', 'Slot', 'Shard'],
      'lrrrl',
      tags.map((t) => [mdCode(t.tag, true), String(t.keys), pct(t.keys, placed), String(t.slot), shardLabel(t.shard)]),
    );
    if (placed > inTags) hot.push('', `Other tags: ${plural(placed - inTags, 'key')} (${pct(placed - inTags, placed)}).`);
    section('Hot tags', hot);

    const groups = d.groups.slice(0, L.groups);
    const groupLines = ['Keys in one slot can be used together in multi-key commands and transactions.', ''];
    const groupRow = (g: (typeof groups)[number]) => [
      String(g.slot),
      shardLabel(g.shard),
      String(g.keys),
      capped(
        g.tags.map((t) => `${mdCode(t.tag, true)} ×${t.keys}`),
        L.tagsPerGroup,
        'tag',
      ),
    ];
    append(groupLines, table(['Slot', 'Shard', 'Keys', 'Tags'], 'rlrl', groups.map(groupRow)));
    // Counted over every slot, however many groups the analysis listed.
    const hiddenKeys = d.groupedKeys - groups.reduce((n, g) => n + g.keys, 0);
    append(groupLines, leftOut(d.groupCount, groups.length, 'group', ` (${plural(hiddenKeys, 'key')})`));
    section('Co-location groups', d.groupCount === 0 ? ['No slot holds two keys: no keys can be used together in multi-key commands.'] : groupLines);
  }

  if (input.keyCount > 0 && input.portability) section('Portability between Redis and Standard', portabilityLines(input.portability, input));

  // Failing commands.
  const commands = input.commands.filter((r) => r.kind === 'command');
  if (commands.length > 0) {
    const crossslot = commands.filter((r) => isFailing(r, target, 'crossslot'));
    const errors = commands.filter((r) => isFailing(r, target, 'error'));
    const lines: string[] = [];
    const head = (r: CommandReport) =>
      r.transaction ? `**Lines ${r.transaction.from}–${r.transaction.to}** transaction (${mdCode(r.command)})` : `**Line ${r.line}** ${mdCode(r.command)}`;
    if (crossslot.length === 0) lines.push(`None of the ${plural(commands.length, 'command')} is refused with CROSSSLOT on ${mdText(where)}.`);
    else
      lines.push(
        `${crossslot.length} of ${plural(commands.length, 'command')} ${crossslot.length === 1 ? 'is' : 'are'} refused with CROSSSLOT on ${mdText(where)}:`,
        '',
      );
    for (const r of crossslot.slice(0, L.failing)) {
      const keys = r.keys.map((k, i) => `${mdCode(k)} → ${r.slots[i] >= 0 ? r.slots[i] : 'no slot'}`);
      lines.push(
        `- ${head(r)}: ${mdText(r.verdicts[target].reason)}`,
        `  - Keys: ${capped(keys, L.keysPerCommand, 'key')}`,
        `  - Fix: ${
          r.suggestion
            ? capped(
                r.suggestion.map((k) => mdCode(k)),
                L.keysPerCommand,
                'key',
              )
            : 'no single hash-tag change found; give these keys one shared hash tag'
        }`,
      );
    }
    append(lines, leftOut(crossslot.length, L.failing, 'CROSSSLOT command'));
    if (errors.length > 0) {
      lines.push('', `### Errors (${errors.length})`, '');
      for (const r of errors.slice(0, L.errors)) lines.push(`- ${head(r)}: ${mdText(r.verdicts[target].reason)}`);
      append(lines, leftOut(errors.length, L.errors, 'error'));
    }
    const warnings = input.warnings ?? [];
    if (warnings.length > 0) {
      lines.push('', `### Warnings (${warnings.length})`, '');
      for (const w of warnings.slice(0, L.warnings)) lines.push(`- **Line ${w.line}**: ${mdText(w.message)}`);
      append(lines, leftOut(warnings.length, L.warnings, 'warning'));
    }
    section('Failing commands', lines);
  }

  // Migration.
  const m = input.migration;
  if (input.compare && m) {
    const lines = [`> ⚠️ ${mdText(FLUSH_WARNING)}`, ''];
    if (input.keyCount === 0) {
      lines.push('No keys given: only command verdicts are compared.');
    } else {
      const rows = [
        ['Slot', String(m.changedSlot), pct(m.changedSlot, m.keys)],
        ['Shard', String(m.changedShard), pct(m.changedShard, m.keys)],
      ];
      if (m.startUnmatched || m.stopUnmatched) {
        rows.push(['Start matching no rule', String(m.startUnmatched), pct(m.startUnmatched, m.keys)]);
        rows.push(['Stop matching no rule', String(m.stopUnmatched), pct(m.stopUnmatched, m.keys)]);
      }
      lines.push(`Of ${plural(m.keys, 'key')}:`, '');
      append(lines, table(['What changes', 'Keys', 'Share'], 'lrr', rows));
      lines.push('');
      const groupLines = (title: string, count: number, groups: typeof m.split, arrow: string) => {
        lines.push(`${title}: ${count}${count > 0 ? '' : '.'}`);
        if (count === 0) return;
        lines.push('');
        for (const g of groups.slice(0, L.groupChanges)) {
          lines.push(`- slot ${g.slot}: ${plural(g.keys, 'key')} ${arrow} ${plural(g.slots, 'slot')} (${sampleList(g.sample, g.keys)})`);
        }
        append(lines, leftOut(count, Math.min(L.groupChanges, groups.length), 'group'));
        lines.push('');
      };
      groupLines('Co-located groups that split', m.splitCount, m.split, '→');
      groupLines('New co-location (groups that merge)', m.mergedCount, m.merged, 'from');
      if (lines[lines.length - 1] === '') lines.pop();
    }
    if (commands.length > 0) {
      lines.push(
        '',
        m.commands.length === 0
          ? `No command changes verdict on ${mdText(where)}.`
          : `Commands whose verdict changes on ${mdText(where)}: ${m.commands.length}`,
      );
      if (m.commands.length > 0) {
        lines.push('');
        append(
          lines,
          table(
            ['Line', 'Command', 'Verdict', `Reason under ${POLICY_LABELS[input.compare]}`],
            'rlll',
            m.commands.slice(0, L.verdictChanges).map((c) => [String(c.line), mdCode(c.command, true), `${c.before} → **${c.after}**`, mdText(c.reason)]),
          ),
        );
        append(lines, leftOut(m.commands.length, L.verdictChanges, 'change'));
      }
    }
    section(`Migration: ${POLICY_LABELS[input.policy]} → ${POLICY_LABELS[input.compare]}`, lines);
  }

  const pr = input.patterns;
  if (pr && (pr.patterns.length > 0 || pr.templates.some((t) => t.template))) section('Key patterns', patternLines(pr, target));

  if (input.generatedBy) out.push('', '---', '', `_Generated by ${mdText(input.generatedBy)}._`);
  return out.join('\n') + '\n';
}

/**
 * The schema review: what each pattern hashes, the pairs that share placeholders (the ones a review
 * decides on), and every command template's verdict on the target with its fix.
 */
function patternLines(pr: PatternReport, target: Target): string[] {
  const L = REPORT_LIMITS;
  const where = TARGET_LABELS[target];
  const lines: string[] = [
    pr.mode === 'symbolic'
      ? 'Exact reasoning over every value of the placeholders.'
      : 'Custom rules: verdicts decided by running sampled values through the rules (marked _sampled_).',
  ];
  if (pr.patterns.length > 0) {
    lines.push('');
    append(
      lines,
      table(
        ['#', 'Pattern', 'Hashes', 'Watch out'],
        'rlll',
        pr.patterns
          .slice(0, L.patterns)
          .map((p) => [
            String(p.index + 1),
            mdCode(p.text, true),
            p.hashing ? mdText(describeHashing(p.hashing.hashing)) + (p.hashing.sampled ? ' _(sampled)_' : '') : '_malformed_',
            p.hashing ? mdText(p.hashing.warnings.map((w) => w.message).join('; ')) : '',
          ]),
      ),
    );
    append(lines, leftOut(pr.patterns.length, L.patterns, 'pattern'));
    const related = pr.pairs.filter((c) => c.shared.length > 0 || c.verdict !== 'never');
    if (related.length > 0) {
      lines.push('', 'Patterns that share a placeholder (same values: do their keys share a slot?):', '');
      for (const c of related.slice(0, L.patterns)) {
        const mark = c.verdict === 'always' ? '✅ always' : c.verdict === 'never' ? '❌ never' : '⚠️ depends';
        lines.push(
          `- ${mdCode(pr.patterns[c.a].text)} and ${mdCode(pr.patterns[c.b].text)}: **${mark}**${c.sampled ? ' _(sampled)_' : ''} — ${mdText(c.reason)}`,
        );
      }
      append(lines, leftOut(related.length, L.patterns, 'pair'));
    }
  }
  const templates = pr.templates.filter((t) => t.template && t.kind === 'command');
  if (templates.length > 0) {
    lines.push('', `Command templates on ${mdText(where)}:`, '');
    append(
      lines,
      table(
        ['Line', 'Command', 'Single slot?', 'Why', 'Fix'],
        'rllll',
        templates.map((t) => {
          const v = t.verdicts[target];
          const mark = v.verdict === 'always' ? '✅ always' : v.verdict === 'never' ? '❌ never' : v.verdict === 'depends' ? '⚠️ depends' : v.verdict;
          return [String(t.line), mdCode([t.command, ...t.keys].join(' '), true), mark, mdText(v.reason), t.fix ? mdCode(t.fix.join(' '), true) : ''];
        }),
      ),
    );
  }
  return lines;
}

/**
 * Keys with an empty hash tag or several braces, which Redis Cloud advises against "to allow seamless
 * transition between hashing policies": how many, which hash differently today, and portable names.
 */
function portabilityLines(p: PortabilitySummary, input: ReportInput): string[] {
  const about = p.estimated ? '≈ ' : '';
  if (p.count === 0) return ['No key uses an empty hash tag or several braces: every key hashes the same under Redis and Standard.'];
  const lines = [
    `⚠️ ${about}${plural(p.count, 'key uses', 'keys use')} an empty hash tag \`{}\` or several braces, which Redis Cloud advises against ` +
      `to allow a change of hashing policy; ${about}${plural(p.differ, 'of them hashes', 'of them hash')} ` +
      'to another slot under Standard than under Redis today' +
      (p.estimated ? ' (estimated from the uniform sample).' : '.'),
    '',
  ];
  append(
    lines,
    table(
      ['Line', 'Key', 'Redis slot', 'Standard slot', 'Portable name (same slot under both)'],
      'rlrrl',
      p.examples.map((e) => [
        e.line > 0 ? String(e.line) : '—',
        mdCode(e.key, true),
        String(e.redisSlot),
        String(e.standardSlot),
        e.fix ? mdCode(e.fix, true) : '_none keeps its slot_',
      ]),
    ),
  );
  append(lines, leftOut(p.count, p.examples.length, 'key'));
  if (input.target === 'enterprise-oss-api' && input.policy === 'standard' && p.differ > 0) {
    lines.push(
      '',
      `With the OSS Cluster API, cluster clients compute slots the open-source (Redis) way. What a Standard database does with ` +
        `${about}${plural(p.differ, 'key', 'keys')} whose Standard slot differs is not documented: **unknown**, not fine.`,
    );
  }
  return lines;
}
