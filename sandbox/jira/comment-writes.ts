import { checkCommentBody, checkProperty } from './issue-writes';
import { badRequest, forbidden, JiraHttpError } from './jira-error';
import type { JiraSite } from './jira-site';
import { actorAccountId } from './product-events';
import { issueTypeView, projectRefView, statusView } from './representations';
import type {
  JiraActor,
  JiraCommentRecord,
  JiraCommentVisibility,
  JiraIssueRecord,
  JiraProductEvent,
  JiraProductEventType,
} from './types';

/**
 * Comments over REST v3 with Jira's rules: an ADF body (`@atlaskit/adf-schema`), visibility
 * restricted to a project role or a group the author belongs to, comment entity properties, and
 * who may edit or delete a comment (its author; Jira administrators — "Edit all comments" /
 * "Delete all comments" — for everyone's). Each write emits the product event Forge documents:
 * `avi:jira:commented:issue` for a new comment and `avi:jira:deleted:comment` for a deletion.
 * Forge's reference names no event for an edited comment (its event list and `@forge/manifest`'s
 * event → scope map have only commented / mentioned / deleted); the emulator sends an edit as
 * `avi:jira:commented:issue` carrying the edited comment (`updated` later than `created`) —
 * guessed, see sandbox/jira/README.md.
 */

/** Project roles and groups of the seeded site, with their members (by seeded user). */
export const COMMENT_ROLES = ['Administrators', 'Developers', 'Users'] as const;
export const COMMENT_GROUPS = ['jira-administrators', 'jira-software-users', 'site-admins'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether the account belongs to the role / group (administrators and the app belong to every one). */
export function canSeeVisibility(site: JiraSite, accountId: string, visibility: JiraCommentVisibility): boolean {
  const user = site.user(accountId);
  if (!user) return false;
  if (user.administer) return true;
  if (visibility.type === 'role') return visibility.value !== 'Administrators';
  return visibility.value === 'jira-software-users';
}

function parseVisibility(site: JiraSite, raw: unknown, authorId: string): JiraCommentVisibility | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw)) throw badRequest({ commentLevel: 'Visibility must be an object {type, value}.' });
  const type = raw['type'];
  const value = typeof raw['value'] === 'string' ? raw['value'] : raw['identifier'];
  if (type !== 'role' && type !== 'group')
    throw badRequest({ commentLevel: "Visibility type must be 'role' or 'group'." });
  if (typeof value !== 'string' || value.trim() === '')
    throw badRequest({ commentLevel: 'Visibility needs the name of the role or group.' });
  if (type === 'role' && !(COMMENT_ROLES as readonly string[]).includes(value))
    throw badRequest({ commentLevel: `Role with name '${value}' does not exist.` });
  if (type === 'group' && !(COMMENT_GROUPS as readonly string[]).includes(value))
    throw badRequest({ commentLevel: `Group: '${value}' does not exist.` });
  const visibility: JiraCommentVisibility = { type, value };
  if (!canSeeVisibility(site, authorId, visibility))
    throw badRequest({
      commentLevel:
        type === 'role'
          ? `You are currently not a member of the project role: ${value}.`
          : `You are currently not a member of the group: ${value}.`,
    });
  return visibility;
}

function parseProperties(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) throw new JiraHttpError(400, ['properties must be a list of {key, value}']);
  const out: Record<string, unknown> = {};
  for (const p of raw) {
    if (!isRecord(p) || typeof p['key'] !== 'string' || !('value' in p))
      throw new JiraHttpError(400, ['Each property needs a key and a value.']);
    checkProperty(p['key'], JSON.stringify(p['value']));
    out[p['key']] = p['value'];
  }
  return out;
}

function checkedBody(body: unknown): unknown {
  const commentBody = isRecord(body) ? body['body'] : undefined;
  const problem = checkCommentBody(commentBody);
  if (problem) throw badRequest({ comment: problem });
  return commentBody;
}

export function findComment(issue: JiraIssueRecord, commentId: string): JiraCommentRecord {
  const comment = issue.comments.find((c) => c.id === commentId);
  if (!comment) throw new JiraHttpError(404, [`Can not find a comment for the id: ${commentId}.`]);
  return comment;
}

/** Whether the acting account may see the comment (restricted ones: members of the role / group). */
export function visibleTo(site: JiraSite, actor: JiraActor, comment: JiraCommentRecord): boolean {
  return !comment.visibility || canSeeVisibility(site, actorAccountId(site, actor), comment.visibility);
}

