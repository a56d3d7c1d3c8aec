#!/usr/bin/env node
// The hashslot CLI, compiled to lib/ by scripts/build-cli.js (npm install runs it in the repo).
// A closed pipe (`hashslot … | head -1`) ends the run quietly with status 0, as Unix tools do.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const { main } = await import('../lib/cli.js');
process.exitCode = await main(process.argv.slice(2));
