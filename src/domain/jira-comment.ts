/**
 * Jira → platform comments: what the app reported about one issue's Jira comments, so that a
 * redelivered event sends nothing new and an edit is told apart from an addition.
 */
export type JiraCommentEntry = { hash: string; reported: 'added' | 'updated' | 'deleted' };
export type JiraCommentRecord = { issueId: string; entries: Record<string, JiraCommentEntry> };
