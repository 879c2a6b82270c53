/**
 * Health counter roll-ups under concurrency, through the sandbox's KVS (real @forge/kvs, custom
 * entities, conditional transactions): eight consumers add to the same hour at once and no
 * increment is lost; a chunk recorded again (a retry, a redelivery) counts once; folding the hour
 * into the 30-day window keeps every count.
 */
import { createSandbox, type Sandbox } from '../../../sandbox';
import { syncStatsRepository, type SyncCounter } from '../../../src/storage/sync-stats-repository';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox({ jira: { seed: 'empty' } });
});
afterEach(async () => sandbox?.close());

const CONSUMERS = 8;
const CHUNKS_EACH = 25;

function outcomesFor(consumer: number, chunk: number): Record<string, SyncCounter[]> {
  // Chunk sizes vary (1..50 findings); every finding created, every third also transitioned.
  const size = 1 + ((consumer * 31 + chunk * 7) % 50);
  return Object.fromEntries(
    Array.from({ length: size }, (_, i) => [
      `f-${consumer}-${chunk}-${i}`,
      i % 3 === 0 ? (['created', 'transitioned'] as SyncCounter[]) : (['created'] as SyncCounter[]),
    ]),
  );
}

describe('roll-ups with eight concurrent consumers', () => {
  it('loses no increment, counts a re-recorded chunk once, and keeps every count through the fold', async () => {
    const at = new Date();
    let expectedCreated = 0;
    let expectedTransitioned = 0;
    for (let c = 0; c < CONSUMERS; c++)
      for (let k = 0; k < CHUNKS_EACH; k++) {
        const outcomes = Object.values(outcomesFor(c, k));
        expectedCreated += outcomes.length;
        expectedTransitioned += outcomes.filter((names) => names.includes('transitioned')).length;
      }

    await Promise.all(
      Array.from({ length: CONSUMERS }, (_, c) =>
        sandbox.runAsApp(async () => {
          for (let k = 0; k < CHUNKS_EACH; k++) {
            await syncStatsRepository.recordChunk(`chunk-${c}-${k}`, outcomesFor(c, k), at);
            await syncStatsRepository.record(`ingest-${c}-${k}`, { accepted: 1, duplicates: 2 }, at);
          }
          // A redelivered chunk: the same outcomes again add nothing.
          await syncStatsRepository.recordChunk(`chunk-${c}-0`, outcomesFor(c, 0), at);
        }),
      ),
    );

    // The consumers did race: some compare-and-set transactions lost and were retried.
    const conflicts = sandbox.sdkCalls.filter((call) => call.path.endsWith('/transaction') && call.status === 409);
    expect(conflicts.length).toBeGreaterThan(0);

    const view = await sandbox.runAsApp(() => syncStatsRepository.view(at));
    expect(view.counts).toMatchObject({
      created: expectedCreated,
      transitioned: expectedTransitioned,
      accepted: CONSUMERS * CHUNKS_EACH,
      duplicates: 2 * CONSUMERS * CHUNKS_EACH,
      unchanged: 0,
    });
    expect(view.lastIngestAt).toBe(at.toISOString());

    // Two hours later the hourly check folds that hour (twice at once: the window's compare-and-set folds it once).
    const later = new Date(at.getTime() + 2 * 3_600_000);
    const folds = await Promise.all([
      sandbox.runAsApp(() => syncStatsRepository.fold(later)),
      sandbox.runAsApp(() => syncStatsRepository.fold(later)),
    ]);
    expect(folds.some((fold) => fold.foldedHours > 0)).toBe(true);
    const afterFold = await sandbox.runAsApp(() => syncStatsRepository.view(later));
    expect(afterFold.counts).toEqual(view.counts);
    expect(afterFold.lastIngestAt).toBe(at.toISOString());
    expect(afterFold.incomplete).toBe(false);
  });
});
