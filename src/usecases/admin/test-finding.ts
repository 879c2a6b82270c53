import { randomBytes } from 'node:crypto';
import type { AdminResult, TestFindingStatus } from '../../contracts/admin-api';
import type { SyncConfig } from '../../domain/config';
import { computeFindingKey } from '../../domain/finding-state';
import type { FindingInput, Severity } from '../../domain/finding';
import { routeFinding } from '../../domain/routing';
import { signPayload, SIGNATURE_HEADER } from '../../domain/signature';
import type { FindingStateStore } from '../ports';
import type { DeadLetterReader, IngestPort, SecretReaderWriter } from './admin-ports';

/**
 * "Send test finding": a sample finding, signed with the current shared secret, through the real
 * ingest use case (signature check, parsing, dedupe, inbox, queue), exactly as a platform's POST;
 * then its progress, read from the sync state, until Jira has an issue for it.
 */

export const TEST_FINDING_SOURCE = 'finding-sync-test';

export type TestFindingInput = { severity: Severity; assetId: string; assetName?: string; title?: string };
export type TestFindingDeps = {
  ingest: IngestPort;
  secrets: SecretReaderWriter;
  config: () => Promise<SyncConfig>;
  now: () => Date;
};

export function buildTestFinding(input: TestFindingInput, now: Date, suffix: string): FindingInput & { id: string } {
  return {
    id: `test-${now.getTime()}-${suffix}`,
    title: input.title ?? `Test finding from Finding Sync settings (${input.severity})`,
    description:
      'A **sample finding** sent from the Finding Sync settings page to check the configuration end to end. ' +
      'You can delete this issue.',
    severity: input.severity,
    status: 'open',
    asset: { id: input.assetId, ...(input.assetName ? { name: input.assetName } : {}) },
    scanner: 'Finding Sync test',
    updatedAt: now.toISOString(),
  };
}

export async function sendTestFinding(
  input: TestFindingInput,
  deps: TestFindingDeps,
): Promise<
  AdminResult<{ findingId: string; findingKey: string; accepted: number; duplicates: number; mappingId: string | null }>
> {
  const secrets = await deps.secrets.read();
  if (!secrets) {
    return {
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Generate the shared secret (Connection) first: test findings are signed with it.',
        details: [{ path: 'secret', message: 'No shared secret yet' }],
      },
    };
  }
  const now = deps.now();
  const finding = buildTestFinding(input, now, randomBytes(4).toString('hex'));
  const body = JSON.stringify({ source: TEST_FINDING_SOURCE, findings: [finding] });
  const result = await deps.ingest({
    method: 'POST',
    headers: {
      'content-type': ['application/json'],
      [SIGNATURE_HEADER.toLowerCase()]: [signPayload(secrets.current, body, Math.floor(now.getTime() / 1000))],
    },
    query: {},
    body,
  });
  if (result.status !== 202) {
    return {
      ok: false,
      error: {
        code: 'INTERNAL',
        message:
          `The ingest path refused the test finding (${result.status} ${result.error.code}): ` + result.error.message,
        details: result.error.details,
      },
    };
  }
  const rejected = result.receipt.rejected[0];
  if (rejected) {
    return {
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: 'The test finding was rejected',
        details: rejected.errors.map((e) => ({ path: e.path, message: e.message })),
      },
    };
  }
  const route = routeFinding(
    { asset: { id: input.assetId, ...(input.assetName ? { name: input.assetName } : {}) } } as Parameters<
      typeof routeFinding
    >[0],
    await deps.config(),
  );
  return {
    ok: true,
    data: {
      findingId: finding.id,
      findingKey: computeFindingKey(TEST_FINDING_SOURCE, finding.id),
      accepted: result.receipt.accepted,
      duplicates: result.receipt.duplicates,
      mappingId: route.routed ? route.mapping.id : null,
    },
  };
}

export async function getTestFindingStatus(
  input: { findingKey: string },
  deps: { states: FindingStateStore; deadLetters: DeadLetterReader },
): Promise<AdminResult<TestFindingStatus>> {
  const state = (await deps.states.getMany([input.findingKey])).get(input.findingKey);
  if (!state || state.outcome === 'pending') {
    const letter = await deps.deadLetters.get(input.findingKey);
    if (letter) return { ok: true, data: { state: 'dead', issueKey: letter.issueKey ?? null, reason: letter.reason } };
    return { ok: true, data: { state: 'pending', issueKey: null, reason: null } };
  }
  return { ok: true, data: { state: state.outcome, issueKey: state.issueKey ?? null, reason: state.reason ?? null } };
}
