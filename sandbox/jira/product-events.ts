import type { JiraSite } from './jira-site';
import { issueTypeView, projectRefView, statusView } from './representations';
import type { JiraActor, JiraChangeItem, JiraIssueRecord, JiraProductEvent, JiraProductEventType } from './types';

/**
 * Builds Forge product-event payloads as Forge documents them
 * (developer.atlassian.com/platform/forge/events-reference/jira): `issue {id, key, fields}` with
 * the documented field subset, `atlassianId` of the user who caused the event, `associatedUsers`,
 * and for updates `changelog {id, items}` plus `associatedStatuses` ([old, new]) when the status
 * changed. The dispatcher (not the emulator) adds `context`/`contextToken` and applies `ignoreSelf`.
 */

export function actorAccountId(site: JiraSite, actor: JiraActor): string {
  return actor.kind === 'app' ? site.state.appAccountId : actor.accountId;
}

function eventUser(accountId: unknown) {
  return typeof accountId === 'string' ? { accountId } : null;
}

function eventIssue(site: JiraSite, issue: JiraIssueRecord) {
  const status = site.status(issue.statusId)!;
  return {
    id: issue.id,
    key: issue.key,
    fields: {
      summary: issue.values['summary'],
      issuetype: issueTypeView(site, site.issueType(issue.issueTypeId)!),
      creator: eventUser(issue.creatorId),
      created: issue.created,
      project: projectRefView(site, site.projectById(issue.projectId)),
      reporter: eventUser(issue.values['reporter']),
      assignee: eventUser(issue.values['assignee']),
      updated: issue.updated,
      status: statusView(site, status),
    },
  };
}

export function buildProductEvent(
  site: JiraSite,
  eventType: JiraProductEventType,
  issue: JiraIssueRecord,
  actor: JiraActor,
  change?: { changelogId: string; items: JiraChangeItem[]; statusFrom?: string; statusTo?: string },
): JiraProductEvent {
  const atlassianId = actorAccountId(site, actor);
  const selfGenerated = actor.kind === 'app';
  const payload: Record<string, unknown> = {
    eventType,
    selfGenerated,
    issue: eventIssue(site, issue),
    atlassianId,
    associatedUsers: [{ accountId: atlassianId }],
  };
  if (eventType === 'avi:jira:updated:issue' && change) {
    payload['changelog'] = { id: change.changelogId, items: change.items };
    if (change.statusFrom && change.statusTo) {
      payload['associatedStatuses'] = [change.statusFrom, change.statusTo].map((id) => {
        const s = site.status(id)!;
        return { id: s.id, name: s.name };
      });
    }
  }
  return { eventType, selfGenerated, payload: structuredClone(payload), timestamp: site.now() };
}
