import { route } from '@forge/api';
import { z } from 'zod';
import { LINK_PROPERTY_KEY } from '../domain/issue-fields';
import type { JiraGateway, RecoveredIssue } from '../usecases/ports';
import { parseJiraBody, requestJiraAsApp } from './jira-client';

/**
 * Finds the issues the app created for findings, by the link entity property (JQL on
 * `issue.property[findingSyncLink].findingKey`): how a crash between Jira's create and the app's
 * own record is recovered.
 */

const SearchBodySchema = z.object({
  issues: z.array(
    z.object({ id: z.string(), key: z.string().optional(), properties: z.record(z.string(), z.unknown()).optional() }),
  ),
  nextPageToken: z.string().optional(),
  isLast: z.boolean().optional(),
});

const LinkPropertySchema = z.object({ findingKey: z.string() }).passthrough();

const SEARCH_KEYS_PER_QUERY = 50;

function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export const issueRecovery: Pick<JiraGateway, 'findIssuesByFindingKeys'> = {
  async findIssuesByFindingKeys(findingKeys): Promise<RecoveredIssue[]> {
    const operation = 'POST /rest/api/3/search/jql';
    const found: RecoveredIssue[] = [];
    for (let i = 0; i < findingKeys.length; i += SEARCH_KEYS_PER_QUERY) {
      const group = findingKeys.slice(i, i + SEARCH_KEYS_PER_QUERY);
      const keys = group.map(jqlString).join(', ');
      const jql = `issue.property[${LINK_PROPERTY_KEY}].findingKey in (${keys}) ORDER BY created ASC`;
      let nextPageToken: string | undefined;
      do {
        const response = await requestJiraAsApp(operation, route`/rest/api/3/search/jql`, {
          method: 'POST',
          body: {
            jql,
            fields: ['key'],
            properties: [LINK_PROPERTY_KEY],
            maxResults: 100,
            ...(nextPageToken ? { nextPageToken } : {}),
          },
        });
        const body = parseJiraBody(operation, SearchBodySchema, response.body);
        for (const issue of body.issues) {
          const link = LinkPropertySchema.safeParse(issue.properties?.[LINK_PROPERTY_KEY]);
          if (link.success && issue.key)
            found.push({ issueId: issue.id, issueKey: issue.key, findingKey: link.data.findingKey });
        }
        nextPageToken = body.isLast === false ? body.nextPageToken : undefined;
      } while (nextPageToken);
    }
    return found;
  },
};
