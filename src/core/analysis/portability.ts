import { display } from '../input/quote.ts';
import { slotOfBytes } from '../slots/crc16.ts';
import { redisTag } from '../slots/redis.ts';
import { newSpan } from '../slots/span.ts';
import { standardTag } from '../slots/standard.ts';

/**
 * Keys that hash differently, or may, under the Redis and Standard policies. Redis Cloud's clustering page
 * (https://redis.io/docs/latest/operate/rc/databases/configuration/clustering/#standard-hashing-policy):
 * "To allow seamless transition between hashing policies, the following techniques are not recommended:
 * using empty hashtags to hash different keys to the same hashslot; using multiple curly brackets within
 * a key's name." Those are exactly the keys where the two policies can disagree.
 */
export type PortabilityKind = 'empty-tag' | 'several-braces';

export interface PortabilityIssue {
  kind: PortabilityKind;
  redisSlot: number;
  standardSlot: number;
  /**
   * A key name that keeps the slot it has today (under `policy`) under both policies: the hash tag it
   * uses, in one pair of braces, and no other brace. Null when none exists (the hashed part has a brace).
   */
  fix: string | null;
}

const OPEN = 0x7b;
const CLOSE = 0x7d;

/** Why a key is not portable between Redis and Standard, or null; `policy` is the one whose slot a fix keeps. */
export function portabilityOf(key: Uint8Array, policy: 'redis' | 'standard' | 'custom' = 'redis'): PortabilityIssue | null {
  let braces = 0;
  let empty = false;
  for (let i = 0; i < key.length; i++) {
    const c = key[i];
    if (c !== OPEN && c !== CLOSE) continue;
    braces++;
    if (c === OPEN && key[i + 1] === CLOSE) empty = true;
  }
  if (!empty && braces <= 2) return null;
  const span = newSpan();
  redisTag(key, 0, key.length, span);
  const redis = { start: span.start, end: span.end, slot: slotOfBytes(key, span.start, span.end) };
  standardTag(key, 0, key.length, span);
  const standard = { start: span.start, end: span.end, slot: slotOfBytes(key, span.start, span.end) };
  // Keep today's hashed part (custom rules are judged against Standard, the rules they start from).
  const keep = policy === 'redis' ? redis : standard;
  return { kind: empty ? 'empty-tag' : 'several-braces', redisSlot: redis.slot, standardSlot: standard.slot, fix: fixFor(key, keep.start, keep.end) };
}

/**
 * The key with `key[start, end)` as its only hash tag: every other brace dropped, the tag in one pair of
 * braces where it was. Both policies then hash exactly those bytes. None when the hashed part itself
 * holds a brace, or is empty (then nothing keeps its slot under Redis, which ignores `{}`).
 */
function fixFor(key: Uint8Array, start: number, end: number): string | null {
  if (end <= start) return null;
  for (let i = start; i < end; i++) if (key[i] === OPEN || key[i] === CLOSE) return null;
  const out: number[] = [];
  const plain = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (key[i] !== OPEN && key[i] !== CLOSE) out.push(key[i]);
  };
  const whole = start === 0 && end === key.length;
  if (whole) return null; // a whole key with braces in it: renaming it changes what is hashed
  plain(0, start);
  out.push(OPEN);
  for (let i = start; i < end; i++) out.push(key[i]);
  out.push(CLOSE);
  plain(end, key.length);
  return display(Uint8Array.from(out));
}

/** Keys of a list that are not portable, counted, with the first few as examples. */
export interface PortabilitySummary {
  /** Keys with an empty tag or several braces. */
  count: number;
  /** Of them, keys whose slot differs under the two policies today. */
  differ: number;
  /** Counted in a sample of a streamed file: the counts are estimates for the whole file. */
  estimated: boolean;
  examples: ({ key: string; line: number } & PortabilityIssue)[];
}

export const PORTABILITY_EXAMPLES = 10;

/** Collects portability issues key by key. */
export class PortabilityCounter {
  count = 0;
  differ = 0;
  readonly examples: PortabilitySummary['examples'] = [];

  constructor(private readonly policy: 'redis' | 'standard' | 'custom') {}

  add(key: Uint8Array, line: number): PortabilityIssue | null {
    const issue = portabilityOf(key, this.policy);
    if (!issue) return null;
    this.count++;
    if (issue.redisSlot !== issue.standardSlot) this.differ++;
    if (this.examples.length < PORTABILITY_EXAMPLES) this.examples.push({ key: display(key), line, ...issue });
    return issue;
  }

  /** The summary; `scale` turns counts from a sample into estimates for the whole input. */
  summary(scale = 1): PortabilitySummary {
    const estimated = scale !== 1;
    return { count: Math.round(this.count * scale), differ: Math.round(this.differ * scale), estimated, examples: this.examples };
  }
}
