/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// base './' keeps every asset URL relative, so dist/ works from any sub-path of a static host.
export default defineConfig({
  base: './',
  plugins: [svelte({ configFile: false })],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      // The core is pure (its modules only define things): what the page does not use stays out of the
      // first paint, though the page imports the core through its one public index.
      treeshake: { moduleSideEffects: (id: string) => !/[/\\]src[/\\]core[/\\]/.test(id) },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/build-cli.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
