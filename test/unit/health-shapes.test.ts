import {
  CALLBACK_TYPE_NAMES,
  DeadLetterViewSchema,
  UnmappedStatusSchema as ContractUnmappedStatusSchema,
  type AdminResponse,
  type DeadCallbackView,
  type DeadLetterView,
} from '../../src/contracts/admin-api';
import type { CallbackType } from '../../src/domain/callback-events';
import { DeadLetterSchema, type DeadLetter, type DeadLetterStage } from '../../src/domain/dead-letter';
import { UnmappedStatusSchema, type UnmappedStatus } from '../../src/domain/unmapped-status';
import type { DeadLetterReader } from '../../src/usecases/admin/admin-ports';
import { toDeadLetterView } from '../../src/usecases/admin/health';
import type { UnmappedStatusStore } from '../../src/usecases/callback-ports';
import type { DeadLetterRecord } from '../../src/usecases/ports';
import { buildFinding } from '../builders/finding';

/**
 * One shape per concept on the Health tab: a finding dead letter and an unmapped Jira status are
 * each declared once (src/domain) and used as they are by storage, the use cases and the admin
 * contract; the contract's views are projections of them. These checks fail to compile if a copy
 * creeps back in and drifts.
 */

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

describe('Health shapes', () => {
  it('an unmapped status is one type from storage to the page', () => {
    const checks: [
      Equal<AdminResponse<'callbacks/health'>['unmappedStatuses'][number], UnmappedStatus>,
      Equal<Awaited<ReturnType<UnmappedStatusStore['list']>>[number], UnmappedStatus>,
      Equal<Parameters<UnmappedStatusStore['report']>[0], UnmappedStatus>,
    ] = [true, true, true];
    expect(checks).toEqual([true, true, true]);
    expect(ContractUnmappedStatusSchema).toBe(UnmappedStatusSchema);
  });

  it('a dead letter is one type for the sync, storage and the admin use cases; the view is its projection', () => {
    const checks: [
      Equal<DeadLetterRecord, DeadLetter>,
      Equal<NonNullable<Awaited<ReturnType<DeadLetterReader['get']>>>, DeadLetter>,
      Equal<DeadLetterView['stage'], DeadLetterStage>,
      Equal<DeadCallbackView['type'], CallbackType>,
      Equal<(typeof CALLBACK_TYPE_NAMES)[number], CallbackType>,
    ] = [true, true, true, true, true];
    expect(checks).toEqual([true, true, true, true, true]);
  });

  it('a stored dead letter projects to a view the contract accepts', () => {
    const letter = DeadLetterSchema.parse({
      findingKey: 'platform:f-1',
      findingId: 'f-1',
      source: 'platform',
      lane: 'web',
      stage: 'create',
      reason: 'Jira refused the issue',
      status: 400,
      fieldErrors: { customfield_10042: 'Number value expected' },
      failedAt: '2024-05-01T12:00:00.000Z',
      finding: buildFinding({ id: 'f-1' }),
    });
    const view = toDeadLetterView(letter);
    expect(DeadLetterViewSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({ stage: 'create', severity: 'high', issueKey: null, errorMessages: [] });
  });

  it.each(['retry', '', undefined])('a dead letter stage outside the list (%p) is refused', (stage) => {
    expect(DeadLetterViewSchema.shape.stage.safeParse(stage).success).toBe(false);
  });
});
