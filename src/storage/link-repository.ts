import { kvs } from './kvs-client';
import { z } from 'zod';
import { batchSetValues } from './kvs-batch';
import { keys } from './keys';

/** The finding ↔ Jira issue link, keyed by issue id so an issue event costs one KVS read. */
export const IssueLinkSchema = z.object({
  issueId: z.string(),
  issueKey: z.string(),
  findingId: z.string(),
  source: z.string(),
  /** The app's key of the finding (its state record is `finding:<findingKey>`). */
  findingKey: z.string().optional(),
  projectKey: z.string().optional(),
  /** The project mapping the finding was routed through (for its status maps). */
  mappingId: z.string().optional(),
  linkedAt: z.string().optional(),
  /** A group issue: `findingKey` is the group id; its members are in `group:<groupId>`. */
  groupId: z.string().optional(),
});
export type IssueLink = z.infer<typeof IssueLinkSchema>;

export const linkRepository = {
  async findByIssueId(issueId: string): Promise<IssueLink | undefined> {
    const value = await kvs.get(keys.issueLink(issueId));
    if (value === undefined) return undefined;
    const parsed = IssueLinkSchema.safeParse(value);
    if (!parsed.success)
      throw new Error(`Stored link for issue ${issueId} is corrupt: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  },
  async saveMany(links: ReadonlyArray<IssueLink>): Promise<void> {
    if (links.length === 0) return;
    await batchSetValues(links.map((link) => ({ key: keys.issueLink(link.issueId), value: link })));
  },
};
