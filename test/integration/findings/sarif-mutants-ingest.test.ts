import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { applyMutations, describeMutations, mutationsOf } from '../../builders/sarif-mutants';
import { createFindingsSandbox, jiraIssues, postRaw, quietAppLogs, SARIF_DIR } from './findings-sandbox';

/**
 * Mutants of the repo's SARIF logs through the signed web trigger of the sandboxed app (the pure
 * reader gets 1,000+ in test/unit/sarif-mutants.test.ts): never a 5xx, never a whole-log refusal,
 * rejections only for the results a mutation touched, and the receipt adds up.
 */

const SEED = Number(process.env['SARIF_MUTANT_SEED'] ?? 20261130);
const SAMPLE = [
  'njsscan.sarif',
  'gitleaks_7.5.0.sarif',
  'suppression_test.sarif',
  'dependency_check.sarif',
  'appendix_k2.sarif',
];
const PER_FILE = 8;
const options = { contentType: 'application/sarif+json', query: '/?asset=repo-42&assetName=web-payments' };
const read = (file: string) => JSON.parse(readFileSync(path.join(SARIF_DIR, file), 'utf8')) as unknown;

type Receipt = {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; path: string; errors: Array<{ path: string; message: string }> }>;
  sarif: { findings: number; duplicates: number; rejected: number };
};

describe(`SARIF mutants through the signed web trigger (seed ${SEED})`, () => {
  beforeAll(quietAppLogs);

  it(`${SAMPLE.length * PER_FILE} mutants of ${SAMPLE.length} logs: 202, only touched results rejected`, async () => {
    const sandbox = await createFindingsSandbox();
    const t0 = Math.floor(Date.now() / 1000);
    let posted = 0;
    for (const [n, file] of SAMPLE.entries()) {
      const log = read(file);
      const samples = fc.sample(mutationsOf(log, 'any')!, { seed: SEED + n, numRuns: PER_FILE });
      for (const mutations of samples) {
        const context = `${file}: ${describeMutations(mutations)}`;
        const { mutant, touched } = applyMutations(log, mutations);
        // A distinct timestamp each: two equal mutants signed in the same second would be a replay.
        const response = await postRaw(sandbox, JSON.stringify(mutant), { ...options, t: t0 - posted });
        posted += 1;
        expect({ context, status: response.status }).toEqual({ context, status: 202 });
        const receipt = response.json as unknown as Receipt;
        const strays = receipt.rejected.filter((r) => !touched.has(r.index));
        expect({ context, strays }).toEqual({ context, strays: [] });
        expect(receipt.sarif.rejected).toBe(receipt.rejected.length);
        expect(receipt.accepted + receipt.duplicates).toBe(receipt.sarif.findings + receipt.sarif.duplicates);
      }
    }
    expect(posted).toBe(SAMPLE.length * PER_FILE);
  });

  it('one result with a line of 3.5 is rejected with its path; the others become issues', async () => {
    const sandbox = await createFindingsSandbox();
    const log = read('dependency_check.sarif') as {
      runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { region?: { startLine: number } } }> }> }>;
    };
    log.runs[0]!.results[5]!.locations[0]!.physicalLocation.region = { startLine: 3.5 };
    const response = await postRaw(sandbox, JSON.stringify(log), options);
    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({
      accepted: 12,
      rejected: [
        {
          index: 5,
          path: 'runs[0].results[5]',
          errors: [
            {
              path: 'runs[0].results[5].locations[0].physicalLocation.region.startLine',
              message: 'Must be a whole number',
            },
          ],
        },
      ],
      sarif: { results: 13, findings: 12, rejected: 1 },
    });
    await sandbox.settle();
    expect(await jiraIssues(sandbox)).toHaveLength(12);
  });
});
