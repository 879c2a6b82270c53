// The Forge entry point: manifest.yml's `handler: index.<name>` entries resolve here. Nothing else.
export { ingest } from './handlers/ingest-web-trigger';
export { syncConsumer } from './handlers/sync-consumer';
export { callbackConsumer } from './handlers/callback-consumer';
export { issueEvents } from './handlers/issue-events';
export { commentEvents } from './handlers/comment-events';
export { health } from './handlers/health';
export { inboxSweep } from './handlers/inbox-sweep';
export { adminResolver } from './handlers/admin-resolver';
export { adminJobConsumer } from './handlers/admin-job-consumer';
