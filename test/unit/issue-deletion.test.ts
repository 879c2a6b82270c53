import { upgradeFindingState, type FindingState, type StoredFindingState } from '../../src/domain/finding-state';
import { applyIssueDeletion, type IssueDeletion } from '../../src/domain/issue-deletion';

// Records in the shape stored before the state union, upgraded as the repository reads them.
const state = (overrides: Partial<StoredFindingState>): FindingState =>
  upgradeFindingState({
    findingKey: 'fk-1',
    findingId: 'f-1',
    source: 's',
    lane: 'default',
    syncedAt: '2024-01-01T00:00:00Z',
    issueKey: 'SEC-1',
    ...overrides,
  });
const deletion: IssueDeletion = {
  findingKey: 'fk-1',
  issueId: '10001',
  issueKey: 'SEC-1',
  deletedAt: '2024-01-02T00:00:00Z',
  reason: 'deleted',
};

describe('applyIssueDeletion', () => {
  it.each([
    ['linked to the deleted issue', state({ outcome: 'linked', issueId: '10001' }), 'issue-deleted'],
    ['linked to a newer issue', state({ outcome: 'linked', issueId: '10002' }), 'linked'],
    ['already recorded as deleted', state({ outcome: 'issue-deleted', issueId: '10001' }), 'issue-deleted'],
    // (An older record with no outcome was cleared for re-creation: read as an unsettled deletion.)
    ['cleared for re-creation', state({ outcome: undefined }), 'issue-deleted'],
    ['dead letter', state({ outcome: 'dead', issueId: '10001' }), 'dead'],
  ])('%s', (_name, input, outcome) => {
    expect(applyIssueDeletion(input, deletion).outcome).toBe(outcome);
  });

  it('no deletion: the state as it is', () => {
    const input = state({ outcome: 'linked', issueId: '10001' });
    expect(applyIssueDeletion(input, undefined)).toBe(input);
  });
});
