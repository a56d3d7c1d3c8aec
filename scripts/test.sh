#!/usr/bin/env bash
# `npm test`: everything — types, lint and format, unit and oracle tests (real redis-server and pcre2test),
# then the production build (with its first-paint budget) and the end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-tools.sh
echo "== type check"
npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output human
npx tsc -p src/core/tsconfig.json
echo "== generated WebAssembly is current"
node scripts/build-wasm.js --check
echo "== lint (ESLint: the core's boundaries, no spreads over user-sized arrays; Prettier: format)"
npm run --silent lint
echo "== unit and oracle tests"
mkdir -p .tmp && rm -f .tmp/vitest.json .tmp/e2e.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.tmp/vitest.json
echo "== build"
npx vite build --logLevel warn
node scripts/first-paint.js
echo "== end-to-end"
PLAYWRIGHT_JSON_OUTPUT_NAME="$PWD/.tmp/e2e.json" npx playwright test -c e2e/playwright.config.ts --reporter=list,json
node scripts/summary.js
