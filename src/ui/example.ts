import type { Inputs, Settings } from '../core/index.ts';

/**
 * The built-in example: an e-commerce keyspace (users, carts, sessions, a job queue, products) where
 * Redis and Standard disagree in places, a custom rule set, and the commands its backend sends.
 */
export const EXAMPLE: Inputs = {
  keys: `user:1000:profile
user:1000:cart
{user:1000}:session
{user:1000}:orders
user:1001:cart
user:1001:settings
session:9f8e7d6c5b4a39281706f5e4d3c2b1a0
cart:{user:1000}:items
bull:{emails}:wait
bull:{emails}:active
bull:{emails}:completed
bull:{emails}:42
bull:{payments}:wait
bull:{payments}:7
product:{sku:A-113}:stock
product:{sku:A-113}:price
product:{sku:B-7}:stock
order:{2024}{eu}:7781
order:{2024}{us}:7782
inventory:sku:{}:A-113
inventory:sku:{}:B-7
cache:{}{home}
rate-limit:{ip:10.0.0.7}:minute
"metrics:\\xff\\x00raw"
feature-flags`,
  rules: `(?<tag>user:\\d+):.*
bull:\\{(?<tag>[^}]+)\\}:.*
.*\\{(?<tag>.*)\\}.*
(?<tag>.*)`,
  rulesB: `(?<tag>user:\\d+)(?::.*)?
.*\\{(?<tag>[^{}]+)\\}.*
(?<tag>[^:]+):.*`,
  commands: `# Commands the backend sends (paste redis-cli or MONITOR output too)
MGET user:1000:profile user:1000:cart
MGET {user:1000}:session {user:1000}:orders
MSET user:1001:cart "[]" user:1001:settings "{}"
EVAL "return redis.call('INCR', KEYS[1])" 1 rate-limit:{ip:10.0.0.7}:minute
SUNIONSTORE product:{sku:A-113}:related product:{sku:A-113}:stock product:{sku:B-7}:stock
DEL inventory:sku:{}:A-113 inventory:sku:{}:B-7
MULTI
LMOVE bull:{emails}:wait bull:{emails}:active LEFT RIGHT
INCR bull:{emails}:42
EXEC`,
  topology: `07c37dfeb235213a872192d90877d0cd55635b91 127.0.0.1:30004@31004 slave e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 0 1426238317239 4 connected
67ed2db8d677e59ec4a4cefb06858cf2a1a89fa1 127.0.0.1:30002@31002 master - 0 1426238316232 2 connected 5461-10922
292f8b365bb7edb5e285caf0b7e6ddc7265d2f4f 127.0.0.1:30003@31003 master - 0 1426238318243 3 connected 10923-16383
e7d1eecce10fd6bb5eb35b9f99a514335d9ba9ca 127.0.0.1:30001@31001 myself,master - 0 0 1 connected 0-5460`,
};

/** Samples per key pattern: enough to fill the views, few enough that 60 patterns stay instant. */
export const MAX_PATTERN_SAMPLES = 1000;

export const DEFAULT_SETTINGS: Settings = {
  policy: 'redis',
  compare: 'standard',
  target: 'oss-cluster',
  implicitShardKey: false,
  layout: { kind: 'even', count: 3 },
  patternSamples: 32,
};

/** More examples for the menu: small, each teaching one thing. */
export const EXAMPLES: { name: string; inputs: Partial<Inputs>; settings?: Partial<Settings> }[] = [
  { name: 'E-commerce (default)', inputs: EXAMPLE },
  {
    name: 'Where Redis and Standard disagree',
    inputs: {
      keys: 'foo{}{bar}\nfoo{{bar}}zap\n{foo}bar}\na{b}c{d}e\n{}foo\n{}bar\nab\\ncd',
      commands: 'MGET {}foo {}bar\nMGET a{b}c{d}e x{d}',
    },
    settings: { policy: 'redis', compare: 'standard' },
  },
  {
    name: 'Job queues on one node (hot tags)',
    inputs: {
      keys: Array.from({ length: 40 }, (_, i) => `bull:{emails}:${1000 + i}`)
        .concat(['bull:{sms}:1', 'bull:{sms}:2', 'user:1:x', 'user:2:y'])
        .join('\n'),
      commands: 'LMOVE bull:{emails}:wait bull:{emails}:active LEFT RIGHT',
    },
  },
  {
    // The same schema as fixtures/patterns-schema.txt and fixtures/pattern-commands.txt (a test keeps them equal).
    name: 'Schema review (key patterns)',
    inputs: {
      keys: `user:{<uid:int>}:profile
user:{<uid>}:cart
user:{<uid>}:orders
user:<uid>:settings
session:<sid:hex32>
bull:{<queue:emails|payments|webhooks>}:<job:int>
bull:{<queue>}:wait
ratelimit:{<ip>}:<window:minute|hour|day>
search:{<q:str>}:results
search:{<q>}:count`,
      commands: `# Checkout: one transaction over the user's profile, orders and cart
MULTI
HSET user:{<uid>}:profile last_order <oid:int>
RPUSH user:{<uid>}:orders <oid>
DEL user:{<uid>}:cart
EXEC
# Account page: profile and settings in one round trip
MGET user:{<uid>}:profile user:<uid>:settings
# Worker picks the next job of a queue
LMOVE bull:{<queue>}:wait bull:{<queue>}:active LEFT RIGHT
# Search cache: results and hit count together
MSET search:{<q>}:results <json:str> search:{<q>}:count <hits:int>
# Logout: drop the session and the cart
DEL session:<sid> user:{<uid>}:cart`,
    },
    settings: { policy: 'redis', compare: 'standard' },
  },
];
