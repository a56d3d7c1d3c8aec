// The whole-process baseline of `npm run bench`: a 10-line script around cluster-key-slot that prints
// {"slot":N} for every line of stdin, written the way one usually would (readline, batched writes).
import calculateSlot from 'cluster-key-slot';
import { createInterface } from 'node:readline';

const out = [];
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  out.push(JSON.stringify({ slot: calculateSlot(line) }));
  if (out.length < 4096) continue;
  process.stdout.write(out.join('\n') + '\n');
  out.length = 0;
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
