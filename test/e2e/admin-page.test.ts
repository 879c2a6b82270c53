/**
 * The admin page in real Chromium, served by the sandbox's Custom UI server: the built bundle, the
 * real @forge/bridge in the page, the bridge shim, and the app's real admin resolver behind it;
 * findings go through the real ingest web trigger (HTTP) and sync consumer into the Jira emulator.
 * Screenshots: test/e2e/__screenshots__, or docs/screenshots/ (README "Admin page") with UPDATE_SCREENSHOTS=1.
 */
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { createSandbox, type Sandbox } from '../../sandbox';
import { startCustomUiServer, type CustomUiServer } from '../../sandbox/customui';
import { sandboxClock } from '../../sandbox/runtime/clock';
import { buildStatusChangedCallback } from '../../src/domain/callback-events';
import { signPayload } from '../../src/domain/signature';
import { ADMIN_CHECK_TTL_SECONDS } from '../../src/usecases/admin/admin-check';
import { outboxRepository } from '../../src/storage/outbox-repository';
import { scanRepository } from '../../src/storage/scan-repository';
import { keys } from '../../src/storage/keys';
import { kvs } from '../../src/storage/kvs-client';
import { syncPauseRepository } from '../../src/storage/sync-pause-repository';
import { syncStatsRepository } from '../../src/storage/sync-stats-repository';
import { configRepository } from '../../src/storage/config-repository';
import { unmappedStatusRepository } from '../../src/storage/unmapped-status-repository';
import { buildAdminPage } from '../../static/admin/build';
import { checkChromium, launchChromium, recordPageErrors, saveScreenshot } from './chromium';
import type { BrowserGlobals } from './browser-globals';

// Each test may wait up to 45 s for one page step (see beforeEach); the whole test gets 120 s.
jest.setTimeout(120_000);

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

type ResolverAnswer =
  { ok: true; data: any } | { ok: false; error: { code: string; message: string; details?: unknown } };

