/**
 * The help of every command, apart from the commands themselves: `hashslot --help` and `hashslot X --help`
 * load no analysis code, and `main` loads a command's module only to run it.
 */
import { FLUSH_WARNING, TARGETS } from '../core/index.ts';

export const POLICY_HELP = `  --policy P             redis (open-source cluster hash tags, default), standard (Redis Cloud / Software
                         default rules) or custom (needs --rules)
  --rules FILE           custom rules, one PCRE rule per line, each with a group named tag
  --implicit-shard-key   custom: hash the whole key when no rule matches (else the key is an error)
  --engine E             regex engine for custom rules: bytecode (default) or re2 (re2-wasm, cross-check)`;

export const TOPOLOGY_HELP = `  --shards N             Redis Software / Cloud layout: N even contiguous slot ranges (default 3)
  --masters N            redis-cli --cluster create layout with N masters (its exact float32 split)
  --topology FILE        a pasted CLUSTER NODES, CLUSTER SLOTS or CLUSTER SHARDS output (redis-cli, --raw or JSON)`;

export const SAMPLES_HELP = `  --samples N            keys each key pattern stands for (default 32): a line like user:{<uid>}:cart in a key
                         list up to 2 MiB is a pattern, as in the playground's Keys editor (quote it to make
                         it a plain key); bigger key lists stream and every line is a plain key`;

export const SLOTS_USAGE = `Usage: hashslot slots --policy redis|standard|custom [--rules FILE] [--implicit-shard-key]
                     [--json] [--input FILE] [--engine bytecode|re2] [--samples N]

Reads keys (one per line; a line starting with " is a redis-cli quoted string) from stdin or --input
and prints each key's hash slot and hashed tag under the chosen policy.

${POLICY_HELP}
${SAMPLES_HELP}
  --json                 one JSON object per key, in input order (the record every per-key output uses):
                         {"line": N, "key": "...", "slot": N, "tag": "...", "rule": R}; a key with no
                         slot: {"line", "key", "error", "message"}; a line that cannot be read (bad
                         quoting, a key over 16 MiB): {"line", "key": null, "error", "column", "message"}
  --input FILE           read keys from FILE instead of stdin

Exit status: 0 (per-key errors are results), 2 for bad usage or a bad rules file.`;

export const CHECK_USAGE = `Usage: hashslot check --policy redis|standard|custom [--rules FILE] [--target T] [--json]
                     [--input FILE]

Reads Redis commands (one per line, redis-cli syntax; lines copied from a redis-cli session or from
MONITOR work too; MULTI … EXEC blocks are transactions) from stdin or --input, and tells which ones a
cluster would refuse with CROSSSLOT, with the hash-tag change that would fix them. Command templates
(MSET user:{<uid>}:a 1 user:{<uid>}:b 2) are decided for every value of their placeholders.

${POLICY_HELP}
  --target T             ${TARGETS.join(' | ')} (default oss-cluster)
  --json                 one JSON object per non-empty input line:
                         {"line": N, "command": "MSET", "keys": [...], "slots": [...], "verdict": "...",
                          "reason": "..."} plus "suggestion" (CROSSSLOT) and "transaction" (EXEC);
                         a template line: {"line", "command", "keys" (patterns), "template": true,
                          "verdict": always|never|depends|error, "reason", "fix"}
  --input FILE           read commands from FILE instead of stdin

Verdicts: ok, crossslot, no-keys, error, and comment for comment lines.
Exit status: 0 (findings are results), 2 for bad usage or a bad rules file.`;

export const DIST_USAGE = `Usage: hashslot dist --policy redis|standard|custom [--rules FILE] [--shards N | --masters N |
                    --topology FILE] [--json] [--input FILE] [--samples N]

How the keys on stdin spread over slots and shards: keys per shard, skew, the busiest slot, hot tags
and co-location groups. Keys on slots no shard owns (a topology with holes) are a row of their own,
"no owner". A key list over 2 MiB streams through in constant memory: counts per slot and shard are
exact for any number of keys; above 100,000 keys, hot tags and groups come from a uniform sample of
100,000, and the output says so.

${POLICY_HELP}
${TOPOLOGY_HELP}
${SAMPLES_HELP}
  --json                 one JSON object per key (as hashslot slots --json, with "shard": the owning
                         shard's label, null on a slot no shard owns), then one {"summary": {...}}`;

