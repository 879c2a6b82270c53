import { adf, buildKit, createIssue } from './jira-test-kit';

/** Comments over REST v3: ADF bodies, visibility, properties, edit/delete rights and the comment events. */
describe('Jira emulator: comments', () => {
  it('adds, edits and deletes a comment, emitting commented (twice) and deleted:comment', async () => {
    const kit = buildKit();
    const { key, id } = await createIssue(kit);
    kit.events.length = 0;
    const dev = { kind: 'user' as const, accountId: kit.emulator.users.developer };
    const added = await kit.call('POST', `/rest/api/3/issue/${key}/comment`, { body: adf('Looks fixed') }, dev);
    expect(added.status).toBe(201);
    const commentId = added.body.id as string;
    kit.clock.advance(60_000);
    const edited = await kit.call(
      'PUT',
      `/rest/api/3/issue/${key}/comment/${commentId}`,
      { body: adf('Looks fixed in 2.3.1') },
      dev,
    );
    expect(edited.status).toBe(200);
    expect(edited.body.body).toEqual(adf('Looks fixed in 2.3.1'));
    expect(edited.body.updated > edited.body.created).toBe(true);
    const removed = await kit.call('DELETE', `/rest/api/3/issue/${key}/comment/${commentId}`, undefined, dev);
    expect(removed.status).toBe(204);
    expect((await kit.call('GET', `/rest/api/3/issue/${key}/comment`)).body.total).toBe(0);

    expect(kit.events.map((e) => e.eventType)).toEqual([
      'avi:jira:commented:issue',
      'avi:jira:commented:issue',
      'avi:jira:deleted:comment',
    ]);
    const [created, update, deleted] = kit.events.map((e) => e.payload as any);
    expect(created).toEqual(
      expect.objectContaining({
        selfGenerated: false,
        atlassianId: kit.emulator.users.developer,
        issue: expect.objectContaining({ id, key }),
        comment: expect.objectContaining({
          id: commentId,
          author: { accountId: kit.emulator.users.developer },
          body: adf('Looks fixed'),
        }),
      }),
    );
    expect(update.comment.body).toEqual(adf('Looks fixed in 2.3.1'));
    expect(update.comment.updated > update.comment.created).toBe(true);
    expect(deleted.comment.id).toBe(commentId);
  });

  it("marks the app's own comment events selfGenerated", async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    kit.events.length = 0;
    await kit.call('POST', `/rest/api/3/issue/${key}/comment`, { body: adf('from the app') });
    expect(kit.events).toHaveLength(1);
    expect(kit.events[0]!.selfGenerated).toBe(true);
  });

  it('refuses a comment body that is not ADF, and a PUT to a missing comment', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    const plain = await kit.call('POST', `/rest/api/3/issue/${key}/comment`, { body: 'plain text' });
    expect(plain.status).toBe(400);
    expect(Object.keys(plain.body.errors)).toEqual(['comment']);
    const missing = await kit.call('PUT', `/rest/api/3/issue/${key}/comment/99999`, { body: adf('x') });
    expect(missing.status).toBe(404);
  });

  it('restricts visibility to a role or group the author is in, and hides it from others', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    const unknownRole = await kit.call(
      'POST',
      `/rest/api/3/issue/${key}/comment`,
      { body: adf('x'), visibility: { type: 'role', value: 'Auditors' } },
      kit.asAdmin,
    );
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body.errors).toHaveProperty('commentLevel');
    const notMember = await kit.call(
      'POST',
      `/rest/api/3/issue/${key}/comment`,
      { body: adf('x'), visibility: { type: 'role', value: 'Administrators' } },
      kit.asMember,
    );
    expect(notMember.status).toBe(400);
    const restricted = await kit.call(
      'POST',
      `/rest/api/3/issue/${key}/comment`,
      { body: adf('internal only'), visibility: { type: 'role', value: 'Administrators' } },
      kit.asAdmin,
    );
    expect(restricted.status).toBe(201);
    expect(restricted.body.visibility).toEqual({ type: 'role', value: 'Administrators' });
    expect((await kit.call('GET', `/rest/api/3/issue/${key}/comment`, undefined, kit.asMember)).body.total).toBe(0);
    expect((await kit.call('GET', `/rest/api/3/issue/${key}/comment`, undefined, kit.asAdmin)).body.total).toBe(1);
    const event = kit.events.at(-1)!.payload as any;
    expect(event.comment.visibility).toEqual({ type: 'role', value: 'Administrators' });
  });

  it('lets only the author (or a Jira admin) edit or delete a comment; the app only its own', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    const byMember = await kit.call('POST', `/rest/api/3/issue/${key}/comment`, { body: adf('m') }, kit.asMember);
    const path = `/rest/api/3/issue/${key}/comment/${byMember.body.id}`;
    expect((await kit.call('PUT', path, { body: adf('app edit') })).status).toBe(403);
    expect((await kit.call('DELETE', path)).status).toBe(403);
    const dev = { kind: 'user' as const, accountId: kit.emulator.users.developer };
    expect((await kit.call('DELETE', path, undefined, dev)).status).toBe(403);
    expect((await kit.call('PUT', path, { body: adf('admin edit') }, kit.asAdmin)).status).toBe(200);
    expect((await kit.call('DELETE', path, undefined, kit.asAdmin)).status).toBe(204);
  });

  it('stores comment properties on create; comment/list returns them with expand=properties', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    const first = await kit.call('POST', `/rest/api/3/issue/${key}/comment`, {
      body: adf('one'),
      properties: [{ key: 'findingSyncComment', value: { commentId: 'c-1' } }],
    });
    const second = await kit.call('POST', `/rest/api/3/issue/${key}/comment`, { body: adf('two') });
    const list = await kit.call('POST', '/rest/api/3/comment/list?expand=properties', {
      ids: [Number(first.body.id), Number(second.body.id)],
    });
    expect(list.status).toBe(200);
    expect(list.body.values.map((c: any) => c.properties)).toEqual([
      [{ key: 'findingSyncComment', value: { commentId: 'c-1' } }],
      [],
    ]);
    const plain = await kit.call('POST', '/rest/api/3/comment/list', { ids: [Number(first.body.id)] });
    expect(plain.body.values[0]).not.toHaveProperty('properties');
    const tooMany = await kit.call('POST', '/rest/api/3/comment/list', {
      ids: Array.from({ length: 1001 }, (_, i) => i + 1),
    });
    expect(tooMany.status).toBe(400);
  });

  it('the person API edits and deletes comments', async () => {
    const kit = buildKit();
    const { key } = await createIssue(kit);
    const dev = kit.emulator.as(kit.emulator.users.developer);
    const { id } = await dev.comment(key, 'first');
    await dev.editComment(key, id, 'second');
    const list = await kit.call('GET', `/rest/api/3/issue/${key}/comment`);
    expect(list.body.comments[0].body).toEqual(adf('second'));
    await dev.deleteComment(key, id);
    expect((await kit.call('GET', `/rest/api/3/issue/${key}/comment`)).body.total).toBe(0);
  });
});