describeInBrowser('admin page in Chromium', () => {
  let sandbox: Sandbox;
  let server: CustomUiServer;
  let browser: Browser;
  let context: BrowserContext;
  let ingestUrl: string;
  let admin: string;

  beforeAll(async () => {
    await buildAdminPage();
    sandbox = createSandbox({ jira: { seed: 'empty' } });
    admin = sandbox.jira.users.admin;
    await sandbox.webTriggers.listen(0);
    ingestUrl = sandbox.webTriggers.urlFor('ingest-webtrigger');
    server = await startCustomUiServer(sandbox, { port: 0 });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sandbox?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-US' });
    // Fail with Playwright's message (what it waited for) well before jest's own timeout.
    // Generous: CI machines are shared, and a page load took 21 s at a load average of 30 on 2 cores.
    context.setDefaultTimeout(45_000);
  });

  afterEach(async () => {
    await context.close();
  });

  async function open(as: string, inContext: BrowserContext = context): Promise<{ page: Page; errors: string[] }> {
    const page = await inContext.newPage();
    const errors = recordPageErrors(page);
    const response = await page.goto(`${server.url}?as=${encodeURIComponent(as)}`);
    expect(response?.status()).toBe(200);
    await page.getByRole('tablist').waitFor();
    return { page, errors };
  }

  function callAs(accountId: string, key: string, payload: unknown = {}): Promise<ResolverAnswer> {
    return sandbox.callResolver(key, payload, { accountId }) as Promise<ResolverAnswer>;
  }

  /** Chooses an option of an Atlaskit Select: focus its input, type to filter, pick the exact option. */
  async function choose(page: Page, inputId: string, optionText: string): Promise<void> {
    const input = page.locator(`#${inputId}`);
    await input.focus();
    await input.fill(optionText);
    const option = page.getByRole('option', { name: optionText, exact: true });
    // Typing filters; when the wanted option is the first match, Enter picks it as a keyboard user would.
    const first = page.getByRole('option').first();
    if ((await first.textContent()) === optionText) await page.keyboard.press('Enter');
    else await option.click();
  }

  async function saveAndWaitForFlag(page: Page, title: string): Promise<void> {
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(title, { exact: true }).first().waitFor();
  }

  /** The newest issue of a project as Jira (the emulator) holds it. */
  async function newestIssue(
    projectKey: string,
  ): Promise<{ key: string; fields: { summary: string; priority: { name: string }; labels: string[] } }> {
    // Search lags behind writes: name the newest issue in reconcileIssues (read-after-write).
    const newest = sandbox.jira
      .snapshot()
      .issues.filter((i) => i.key.startsWith(`${projectKey}-`))
      .map((i) => Number(i.id))
      .sort((a, b) => b - a)
      .slice(0, 1);
    const response = await sandbox.jira.as(admin).request('POST', '/rest/api/3/search/jql', {
      jql: `project = ${projectKey} ORDER BY created DESC`,
      fields: ['summary', 'priority', 'labels'],
      maxResults: 1,
      reconcileIssues: newest,
    });
    expect(response.status).toBe(200);
    const issues = (response.body as { issues: Array<{ key: string; fields: any }> }).issues;
    expect(issues.length).toBeGreaterThan(0);
    return issues[0]!;
  }

  it('shows the ingest URL (copyable from the keyboard) and a new shared secret only once', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    const { page, errors } = await open('admin');

    await page.getByRole('heading', { level: 1, name: 'Finding Sync for Jira' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Connection' }).waitFor();
    const urlField = page.getByLabel('Ingest web trigger URL');
    expect(await urlField.inputValue()).toBe(ingestUrl);
    expect(await urlField.getAttribute('readonly')).not.toBeNull();
    await page.getByText('No health check has run yet').waitFor();

    // Keyboard: the tabs, then the URL field, then its Copy button.
    await urlField.focus();
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.textContent),
    ).toBe('Copy URL');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Copied to clipboard.' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).navigator.clipboard.readText())).toBe(
      ingestUrl,
    );

    // No secret yet: generate one; it is shown once.
    await page.getByText('No shared secret yet').waitFor();
    await page.getByRole('button', { name: 'Generate shared secret' }).click();
    const secretField = page.getByLabel('New shared secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await page.getByText('Shared secret generated', { exact: true }).waitFor();
    await saveScreenshot(page, 'admin-connection');

    await page.reload();
    await page.getByRole('button', { name: 'Rotate secret' }).waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await page.getByLabel('New shared secret').count()).toBe(0);

    // Forge's CSP: nothing inline, and nothing the page did was blocked or crashed.
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('changes a severity mapping, saves, and the next finding gets the new priority in Jira', async () => {
    const { page, errors } = await open('admin');

    // Map assets named web-* to SEC.
    await page.getByRole('tab', { name: 'Projects' }).click();
    await page.getByRole('button', { name: 'Add project mapping' }).click();
    await page.getByLabel('Or asset name pattern').fill('web-*');
    await choose(page, 'mapping-0-project', 'Security (SEC)');
    await choose(page, 'mapping-0-issue-type', 'Bug');
    await page.getByLabel('Labels').fill('appsec');
    await page.getByLabel('Labels').blur();
    // The project's real workflow statuses are offered.
    await page.locator('#mapping-0-rule-10002').waitFor(); // "In Review", SEC's own status
    // The summary template: refused inline while invalid, previewed live on the sample findings.
    const template = page.getByLabel('Issue summary');
    await template.fill('{severity}: {titel}');
    await page.getByText('Unknown placeholder {titel}', { exact: false }).waitFor();
    await template.fill('{severity}: {title}[ {at}]');
    expect(await page.getByTestId('mapping-0-summary-template-preview-code').textContent()).toBe(
      'high: XML injection (aka Blind XPath injection) in src/main/java/com/example/billing/InvoiceParser.java:212',
    );
    expect(await page.getByTestId('mapping-0-summary-template-preview-running-system').textContent()).toBe(
      'medium: Missing Content-Security-Policy header on shop.example.com/checkout',
    );
    await saveScreenshot(page, 'admin-projects');

    // High findings → Highest (default High).
    await page.getByRole('tab', { name: 'Severity → priority' }).click();
    await choose(page, 'priority-high', 'Highest');
    await saveAndWaitForFlag(page, 'Settings saved');
    await page.getByText('Saved (revision 1).').waitFor();
    await saveScreenshot(page, 'admin-severity');
    expect(await callAs(admin, 'config/get')).toMatchObject({
      ok: true,
      data: {
        revision: 1,
        config: {
          priorityMap: { high: 'Highest' },
          mappings: [{ projectKey: 'SEC', summaryTemplate: '{severity}: {title}[ {at}]' }],
        },
      },
    });

    // The platform posts a high finding, signed, to the real web trigger over HTTP.
    const rotated = await callAs(admin, 'connection/rotate-secret', { graceHours: 0 });
    if (!rotated.ok) throw new Error(JSON.stringify(rotated.error));
    const body = JSON.stringify({
      source: 'e2e',
      findings: [
        { id: 'e2e-1', title: 'Reflected XSS in search', severity: 'high', asset: { id: 'a-1', name: 'web-shop' } },
      ],
    });
    const response = await fetch(ingestUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-signature': signPayload(rotated.data.secret, body, Math.floor(Date.now() / 1000)),
      },
      body,
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ accepted: 1 });
    await sandbox.settle();

    const issue = await newestIssue('SEC');
    expect(issue.fields.summary).toBe('high: Reflected XSS in search');
    expect(issue.fields.priority.name).toBe('Highest');
    expect(issue.fields.labels).toContain('appsec');
    expect(errors).toEqual([]);
  }, 120_000); // also edits the summary template and waits for the sync

  it('rejects a stale save with a clear message and loads the other admin’s version', async () => {
    const first = await open('admin');
    const second = await open('admin', await browser.newContext({ viewport: { width: 1100, height: 900 } }));
    const before = await callAs(admin, 'config/get');
    if (!before.ok) throw new Error('config/get failed');

    // Both admins opened the same revision; the first saves Critical → High.
    await first.page.getByRole('tab', { name: 'Severity → priority' }).click();
    await choose(first.page, 'priority-critical', 'High');
    await saveAndWaitForFlag(first.page, 'Settings saved');

    // The second, still on the old revision, saves Low → Lowest: refused, nothing overwritten.
    await second.page.getByRole('tab', { name: 'Severity → priority' }).click();
    await choose(second.page, 'priority-low', 'Lowest');
    await second.page.getByRole('button', { name: 'Save changes' }).click();
    await second.page
      .getByRole('heading', { name: 'Someone else saved these settings while you were editing' })
      .waitFor();
    const alert = second.page.getByRole('alert').filter({ hasText: 'Another administrator saved these settings' });
    expect(await alert.textContent()).toMatch(
      new RegExp(
        `now revision ${before.data.revision + 1}, you edited revision ${before.data.revision}\\). Nothing was saved`,
      ),
    );
    await saveScreenshot(second.page, 'admin-conflict', { fullPage: false });
    const after = await callAs(admin, 'config/get');
    expect(after).toMatchObject({
      ok: true,
      data: {
        revision: before.data.revision + 1,
        config: { priorityMap: { critical: 'High', low: before.data.config.priorityMap.low } },
      },
    });

    // "Load their version" shows the first admin's change and allows saving again.
    await second.page.getByRole('button', { name: 'Load their version (discards your changes)' }).click();
    await second.page.getByText(`Saved (revision ${before.data.revision + 1}).`).waitFor();
    expect(
      await second.page
        .locator('#priority-critical')
        .locator('xpath=ancestor::div[contains(@class,"fs-form-field")]')
        .textContent(),
    ).toContain('High');
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
    await second.page.context().close();
  });

  it('shows refused values inline next to their fields, and marks the tab', async () => {
    const { page } = await open('admin');
    await page.getByRole('tab', { name: 'Policy' }).click();
    await page.getByLabel('High', { exact: true }).fill('0');
    await page.getByRole('button', { name: 'Save changes' }).click();

    const field = page.locator('#sla-high');
    await page.locator('#sla-high-error').getByText('Must be at least 1 day').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain('sla-high-error');
    await page.getByRole('tab', { name: 'Policy (1 error)' }).waitFor();
    await page.getByText('SLA days › high').waitFor();
    await saveScreenshot(page, 'admin-inline-error', { fullPage: false });
  });

  it('offers only fields whose type can hold the value', async () => {
    const { page } = await open('admin');
    await page.getByRole('tab', { name: 'Fields' }).click();
    await page.getByRole('button', { name: 'Add field mapping' }).click();
    await page.locator('#field-0-target').focus();
    await page.keyboard.press('ArrowDown');
    // CVSS score (a number) can go to the number field, not to the single-select "Scanner".
    const numberField = page.getByRole('option', { name: /^CVSS score \(customfield_10042\)/ });
    const selectField = page.getByRole('option', { name: /^Scanner \(customfield_10043\)/ });
    await numberField.waitFor();
    expect(await numberField.getAttribute('aria-disabled')).not.toBe('true');
    expect(await selectField.getAttribute('aria-disabled')).toBe('true');
    expect(await selectField.textContent()).toContain('cannot hold a number');
    await saveScreenshot(page, 'admin-fields', { fullPage: false });
  });

  it('shows a failed finding with Jira’s field errors and replays it; a test finding gets its issue', async () => {
    const current = await callAs(admin, 'config/get');
    if (!current.ok) throw new Error('config/get failed');
    // COMP requires "Compliance control": the app does not set it, so Jira refuses the issue.
    const saved = await callAs(admin, 'config/save', {
      revision: current.data.revision,
      config: {
        ...current.data.config,
        mappings: [
          ...current.data.config.mappings,
          { id: 'compliance', match: { assetIds: ['comp-1'] }, projectKey: 'COMP', issueTypeName: 'Task', labels: [] },
        ],
      },
    });
    expect(saved.ok).toBe(true);

    const { page, errors } = await open('admin');
    await page.getByRole('tab', { name: 'Send test finding' }).click();
    await page.getByLabel('Asset id').fill('comp-1');
    await page.getByLabel('Asset name').fill('ledger');
    await page.getByRole('button', { name: 'Send test finding' }).click();
    await page.getByText(/accepted \(mapping "compliance"\)/).waitFor();
    await sandbox.settle();
    await page.getByRole('heading', { name: 'Jira refused the issue' }).waitFor();

    await page.getByRole('tab', { name: 'Health' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Test finding from Finding Sync settings' });
    await row.waitFor();
    expect(await row.textContent()).toContain('customfield_10050');
    await page.getByText('Callbacks waiting for the platform').waitFor();
    await saveScreenshot(page, 'admin-health');
    await row.getByRole('button', { name: /^Replay/ }).click();
    await page.getByText('Finding queued again', { exact: true }).waitFor();

    // A finding for a working mapping: the page follows it to the created issue.
    await page.getByRole('tab', { name: 'Send test finding' }).click();
    await page.getByLabel('Asset id').fill('web-1');
    await page.getByLabel('Asset name').fill('web-portal');
    await page.getByRole('button', { name: 'Send test finding' }).click();
    await page.getByText(/accepted \(mapping "mapping-1"\)/).waitFor();
    await sandbox.settle();
    const created = page.getByRole('heading', { name: /^Created SEC-\d+$/ });
    await created.waitFor({ timeout: 15_000 });
    const key = (await created.textContent())!.replace('Created ', '');
    expect(await page.getByRole('link', { name: `Open ${key} in Jira` }).getAttribute('href')).toBe(
      `https://sandbox-demo.atlassian.net/browse/${key}`,
    );
    expect((await newestIssue('SEC')).key).toBe(key);
    await saveScreenshot(page, 'admin-test-finding', { fullPage: false });
    expect(errors).toEqual([]);
  });

  it('lists callbacks the platform never took with Replay / Replay all, and Jira statuses no rule maps', async () => {
    const failedAt = new Date(Date.now() - 3600_000).toISOString();
    const deadLetter = (issueKey: string, issueId: string, findingId: string) => {
      const callback = buildStatusChangedCallback({
        finding: { id: findingId, source: 'platform' },
        issue: { id: issueId, key: issueKey, projectKey: 'SEC' },
        occurredAt: failedAt,
        jira: { statusId: '3', statusName: 'In Progress', statusCategory: 'indeterminate', resolution: null },
        findingStatus: 'in_progress',
      });
      return {
        id: callback.id,
        callback,
        partition: issueId,
        createdAt: failedAt,
        attempts: 1,
        waitedMs: 0,
        token: `t-${issueId}`,
        lastStatus: 422,
        failedAt,
        reason: 'The platform refused the callback (422)',
      };
    };
    await sandbox.runAsApp(async () => {
      await outboxRepository.moveToDead(deadLetter('SEC-901', '90901', 'DC-1'));
      await outboxRepository.moveToDead(deadLetter('SEC-902', '90902', 'DC-2'));
      await unmappedStatusRepository.report({
        projectKey: 'OPS',
        mappingId: 'ops',
        statusId: '10003',
        statusName: "Won't Fix",
        statusCategoryKey: 'done',
        resolutionName: 'Duplicate',
        exampleIssueKey: 'OPS-7',
        lastSeenAt: failedAt,
      });
    });

    const { page, errors } = await open('admin');
    await page.getByRole('tab', { name: 'Health' }).click();
    const first = page.getByRole('row').filter({ hasText: 'SEC-901' });
    await first.waitFor();
    expect(await first.textContent()).toContain('Status changed');
    expect(await first.textContent()).toContain('refused the callback (422)');
    await page.getByText(/"Won't Fix" \(done\), resolution "Duplicate" — e\.g\. OPS-7/).waitFor();

    await first.getByRole('button', { name: 'Replay Status changed for SEC-901' }).click();
    await page.getByText('Callback queued again', { exact: true }).waitFor();
    await first.waitFor({ state: 'detached' });
    // Replay all is a background job: the page shows it running, then done, and reloads the list.
    await page.getByRole('button', { name: 'Replay all' }).click();
    await page.getByText('Replay all running', { exact: true }).waitFor();
    // Run the job's step alone (as the admin-jobs consumer): settling everything would also retry the
    // revived callback, which has no platform to go to here, until its deadline made it dead again.
    const [step] = sandbox.queues.pending('admin-jobs');
    await sandbox.invoke(
      'admin-jobs',
      [{ body: step!.body, queueName: 'admin-jobs', jobId: step!.jobId, eventId: step!.eventId }, {}],
      { moduleKey: 'admin-job-consumer' },
    );
    await page.getByText('Replay all done', { exact: true }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Replay all done' }).textContent()).toContain(
      '1 callback replayed',
    );
    await page.getByText('No dead callbacks.', { exact: false }).waitFor();
    expect((await sandbox.runAsApp(() => outboxRepository.listDead())).letters).toEqual([]);

    await page.getByRole('button', { name: 'Open Projects' }).click();
    expect(await page.getByRole('tab', { name: 'Projects' }).getAttribute('aria-selected')).toBe('true');
    expect(errors).toEqual([]);
  });

  it('edits what a deleted issue means, the platform-owned fields, a mapping’s auto-create and grouping', async () => {
    const { page, errors } = await open('admin');
    await page.getByRole('tab', { name: 'Policy' }).click();
    expect(await page.getByLabel('Do not recreate').isChecked()).toBe(true);
    await page.getByLabel('Recreate the issue').check();
    expect(await page.getByLabel(/^Summary —/).isChecked()).toBe(true);
    expect(await page.getByLabel(/^Priority —/).isChecked()).toBe(false);
    await page.getByLabel(/^Labels —/).uncheck();
    await page.getByLabel(/^Priority —/).check();
    expect(await page.getByLabel('Platform comments → Jira comments').isChecked()).toBe(true);
    expect(await page.getByLabel('Jira comments → the platform').isChecked()).toBe(true);
    expect(await page.getByLabel(/^Also send Jira comments restricted/).isChecked()).toBe(false);
    await page.getByLabel(/^Also send Jira comments restricted/).check();
    await saveScreenshot(page, 'admin-policy');

    await page.getByRole('tab', { name: 'Projects' }).click();
    await choose(page, 'mapping-0-auto-create', 'Only chosen severities');
    await page.locator('#mapping-0-auto-create-high').uncheck();
    await choose(page, 'mapping-0-grouping', 'By rule');
    await saveAndWaitForFlag(page, 'Settings saved');

    const saved = await callAs(admin, 'config/get');
    if (!saved.ok) throw new Error(JSON.stringify(saved.error));
    expect(saved.data.config.onDeletedIssue).toBe('recreate');
    expect(saved.data.config.comments).toEqual({ toJira: true, toPlatform: true, includeRestricted: true });
    expect(saved.data.config.ownership.platformOwned).toEqual(['summary', 'description', 'priority', 'customFields']);
    expect(saved.data.config.mappings[0].autoCreate).toEqual({ mode: 'severities', severities: ['critical'] });
    expect(saved.data.config.mappings[1].autoCreate).toBeUndefined();
    expect(saved.data.config.mappings[0].grouping).toBe('rule');
    expect(saved.data.config.mappings[1].grouping).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('edits the global Jira → finding status rules: by category and by resolution', async () => {
    const { page, errors } = await open('admin');
    await page.getByRole('tab', { name: 'Projects' }).click();
    await page.getByText('No rules: the status category decides.').waitFor();
    await page.getByRole('button', { name: 'Add status rule' }).click();
    await choose(page, 'global-rule-0-resolution', 'Duplicate');
    await choose(page, 'global-rule-0-finding', 'False positive');
    await page.getByRole('button', { name: 'Add status rule' }).click();
    await page.getByLabel('Rule 2: Jira status').fill("Won't Fix");
    await choose(page, 'global-rule-1-resolution', 'Any resolution');
    await choose(page, 'global-rule-1-finding', 'Risk accepted');
    await choose(page, 'global-category-indeterminate', 'No change');
    await page.getByRole('heading', { name: 'Jira → finding status (all projects)' }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'admin-status-rules', { fullPage: false });
    await saveAndWaitForFlag(page, 'Settings saved');

    const saved = await callAs(admin, 'config/get');
    if (!saved.ok) throw new Error(JSON.stringify(saved.error));
    expect(saved.data.config.jiraStatusMap).toEqual({
      byCategory: { new: 'open', indeterminate: null, done: 'resolved' },
      rules: [
        { resolutionName: 'Duplicate', findingStatus: 'false_positive' },
        { statusName: "Won't Fix", findingStatus: 'risk_accepted' },
      ],
    });
    await page.getByRole('button', { name: 'Remove rule 1' }).click();
    // The click returns before React re-renders: wait until one rule is left, then read it.
    await page.getByLabel('Rule 2: Jira status').waitFor({ state: 'detached' });
    expect(await page.getByLabel('Rule 1: Jira status').inputValue()).toBe("Won't Fix");
    expect(errors).toEqual([]);
  });

  it('shows a member the admins-only state, and the resolver refuses every call they make', async () => {
    const page = await context.newPage();
    const errors = recordPageErrors(page);
    await page.goto(`${server.url}?as=member`);

    await page.getByRole('heading', { name: 'Only Jira administrators can configure Finding Sync' }).waitFor();
    expect(await page.getByRole('tablist').count()).toBe(0);
    expect(await page.content()).not.toContain(ingestUrl);
    expect(errors).toEqual([]);
    await saveScreenshot(page, 'admin-forbidden');

    // From the member's own page, through the bridge: refused by the server, not just hidden.
    const answers = await page.evaluate(async () => {
      const bridge = (globalThis as unknown as BrowserGlobals).__bridge;
      return Promise.all([
        bridge.callBridge('invoke', { functionKey: 'config/get', payload: {} }),
        bridge.callBridge('invoke', { functionKey: 'config/save', payload: { revision: 99, config: {} } }),
        bridge.callBridge('invoke', { functionKey: 'connection/rotate-secret', payload: { graceHours: 0 } }),
      ]);
    });
    for (const answer of answers) expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const rotated = await callAs(sandbox.jira.users.member, 'connection/rotate-secret', { graceHours: 0 });
    expect(rotated).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('rejects bridge methods the sandbox does not provide, saying so', async () => {
    const { page } = await open('admin');
    const outcome = await page.evaluate(() => {
      const bridge = (globalThis as unknown as BrowserGlobals).__bridge;
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
        await route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ error: { message: 'The resolver failed: upstream timed out' } }),
        });
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
    await page.getByRole('tablist').waitFor();
    expect(await page.getByLabel('Ingest web trigger URL').inputValue()).toBe(ingestUrl);
    // The only error the page logged is the failed request we injected.
    expect(errors.filter((e) => !/status of 500/.test(e))).toEqual([]);
  });

  it("says when the sync waits for Jira's hourly quota, and until when", async () => {
    const hour = 3_600_000;
    const until = new Date(Math.floor(Date.now() / hour + 1) * hour);
    const reason = 'jira-quota-tenant-based';
    await sandbox.runAsApp(() =>
      syncPauseRepository.pause({ until: until.toISOString(), since: new Date().toISOString(), reason }),
    );
    try {
      const { page, errors } = await open('admin');
      await page.getByRole('tab', { name: 'Health' }).click();
      const hh = String(until.getUTCHours()).padStart(2, '0'); // the sandbox's Jira user is in UTC
      await page.getByText(`Jira's hourly quota for this app is used up until ${hh}:00.`).waitFor();
      await page.getByText("Not checked while Jira's hourly quota for this app is used up.").waitFor();
      expect(errors).toEqual([]);
    } finally {
      // Over: the other tests see a running sync.
      await sandbox.runAsApp(() => kvs.delete(keys.syncPause()));
    }
  });

  it("keeps Health open to a known admin when Jira's quota is spent; tells others why the page is closed", async () => {
    await (await open('admin')).page.close(); // Jira says yes: remembered for 5 minutes
    // Later the app has spent the hour's points (the emulator's real quota) and the yes has expired.
    sandboxClock.advance((ADMIN_CHECK_TTL_SECONDS + 60) * 1000);
    // Jira's quota hour must not end while a slow browser loads the pages below: near its end, start the next.
    const hour = 3_600_000;
    const left = hour - (Date.now() % hour);
    if (left < 15 * 60_000) sandboxClock.advance(left + 60_000);
    sandbox.jira.faults.quota.charge(sandbox.jira.faults.quota.remaining());
    const until = new Date(sandbox.jira.faults.quota.resetAt());
    const hh = String(until.getUTCHours()).padStart(2, '0'); // the sandbox's Jira users see UTC
    try {
      const { page, errors } = await open('admin');
      await page.getByRole('tab', { name: 'Health' }).click();
      await page.getByText(`Jira's hourly quota for this app is used up until ${hh}:00.`).waitFor();
      await page.getByText("Not checked while Jira's hourly quota for this app is used up.").waitFor();
      expect(errors).toEqual([]);

      const member = await context.newPage();
      await member.goto(`${server.url}?as=member`);
      const alert = member.getByRole('alert');
      await alert.getByRole('heading', { name: "Finding Sync can't check your Jira permissions right now" }).waitFor();
      expect(await alert.textContent()).toContain(`Jira's hourly quota for this app is used up until ${hh}:00.`);
      expect(await member.getByRole('tablist').count()).toBe(0);
    } finally {
      sandbox.jira.faults.reset(); // a fresh quota (the sandbox runs with the default faults)
      await sandbox.runAsApp(() => kvs.delete(keys.syncPause()));
    }
  });

  it('says how many findings still sit in issues of a grouping their mapping no longer uses', async () => {
    // What the sync counts as findings land in issues (src/domain/issue-style.ts): 3 in issues of the mapping's
    // current style and 2 in a group issue of another grouping.
    let { config } = await sandbox.runAsApp(() => configRepository.load());
    if (!config.mappings[0] && !config.defaultMapping) {
      const saved = await sandbox.runAsApp(() =>
        configRepository.save({ ...config, defaultMapping: { projectKey: 'SEC', issueTypeName: 'Bug' } }),
      );
      expect(saved.ok).toBe(true);
      ({ config } = await sandbox.runAsApp(() => configRepository.load()));
    }
    const mapping = config.mappings[0] ?? config.defaultMapping!;
    const current = mapping.grouping ?? 'none';
    const old = current === 'rule' ? 'file' : 'rule';
    const findings = ['a', 'b', 'c', 'd', 'e'];
    const styles = [current, current, current, old, old];
    const outcomes = Object.fromEntries(findings.map((f, i) => [f, [`style+:${styles[i]}:${mapping.id}` as const]]));
    await sandbox.runAsApp(() => syncStatsRepository.recordChunk('e2e-old-style', outcomes, new Date()));
    const { page, errors } = await open('admin');
    await page.getByRole('tab', { name: 'Health' }).click();
    const list = page.getByRole('list', { name: 'Findings in issues of an earlier grouping' });
    await list.waitFor();
    // Earlier tests' findings may sit in other old-style issues of this mapping too: each style is one line.
    const line = `2 findings in ${mapping.projectKey} still sit in issues grouped by ${old}`;
    expect(await list.getByRole('listitem').allTextContents()).toContain(line);
    expect(errors).toEqual([]);
  });

  it('lists a held complete scan on the Health tab; Discard forgets it', async () => {
    const at = new Date().toISOString();
    const scope = { source: 'conviso', asset: 'web-shop', tool: 'semgrep', category: '' };
    await sandbox.runAsApp(async () => {
      await scanRepository.saveMany([
        {
          scanId: 'e2e-scan-0',
          scope,
          scopeId: 'sc-e2e',
          label: 'conviso: semgrep on web-shop',
          receivedAt: at,
          reported: 0,
          present: '',
        },
      ]);
      await scanRepository.hold({
        scanId: 'e2e-scan-0',
        scopeId: 'sc-e2e',
        label: 'conviso: semgrep on web-shop',
        receivedAt: at,
        heldAt: at,
        reported: 0,
        open: 10,
        missing: 10,
      });
    });
    const { page, errors } = await open('admin');
    await page.getByRole('tab', { name: 'Health' }).click();
    await page.getByRole('heading', { name: 'Complete scans held for confirmation' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'conviso: semgrep on web-shop' });
    await row.waitFor();
    expect(await row.textContent()).toContain('10 of 10 open findings (100 %)');
    await row.getByRole('button', { name: 'Discard the scan of conviso: semgrep on web-shop' }).click();
    await page.getByText('Scan discarded', { exact: true }).waitFor();
    await page.getByText('No complete scan is waiting.', { exact: false }).waitFor();
    expect(await sandbox.runAsApp(() => scanRepository.get('e2e-scan-0'))).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
