import { append } from '../arrays.ts';
import { addReplica, addressOf, buildTopology, Sink, type NodeInfo, type ShardDraft, type SlotRange } from './build.ts';
import { isPromptLine, parseRedisCliReply, splitLines, unescapeQuoted, type ReplyValue, type SourceLine } from './reply.ts';
import { SLOT_COUNT } from '../slots/crc16.ts';
import { type Topology, type TopologyResult } from './types.ts';

/** Where a diagnostic found in derived text (an unescaped string) belongs in the user's text. */
type Locate = (line: number, column: number) => { line: number; column: number };
const identity: Locate = (line, column) => ({ line, column });

const HEX_ID = /^[0-9a-f]{40}$/i;
const ERROR_REPLY = /^\s*(?:\(error\)\s*(.*)|-?((?:ERR|NOAUTH|NOPERM|WRONGPASS|LOADING|BUSY|MASTERDOWN|READONLY|CLUSTERDOWN|MOVED|ASK|TRYAGAIN|OOM)\b.*))$/;
const TTY_ITEM = /^\s*\d{1,9}[)~#] /;

/**
 * Reads a cluster topology from whatever a user copied out of a terminal or a client library:
 *
 * - `CLUSTER NODES`: its lines (also as redis-cli prints them, possibly after a prompt line), or the
 *   whole reply as one quoted string with `\n` escapes (older redis-cli, RedisInsight, a JSON string);
 * - `CLUSTER SLOTS`: redis-cli's numbered nested lines (RESP2 or RESP3 `-3`), `--raw` (one value per
 *   line), or JSON nested arrays (`[[0,5460,["127.0.0.1",30001,"id"],…],…]`, or node-redis style
 *   `{from, to, master, replicas}` objects);
 * - `CLUSTER SHARDS`: numbered nested lines (RESP2 arrays or RESP3 `1# "slots" => …` maps), `--raw`,
 *   or JSON (arrays of maps, flat key/value arrays, or `[key, value]` pair lists).
 *
 * Shards are masters; replicas join their master's shard. Shard ids and labels are the master address
 * `host:port` (the announced hostname when there is one). Never throws: problems are diagnostics, and
 * `topology` is null only when nothing usable was found. A slot claimed by two shards stays with the
 * shard that comes first (lowest slot first), with an error.
 */
export function parseTopology(text: string): TopologyResult {
  const sink = new Sink();
  try {
    const topology = parseInto(typeof text === 'string' ? text.replace(/^\ufeff/, '') : '', sink);
    return { topology, diagnostics: sink.finish() };
  } catch (error) {
    // Defensive: parsing must never throw on user input; a bug here becomes a diagnostic.
    sink.add('error', 'unrecognized-topology', `could not read this topology (${error instanceof Error ? error.message : String(error)})`, 1);
    return { topology: null, diagnostics: sink.finish() };
  }
}

