// Lint: the boundaries of the house (Excalidraw-style no-restricted-imports) and the usual TypeScript and
// Svelte checks. Formatting is Prettier's job (`npm run lint` runs both).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/** The core is pure: it runs unchanged in Node and in a Web Worker. */
const CORE_FORBIDDEN = {
  paths: [],
  patterns: [
    { group: ['svelte', 'svelte/*'], message: 'src/core is pure: no Svelte.' },
    { group: ['monaco-editor', 'monaco-editor/*'], message: 'src/core is pure: no Monaco.' },
    { group: ['re2-wasm'], message: 'src/core is pure: engines are passed in (RegexEngine).' },
    { group: ['node:*', 'fs', 'path', 'os'], message: 'src/core is pure: no Node APIs (the CLI reads files and passes bytes in).' },
    { group: ['**/ui/*', '**/worker/*', '**/engines/*', '**/cli/*'], message: 'src/core imports nothing outside src/core.' },
  ],
};

/** Outside the core, the core is used through its public API only. */
const CORE_API_ONLY = {
  patterns: [
    {
      group: ['**/core/*/**', '!**/core/index.ts'],
      message: 'Import the core through src/core/index.ts (its public API).',
    },
  ],
};

export default ts.config(
  {
    ignores: ['dist/', 'lib/', 'node_modules/', 'test-results/', 'playwright-report/', '.tmp/', 'src/engines/scan/scan-wasm.ts'],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      // Prettier wraps code at 160; what it cannot wrap (long strings, comments) is wrapped by hand.
      'max-len': ['error', { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true }],
      // Prettier writes {' '} to keep a space between inline elements, and {'{'} is how a brace is written.
      'svelte/no-useless-mustaches': 'off',
      // Deliberately unused bindings (destructuring a field away) are written with a leading underscore.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // A spread into a call puts every element on the stack: 200,000 keys overflow it. Use loops.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(push|unshift|splice)$/] > SpreadElement',
          message: 'No spread into push/unshift/splice: user-sized arrays overflow the stack. Use a loop.',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name=/^(max|min)$/] > SpreadElement",
          message: 'No spread into Math.max/min: user-sized arrays overflow the stack. Use a loop or reduce.',
        },
        { selector: "CallExpression[callee.property.name='apply']", message: 'No .apply: user-sized arrays overflow the stack.' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['src/core/**/*.ts'], ignores: ['src/core/**/*.test.ts'], rules: { 'no-restricted-imports': ['error', CORE_FORBIDDEN] } },
  {
    files: ['src/ui/**', 'src/worker/**', 'src/cli/**', 'src/engines/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', CORE_API_ONLY] },
  },
);
