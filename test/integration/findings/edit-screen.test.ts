import { buildFinding } from '../../builders/finding';
import {
  batch,
  createFindingsSandboxOnSite,
  deadLetters,
  jiraIssues,
  postFindings,
  quietAppLogs,
} from './findings-sandbox';

/** Edits follow the issue's edit screen (Jira's editmeta), which may differ from the create screen. */

describe('edits use the edit screen', () => {
  beforeAll(quietAppLogs);

  it('a field on the create screen but not on the edit screen is left out of edits; the rest is edited', async () => {
    const sandbox = await createFindingsSandboxOnSite((jira) => {
      const sec = jira.projects.find((p) => p.key === 'SEC')!;
      sec.editScreen = { ...sec.editScreen, fields: sec.editScreen.fields.filter((id) => id !== 'description') };
    });
    const finding = buildFinding({
      id: 'edit-1',
      asset: { id: 'web', name: 'web-shop' },
      updatedAt: '2024-05-01T00:00:00Z',
    });
    await postFindings(sandbox, batch([finding]));
    await sandbox.settle();
    const [created] = await jiraIssues(sandbox);
    expect(created!.fields['description']).toBeDefined(); // on the create screen

    await postFindings(
      sandbox,
      batch([
        {
          ...finding,
          title: 'SQL injection in login form (confirmed)',
          description: 'Now with a proof of concept.',
          updatedAt: '2024-05-02T00:00:00Z',
        },
      ]),
    );
    await sandbox.settle();
    expect(await deadLetters(sandbox)).toEqual([]);
    const [edited] = await jiraIssues(sandbox);
    expect(edited!.fields['summary']).toBe('SQL injection in login form (confirmed) in app/login.py:42');
    expect(edited!.fields['description']).toEqual(created!.fields['description']);
    await sandbox.close();
  });
});