export const DIFF_USAGE = `Usage: hashslot diff --from POLICY --to POLICY [--from-rules F] [--to-rules F] [--shards N |
                    --masters N | --topology FILE] [--commands FILE] [--target T] [--json] [--input FILE]

What moving the keys on stdin from policy A to policy B changes: keys that change slot and shard,
co-location groups that split or merge, and (with --commands) commands whose verdict changes.

  --from P, --to P       redis, standard or custom (custom needs --from-rules / --to-rules)
  --implicit-shard-key   custom: hash the whole key when no rule matches
${TOPOLOGY_HELP}
  --commands FILE        commands to check under both policies (redis-cli syntax, as for hashslot check)
  --target T             deployment for command verdicts: ${TARGETS.join(' | ')}
${SAMPLES_HELP}
  --json                 one JSON object per key (as hashslot dist --json, plus "to": where the key lands
                         under B, and "moved"), then one {"summary": {...}}

${FLUSH_WARNING}`;

export const REPORT_USAGE = `Usage: hashslot report --policy redis|standard|custom [--rules FILE] [--compare P] [--compare-rules F]
                      [--commands FILE] [--target T] [--shards N | --masters N | --topology FILE]
                      [--fail-on crossslot|error] [--title T] [--input KEYS]

A Markdown review report for a schema review or CI: summary and verdict, policy and layout, how the
keys spread over shards, hot tags, co-location groups, commands refused with CROSSSLOT (with fixes)
and, with --compare, what changing the policy would move.

Keys come from stdin or --input (a terminal on stdin counts as no keys): without keys the distribution
sections are left out, so "--commands FILE" alone checks commands.

${POLICY_HELP}
  --compare P            a second policy (redis, standard or custom): adds the Migration section
  --compare-rules FILE   custom rules of --compare custom
  --commands FILE        commands to check (redis-cli syntax, as for hashslot check)
  --target T             deployment for command verdicts (default oss-cluster):
                         ${TARGETS.join(' | ')}
${TOPOLOGY_HELP}
${SAMPLES_HELP}
  --fail-on V            exit 1 when a command has verdict crossslot on the target, or a command template
                         is not always single-slot ("error": also commands refused for another reason);
                         the report is printed either way
  --title T              the report's title (default "Hash-slot review")
  --input FILE           read keys from FILE instead of stdin

Exit status: 0, 1 for --fail-on findings, 2 for bad usage or a bad rules, commands or topology file.`;

export const PATTERNS_USAGE = `Usage: hashslot patterns --policy redis|standard|custom [--rules FILE] [--commands FILE] [--target T]
                        [--fail-on never|depends|error] [--samples N] [--json] [--input FILE]

Answers schema questions for every id, not just sample keys. Key patterns come one per line from stdin
or --input (plain keys may be mixed in; they are skipped here): user:{<uid>}:cart, session:<sid:hex32>,
bull:{<queue>}:<job:int>, geo:<region:eu|us|ap>. Types: int, word (the default), str, uuid, date,
hex<N>, a|b|c; a name means the same value everywhere; \\< is a literal <.
Prints what each pattern hashes (with the values that change it), whether each pair of patterns shares
a slot for the same values — always, never (except by chance, 1 in 16384) or depends, with example
keys — and, with --commands, the same verdict for every command template (redis-cli syntax, MULTI …
EXEC blocks allowed: MSET user:{<uid>}:a 1 user:{<uid>}:b 2) with a hash-tag fix.
Redis and Standard are decided exactly; custom rules by sampling values through them (marked sampled),
exactly when every placeholder has few values.

${POLICY_HELP}
  --commands FILE        command templates to check
  --target T             deployment for template verdicts (default oss-cluster):
                         ${TARGETS.join(' | ')}
  --fail-on V            exit 1 when a template is not always accepted on the target: never, depends
                         (never or depends), or error; several may be given, comma-separated
  --samples N            custom rules: values sampled per question (default 400)
  --json                 one JSON object per line: {"kind": "pattern" | "pair" | "template" | "diagnostic"
                         | "summary", ...}
  --input FILE           read patterns from FILE instead of stdin (a terminal on stdin counts as none)

Exit status: 0, 1 for --fail-on findings, 2 for bad usage or a bad rules or commands file.`;
