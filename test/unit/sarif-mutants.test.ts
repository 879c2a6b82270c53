import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseSarifFindings, type SarifParseResult } from '../../src/domain/sarif';
import { applyMutations, describeMutations, mutationsOf } from '../builders/sarif-mutants';

/**
 * Property tests of the tolerant SARIF reader: every log in test/fixtures/sarif, mutated in its
 * optional parts (wrong types, missing keys, nulls, huge numbers, odd unicode), is still read, and
 * every result it had is still a finding (or the repeat of one). Mutants of needed parts cost at most
 * the results they touch. Seeded: SARIF_MUTANT_SEED=<n> replays a run; the seed is in the test names.
 */

const FIXTURES = path.resolve(__dirname, '../fixtures/sarif');
const SEED = Number(process.env['SARIF_MUTANT_SEED'] ?? 20261130);
const RUNS_PER_FIXTURE = { optional: 80, any: 40 };
// The CodeQL log (576 kB) takes ~10 s for 80 mutants on an idle core; leave room for a busy machine.
const TIMEOUT_MS = 180_000;
const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.sarif'));
const logs = new Map(files.map((f) => [f, JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as unknown]));

type Ok = Extract<SarifParseResult, { ok: true }>;
function parsedOk(input: unknown, context: string): Ok {
  const parsed = parseSarifFindings(input);
  if (!parsed.ok) throw new Error(`whole log refused (${context}): ${JSON.stringify(parsed.errors).slice(0, 500)}`);
  return parsed;
}
const kept = (p: Ok) => p.stats.findings + p.stats.duplicates;

let generated = 0;
afterAll(() => console.log(`SARIF mutants: ${generated} checked (seed ${SEED}; SARIF_MUTANT_SEED=<n> to change)`));

describe(`SARIF mutants of the repo's logs (seed ${SEED})`, () => {
  it('plans at least 1,000 mutants', () => {
    const planned = files.reduce(
      (sum, file) =>
        sum +
        (mutationsOf(logs.get(file), 'optional') ? RUNS_PER_FIXTURE.optional : 0) +
        (mutationsOf(logs.get(file), 'any') ? RUNS_PER_FIXTURE.any : 0),
      0,
    );
    expect(planned).toBeGreaterThanOrEqual(1_000);
  });

  it.each(files)(
    '%s: optional parts mutated → every result is still a finding',
    (file) => {
      const log = logs.get(file)!;
      const base = parsedOk(log, 'original');
      const arbitrary = mutationsOf(log, 'optional');
      if (!arbitrary) return;
      fc.assert(
        fc.property(arbitrary, (mutations) => {
          generated += 1;
          const context = describeMutations(mutations);
          const parsed = parsedOk(applyMutations(log, mutations).mutant, context);
          expect({ context, rejected: parsed.rejected }).toEqual({ context, rejected: [] });
          expect({ context, kept: kept(parsed) }).toEqual({ context, kept: kept(base) });
          expect(parsed.stats.results).toBe(base.stats.results);
        }),
        { seed: SEED, numRuns: RUNS_PER_FIXTURE.optional },
      );
    },
    TIMEOUT_MS,
  );

  it.each(files)(
    '%s: any part mutated → only the touched results may be lost',
    (file) => {
      const log = logs.get(file)!;
      const base = parsedOk(log, 'original');
      const arbitrary = mutationsOf(log, 'any');
      if (!arbitrary) return;
      fc.assert(
        fc.property(arbitrary, (mutations) => {
          generated += 1;
          const context = describeMutations(mutations);
          const { mutant, touched } = applyMutations(log, mutations);
          const parsed = parsedOk(mutant, context);
          const strays = parsed.rejected.filter((r) => !touched.has(r.index));
          expect({ context, strays }).toEqual({ context, strays: [] });
          for (const rejection of parsed.rejected) {
            expect(rejection.path).toMatch(/^runs\[\d+\]\.results\[\d+\]$/);
            for (const error of rejection.errors) expect(error.path.startsWith(rejection.path!)).toBe(true);
          }
          expect(kept(parsed)).toBeGreaterThanOrEqual(kept(base) - touched.size);
        }),
        { seed: SEED + 1, numRuns: RUNS_PER_FIXTURE.any },
      );
    },
    TIMEOUT_MS,
  );
});
