// Browser tests in Debian's Chromium (no browser download), against the
// real API binary on SQLite with the demo data, both started by
// tests/e2e/global-setup.ts.
import { defineConfig } from '@playwright/test';
import { WEB_URL } from './tests/e2e/env.js';

export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  outputDir: 'artefacts/test-results',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['json', { outputFile: 'artefacts/results.json' }]],
  use: {
    baseURL: WEB_URL,
    screenshot: 'only-on-failure',
    trace: 'off',
    actionTimeout: 15_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
  projects: [
    { name: 'chromium', use: { viewport: { width: 1280, height: 900 } } },
  ],
});
