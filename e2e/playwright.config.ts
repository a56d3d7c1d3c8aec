import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 4317);

// Debian's Chromium: Playwright's own browser download cannot work on this network. The flags keep
// Chromium from phoning home (its connections are refused here and would only slow it down).
export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/sub/path/`,
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // The production build, served under a sub-path, as a static host would.
    command: `node ../scripts/serve-dist.js ${PORT} /sub/path/`,
    url: `http://127.0.0.1:${PORT}/sub/path/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
