import type { FindingState } from '../../src/domain/finding-state';
import { findOldStyleIssues, styleKeyOf, styleLevels, tallyStyle } from '../../src/domain/issue-style';
import { foldHours, summarize } from '../../src/domain/stats-rollup';

const base = { findingKey: 'k', findingId: 'f', source: 'p', lane: 'web', syncedAt: '2026-11-30T10:00:00.000Z' };
const single: FindingState = { ...base, outcome: 'linked', issueId: '1', issueKey: 'SEC-1' };
const member: FindingState = { ...single, groupId: 'grp-1', grouping: 'rule' };
const legacyMember: FindingState = { ...single, groupId: 'grp-1' };
const deleted: FindingState = { ...base, outcome: 'issue-deleted', issueId: '1', issueKey: 'SEC-1' };

describe('issue-style tally', () => {
  it.each<[string, FindingState, string | undefined]>([
    ['an issue of its own', single, 'none:web'],
    ['a group member', member, 'rule:web'],
    ['a member written before groupings were kept', legacyMember, undefined],
    ['a finding without an issue', deleted, undefined],
  ])('style key of %s', (_name, state, key) => expect(styleKeyOf(state)).toBe(key));

  it('counts a finding in when linked, out when its issue is gone, nothing when the style stays', () => {
    const linked = tallyStyle(single, 'chunk-1');
    expect(linked.tokens).toEqual(['style+:none:web']);
    expect(linked.state.tally).toEqual({ key: 'none:web', chunk: 'chunk-1' });
    // A later chunk writes the same style: nothing to count.
    expect(tallyStyle({ ...single, tally: linked.state.tally }, 'chunk-2').tokens).toEqual([]);
    const gone = tallyStyle({ ...deleted, tally: linked.state.tally }, 'chunk-3');
    expect(gone.tokens).toEqual(['style-:none:web']);
    expect(gone.state.tally).toEqual({ chunk: 'chunk-3', from: 'none:web' });
  });

  it('a retry of the chunk that changed the tally emits the same tokens again (merged, counted once)', () => {
    const first = tallyStyle({ ...member, tally: { key: 'none:web', chunk: 'old' } }, 'chunk-9');
    expect(first.tokens).toEqual(['style-:none:web', 'style+:rule:web']);
    const retry = tallyStyle({ ...member, tally: first.state.tally }, 'chunk-9');
    expect(retry.tokens).toEqual(first.tokens);
    expect(retry.state.tally).toEqual(first.state.tally);
  });

  it('levels are ins minus outs; old styles are those their mapping no longer uses', () => {
    const levels = styleLevels({ 'style+:none:web': 5, 'style-:none:web': 2, 'style+:rule:web': 4, created: 9 });
    expect(levels).toEqual({ 'none:web': 3, 'rule:web': 4 });
    const mappings = [
      { id: 'web', projectKey: 'SEC', grouping: 'file' as const },
      { id: 'api', projectKey: 'API' },
    ];
    expect(findOldStyleIssues({ ...levels, 'none:api': 7, 'cve:gone': 2 }, mappings)).toEqual([
      { mappingId: 'web', projectKey: 'SEC', grouping: 'none', findings: 3 },
      { mappingId: 'web', projectKey: 'SEC', grouping: 'rule', findings: 4 },
    ]);
  });

  it('the fold keeps level tokens for good, outside the 30 daily totals', () => {
    const now = new Date('2026-11-30T12:00:00.000Z');
    const shard = { hour: '2026-11-30T09', counts: { created: 2, 'style+:none:web': 2 }, lastIngestAt: null };
    const window = foldHours({ foldedThrough: null, days: {}, lastIngestAt: null }, ['2026-11-30T09'], [shard], now);
    expect(window.days).toEqual({ '2026-11-30': { created: 2 } });
    expect(window.levels).toEqual({ 'style+:none:web': 2 });
    const muchLater = new Date('2027-02-01T12:00:00.000Z');
    const open = [{ hour: '2027-02-01T11', counts: { 'style-:none:web': 1 }, lastIngestAt: null }];
    expect(summarize(window, open, muchLater)).toMatchObject({
      counts: {},
      levels: { 'style+:none:web': 2, 'style-:none:web': 1 },
    });
  });
});
