/** Slot → shard/node layouts: computed ones (redis-cli --cluster create, even splits) and pasted ones. */
export { TOPOLOGY_CODES, type Shard, type ShardMap, type ShardNode, type Topology, type TopologyCode, type TopologyResult } from './types.ts';
export { evenLayout, evenRanges, redisCliCreateLayout, redisCliCreateRanges } from './layout.ts';
export { parseTopology } from './parse.ts';
export { formatRanges, shardRuns } from './ranges.ts';
export { parseRedisCliReply, type ParsedReply, type ReplyError, type ReplyValue } from './reply.ts';