function mayChange(site: JiraSite, actor: JiraActor, comment: JiraCommentRecord): boolean {
  const accountId = actorAccountId(site, actor);
  if (comment.authorId === accountId) return true;
  // The app edits and deletes only its own comments here (stricter than an app with "Edit all comments").
  return actor.kind === 'user' && site.user(accountId)?.administer === true;
}

export function createComment(
  site: JiraSite,
  issue: JiraIssueRecord,
  body: unknown,
  actor: JiraActor,
): { comment: JiraCommentRecord; events: JiraProductEvent[] } {
  const commentBody = checkedBody(body);
  const authorId = actorAccountId(site, actor);
  const visibility = parseVisibility(site, isRecord(body) ? body['visibility'] : undefined, authorId);
  const properties = parseProperties(isRecord(body) ? body['properties'] : undefined);
  site.state.sequence.commentId += 1;
  const now = site.timestamp();
  const comment: JiraCommentRecord = {
    id: String(site.state.sequence.commentId),
    authorId,
    body: commentBody,
    created: now,
    updated: now,
    ...(visibility ? { visibility } : {}),
    ...(properties ? { properties } : {}),
  };
  issue.comments.push(comment);
  issue.updated = now;
  return { comment, events: [buildCommentEvent(site, 'avi:jira:commented:issue', issue, comment, actor)] };
}

export function editComment(
  site: JiraSite,
  issue: JiraIssueRecord,
  comment: JiraCommentRecord,
  body: unknown,
  actor: JiraActor,
): JiraProductEvent[] {
  if (!visibleTo(site, actor, comment) || !mayChange(site, actor, comment))
    throw forbidden('You do not have the permission to edit this comment.');
  const commentBody = checkedBody(body);
  const accountId = actorAccountId(site, actor);
  const rawVisibility = isRecord(body) ? body['visibility'] : undefined;
  const visibility = rawVisibility === undefined ? comment.visibility : parseVisibility(site, rawVisibility, accountId);
  const properties = parseProperties(isRecord(body) ? body['properties'] : undefined);
  comment.body = commentBody;
  if (visibility) comment.visibility = visibility;
  else delete comment.visibility;
  if (properties) comment.properties = { ...(comment.properties ?? {}), ...properties };
  comment.updateAuthorId = accountId;
  comment.updated = site.timestamp();
  issue.updated = comment.updated;
  return [buildCommentEvent(site, 'avi:jira:commented:issue', issue, comment, actor)];
}

export function deleteComment(
  site: JiraSite,
  issue: JiraIssueRecord,
  comment: JiraCommentRecord,
  actor: JiraActor,
): JiraProductEvent[] {
  if (!visibleTo(site, actor, comment) || !mayChange(site, actor, comment))
    throw forbidden('You do not have the permission to delete this comment.');
  issue.comments = issue.comments.filter((c) => c.id !== comment.id);
  issue.updated = site.timestamp();
  return [buildCommentEvent(site, 'avi:jira:deleted:comment', issue, comment, actor)];
}

/** The comment as Forge's comment events carry it: ids of people, the ADF body, dates, visibility. */
function eventComment(comment: JiraCommentRecord) {
  return {
    id: comment.id,
    author: { accountId: comment.authorId },
    body: structuredClone(comment.body),
    updateAuthor: { accountId: comment.updateAuthorId ?? comment.authorId },
    created: comment.created,
    updated: comment.updated,
    jsdPublic: true,
    ...(comment.visibility ? { visibility: { ...comment.visibility } } : {}),
  };
}

export function buildCommentEvent(
  site: JiraSite,
  eventType: Extract<JiraProductEventType, 'avi:jira:commented:issue' | 'avi:jira:deleted:comment'>,
  issue: JiraIssueRecord,
  comment: JiraCommentRecord,
  actor: JiraActor,
): JiraProductEvent {
  const atlassianId = actorAccountId(site, actor);
  const selfGenerated = actor.kind === 'app';
  const status = site.status(issue.statusId)!;
  const payload: Record<string, unknown> = {
    eventType,
    selfGenerated,
    issue: {
      id: issue.id,
      key: issue.key,
      fields: {
        summary: issue.values['summary'],
        issuetype: issueTypeView(site, site.issueType(issue.issueTypeId)!),
        project: projectRefView(site, site.projectById(issue.projectId)),
        updated: issue.updated,
        status: statusView(site, status),
      },
    },
    atlassianId,
    ...(eventType === 'avi:jira:commented:issue' ? { associatedUsers: [{ accountId: atlassianId }] } : {}),
    comment: eventComment(comment),
  };
  return { eventType, selfGenerated, payload: structuredClone(payload), timestamp: site.now() };
}