function parseInto(text: string, sink: Sink): Topology | null {
  const all = splitLines(text);
  const content = all.filter((l) => l.text.trim() !== '' && !isPromptLine(l.text));
  if (!content.length) {
    sink.add('info', 'empty-topology', 'paste the output of CLUSTER NODES, CLUSTER SLOTS or CLUSTER SHARDS', 1);
    return null;
  }
  const first = content[0];
  const head = first.text.trimStart();
  const indent = first.text.length - head.length;
  const anchor = { line: first.line, endColumn: first.text.length + 1 };

  const error = ERROR_REPLY.exec(first.text);
  if (error) {
    sink.add('error', 'redis-error', `Redis answered with an error: ${(error[1] ?? error[2]).trim()}`, first.line, indent + 1, first.text.length + 1);
    return null;
  }
  if (head[0] === '[' || head[0] === '{') {
    // Prompt lines become blank lines, so JSON error positions stay the user's lines.
    const body = all.map((l) => (isPromptLine(l.text) ? '' : l.text)).join('\n');
    return parseJson(body, sink, anchor);
  }
  if (head[0] === '"') return parseQuotedNodes(first, content, sink);
  if (/^\(empty[^)]*\)\s*$/.test(head)) {
    sink.add('warning', 'empty-reply', 'the reply is empty: no slots are assigned in this cluster', first.line, indent + 1, first.text.length + 1);
    return null;
  }
  if (TTY_ITEM.test(first.text)) {
    const reply = parseRedisCliReply(text);
    for (const d of reply.diagnostics) sink.add('error', 'bad-reply', d.message, d.line, d.column, d.endColumn);
    if (reply.value === undefined) return null;
    return interpretTree(reply.value, (v) => reply.lines.get(v) ?? first.line, first.line, sink, anchor);
  }
  if (/^[0-9a-f]{40}(?:\s|$)/i.test(head)) return parseNodes(content, identity, sink, anchor);
  if (/^slots(?:\s|$)/.test(head)) {
    const tree = rawShardsTree(words(content), sink);
    return tree ? interpretTree(tree.value, (v) => tree.lines.get(v) ?? first.line, first.line, sink, anchor) : null;
  }
  if (/^\d+$/.test(head)) {
    const tree = rawSlotsTree(words(content), sink);
    return tree ? interpretTree(tree.value, (v) => tree.lines.get(v) ?? first.line, first.line, sink, anchor) : null;
  }
  sink.add(
    'error',
    'unrecognized-topology',
    'not a cluster topology: paste the output of CLUSTER NODES, CLUSTER SLOTS or CLUSTER SHARDS (redis-cli, --raw, or JSON)',
    first.line,
    indent + 1,
    first.text.length + 1,
  );
  return null;
}

// ---------------------------------------------------------------------------------------------------
// CLUSTER NODES

interface Field {
  text: string;
  /** 1-based column in the line. */
  column: number;
}

function fields(text: string): Field[] {
  const out: Field[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ text: m[0], column: m.index + 1 });
  return out;
}

const SLOT_RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;
const SLOT_MOVE = /^\[(\d{1,5})(->-|-<-)([^\]\s]+)\]$/;

/**
 * CLUSTER NODES lines: `<id> <ip:port@cport[,hostname[,aux=value…]]> <flags> <master> <ping> <pong>
 * <epoch> <link> <slot>…`. Bad lines become diagnostics and are skipped; the rest still count.
 */
