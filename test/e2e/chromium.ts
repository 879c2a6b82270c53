import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (no browser download). `.ci/run` installs it with apt. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Screenshots for the README are refreshed with `UPDATE_SCREENSHOTS=1 npx jest test/e2e`; an
 * ordinary run writes them to the git-ignored test/e2e/__screenshots__ so the tree stays clean.
 */
export const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS
  ? path.join(__dirname, '..', '..', 'docs', 'screenshots')
  : path.join(__dirname, '__screenshots__');

export type ChromiumAvailability = { available: true } | { available: false; message: string };

/**
 * Whether browser tests can run. Without Chromium they are skipped locally with a warning, but under
 * CI (`CI` set) the missing browser is a failure: a green run must have driven a real browser.
 */
export function checkChromium(): ChromiumAvailability {
  if (existsSync(CHROMIUM_PATH)) return { available: true };
  return {
    available: false,
    message:
      `Chromium is not installed at ${CHROMIUM_PATH}. ` +
      "Install Debian's chromium package (as root): apt-get update && apt-get install -y chromium",
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Collects what the page logged as errors (CSP violations, uncaught exceptions, failed loads). */
export function recordPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // Let Atlaskit's transitions (tab underline, flags) finish so screenshots are stable.
  await page.waitForTimeout(300);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true, animations: 'disabled' });
  return file;
}
