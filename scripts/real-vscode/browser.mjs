// Headless Debian Chromium driven by playwright-core (no Playwright browser download needed).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { toolEnv, toolPaths } from './tools.mjs';

export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Launch a fresh persistent context; returns { context, page, close }. */
export async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  const tools = toolPaths();
  const env = toolEnv(tools);
  const profile = fs.mkdtempSync(path.join(tools.tmp, 'chr-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: tools.chromium,
    env,
    headless: true,
    viewport,
    args: CHROMIUM_FLAGS,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
