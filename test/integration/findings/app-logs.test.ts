import { buildFinding } from '../../builders/finding';
import { batch, createFindingsSandbox, postFindings, TEST_SECRET } from './findings-sandbox';

/** The app's logs as Forge's log store keeps them: structured single lines, one per request, no payloads. */
describe('app logs', () => {
  it('one JSON line per ingest request for a 200-finding batch, without secrets or finding content', async () => {
    const sandbox = await createFindingsSandbox();
    const findings = Array.from({ length: 200 }, (_, i) =>
      buildFinding({ id: `LOG-${i}`, title: `Secret-looking title ${i}` }),
    );
    const invalid = [{ ...buildFinding({ id: 'BAD-1' }), severity: 'catastrophic' }, { title: 'no id' }];
    const answer = await postFindings(sandbox, batch([...findings, ...invalid] as never));
    expect(answer.status).toBe(202);

    const ingestLines = sandbox.appLogs.entries.filter((e) => e.functionKey === 'ingest');
    expect(ingestLines).toHaveLength(1);
    expect(JSON.parse(ingestLines[0]!.text)).toEqual({
      level: 'info',
      msg: 'findings received',
      batchId: expect.any(String),
      source: 'conviso',
      accepted: 200,
      duplicates: 0,
      rejected: 2,
      rejectedIds: ['BAD-1', '#201'],
    });

    await sandbox.settle();
    for (const entry of sandbox.appLogs.entries) {
      expect(entry.text).not.toContain('\n');
      expect(() => JSON.parse(entry.text) as unknown).not.toThrow();
      expect(entry.text).not.toContain(TEST_SECRET);
      expect(entry.text).not.toContain('Secret-looking title');
    }
  });
});
