// Debian's chromium driven by playwright-core (never a downloaded browser). Absent here: the test is skipped with the
// reason printed; in CI (.ci/run installs it) that is a failure.
import { access } from 'node:fs/promises';
import type { TestContext } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { skipUnlessCi } from './skip.js';

export const CHROMIUM = process.env.OOMSLEUTH_CHROMIUM ?? '/usr/bin/chromium';

/** The browser, or null (the test skipped) when it is not installed. */
export async function launchChromium(t: TestContext): Promise<Browser | null> {
  try {
    await access(CHROMIUM);
  } catch {
    skipUnlessCi(t, `${CHROMIUM} is not installed (apt-get install -y chromium)`);
    return null;
  }
  return chromium.launch({ executablePath: CHROMIUM });
}

/** Every console error and uncaught page error (a CSP violation is one), for asserting there were none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
