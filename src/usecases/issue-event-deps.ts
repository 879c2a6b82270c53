import type {
  CallbackQueue,
  IssueEventStore,
  IssueLinkReader,
  IssueResolutionReader,
  UnmappedStatusStore,
} from './callback-ports';
import type { IssueEventLockPort } from './issue-event-lock';
import type { ConfigStore, GroupStore, Logger } from './ports';

/** What the Jira issue-event use cases (handle-issue-event.ts, handle-issue-deletion.ts) need and answer. */
export type IssueEventDeps = {
  links: IssueLinkReader;
  store: IssueEventStore;
  config: ConfigStore;
  unmapped: UnmappedStatusStore;
  resolutions: IssueResolutionReader;
  /** The members of group issues (config `grouping`). */
  groups: Pick<GroupStore, 'getMany'>;
  queue: CallbackQueue;
  logger: Logger;
  now: () => Date;
  newToken: () => string;
  /** One event per issue at a time (issue-event-lock.ts). */
  lock: IssueEventLockPort;
  sleep: (ms: number) => Promise<void>;
};

export type IssueEventOutcome =
  | { handled: false; reason: 'invalid-event' | 'self-generated' | 'unmanaged-issue'; details?: string }
  /** Another event of the issue held it for too long: Forge should deliver this one again later. */
  | { handled: false; reason: 'issue-busy'; retryAfterSeconds: number }
  | {
      handled: true;
      issueKey: string;
      action:
        | 'no-status-change'
        | 'duplicate'
        | 'stale'
        | 'unmapped'
        | 'unchanged'
        | 'callback-queued'
        | 'state-recorded'
        | 'link-removed';
      callbackId?: string;
    };
