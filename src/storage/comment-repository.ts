import { z } from 'zod';
import type { AppCommentRecord } from '../domain/comment-sync';
import type { JiraCommentRecord } from '../domain/jira-comment';
import type { AppCommentStore, JiraCommentStore } from '../usecases/comment-ports';
import { batchGetValues } from './kvs-batch';
import { kvs } from './kvs-client';
import { keys } from './keys';

/**
 * Comment records, one KVS value per linked issue and direction: `comments:app:<issueId>` (what the
 * app wrote from the platform; only the sync consumer writes it, under the lane lease) and
 * `comments:jira:<issueId>` (Jira comments reported to the platform; only the comment-event trigger
 * writes it, under the issue's lock). 100 comments of ~120 bytes each stay far below 240 KiB.
 */

const AppCommentRecordSchema = z.object({
  issueId: z.string(),
  findingKey: z.string(),
  entries: z.record(
    z.string(),
    z.object({
      jiraCommentId: z.string().optional(),
      hash: z.string(),
      state: z.enum(['pending', 'written', 'removed-in-jira']),
    }),
  ),
});

const JiraCommentRecordSchema = z.object({
  issueId: z.string(),
  entries: z.record(z.string(), z.object({ hash: z.string(), reported: z.enum(['added', 'updated', 'deleted']) })),
});

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`Stored ${what} is corrupt: ${result.error.issues[0]?.message}`);
  return result.data;
}

export const appCommentRepository: AppCommentStore = {
  async get(issueId) {
    const value = await kvs.get(keys.appComments(issueId));
    return value === undefined ? undefined : parsed(AppCommentRecordSchema, value, `comment record of ${issueId}`);
  },
  async getMany(issueIds) {
    const values = await batchGetValues(issueIds.map((id) => keys.appComments(id)));
    const out = new Map<string, AppCommentRecord>();
    for (const issueId of issueIds) {
      const value = values.get(keys.appComments(issueId));
      if (value !== undefined) out.set(issueId, parsed(AppCommentRecordSchema, value, `comment record of ${issueId}`));
    }
    return out;
  },
  async put(record) {
    await kvs.set(keys.appComments(record.issueId), record);
  },
};

export const jiraCommentRepository: JiraCommentStore = {
  async get(issueId): Promise<JiraCommentRecord | undefined> {
    const value = await kvs.get(keys.jiraComments(issueId));
    return value === undefined ? undefined : parsed(JiraCommentRecordSchema, value, `Jira comments of ${issueId}`);
  },
  async put(record) {
    await kvs.set(keys.jiraComments(record.issueId), record);
  },
};
