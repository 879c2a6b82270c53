import { route } from '@forge/api';
import { z } from 'zod';
import type { IssueResolutionReader } from '../usecases/callback-ports';
import { parseJiraBody, requestJiraAsApp } from './jira-client';

const ResolutionBodySchema = z.object({
  fields: z.object({ resolution: z.object({ name: z.string() }).nullable().optional() }),
});

/** One GET for a linked issue whose event did not say its resolution (only for done statuses). */
export const issueResolutionReader: IssueResolutionReader = {
  async getResolution(issueId) {
    const response = await requestJiraAsApp(
      'get issue resolution',
      route`/rest/api/3/issue/${issueId}?fields=resolution`,
      {},
      { acceptStatuses: [404] },
    );
    if (response.status === 404) return undefined;
    return parseJiraBody('get issue resolution', ResolutionBodySchema, response.body).fields.resolution?.name ?? null;
  },
};
