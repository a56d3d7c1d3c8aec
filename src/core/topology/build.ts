import { diagnostic, type Diagnostic, type Severity } from '../diagnostics.ts';
import { formatRuns, runsSize, slotRuns } from './ranges.ts';
import { SLOT_COUNT } from '../slots/crc16.ts';
import { type Shard, type ShardNode, type Topology, type TopologyCode } from './types.ts';

/** At most this many errors are reported per paste; the rest are summed up in one more diagnostic. */
export const MAX_ERRORS = 50;

/** Collects diagnostics, stopping after {@link MAX_ERRORS} errors. */
export class Sink {
  readonly list: Diagnostic[] = [];
  private errors = 0;
  private dropped = 0;
  add(severity: Severity, code: TopologyCode, message: string, line: number, column = 1, endColumn = column + 1): void {
    if (severity === 'error' && ++this.errors > MAX_ERRORS) {
      this.dropped++;
      return;
    }
    this.list.push(diagnostic(severity, code, message, line, column, endColumn));
  }
  get errorCount(): number {
    return this.errors;
  }
  finish(): Diagnostic[] {
    if (this.dropped) {
      this.list.push(diagnostic('error', 'too-many-problems', `${this.dropped} more errors not shown`, this.list[this.list.length - 1]?.line ?? 1, 1));
      this.dropped = 0;
    }
    return this.list;
  }
}

/** A node as one of the sources describes it. */
export interface NodeInfo {
  id?: string;
  ip?: string;
  hostname?: string;
  port?: number;
  role: 'master' | 'replica';
  /** 'fail' (FAIL / health failed), 'pfail' (fail?), undefined when healthy or unknown. */
  failed?: 'fail' | 'pfail';
  line: number;
}

/** Slots one shard owns, with where they were written (for double-assignment diagnostics). */
export interface SlotRange {
  start: number;
  end: number;
  line: number;
  column?: number;
  endColumn?: number;
}

/** A shard being assembled: a master (when known), replicas, ranges. */
export interface ShardDraft {
  /** Grouping key within one paste (a master id or address). */
  key: string;
  master?: NodeInfo;
  replicas: NodeInfo[];
  ranges: SlotRange[];
  line: number;
}

const HEX_ID = /^[0-9a-f]{40}$/i;

/** `host:port` of a node: its hostname when announced, else its IP (IPv6 in brackets); undefined when unknown. */
export function addressOf(node: Pick<NodeInfo, 'ip' | 'hostname' | 'port'>): string | undefined {
  const host = node.hostname || (node.ip && node.ip !== '?' ? node.ip : '');
  if (!host) return undefined;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return node.port !== undefined && node.port > 0 ? `${shown}:${node.port}` : shown;
}

function shardNode(node: NodeInfo): ShardNode {
  const out: ShardNode = { role: node.role };
  if (node.id) out.id = node.id;
  const addr = addressOf(node);
  if (addr) out.addr = addr;
  return out;
}

function nodeName(node: NodeInfo): string {
  return addressOf(node) ?? (node.id ? `node ${node.id.slice(0, 8)}` : 'a node');
}

function sameNode(a: NodeInfo, b: NodeInfo): boolean {
  if (a.id && b.id) return a.id === b.id;
  const x = addressOf(a);
  return x !== undefined && x === addressOf(b);
}

/** Adds a replica to a draft unless the same node is already there (CLUSTER SLOTS repeats replicas per range). */
export function addReplica(draft: ShardDraft, node: NodeInfo): void {
  if (draft.master && sameNode(draft.master, node)) return;
  if (!draft.replicas.some((r) => sameNode(r, node))) draft.replicas.push(node);
}

/**
 * Turns drafts into a Topology: shards ordered by lowest slot (slot-less shards last, by label), ids
 * from master addresses (made unique), slot map filled first-come in that order, with diagnostics for
 * failed nodes, double assignment and unassigned slots. `anchor` is the line that global findings point at.
 * More than 16384 shards (only junk can have that many) → null with an error.
 */
