/**
 * The admin page in real Chromium, served by the sandbox's Custom UI server: the built bundle, the
 * real @forge/bridge in the page, the bridge shim, and the app's real admin resolver behind it.
 */
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { createSandbox, type Sandbox } from '../../sandbox';
import { startCustomUiServer, type CustomUiServer } from '../../sandbox/customui';
import { buildAdminPage } from '../../static/admin/build';
import { checkChromium, launchChromium, recordPageErrors, saveScreenshot } from './chromium';

const chromiumCheck = checkChromium();
if (!chromiumCheck.available && !process.env.CI) {
  console.warn(`Skipping the admin page browser tests: ${chromiumCheck.message}`);
}

const describeInBrowser = chromiumCheck.available ? describe : describe.skip;

if (!chromiumCheck.available && process.env.CI) {
  test('Chromium is available for the browser tests (required under CI)', () => {
    throw new Error(chromiumCheck.message);
  });
}

describeInBrowser('admin page in Chromium', () => {
  let sandbox: Sandbox;
  let server: CustomUiServer;
  let browser: Browser;
  let context: BrowserContext;
  let ingestUrl: string;

  beforeAll(async () => {
    await buildAdminPage();
    sandbox = createSandbox({});
    await sandbox.webTriggers.listen(0);
    ingestUrl = sandbox.webTriggers.urlFor('ingest-webtrigger');
    server = await startCustomUiServer(sandbox, { port: 0 });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sandbox?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1024, height: 640 }, locale: 'en-US' });
    // Fail with Playwright's message (what it waited for) well before jest's own timeout.
    context.setDefaultTimeout(10_000);
  });

  afterEach(async () => {
    await context.close();
  });

  async function open(as: string): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage();
    const errors = recordPageErrors(page);
    const response = await page.goto(`${server.url}?as=${encodeURIComponent(as)}`);
    expect(response?.status()).toBe(200);
    return { page, errors };
  }

  it('shows the admin the ingest web trigger URL, copyable from the keyboard', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    const { page, errors } = await open('admin');

    await page.getByRole('heading', { level: 1, name: 'Finding Sync for Jira' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Connection' }).waitFor();
    const urlField = page.getByLabel('Ingest web trigger URL');
    expect(await urlField.inputValue()).toBe(ingestUrl);
    expect(await urlField.getAttribute('readonly')).not.toBeNull();
    await page.getByText('No health check has run yet').waitFor();

    // Keyboard: the URL field, then its Copy button.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ingest-url');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Copy URL');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Copied to clipboard.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ingestUrl);

    // Forge's CSP: nothing inline, and nothing the page did was blocked or crashed.
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(errors).toEqual([]);
    await saveScreenshot(page, 'admin-connection');
  });

  it('shows when the health check last ran, in the viewer’s time zone', async () => {
    await sandbox.runScheduled('health-check');
    const { page, errors } = await open('admin');

    const time = page.locator('time');
    await time.waitFor();
    const at = await time.getAttribute('datetime');
    expect(at).not.toBeNull();
    expect(Math.abs(Date.now() - Date.parse(at!))).toBeLessThan(60_000);
    expect(await time.textContent()).toMatch(/UTC/); // the sandbox's view context says timezone UTC
    expect(await page.getByText('No health check has run yet').count()).toBe(0);
    expect(errors).toEqual([]);
    await saveScreenshot(page, 'admin-health-ran');
  });

  it('shows a member the admins-only state, because the resolver refused them', async () => {
    const { page, errors } = await open('member');

    await page.getByRole('heading', { name: 'Only Jira administrators can configure Finding Sync' }).waitFor();
    expect(await page.getByLabel('Ingest web trigger URL').count()).toBe(0);
    expect(await page.content()).not.toContain(ingestUrl);
    expect(errors).toEqual([]);
    await saveScreenshot(page, 'admin-forbidden');

    // The page only reflects what the server decided: the real resolver refuses the member.
    const answer = await sandbox.callResolver('app/status', {}, { accountId: sandbox.jira.users.member });
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('rejects bridge methods the sandbox does not provide, saying so', async () => {
    const { page } = await open('admin');
    await page.getByRole('heading', { level: 2, name: 'Connection' }).waitFor();
    const outcome = await page.evaluate(() => {
      const bridge = (window as unknown as { __bridge: { callBridge(method: string, payload?: unknown): Promise<unknown> } }).__bridge;
      return bridge.callBridge('showFlag', { title: 'Saved' }).then(
        () => 'resolved',
        (error: Error) => error.message,
      );
    });
    expect(outcome).toBe("@forge/bridge 'showFlag' is not supported by the sandbox (supported: invoke, getContext)");
  });

  it('shows a spinner while loading, and an error with a working "Try again" when the call fails', async () => {
    const page = await context.newPage();
    const errors = recordPageErrors(page);
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let calls = 0;
    await page.route('**/__sandbox/invoke', async (route: Route) => {
      calls += 1;
      if (calls === 1) {
        await firstHeld;
        await route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { message: 'The resolver failed: upstream timed out' } }) });
        return;
      }
      await route.continue();
    });
    await page.goto(`${server.url}?as=admin`);

    const spinner = page.getByRole('status').filter({ hasText: 'Loading Finding Sync settings…' });
    await spinner.waitFor();
    expect(await page.locator('main').getAttribute('aria-busy')).toBe('true');
    await saveScreenshot(page, 'admin-loading');
    releaseFirst();

    const alert = page.getByRole('alert');
    await alert.getByRole('heading', { name: "Finding Sync couldn't load its settings" }).waitFor();
    expect(await alert.textContent()).toContain('The resolver failed: upstream timed out');
    await saveScreenshot(page, 'admin-error');

    await alert.getByRole('button', { name: 'Try again' }).focus();
    await page.keyboard.press('Enter');
    const urlField = page.getByLabel('Ingest web trigger URL');
    await urlField.waitFor();
    expect(await urlField.inputValue()).toBe(ingestUrl);
    expect(calls).toBe(2);
    // The only error the page logged is the failed request we injected.
    expect(errors.filter((e) => !/status of 500/.test(e))).toEqual([]);
  });
});
