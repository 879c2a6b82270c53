import path from 'node:path';
import { REPO_ROOT } from '../../../sandbox';
import { adf, buildComplianceFields, buildIssueFields, buildKit } from './jira-test-kit';

describe('Jira emulator: three validation layers, Jira-shaped errors', () => {
  const kit = buildKit();
  const create = (fields: Record<string, unknown>) => kit.call('POST', '/rest/api/3/issue', { fields });

  describe('layer 1: OpenAPI document', () => {
    it('checks against the document vendored in the repository', () => {
      expect(path.relative(REPO_ROOT, kit.emulator.specPath)).toBe(
        path.join('sandbox', 'jira', 'openapi', 'jira-platform-v3.openapi.json'),
      );
    });

    it('rejects a query parameter of the wrong type', async () => {
      const res = await kit.call('GET', '/rest/api/3/search/jql?jql=project%20%3D%20SEC&maxResults=lots');
      expect(res.status).toBe(400);
      expect(res.body.errorMessages.join(' ')).toMatch(/maxResults/);
      expect(res.body.errors).toEqual({});
    });

    it('rejects a bulk body whose issueUpdates is not a list', async () => {
      const res = await kit.call('POST', '/rest/api/3/issue/bulk', { issueUpdates: { fields: {} } });
      expect(res.status).toBe(400);
      expect(res.body.errorMessages.join(' ')).toMatch(/issueUpdates/);
    });

    it('rejects a required query parameter that is missing', async () => {
      const res = await kit.call('GET', '/rest/api/3/issuetype/project');
      expect(res.status).toBe(400);
      expect(res.body.errorMessages.join(' ')).toMatch(/projectId/);
    });

    it('rejects malformed JSON and non-JSON bodies', async () => {
      expect((await kit.call('POST', '/rest/api/3/issue', '{"fields": ')).status).toBe(400);
      const res = await kit.emulator.handle(
        { method: 'POST', path: '/rest/api/3/issue', headers: { 'content-type': 'text/plain' }, body: 'hi' },
        kit.asApp,
      );
      expect(res.status).toBe(415);
    });

    it('refuses to start without its OpenAPI document instead of skipping the layer', () => {
      expect(() => buildKit({ specPath: '/nonexistent/jira.json' })).toThrow(
        /OpenAPI document \/nonexistent\/jira\.json is missing/,
      );
    });
  });

  describe('layer 2: ADF', () => {
    it('rejects a plain-string description with 400 on errors.description', async () => {
      const res = await create(buildIssueFields({ description: 'SQL injection, see scanner output' }));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errorMessages: [], errors: { description: expect.any(String) } });
    });

    it('rejects an ADF document with an unknown node type', async () => {
      const bad = {
        type: 'doc',
        version: 1,
        content: [{ type: 'paragraph', content: [{ type: 'blink', text: 'x' }] }],
      };
      const res = await create(buildIssueFields({ description: bad }));
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['description']);
    });

    it('checks environment and textarea custom fields as ADF too', async () => {
      const res = await create(buildIssueFields({ environment: 'prod', customfield_10041: 'upgrade the driver' }));
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors).sort()).toEqual(['customfield_10041', 'environment']);
      const ok = await create(
        buildIssueFields({ environment: adf('prod'), customfield_10041: adf('upgrade the driver') }),
      );
      expect(ok.status).toBe(201);
    });

    it('requires single-line text fields to be strings', async () => {
      const res = await create(buildIssueFields({ customfield_10040: adf('F-1') }));
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['customfield_10040']);
    });
  });

  describe("layer 3: Jira's field rules", () => {
    it.each([
      ['summary missing', { summary: undefined }, 'summary'],
      ['summary over 255 characters', { summary: 'x'.repeat(256) }, 'summary'],
      ['label with a space', { labels: ['needs triage'] }, 'labels'],
      ['description over 32,767 characters', { description: adf('y'.repeat(32_768)) }, 'description'],
      ['priority outside the project scheme', { priority: { name: 'Critical' } }, 'priority'],
      ['unknown select option', { customfield_10043: { value: 'IAST' } }, 'customfield_10043'],
      ['number field given a string', { customfield_10042: '9.8' }, 'customfield_10042'],
      ['invalid URL', { customfield_10045: 'not a url' }, 'customfield_10045'],
      ['invalid date', { duedate: '31/12/2026' }, 'duedate'],
      ['unknown user', { assignee: { accountId: 'nobody' } }, 'assignee'],
      ['field that does not exist', { customfield_99999: 'x' }, 'customfield_99999'],
    ])('%s → 400 on that field', async (_name, overrides, field) => {
      const fields = buildIssueFields(overrides);
      for (const [k, v] of Object.entries(fields)) if (v === undefined) delete fields[k];
      const res = await create(fields);
      expect(res.status).toBe(400);
      expect(res.body.errorMessages).toEqual([]);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    });

    it('rejects a field that exists but is not on the project create screen', async () => {
      const res = await create({
        project: { key: 'OPS' },
        issuetype: { name: 'Task' },
        summary: 's',
        environment: adf('prod'),
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual({ environment: expect.stringContaining('environment') });
    });

    it('applies per-project priority schemes', async () => {
      expect(
        (
          await create({
            project: { key: 'OPS' },
            issuetype: { name: 'Task' },
            summary: 's',
            priority: { name: 'Lowest' },
          })
        ).status,
      ).toBe(400);
      expect(
        (
          await create({
            project: { key: 'SEC' },
            issuetype: { name: 'Task' },
            summary: 's',
            priority: { name: 'Lowest' },
          })
        ).status,
      ).toBe(201);
      const comp = await create(buildComplianceFields({ priority: { id: '10000' } }));
      expect(comp.status).toBe(201);
    });

    it('reports a missing required custom field with 400 on that field', async () => {
      const fields = buildComplianceFields();
      delete fields['customfield_10050'];
      const res = await create(fields);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['customfield_10050']);
      expect((await create(buildComplianceFields())).status).toBe(201);
    });

    it('rejects an unknown project and an issue type outside the project', async () => {
      const noProject = await create(buildIssueFields({ project: { key: 'NOPE' } }));
      expect(noProject.status).toBe(400);
      expect(Object.keys(noProject.body.errors)).toContain('project');
      const wrongType = await create(buildComplianceFields({ issuetype: { name: 'Bug' } }));
      expect(wrongType.status).toBe(400);
      expect(Object.keys(wrongType.body.errors)).toEqual(['issuetype']);
    });

    it('collects several field errors in one response', async () => {
      const res = await create(buildIssueFields({ summary: '', labels: ['a b'], description: 'plain' }));
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors).sort()).toEqual(['description', 'labels', 'summary']);
    });

    it('rejects a plain-string comment body', async () => {
      const issue = await create(buildIssueFields());
      const res = await kit.call('POST', `/rest/api/3/issue/${issue.body.key}/comment`, { body: 'looks fixed' });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['comment']);
    });
  });
});
