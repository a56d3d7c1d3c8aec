#!/usr/bin/env node
// Prints one closing line for the whole test command, "N passed, N failed", from the JSON results of
// vitest and Playwright, so CI can read the totals.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
const unit = '.tmp/vitest.json';
if (existsSync(unit)) {
  const r = JSON.parse(readFileSync(unit, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
}
const e2e = '.tmp/e2e.json';
if (existsSync(e2e)) {
  const s = JSON.parse(readFileSync(e2e, 'utf8')).stats;
  passed += s.expected + (s.flaky ?? 0);
  failed += s.unexpected;
}
console.log(`total: ${passed} passed, ${failed} failed`);
