import type { DocNode } from '@atlaskit/adf-schema';
import type { AppCommentRecord, CommentMarker } from '../domain/comment-sync';
import type { JiraCommentRecord } from '../domain/jira-comment';

/** What the comment use cases (sync-comments.ts, handle-comment-event.ts) need from Jira and storage. */

export interface CommentGateway {
  /** The new comment's id; `undefined` when the issue no longer exists. */
  addComment(issueId: string, body: DocNode, marker: CommentMarker): Promise<string | undefined>;
  /** `false` when the comment (or its issue) no longer exists. */
  updateComment(issueId: string, commentId: string, body: DocNode, marker: CommentMarker): Promise<boolean>;
  /** `false` when it was already gone. */
  deleteComment(issueId: string, commentId: string): Promise<boolean>;
  /** Ids of every comment of the issue the app can see (paged); `undefined` when the issue no longer exists. */
  listCommentIds(issueId: string): Promise<string[] | undefined>;
  /** The app's markers (comment entity property) on these comments, by Jira comment id. */
  readMarkers(commentIds: ReadonlyArray<string>): Promise<Map<string, CommentMarker>>;
}

export interface AppCommentStore {
  get(issueId: string): Promise<AppCommentRecord | undefined>;
  getMany(issueIds: ReadonlyArray<string>): Promise<Map<string, AppCommentRecord>>;
  put(record: AppCommentRecord): Promise<void>;
}

/** Comments that came from Jira and were reported to the platform, per issue (written under the issue's lock). */
export interface JiraCommentStore {
  get(issueId: string): Promise<JiraCommentRecord | undefined>;
  put(record: JiraCommentRecord): Promise<void>;
}
