import { z } from 'zod';
import { linkRepository } from '../storage/link-repository';

/**
 * Product trigger (manifest: `issue-event-trigger`, ignoreSelf). Parses the event and dismisses
 * issues the app does not manage with a single KVS read and no Jira call. The status mapping and
 * callbacks land with the Jira → platform work.
 */
const IssueEventSchema = z.object({
  eventType: z.enum(['avi:jira:updated:issue', 'avi:jira:deleted:issue']),
  issue: z.object({ id: z.string(), key: z.string() }).passthrough(),
}).passthrough();

export type IssueEventOutcome = { handled: false; reason: 'invalid-event' | 'unmanaged-issue' } | { handled: true; issueKey: string };

export async function issueEvents(event: unknown): Promise<IssueEventOutcome> {
  const parsed = IssueEventSchema.safeParse(event);
  if (!parsed.success) {
    console.warn('issue event ignored: unexpected shape', { issues: parsed.error.issues.map((i) => i.path.join('.')) });
    return { handled: false, reason: 'invalid-event' };
  }
  const link = await linkRepository.findByIssueId(parsed.data.issue.id);
  if (!link) return { handled: false, reason: 'unmanaged-issue' };
  return { handled: true, issueKey: link.issueKey };
}