function parseNodes(lines: SourceLine[], locate: Locate, sink: Sink, anchor: { line: number; endColumn: number }): Topology | null {
  const at = (line: number, column: number, endColumn: number) => {
    const a = locate(line, column);
    const b = locate(line, Math.max(endColumn - 1, column));
    return [a.line, a.column, a.line === b.line ? b.column + 1 : a.column + 1] as const;
  };
  const drafts = new Map<string, ShardDraft>();
  const draftFor = (key: string, line: number) => {
    let d = drafts.get(key);
    if (!d) drafts.set(key, (d = { key, replicas: [], ranges: [], line }));
    return d;
  };
  const moves = new Map<number, { slot: number; from?: string; to?: string }>();
  let nodes = 0;
  for (const { text, line } of lines) {
    const f = fields(text);
    if (!f.length) continue;
    const bad = (field: Field | undefined, message: string) =>
      sink.add('error', 'bad-nodes-line', message, ...at(line, field?.column ?? 1, field ? field.column + field.text.length : text.length + 1));
    if (f.length < 8) {
      bad(undefined, `a CLUSTER NODES line needs at least 8 fields (id, address, flags, master, ping, pong, epoch, link), this one has ${f.length}`);
      continue;
    }
    const [id, address, flagField, masterField, ping, pong, epoch, link] = f;
    if (!HEX_ID.test(id.text)) {
      bad(id, `"${id.text}" is not a node id (40 hex characters)`);
      continue;
    }
    const addr = /^(.*):(\d{1,5})(?:@(\d{1,5}))?(?:,([^,]*))?(?:,.*)?$/.exec(address.text);
    if (!addr) {
      bad(address, `"${address.text}" is not a node address (ip:port@cport[,hostname])`);
      continue;
    }
    if (![ping, pong, epoch].every((x) => /^\d+$/.test(x.text))) {
      bad(
        [ping, pong, epoch].find((x) => !/^\d+$/.test(x.text)),
        'ping-sent, pong-recv and config-epoch should be numbers',
      );
      continue;
    }
    if (link.text !== 'connected' && link.text !== 'disconnected') {
      bad(link, `link state should be connected or disconnected, not "${link.text}"`);
      continue;
    }
    if (masterField.text !== '-' && !HEX_ID.test(masterField.text)) {
      bad(masterField, `"${masterField.text}" is neither - nor a master node id`);
      continue;
    }
    const flags = flagField.text.split(',');
    if (flags.includes('handshake')) continue; // a node still being met: random id, no role yet
    const isReplica = flags.includes('slave') || flags.includes('replica');
    const hostname = addr[4] !== undefined && !addr[4].includes('=') ? addr[4] : undefined;
    const node: NodeInfo = {
      id: id.text.toLowerCase(),
      ip: flags.includes('noaddr') ? undefined : addr[1].replace(/^\[(.*)\]$/, '$1') || undefined,
      port: Number(addr[2]),
      role: isReplica ? 'replica' : 'master',
      line: locate(line, 1).line,
      failed: flags.includes('fail') ? 'fail' : flags.includes('fail?') ? 'pfail' : undefined,
    };
    if (hostname) node.hostname = hostname;
    if (node.port === 0 && !node.ip) delete node.port;
    const ranges: SlotRange[] = [];
    for (const s of f.slice(8)) {
      const loc = at(line, s.column, s.column + s.text.length);
      const r = SLOT_RANGE.exec(s.text);
      if (r) {
        const a = Number(r[1]);
        const b = r[2] === undefined ? a : Number(r[2]);
        if (a < 0 || a >= SLOT_COUNT || b >= SLOT_COUNT || b < a) {
          sink.add('error', 'bad-slot', `"${s.text}" is not a slot range within 0-${SLOT_COUNT - 1}`, ...loc);
          continue;
        }
        ranges.push({ start: a, end: b, line: loc[0], column: loc[1], endColumn: loc[2] });
        continue;
      }
      const m = SLOT_MOVE.exec(s.text);
      if (m && Number(m[1]) < SLOT_COUNT) {
        const slot = Number(m[1]);
        const other = m[3].toLowerCase();
        const move = moves.get(slot) ?? { slot };
        if (m[2] === '->-') {
          move.from ??= node.id;
          move.to ??= other;
        } else {
          move.from ??= other;
          move.to ??= node.id;
        }
        moves.set(slot, move);
        continue;
      }
      sink.add('error', 'bad-slot', `"${s.text}" is not a slot, a range a-b, or a migrating [N->-id] / importing [N-<-id] slot`, ...loc);
    }
    nodes++;
    if (isReplica) {
      const d = draftFor(masterField.text === '-' ? node.id! : masterField.text.toLowerCase(), node.line);
      addReplica(d, node);
      if (ranges.length)
        sink.add(
          'error',
          'bad-slot',
          `replica ${node.id!.slice(0, 8)} lists slots; only masters own slots (ignored)`,
          ...at(line, f[8].column, text.length + 1),
        );
    } else if (flags.includes('master') || ranges.length) {
      const d = draftFor(node.id!, node.line);
      d.master = node;
      append(d.ranges, ranges);
      d.replicas = d.replicas.filter((r) => r.id !== node.id);
    }
  }
  if (!nodes) return null;
  return buildTopology([...drafts.values()], [...moves.values()], 'cluster-nodes', sink, anchor);
}

/** The whole CLUSTER NODES reply as one quoted string (`"id addr … \n id addr …\n"`), with exact columns. */
function parseQuotedNodes(first: SourceLine, content: SourceLine[], sink: Sink): Topology | null {
  const start = first.text.indexOf('"');
  const q = unescapeQuoted(first.text, start);
  if (!q) {
    sink.add('error', 'unrecognized-topology', 'unbalanced quote: no closing " on this line', first.line, start + 1, first.text.length + 1);
    return null;
  }
  if (first.text.slice(q.end).trim()) {
    sink.add('error', 'unrecognized-topology', 'unexpected text after the quoted CLUSTER NODES reply', first.line, q.end + 1, first.text.length + 1);
  } else if (content.length > 1) {
    const next = content[1];
    sink.add('error', 'unrecognized-topology', 'unexpected text after the quoted CLUSTER NODES reply', next.line, 1, next.text.length + 1);
  }
  const inner = splitLines(q.text);
  const starts: number[] = [];
  let offset = 0;
  for (const l of inner) {
    starts.push(offset);
    offset += l.text.length + 1;
  }
  const locate: Locate = (line, column) => {
    const i = starts[line - 1] + column - 1;
    return { line: first.line, column: (q.columns[Math.min(i, q.columns.length - 1)] ?? start) + 1 };
  };
  const lines = inner.filter((l) => l.text.trim() !== '');
  if (!lines.length || !/^[0-9a-f]{40}(?:\s|$)/i.test(lines[0].text.trimStart())) {
    sink.add('error', 'unrecognized-topology', 'this quoted text is not CLUSTER NODES output', first.line, start + 1, q.end + 1);
    return null;
  }
  return parseNodes(lines, locate, sink, { line: first.line, endColumn: first.text.length + 1 });
}

