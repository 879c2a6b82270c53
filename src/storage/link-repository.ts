import { kvs } from '@forge/kvs';
import { z } from 'zod';
import { keys } from './keys';

/** The finding ↔ Jira issue link, keyed by issue id so an issue event costs one KVS read. */
export const IssueLinkSchema = z.object({ issueId: z.string(), issueKey: z.string(), findingId: z.string(), source: z.string() });
export type IssueLink = z.infer<typeof IssueLinkSchema>;

export const linkRepository = {
  async findByIssueId(issueId: string): Promise<IssueLink | undefined> {
    const value = await kvs.get(keys.issueLink(issueId));
    if (value === undefined) return undefined;
    const parsed = IssueLinkSchema.safeParse(value);
    if (!parsed.success) throw new Error(`Stored link for issue ${issueId} is corrupt: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  },
};
