import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium package; Playwright's own browser download cannot work on these machines. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// The flags measured in docs/toolchain: no sandbox (CI runs as root), and nothing that phones home,
// so a test never waits on a network that is not there.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium with a fresh profile (playwright-core makes a temporary
 * --user-data-dir per launch). A missing browser fails the test with the fix in the message
 * rather than skipping it: a skipped browser test would let a blank page ship.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Browser tests need Chromium at ${CHROMIUM_PATH}; install it with "apt-get update && apt-get install -y chromium" (.ci/run does this when it is missing).`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}