// ---------------------------------------------------------------------------------------------------
// Reply trees: CLUSTER SLOTS and CLUSTER SHARDS from redis-cli, --raw or JSON.

type LineOf = (value: ReplyValue[]) => number;

function isReplyError(v: unknown): v is { error: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { error?: unknown }).error === 'string' && Object.keys(v).length === 1;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A slot number from a reply value: an integer or a string of digits. */
function slotNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  if (typeof v === 'string' && /^\s*\d{1,9}\s*$/.test(v)) return Number(v);
  return null;
}

/** A map from an object, a flat `[k, v, k, v]` array, or a `[[k, v], …]` list; keys lower-cased. */
function asMap(v: unknown): Map<string, unknown> | null {
  if (isPlainObject(v) && !isReplyError(v)) return new Map(Object.entries(v).map(([k, x]) => [k.toLowerCase(), x]));
  if (!Array.isArray(v)) return null;
  if (v.length && v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string')) {
    return new Map(v.map((e) => [(e[0] as string).toLowerCase(), e[1]]));
  }
  if (v.length % 2 === 0 && v.every((e, i) => i % 2 === 1 || typeof e === 'string')) {
    const m = new Map<string, unknown>();
    for (let i = 0; i < v.length; i += 2) m.set((v[i] as string).toLowerCase(), v[i + 1]);
    return m;
  }
  return null;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function isSlotsEntry(v: unknown): boolean {
  if (Array.isArray(v)) return v.length >= 2 && slotNumber(v[0]) !== null && slotNumber(v[1]) !== null;
  const m = isPlainObject(v) ? asMap(v) : null;
  return !!m && (m.has('from') || m.has('start')) && (m.has('master') || m.has('primary') || m.has('nodes'));
}

function isShardsEntry(v: unknown): boolean {
  const m = asMap(v);
  return !!m && m.has('slots') && m.has('nodes');
}

function interpretTree(
  value: ReplyValue | unknown,
  lineOf: LineOf,
  baseLine: number,
  sink: Sink,
  anchor: { line: number; endColumn: number },
): Topology | null {
  if (isReplyError(value)) {
    sink.add('error', 'redis-error', `Redis answered with an error: ${value.error}`, baseLine);
    return null;
  }
  if (typeof value === 'string') {
    const lines = splitLines(value).filter((l) => l.text.trim() !== '');
    if (lines.length && /^[0-9a-f]{40}(?:\s|$)/i.test(lines[0].text.trimStart())) {
      return parseNodes(lines, (_l, c) => ({ line: baseLine, column: c }), sink, anchor);
    }
  }
  if (isShardsEntry(value) && !Array.isArray(value)) value = [value];
  if (!Array.isArray(value)) {
    sink.add('error', 'unrecognized-topology', 'not a CLUSTER NODES, CLUSTER SLOTS or CLUSTER SHARDS reply', baseLine);
    return null;
  }
  if (!value.length) {
    sink.add('warning', 'empty-reply', 'the reply is empty: no slots are assigned in this cluster', baseLine);
    return null;
  }
  const where = (v: unknown) => (Array.isArray(v) ? lineOf(v as ReplyValue[]) : baseLine);
  // Decided by any entry, so that one malformed entry is reported as such rather than as garbage.
  if (value.some(isSlotsEntry)) return interpretSlots(value, where, sink, anchor);
  if (value.some(isShardsEntry)) return interpretShards(value, where, sink, anchor);
  sink.add('error', 'unrecognized-topology', 'this reply is neither CLUSTER SLOTS (start, end, nodes…) nor CLUSTER SHARDS (slots, nodes)', where(value[0]));
  return null;
}

/** A CLUSTER SLOTS node: `[endpoint, port, id?, metadata?]` or `{ip|host|endpoint, port, id, hostname}`. */
function slotsNode(v: unknown, role: NodeInfo['role'], line: number): NodeInfo | null {
  let endpoint: unknown;
  let port: unknown;
  let id: unknown;
  let meta: Map<string, unknown> | null;
  if (Array.isArray(v)) {
    [endpoint, port, id] = v;
    meta = v.length > 3 ? asMap(v[3]) : null;
  } else if (isPlainObject(v)) {
    const m = asMap(v)!;
    endpoint = m.get('endpoint') ?? m.get('host') ?? m.get('ip');
    port = m.get('port');
    id = m.get('id');
    meta = m;
  } else return null;
  const p = slotNumber(port);
  if (p === null || p > 65535 || (endpoint !== null && endpoint !== undefined && typeof endpoint !== 'string')) return null;
  const node: NodeInfo = { role, line, port: p };
  if (typeof id === 'string' && id) node.id = id.toLowerCase();
  const hostname = str(meta?.get('hostname'));
  const ip = str(meta?.get('ip'));
  if (hostname) node.hostname = hostname;
  // The endpoint is the IP, or the hostname when cluster-preferred-endpoint-type is hostname (then metadata has the IP).
  if (typeof endpoint === 'string' && endpoint && endpoint !== '?') {
    if (ip && ip !== endpoint) node.hostname ??= endpoint;
    else node.ip = endpoint;
  }
  if (ip) node.ip = ip;
  return node;
}

function interpretSlots(entries: unknown[], where: (v: unknown) => number, sink: Sink, anchor: { line: number; endColumn: number }): Topology | null {
  const drafts = new Map<string, ShardDraft>();
  entries.forEach((entry, k) => {
    const line = where(entry);
    let start: number | null;
    let end: number | null;
    let nodes: unknown[];
    if (Array.isArray(entry)) {
      start = slotNumber(entry[0]);
      end = slotNumber(entry[1]);
      nodes = entry.slice(2);
    } else {
      const m = asMap(entry);
      start = slotNumber(m?.get('from') ?? m?.get('start'));
      end = slotNumber(m?.get('to') ?? m?.get('end'));
      const master = m?.get('master') ?? m?.get('primary');
      const replicas = m?.get('replicas') ?? m?.get('slaves');
      nodes = m?.has('nodes') && Array.isArray(m.get('nodes')) ? (m.get('nodes') as unknown[]) : [master, ...(Array.isArray(replicas) ? replicas : [])];
    }
    if (start === null || end === null) {
      sink.add('error', 'bad-slots-entry', `CLUSTER SLOTS entry ${k + 1} should start with two slot numbers`, line);
      return;
    }
    if (start < 0 || start >= SLOT_COUNT || end >= SLOT_COUNT || end < start) {
      sink.add('error', 'bad-slot', `CLUSTER SLOTS entry ${k + 1}: ${start}-${end} is not a slot range within 0-${SLOT_COUNT - 1}`, line);
      return;
    }
    const parsed = nodes.map((n, i) => slotsNode(n, i === 0 ? 'master' : 'replica', Array.isArray(n) ? where(n) : line));
    const master = parsed[0];
    if (!master) {
      sink.add('error', 'bad-slots-entry', `CLUSTER SLOTS entry ${k + 1} (slots ${start}-${end}) has no valid master node [endpoint, port, id]`, line);
      return;
    }
    const key = master.id ?? `${master.ip ?? master.hostname}:${master.port}`;
    let d = drafts.get(key);
    if (!d) drafts.set(key, (d = { key, master, replicas: [], ranges: [], line }));
    d.ranges.push({ start, end, line });
    parsed.slice(1).forEach((n, i) => {
      if (n) addReplica(d, n);
      else sink.add('error', 'bad-slots-entry', `CLUSTER SLOTS entry ${k + 1}: node ${i + 2} is not [endpoint, port, id]`, line);
    });
  });
  if (!drafts.size) return null;
  return buildTopology([...drafts.values()], [], 'cluster-slots', sink, anchor);
}

/** Slot ranges of a CLUSTER SHARDS `slots` field: integer pairs (7.0+), or `"a-b"` / `"n"` strings. */
function shardRanges(v: unknown): [number, number][] | null {
  if (!Array.isArray(v)) return null;
  const out: [number, number][] = [];
  const nums: number[] = [];
  for (const x of v) {
    const n = slotNumber(x);
    if (n !== null) {
      nums.push(n);
      continue;
    }
    const m = typeof x === 'string' ? /^\s*(\d{1,9})\s*-\s*(\d{1,9})\s*$/.exec(x) : null;
    if (!m) return null;
    out.push([Number(m[1]), Number(m[2])]);
  }
  if (nums.length % 2) return null;
  for (let i = 0; i < nums.length; i += 2) out.push([nums[i], nums[i + 1]]);
  return out;
}

function interpretShards(entries: unknown[], where: (v: unknown) => number, sink: Sink, anchor: { line: number; endColumn: number }): Topology | null {
  const drafts: ShardDraft[] = [];
  entries.forEach((entry, k) => {
    const line = where(entry);
    const m = asMap(entry);
    if (!m || !m.has('slots') || !m.has('nodes')) {
      sink.add('error', 'bad-slots-entry', `CLUSTER SHARDS entry ${k + 1} should be a map with "slots" and "nodes"`, line);
      return;
    }
    const ranges = shardRanges(m.get('slots'));
    if (!ranges) {
      sink.add('error', 'bad-slots-entry', `CLUSTER SHARDS entry ${k + 1}: "slots" should be a list of start/end pairs`, where(m.get('slots')));
      return;
    }
    const nodeList = m.get('nodes');
    if (!Array.isArray(nodeList)) {
      sink.add('error', 'bad-slots-entry', `CLUSTER SHARDS entry ${k + 1}: "nodes" should be a list of node maps`, line);
      return;
    }
    const d: ShardDraft = { key: `#${k}`, replicas: [], ranges: [], line };
    for (const [a, b] of ranges) {
      if (a < 0 || a >= SLOT_COUNT || b >= SLOT_COUNT || b < a)
        sink.add('error', 'bad-slot', `CLUSTER SHARDS entry ${k + 1}: ${a}-${b} is not a slot range within 0-${SLOT_COUNT - 1}`, where(m.get('slots')));
      else d.ranges.push({ start: a, end: b, line: where(m.get('slots')) });
    }
    nodeList.forEach((raw, i) => {
      const n = asMap(raw);
      const nodeLine = where(raw);
      const port = slotNumber(n?.get('port') ?? n?.get('tls-port'));
      if (!n || (port === null && !n.has('id'))) {
        sink.add('error', 'bad-slots-entry', `CLUSTER SHARDS entry ${k + 1}: node ${i + 1} should be a map with id, port, ip, role…`, nodeLine);
        return;
      }
      const role = str(n.get('role'))?.toLowerCase();
      const health = str(n.get('health'))?.toLowerCase();
      const node: NodeInfo = {
        role: role === 'master' || role === 'primary' ? 'master' : 'replica',
        line: nodeLine,
        failed: health === 'fail' || health === 'failed' ? 'fail' : undefined,
      };
      const id = str(n.get('id'));
      if (id) node.id = id.toLowerCase();
      if (port !== null && port <= 65535) node.port = port;
      const ip = str(n.get('ip')) || str(n.get('endpoint'));
      if (ip && ip !== '?') node.ip = ip;
      const hostname = str(n.get('hostname'));
      if (hostname) node.hostname = hostname;
      if (node.role === 'master' && !d.master) d.master = node;
      else addReplica(d, { ...node, role: 'replica' });
    });
    if (d.master?.id) d.key = d.master.id;
    else if (d.replicas[0]) d.key = `replicas of ${addressOf(d.replicas[0]) ?? d.replicas[0].id?.slice(0, 8) ?? `shard ${k + 1}`}`;
    drafts.push(d);
  });
  if (!drafts.length) return null;
  return buildTopology(drafts, [], 'cluster-shards', sink, anchor);
}

// ---------------------------------------------------------------------------------------------------
// --raw forms: one value per line (RESP3 raw puts a map key and its value on one line).

interface Word {
  text: string;
  line: number;
}

function words(lines: SourceLine[]): Word[] {
  const out: Word[] = [];
  for (const { text, line } of lines) for (const w of text.split(/\s+/)) if (w) out.push({ text: w, line });
  return out;
}

interface RawTree {
  value: ReplyValue[];
  lines: Map<ReplyValue[], number>;
}

const isSlotWord = (w: Word | undefined) => !!w && /^\d{1,5}$/.test(w.text);
/** CLUSTER SLOTS node metadata keys (Redis 7+): a node's extra fields are key/value pairs after its id. */
const SLOTS_META_KEYS = new Set(['hostname', 'ip', 'tls-port']);

/** `--raw` CLUSTER SLOTS: start, end, then per node endpoint, port, [id], [metadata key/value pairs]. */
function rawSlotsTree(ws: Word[], sink: Sink): RawTree | null {
  const value: ReplyValue[] = [];
  const lines = new Map<ReplyValue[], number>();
  let i = 0;
  while (i < ws.length) {
    if (!isSlotWord(ws[i]) || !isSlotWord(ws[i + 1])) {
      sink.add('error', 'bad-slots-entry', `expected the start and end slot of a range, found "${ws[i].text}"`, ws[i].line);
      return null;
    }
    const entry: ReplyValue[] = [Number(ws[i].text), Number(ws[i + 1].text)];
    lines.set(entry, ws[i].line);
    value.push(entry);
    i += 2;
    // Nodes until the next "start end" pair (two numbers in a row; a node is endpoint then port).
    while (i < ws.length && !(isSlotWord(ws[i]) && isSlotWord(ws[i + 1]))) {
      const nodeLine = ws[i].line;
      // An empty endpoint prints as an empty line (dropped): then the port comes first.
      const endpoint = isSlotWord(ws[i]) ? '' : ws[i++].text;
      if (!isSlotWord(ws[i])) {
        sink.add(
          'error',
          'bad-slots-entry',
          `expected the port of node ${endpoint || '?'}, found ${ws[i] ? `"${ws[i].text}"` : 'the end'}`,
          ws[i]?.line ?? nodeLine,
        );
        return null;
      }
      const port = Number(ws[i++].text);
      const id = ws[i] && HEX_ID.test(ws[i].text) ? ws[i++].text : '';
      const meta: ReplyValue[] = [];
      while (ws[i] && ws[i + 1] && SLOTS_META_KEYS.has(ws[i].text)) {
        meta.push(ws[i].text, ws[i + 1].text);
        i += 2;
      }
      const node: ReplyValue[] = [endpoint, port, id, meta];
      lines.set(node, nodeLine);
      entry.push(node);
    }
  }
  return { value, lines };
}

const SHARD_NODE_KEYS = new Set(['id', 'port', 'tls-port', 'ip', 'endpoint', 'hostname', 'role', 'replication-offset', 'health']);

/** `--raw` CLUSTER SHARDS: `slots`, numbers, `nodes`, then key/value pairs per node (each node starts with `id`). */
function rawShardsTree(ws: Word[], sink: Sink): RawTree | null {
  const value: ReplyValue[] = [];
  const lines = new Map<ReplyValue[], number>();
  let i = 0;
  while (i < ws.length) {
    if (ws[i].text !== 'slots') {
      sink.add('error', 'bad-slots-entry', `expected "slots" to start a shard, found "${ws[i].text}"`, ws[i].line);
      return null;
    }
    const shardLine = ws[i++].line;
    const slots: ReplyValue[] = [];
    lines.set(slots, shardLine);
    while (i < ws.length && ws[i].text !== 'nodes' && ws[i].text !== 'slots') {
      if (!/^\d{1,5}(?:-\d{1,5})?$/.test(ws[i].text)) {
        sink.add('error', 'bad-slots-entry', `expected a slot number or "nodes", found "${ws[i].text}"`, ws[i].line);
        return null;
      }
      slots.push(ws[i++].text);
    }
    if (ws[i]?.text !== 'nodes') {
      sink.add('error', 'bad-slots-entry', `expected "nodes" after the slots of this shard`, ws[i]?.line ?? shardLine);
      return null;
    }
    i++;
    const nodes: ReplyValue[] = [];
    let node: ReplyValue[] | null = null;
    while (i < ws.length && ws[i].text !== 'slots') {
      const key = ws[i];
      if (!node || (key.text === 'id' && node.includes('id'))) {
        node = [];
        lines.set(node, key.line);
        nodes.push(node);
      }
      const next = ws[i + 1];
      // An empty value prints as an empty line (dropped): a known key right after a key means the value was empty.
      const missing = !next || (SHARD_NODE_KEYS.has(next.text) && SHARD_NODE_KEYS.has(key.text)) || next.text === 'slots';
      node.push(key.text, missing ? '' : next.text);
      i += missing ? 1 : 2;
    }
    const shard: ReplyValue[] = ['slots', slots, 'nodes', nodes];
    lines.set(shard, shardLine);
    value.push(shard);
  }
  return { value, lines };
}

// ---------------------------------------------------------------------------------------------------
// JSON

function parseJson(body: string, sink: Sink, anchor: { line: number; endColumn: number }): Topology | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = jsonErrorOffset(body);
    const before = body.slice(0, offset);
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const column = before.length - before.lastIndexOf('\n');
    const found = offset >= body.length ? 'the text ends too early' : `unexpected ${JSON.stringify(body[offset])}`;
    sink.add('error', 'bad-json', `invalid JSON: ${found} (${message.split('\n')[0].slice(0, 80)})`, line, column);
    return null;
  }
  return interpretTree(value, () => anchor.line, anchor.line, sink, anchor);
}

