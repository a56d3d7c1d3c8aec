import { quote, utf8 } from '../../src/core/index.ts';

/** Keys that collide on purpose ({u1}…) and keys that almost never share a slot. */
export const KEY_POOL = ['{u1}:a', '{u1}:b', '{u1}:c', 'x', 'y', 'user:1000:profile', 'user:1000:cart', '{u2}:z', 'k\xffbin', 'é{u1}'];

/** Command families with placeholders: K = a key from the pool, V = a value. Timeouts are tiny so blocking commands return. */
export const FAMILIES = [
  'GET K', 'SET K V', 'INCR K', 'HSET K f V', 'EXPIRE K 100', 'OBJECT ENCODING K', 'MEMORY USAGE K', 'XINFO STREAM K',
  'MGET K K', 'MGET K K K', 'MSET K V K V', 'MSETNX K V K V', 'DEL K K', 'EXISTS K K K', 'UNLINK K K', 'TOUCH K K',
  'RENAME K K', 'RENAMENX K K', 'COPY K K', 'SMOVE K K m', 'LMOVE K K LEFT RIGHT', 'RPOPLPUSH K K', 'SUNIONSTORE K K K',
  'SINTERSTORE K K K', 'SDIFFSTORE K K', 'SUNION K K', 'SINTER K K K', 'SDIFF K K', 'ZUNIONSTORE K 2 K K',
  'ZINTERSTORE K 2 K K WEIGHTS 1 2', 'ZDIFFSTORE K 2 K K', 'ZUNION 2 K K', 'ZINTER 2 K K', 'ZDIFF 2 K K', 'ZINTERCARD 2 K K',
  'SINTERCARD 2 K K', 'SINTERCARD 3 K K K LIMIT 1', 'BITOP AND K K K', 'PFMERGE K K K', 'PFCOUNT K K', 'LMPOP 2 K K LEFT',
  'ZMPOP 2 K K MIN', 'BLMPOP 0.01 2 K K LEFT', 'BZMPOP 0.01 2 K K MIN', 'BLPOP K K 0.01', 'BRPOP K K 0.01', 'BZPOPMIN K K 0.01',
  'BLMOVE K K LEFT RIGHT 0.01', 'BRPOPLPUSH K K 0.01', 'GEORADIUS K 0 0 10 km STORE K', 'GEORADIUSBYMEMBER K m 10 km STOREDIST K',
  'GEOSEARCHSTORE K K FROMLONLAT 0 0 BYRADIUS 10 km', 'LCS K K', 'SORT K', 'SORT K STORE K', 'SORT K LIMIT 0 1 STORE K',
  'SORT_RO K', 'SORT K BY nosort', 'SORT K BY w_* GET #', 'SORT K GET o_*', 'EVAL "return 1" 2 K K', 'EVAL "return 1" 0',
  'EVAL_RO "return 1" 1 K', 'EVAL "return 1" 3 K K K', 'FCALL nosuchfn 2 K K', 'XREAD STREAMS K K 0 0', 'XREAD COUNT 1 STREAMS K 0',
  'XREADGROUP GROUP g c STREAMS K K > >', 'MIGRATE 127.0.0.1 1 "" 0 100 KEYS K K', 'WATCH K K', 'SPUBLISH K hello',
  'ZRANGESTORE K K 0 -1', 'DUMP K', 'XADD K * f V', 'LPUSH K V V', 'SADD K m', 'PING', 'ECHO hi', 'DBSIZE',
  // refused before the slot check
  'NOSUCHCOMMAND K K', 'GET', 'GET K K', 'OBJECT NOSUCH K', 'EVAL "return 1" -1 K', 'EVAL "return 1" 5 K', 'ZUNIONSTORE K 0 K',
  'LMPOP 0 K LEFT', 'XREAD STREAMS K K 0',
];

export function instantiate(family: string, rand: () => number): string {
  return family
    .split(' ')
    .map((w) => (w === 'K' ? quote(utf8(KEY_POOL[Math.floor(rand() * KEY_POOL.length)])) : w === 'V' ? String(Math.floor(rand() * 100)) : w))
    .join(' ');
}

