import {
  isAssigneeRefusal,
  readAssigneeAccountId,
  removeAssignee,
  type IssueCreateRequest,
} from '../../src/domain/issue-fields';

const request = (assignee: unknown): IssueCreateRequest => ({
  fields: { summary: 's', ...(assignee === undefined ? {} : { assignee }) },
  properties: [],
});

describe('assignee refusal', () => {
  it.each([
    ['assignee error, assignee sent', request({ accountId: 'a-1' }), { assignee: 'Utilisateur inconnu' }, true],
    [
      'assignee error in another language, assignee sent',
      request({ accountId: 'a-1' }),
      { assignee: 'Specified user does not exist' },
      true,
    ],
    ['other field error only', request({ accountId: 'a-1' }), { customfield_1: 'required' }, false],
    ['assignee error but no assignee sent', request(undefined), { assignee: 'x' }, false],
    [
      'message mentions assignee but keyed on another field',
      request({ accountId: 'a-1' }),
      { reporter: 'assignee missing' },
      false,
    ],
  ])('%s', (_name, req, errors, expected) => {
    expect(isAssigneeRefusal(req, errors)).toBe(expected);
  });

  it('removes only the assignee and reads its account id', () => {
    const req = request({ accountId: 'a-1' });
    expect(readAssigneeAccountId(req)).toBe('a-1');
    expect(removeAssignee(req).fields).toEqual({ summary: 's' });
    expect(req.fields['assignee']).toEqual({ accountId: 'a-1' });
    expect(readAssigneeAccountId(request(null))).toBeUndefined();
  });
});
