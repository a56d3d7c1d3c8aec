#!/usr/bin/env bash
# `npm test`: everything — types, core purity, unit and oracle tests (real redis-server and pcre2test),
# then the production build and the end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-tools.sh
echo "== type check"
npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output human
npx tsc -p src/core/tsconfig.json
echo "== generated WebAssembly is current"
node scripts/build-wasm.js --check
node scripts/build-command-table.js --check
echo "== core purity"
node scripts/lint-core-purity.js
echo "== unit and oracle tests"
npx vitest run
echo "== build"
npx vite build --logLevel warn
echo "== end-to-end"
npx playwright test -c e2e/playwright.config.ts
