import { route } from '@forge/api';
import { z } from 'zod';
import type { JiraGateway } from '../usecases/ports';
import { parseJiraBody, requestJiraAsApp } from './jira-client';

/** Finds a finding owner's Jira account by email (for the assignee). */

const UsersBodySchema = z.array(
  z.object({
    accountId: z.string(),
    emailAddress: z.string().optional(),
    active: z.boolean().optional(),
    accountType: z.string().optional(),
  }),
);

export const userLookup: Pick<JiraGateway, 'findAccountIdByEmail'> = {
  async findAccountIdByEmail(email) {
    const operation = 'GET /rest/api/3/user/search';
    const response = await requestJiraAsApp(operation, route`/rest/api/3/user/search?query=${email}&maxResults=10`);
    const users = parseJiraBody(operation, UsersBodySchema, response.body).filter(
      (u) => u.active !== false && u.accountType !== 'app',
    );
    const exact = users.filter((u) => u.emailAddress?.toLowerCase() === email.toLowerCase());
    if (exact.length === 1) return exact[0]!.accountId;
    // Jira hides email addresses by privacy setting: a single match for the query is the person.
    return exact.length === 0 && users.length === 1 ? users[0]!.accountId : undefined;
  },
};
