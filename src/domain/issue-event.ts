import { z } from 'zod';

/**
 * The Forge product events the issue-event trigger receives (`avi:jira:updated:issue`,
 * `avi:jira:deleted:issue`), parsed at the edge. Only what the sync reads is required; everything
 * else passes through untouched. Pure: no I/O.
 */

const IdSchema = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const NullableText = z.string().nullable().optional();

export const EventStatusSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    statusCategory: z.object({ key: z.string() }).passthrough().optional(),
  })
  .passthrough();

/**
 * A changelog item. Jira names one of its keys `toString`, which every JavaScript object inherits:
 * it is read as an own property only (as `toText`), so an item without it is not mistaken for one
 * whose value is a function.
 */
export const ChangelogItemSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const rest = Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'toString'));
    const toText: unknown = Object.getOwnPropertyDescriptor(value, 'toString')?.value;
    return { ...rest, toText };
  },
  z.object({
    field: z.string(),
    fieldId: z.string().optional(),
    from: NullableText,
    fromString: NullableText,
    to: NullableText,
    toText: NullableText,
  }),
);

const EventIssueSchema = z
  .object({
    id: IdSchema,
    key: z.string().min(1),
    fields: z
      .object({
        updated: z.string().optional(),
        status: EventStatusSchema.optional(),
        resolution: z.object({ id: IdSchema.optional(), name: z.string() }).passthrough().nullable().optional(),
        project: z.object({ key: z.string() }).passthrough().optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

const EventCommon = {
  selfGenerated: z.boolean().optional(),
  atlassianId: z.string().optional(),
  issue: EventIssueSchema,
};

export type ChangelogItem = z.output<typeof ChangelogItemSchema>;

export const IssueUpdatedEventSchema = z
  .object({
    eventType: z.literal('avi:jira:updated:issue'),
    ...EventCommon,
    changelog: z
      .object({ id: IdSchema, items: z.array(ChangelogItemSchema).default([]) })
      .passthrough()
      .optional(),
    associatedStatuses: z.array(z.object({ id: IdSchema, name: z.string() }).passthrough()).optional(),
  })
  .passthrough();

export const IssueDeletedEventSchema = z
  .object({ eventType: z.literal('avi:jira:deleted:issue'), ...EventCommon })
  .passthrough();

export const IssueEventSchema = z.discriminatedUnion('eventType', [IssueUpdatedEventSchema, IssueDeletedEventSchema]);
export type IssueEvent = z.output<typeof IssueEventSchema>;
export type IssueUpdatedEvent = z.output<typeof IssueUpdatedEventSchema>;

/** Where an event sits in the issue's history: Jira's changelog id and the issue's `updated` time. */
export type EventPosition = { changelogId?: string; updated?: string };

export function readEventPosition(event: IssueEvent): EventPosition {
  const position: EventPosition = {};
  if (event.eventType === 'avi:jira:updated:issue' && event.changelog) position.changelogId = event.changelog.id;
  const updated = event.issue.fields?.updated;
  if (updated !== undefined) position.updated = updated;
  return position;
}

/** The status after an update, and whether this event changed it (and the resolution, when the changelog says). */
export type StatusChange = {
  statusChanged: boolean;
  status?: { id: string; name: string; categoryKey?: string };
  /** `undefined`: the event does not say; `null`: cleared. */
  resolutionName?: string | null;
};

function isField(item: ChangelogItem, name: string): boolean {
  return item.fieldId === name || item.field.toLowerCase() === name;
}

export function readStatusChange(event: IssueUpdatedEvent): StatusChange {
  const items = event.changelog?.items ?? [];
  const statusItem = items.find((item) => isField(item, 'status'));
  const resolutionItem = items.find((item) => isField(item, 'resolution'));
  const current = event.issue.fields?.status;
  const after = event.associatedStatuses?.[1];
  let status: StatusChange['status'];
  if (current)
    status = {
      id: current.id,
      name: current.name,
      ...(current.statusCategory ? { categoryKey: current.statusCategory.key } : {}),
    };
  else if (statusItem?.to) status = { id: statusItem.to, name: statusItem.toText ?? after?.name ?? statusItem.to };
  const change: StatusChange = {
    statusChanged: statusItem !== undefined || (event.associatedStatuses?.length ?? 0) > 1,
    ...(status ? { status } : {}),
  };
  if (resolutionItem) change.resolutionName = resolutionItem.to ? (resolutionItem.toText ?? null) : null;
  else if (event.issue.fields && 'resolution' in event.issue.fields)
    change.resolutionName = event.issue.fields.resolution?.name ?? null;
  return change;
}