export function buildTopology(
  drafts: ShardDraft[],
  migrating: Topology['migrating'],
  source: Topology['source'],
  sink: Sink,
  anchor: { line: number; endColumn: number },
): Topology | null {
  if (drafts.length > SLOT_COUNT) {
    sink.add(
      'error',
      'too-many-shards',
      `${drafts.length} masters: a cluster cannot have more masters than its ${SLOT_COUNT} slots`,
      anchor.line,
      1,
      anchor.endColumn,
    );
    return null;
  }
  const named = drafts.map((d) => {
    const lowest = d.ranges.reduce((min, r) => Math.min(min, r.start), Infinity);
    const base = d.master ? (addressOf(d.master) ?? d.master.id ?? d.key) : d.key;
    const label = HEX_ID.test(base) ? `${d.master ? 'node' : 'replicas of'} ${base.slice(0, 8)}` : base;
    return { d, lowest, base, label };
  });
  named.sort((a, b) => a.lowest - b.lowest || cmp(a.label, b.label));
  const seen = new Map<string, number>();
  const shards: Shard[] = named.map(({ d, base, label }) => {
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    // Replicas sorted by address (then id): the order of CLUSTER NODES lines differs from node to node.
    const replicas = d.replicas.map(shardNode).sort((x, y) => cmp(x.addr ?? '', y.addr ?? '') || cmp(x.id ?? '', y.id ?? ''));
    const nodes = [...(d.master ? [shardNode(d.master)] : []), ...replicas];
    return { id: n === 1 ? base : `${base}#${n}`, label: n === 1 ? label : `${label} #${n}`, nodes };
  });

  // Failed nodes.
  named.forEach(({ d }, i) => {
    for (const node of [...(d.master ? [d.master] : []), ...d.replicas]) {
      if (!node.failed) continue;
      const owner = node.role === 'master' && d.ranges.length > 0;
      const what = `${node.role} ${nodeName(node)}`;
      if (node.failed === 'fail') {
        sink.add(
          owner ? 'warning' : 'info',
          'node-failed',
          owner ? `${what} is marked failed: its slots are unavailable until a replica takes over (shard ${shards[i].label})` : `${what} is marked failed`,
          node.line,
        );
      } else {
        sink.add('info', 'node-failed', `${what} is suspected to be failing (fail?)`, node.line);
      }
    }
  });

  // Slots: each shard's ranges merged first (so repeated ranges cost nothing), then claimed in shard
  // order; a slot already claimed by an earlier shard is a clash, recorded as runs per pair of shards.
  const slotShard = new Int16Array(SLOT_COUNT).fill(-1);
  const clashes = new Map<number, { a: number; b: number; runs: [number, number][]; at: SlotRange }>();
  named.forEach(({ d }, i) => {
    for (const r of mergeRanges(d.ranges)) {
      let runOwner = -1;
      let runStart = 0;
      const flush = (end: number) => {
        if (runOwner < 0) return;
        const key = runOwner * SLOT_COUNT * 2 + i;
        let c = clashes.get(key);
        if (!c) clashes.set(key, (c = { a: runOwner, b: i, runs: [], at: r }));
        c.runs.push([runStart, end]);
        runOwner = -1;
      };
      // Parsers refuse ranges outside 0..16383; clamping here keeps a slip from hanging or crashing.
      for (let s = Math.max(0, r.start); s <= Math.min(SLOT_COUNT - 1, r.end); s++) {
        const owner = slotShard[s];
        if (owner === -1) {
          slotShard[s] = i;
          if (runOwner >= 0) flush(s - 1);
        } else if (owner !== runOwner) {
          flush(s - 1);
          if (owner !== i) {
            runOwner = owner;
            runStart = s;
          }
        }
      }
      flush(r.end);
    }
  });
  for (const c of clashes.values()) {
    const runs = mergeRanges(c.runs.map(([start, end]) => ({ start, end, line: 0 }))).map((r) => [r.start, r.end] as [number, number]);
    const n = runsSize(runs);
    sink.add(
      'error',
      'double-assignment',
      `${n === 1 ? 'slot' : 'slots'} ${formatRuns(runs)} ${n === 1 ? 'is' : 'are'} assigned to both ${shards[c.a].label} and ${shards[c.b].label}` +
        ` (${shards[c.a].label} is used)`,
      c.at.line,
      c.at.column ?? 1,
      c.at.endColumn,
    );
  }
  const unassigned = slotRuns((s) => slotShard[s] === -1);
  if (unassigned.length) {
    const n = runsSize(unassigned);
    sink.add(
      'warning',
      'unassigned-slots',
      `${n === 1 ? 'slot' : 'slots'} ${formatRuns(unassigned)} ${n === 1 ? 'is' : 'are'} not assigned to any shard` + (n > 1 ? ` (${n} slots)` : ''),
      anchor.line,
      1,
      anchor.endColumn,
    );
  }
  return { shards, slotShard, migrating: [...migrating].sort((a, b) => a.slot - b.slot), source };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorted union of ranges (overlapping or adjacent ones joined); each keeps the position of its first range. */
export function mergeRanges(ranges: readonly SlotRange[]): SlotRange[] {
  const sorted = [...ranges].sort((x, y) => x.start - y.start || x.end - y.end);
  const out: SlotRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) {
      if (r.end > last.end) out[out.length - 1] = { ...last, end: r.end };
    } else out.push({ ...r });
  }
  return out;
}
