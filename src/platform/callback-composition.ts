import { randomUUID } from 'node:crypto';
import { route } from '@forge/api';
import { z } from 'zod';
import { parseJiraBody, requestJiraAsApp } from '../jira/jira-client';
import { callbackQueue } from '../storage/callback-queue';
import { configRepository } from '../storage/config-repository';
import { issueEventStore } from '../storage/issue-event-store';
import { linkRepository } from '../storage/link-repository';
import { outboxRepository } from '../storage/outbox-repository';
import { signingSecretRepository } from '../storage/signing-secret-repository';
import { unmappedStatusRepository } from '../storage/unmapped-status-repository';
import type { CallbackSecretReader, IssueResolutionReader } from '../usecases/callback-ports';
import type { DeliverCallbackDeps } from '../usecases/deliver-platform-callbacks';
import type { EnqueueCallbackDeps } from '../usecases/enqueue-platform-callbacks';
import type { IssueEventDeps } from '../usecases/handle-issue-event';
import type { Logger } from '../usecases/ports';
import { callbackSender } from './callback-client';

/**
 * The real adapters of the Jira → platform flow, wired once (to be folded into src/composition.ts).
 */

const logger: Logger = {
  info: (message, facts) => console.info(message, facts ?? {}),
  warn: (message, facts) => console.warn(message, facts ?? {}),
};

const secrets: CallbackSecretReader = {
  async currentSecret() {
    return (await signingSecretRepository.read())?.current;
  },
};

const ResolutionBodySchema = z.object({ fields: z.object({ resolution: z.object({ name: z.string() }).nullable().optional() }) });

/** One GET for a linked issue whose event did not say its resolution (only for done statuses). */
const resolutions: IssueResolutionReader = {
  async getResolution(issueId) {
    const response = await requestJiraAsApp('get issue resolution', route`/rest/api/3/issue/${issueId}?fields=resolution`, {}, { acceptStatuses: [404] });
    if (response.status === 404) return undefined;
    return parseJiraBody('get issue resolution', ResolutionBodySchema, response.body).fields.resolution?.name ?? null;
  },
};

const config = { load: () => configRepository.load() };
const now = () => new Date();
const newToken = () => randomUUID();

export function buildIssueEventDeps(): IssueEventDeps {
  return { links: linkRepository, store: issueEventStore, config, unmapped: unmappedStatusRepository, resolutions, queue: callbackQueue, logger, now, newToken };
}

export function buildDeliverCallbackDeps(): DeliverCallbackDeps {
  return { outbox: outboxRepository, queue: callbackQueue, config, secrets, sender: callbackSender, issueStates: issueEventStore, logger, now, random: Math.random, newToken };
}

export function buildEnqueueCallbackDeps(): EnqueueCallbackDeps {
  return { outbox: outboxRepository, queue: callbackQueue, config, logger, now, newToken };
}
