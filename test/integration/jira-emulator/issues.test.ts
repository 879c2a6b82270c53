import { adf, buildComplianceFields, buildIssueFields, buildKit, createIssue } from './jira-test-kit';

describe('Jira emulator: issues', () => {
  const kit = buildKit();

  describe('bulk create', () => {
    const bulk = (issueUpdates: unknown[]) => kit.call('POST', '/rest/api/3/issue/bulk', { issueUpdates });

    it('rejects 51 issues in one call with 400 and creates nothing', async () => {
      const before = kit.emulator.snapshot().issues.length;
      const res = await bulk(
        Array.from({ length: 51 }, (_, i) => ({ fields: buildIssueFields({ summary: `finding ${i}` }) })),
      );
      expect(res.status).toBe(400);
      expect(res.body.errorMessages[0]).toMatch(/50/);
      expect(kit.emulator.snapshot().issues.length).toBe(before);
    });

    it('creates 49 of 50 and reports the bad element with failedElementNumber (201)', async () => {
      const updates = Array.from({ length: 50 }, (_, i) => ({ fields: buildIssueFields({ summary: `bulk ${i}` }) }));
      updates[17] = { fields: buildIssueFields({ summary: 'bad', description: 'plain text' }) };
      const res = await bulk(updates);
      expect(res.status).toBe(201);
      expect(res.body.issues).toHaveLength(49);
      expect(res.body.issues[0]).toEqual({
        id: expect.any(String),
        key: expect.stringMatching(/^SEC-\d+$/),
        self: expect.stringContaining('/rest/api/3/issue/'),
      });
      expect(res.body.errors).toEqual([
        {
          status: 400,
          failedElementNumber: 17,
          elementErrors: { errorMessages: [], errors: { description: expect.any(String) }, status: 400 },
        },
      ]);
    });

    it('answers 400 with every element error when all fail', async () => {
      const res = await bulk([
        { fields: buildIssueFields({ summary: '' }) },
        { fields: buildComplianceFields({ customfield_10051: undefined }) },
      ]);
      expect(res.status).toBe(400);
      expect(res.body.issues).toEqual([]);
      expect(res.body.errors.map((e: { failedElementNumber: number }) => e.failedElementNumber)).toEqual([0, 1]);
      expect(Object.keys(res.body.errors[1].elementErrors.errors)).toEqual(['customfield_10051']);
    });
  });

  describe('get', () => {
    it('returns all fields by default and only the requested ones with ?fields=', async () => {
      const { key } = await createIssue(kit, {
        labels: ['a', 'b'],
        customfield_10043: { value: 'SAST' },
        customfield_10044: [{ value: 'CWE-89' }],
      });
      const all = await kit.call('GET', `/rest/api/3/issue/${key}`);
      expect(all.status).toBe(200);
      expect(all.body.key).toBe(key);
      expect(all.body.fields.status.statusCategory).toEqual(expect.objectContaining({ id: 2, key: 'new' }));
      expect(all.body.fields.priority.name).toBe('Medium');
      expect(all.body.fields.reporter.accountId).toBe(kit.emulator.users.app);
      expect(all.body.fields.customfield_10043).toEqual(expect.objectContaining({ value: 'SAST', id: '10100' }));
      expect(all.body.fields.customfield_10044).toEqual([expect.objectContaining({ value: 'CWE-89' })]);
      expect(all.body.fields.resolution).toBeNull();
      const some = await kit.call('GET', `/rest/api/3/issue/${key}?fields=summary,labels`);
      expect(Object.keys(some.body.fields).sort()).toEqual(['labels', 'summary']);
    });

    it('returns requested properties and expansions', async () => {
      const { key } = await createIssue(kit);
      await kit.call('PUT', `/rest/api/3/issue/${key}/properties/finding-sync`, { findingId: 'F-1' });
      const res = await kit.call(
        'GET',
        `/rest/api/3/issue/${key}?fields=summary&properties=finding-sync&expand=names,transitions`,
      );
      expect(res.body.properties).toEqual({ 'finding-sync': { findingId: 'F-1' } });
      expect(res.body.names).toEqual({ summary: 'Summary' });
      expect(res.body.transitions.map((t: { id: string }) => t.id)).toEqual(['21']);
    });

    it('answers 404 for an unknown issue', async () => {
      const res = await kit.call('GET', '/rest/api/3/issue/SEC-99999');
      expect(res.status).toBe(404);
      expect(res.body.errorMessages).toHaveLength(1);
    });
  });

  describe('edit', () => {
    it('sets fields, applies update operations and records a changelog', async () => {
      const { key } = await createIssue(kit, { labels: ['one'] });
      const res = await kit.call('PUT', `/rest/api/3/issue/${key}`, {
        fields: { summary: 'Renamed', priority: { name: 'High' } },
        update: { labels: [{ add: 'two' }, { remove: 'one' }] },
      });
      expect(res.status).toBe(204);
      const issue = await kit.call('GET', `/rest/api/3/issue/${key}?fields=summary,labels,priority&expand=changelog`);
      expect(issue.body.fields).toEqual(expect.objectContaining({ summary: 'Renamed', labels: ['two'] }));
      expect(issue.body.fields.priority.name).toBe('High');
      const items = issue.body.changelog.histories[0].items;
      expect(items.map((i: { fieldId: string }) => i.fieldId).sort()).toEqual(['labels', 'priority', 'summary']);
    });

    it('ignores a transition inside an edit, as Jira does', async () => {
      const { key } = await createIssue(kit);
      const res = await kit.call('PUT', `/rest/api/3/issue/${key}`, {
        fields: { summary: 'still to do' },
        transition: { id: '21' },
      });
      expect(res.status).toBe(204);
      const issue = await kit.call('GET', `/rest/api/3/issue/${key}?fields=status,summary`);
      expect(issue.body.fields.status.name).toBe('To Do');
      expect(issue.body.fields.summary).toBe('still to do');
    });

    it('rejects fields not on the edit screen and emptying a required field', async () => {
      const { key } = await createIssue(kit);
      const offScreen = await kit.call('PUT', `/rest/api/3/issue/${key}`, { fields: { resolution: { name: 'Done' } } });
      expect(offScreen.status).toBe(400);
      expect(Object.keys(offScreen.body.errors)).toEqual(['resolution']);
      const emptied = await kit.call('PUT', `/rest/api/3/issue/${key}`, { fields: { summary: '' } });
      expect(emptied.status).toBe(400);
      expect(Object.keys(emptied.body.errors)).toEqual(['summary']);
    });

    it('rejects the same field in both fields and update', async () => {
      const { key } = await createIssue(kit);
      const res = await kit.call('PUT', `/rest/api/3/issue/${key}`, {
        fields: { labels: ['x'] },
        update: { labels: [{ add: 'y' }] },
      });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.errors)).toEqual(['labels']);
    });
  });

  it('deletes an issue (204) after which it is gone (404)', async () => {
    const { key } = await createIssue(kit);
    expect((await kit.call('DELETE', `/rest/api/3/issue/${key}`)).status).toBe(204);
    expect((await kit.call('GET', `/rest/api/3/issue/${key}`)).status).toBe(404);
    expect((await kit.call('DELETE', `/rest/api/3/issue/${key}`)).status).toBe(404);
  });

  describe('comments', () => {
    it('adds ADF comments and lists them', async () => {
      const { key } = await createIssue(kit);
      const added = await kit.call(
        'POST',
        `/rest/api/3/issue/${key}/comment`,
        { body: adf('Fixed in 1.2.3') },
        kit.asMember,
      );
      expect(added.status).toBe(201);
      expect(added.body.author.accountId).toBe(kit.emulator.users.member);
      const list = await kit.call('GET', `/rest/api/3/issue/${key}/comment`);
      expect(list.body.total).toBe(1);
      expect(list.body.comments[0].body).toEqual(adf('Fixed in 1.2.3'));
    });
  });

  describe('entity properties', () => {
    it('creates (201), updates (200), reads, lists and deletes a property', async () => {
      const { key } = await createIssue(kit);
      const path = `/rest/api/3/issue/${key}/properties/finding-link`;
      expect((await kit.call('PUT', path, { id: 'F-1' })).status).toBe(201);
      expect((await kit.call('PUT', path, { id: 'F-2' })).status).toBe(200);
      expect((await kit.call('GET', path)).body).toEqual({ key: 'finding-link', value: { id: 'F-2' } });
      expect(
        (await kit.call('GET', `/rest/api/3/issue/${key}/properties`)).body.keys.map((k: { key: string }) => k.key),
      ).toEqual(['finding-link']);
      expect((await kit.call('DELETE', path)).status).toBe(204);
      expect((await kit.call('GET', path)).status).toBe(404);
    });

    it('accepts 32,768 characters and rejects one more', async () => {
      const { key } = await createIssue(kit);
      const path = `/rest/api/3/issue/${key}/properties/big`;
      const atLimit = JSON.stringify('x'.repeat(32_766));
      expect(atLimit.length).toBe(32_768);
      expect((await kit.call('PUT', path, atLimit)).status).toBe(201);
      const overLimit = JSON.stringify('x'.repeat(32_767));
      const res = await kit.call('PUT', path, overLimit);
      expect(res.status).toBe(400);
      expect(res.body.errorMessages).toHaveLength(1);
    });

    it('stores properties given at create time', async () => {
      const res = await kit.call('POST', '/rest/api/3/issue', {
        fields: buildIssueFields(),
        properties: [{ key: 'finding-sync', value: { findingId: 'F-9' } }],
      });
      expect(res.status).toBe(201);
      expect((await kit.call('GET', `/rest/api/3/issue/${res.body.key}/properties/finding-sync`)).body.value).toEqual({
        findingId: 'F-9',
      });
    });
  });
});
