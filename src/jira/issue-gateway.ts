import type { JiraGateway } from '../usecases/ports';
import { issueMetadata } from './issue-metadata';
import { issueOperations } from './issue-operations';
import { issueRecovery } from './issue-recovery';
import { userLookup } from './user-lookup';

/**
 * Jira REST v3 for the sync, as the use cases' `JiraGateway`: writes and transitions
 * (issue-operations.ts), JQL recovery (issue-recovery.ts), screen metadata (issue-metadata.ts) and
 * users (user-lookup.ts).
 */
export const issueGateway: JiraGateway = { ...issueOperations, ...issueRecovery, ...issueMetadata, ...userLookup };