/**
 * Offset of the first syntax error in text that JSON.parse rejected (Node 20 does not always say
 * where). Iterative, so deep nesting cannot overflow the stack.
 */
export function jsonErrorOffset(s: string): number {
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const LITERAL = /true|false|null/y;
  const stack: string[] = [];
  type Want = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';
  let want: Want = 'value';
  let i = 0;
  const after = (): Want => (stack.length ? 'comma-or-close' : 'end');
  /** Index after the string starting at i, or -1 with i left at the error. */
  const string = (): number => {
    let j = i + 1;
    while (j < s.length) {
      const c = s.charCodeAt(j);
      if (c === 0x22) return j + 1;
      if (c < 0x20) return ((i = j), -1);
      if (c === 0x5c) {
        const e = s[j + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(j + 2, j + 6))) return ((i = j), -1);
          j += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j += 2;
        else return ((i = j), -1);
      } else j++;
    }
    return ((i = s.length), -1);
  };
  while (true) {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
    if (i >= s.length) return want === 'end' ? s.length : i;
    const c = s[i];
    switch (want) {
      case 'end':
        return i;
      case 'colon':
        if (c !== ':') return i;
        i++;
        want = 'value';
        continue;
      case 'comma-or-close': {
        const top = stack[stack.length - 1];
        if (c === ',') {
          i++;
          want = top === '[' ? 'value' : 'key';
          continue;
        }
        if (c === (top === '[' ? ']' : '}')) {
          stack.pop();
          i++;
          want = after();
          continue;
        }
        return i;
      }
      case 'key':
      case 'key-or-close': {
        if (want === 'key-or-close' && c === '}') {
          stack.pop();
          i++;
          want = after();
          continue;
        }
        if (c !== '"') return i;
        const end = string();
        if (end < 0) return i;
        i = end;
        want = 'colon';
        continue;
      }
      default: {
        if (want === 'value-or-close' && c === ']') {
          stack.pop();
          i++;
          want = after();
          continue;
        }
        if (c === '[' || c === '{') {
          stack.push(c);
          i++;
          want = c === '[' ? 'value-or-close' : 'key-or-close';
          continue;
        }
        if (c === '"') {
          const end = string();
          if (end < 0) return i;
          i = end;
        } else {
          NUMBER.lastIndex = LITERAL.lastIndex = i;
          const m = NUMBER.exec(s) ?? LITERAL.exec(s);
          if (!m) return i;
          i += m[0].length;
        }
        want = after();
      }
    }
  }
}
