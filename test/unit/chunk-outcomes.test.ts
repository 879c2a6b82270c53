import { countChunkOutcomes, mergeChunkOutcomes, type ChunkOutcomes } from '../../src/domain/chunk-outcomes';

type C = 'created' | 'updated' | 'unchanged' | 'transitioned' | 'failed' | 'recovered';

describe('mergeChunkOutcomes', () => {
  it.each<[string, ChunkOutcomes<C> | undefined, ChunkOutcomes<C>, ChunkOutcomes<C>]>([
    ['first attempt', undefined, { a: ['created'] }, { a: ['created'] }],
    ['retry sees the earlier work as unchanged', { a: ['created'] }, { a: ['unchanged'] }, { a: ['created'] }],
    [
      'retry finishes what the first attempt began',
      { a: ['updated'] },
      { a: ['transitioned'] },
      { a: ['transitioned', 'updated'] },
    ],
    ['the same failure twice counts once', { a: ['failed'] }, { a: ['failed'] }, { a: ['failed'] }],
    ['unchanged both times stays unchanged', { a: ['unchanged'] }, { a: ['unchanged'] }, { a: ['unchanged'] }],
    [
      'findings only one attempt reached are kept',
      { a: ['created'] },
      { b: ['recovered'] },
      { a: ['created'], b: ['recovered'] },
    ],
  ])('%s', (_name, previous, next, expected) => {
    expect(mergeChunkOutcomes(previous, next)).toEqual(expected);
  });

  it.each<[string, ChunkOutcomes<string> | undefined, ChunkOutcomes<string>, ChunkOutcomes<string>]>([
    [
      'a style token does not hide unchanged',
      undefined,
      { a: ['unchanged', 'style+:none:web'] },
      { a: ['style+:none:web', 'unchanged'] },
    ],
    [
      'a retry emitting the same tokens counts them once',
      { a: ['created', 'style+:rule:web'] },
      { a: ['unchanged', 'style+:rule:web'] },
      { a: ['created', 'style+:rule:web'] },
    ],
  ])('issue-style tokens: %s', (_name, previous, next, expected) => {
    expect(mergeChunkOutcomes(previous, next)).toEqual(expected);
  });

  it('counts each counter once per finding', () => {
    expect(countChunkOutcomes<C>({ a: ['created'], b: ['transitioned', 'updated'], c: ['updated'] })).toEqual({
      created: 1,
      transitioned: 1,
      updated: 2,
    });
  });
});
