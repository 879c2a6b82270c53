import { z } from 'zod';
import type { TargetMapping } from './config';
import type { GroupLayout } from './group-pages';
import { FindingStatusSchema, type Finding, type FindingStatus } from './finding';
import type { Grouping } from './grouping-mode';
import { sha256Hex } from './hash';
import { compareSeverity, SeveritySchema, type Severity } from './severity';
import { truncateText } from './text';

/**
 * Grouping, pure: which group a finding belongs to (from the finding alone, so every consumer
 * derives the same key), and the group record — the members one group issue lists. The Jira side
 * (summary, description table, labels, priority) is in `group-issue.ts`.
 *
 * A group belongs to one project mapping: its id hashes the mapping id, the grouping and the key.
 * The mapping id is the sync lane, so the lane lease that serialises a lane's chunks also
 * serialises every write to the lane's groups.
 */

export type GroupKey = { grouping: Exclude<Grouping, 'none'>; key: string; label: string };

const CLOSED: ReadonlySet<FindingStatus> = new Set(['resolved', 'false_positive', 'risk_accepted']);
export const isClosedStatus = (status: FindingStatus): boolean => CLOSED.has(status);

function attribute(finding: Finding, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = finding.attributes?.[name];
    if (value !== undefined && String(value).trim() !== '') return String(value).trim();
  }
  return undefined;
}

const ruleOf = (finding: Finding): string => attribute(finding, 'ruleId', 'rule') ?? finding.title;

/** The finding's group under `grouping`; `undefined` for `none` or when the finding lacks what is grouped by. */
export function computeGroupKey(finding: Finding, grouping: Grouping): GroupKey | undefined {
  const scanner = finding.scanner ?? '';
  const asset = finding.asset?.id ?? finding.asset?.name;
  switch (grouping) {
    case 'none':
      return undefined;
    case 'rule':
      return { grouping, key: `${scanner}\n${ruleOf(finding)}`, label: ruleOf(finding) };
    case 'rule+asset':
      if (asset === undefined) return undefined;
      return { grouping, key: `${scanner}\n${ruleOf(finding)}\n${asset}`, label: ruleOf(finding) };
    case 'file': {
      const file = finding.location?.file;
      if (file === undefined) return undefined;
      return { grouping, key: `${asset ?? ''}\n${file}`, label: file };
    }
    case 'package': {
      const pkg = attribute(finding, 'package', 'component', 'packageName');
      return pkg === undefined ? undefined : { grouping, key: pkg.toLowerCase(), label: pkg };
    }
    case 'cve': {
      const cve = finding.cve[0];
      return cve === undefined ? undefined : { grouping, key: cve.toUpperCase(), label: cve.toUpperCase() };
    }
  }
}

/** The group's id (KVS key part and the entity-property key its issue is found by after a crash). */
export function computeGroupId(mappingId: string, group: GroupKey): string {
  return `grp-${sha256Hex(`${mappingId}\n${group.grouping}\n${group.key}`).slice(0, 40)}`;
}

/** The group a finding joins under its mapping's `grouping`, if any (ingest orders chunks by it). */
export function groupIdOf(finding: Finding, mapping: Pick<TargetMapping, 'id' | 'grouping'>): string | undefined {
  const group = computeGroupKey(finding, mapping.grouping ?? 'none');
  return group === undefined ? undefined : computeGroupId(mapping.id, group);
}

export const MAX_MEMBER_LOCATION = 160;

export const GroupMemberSchema = z.object({
  id: z.string(),
  source: z.string(),
  location: z.string(),
  severity: SeveritySchema,
  status: FindingStatusSchema,
  firstSeen: z.string(),
  asset: z.string().optional(),
});
export type GroupMember = z.output<typeof GroupMemberSchema>;

const GroupIssueSchema = z.object({
  issueId: z.string(),
  issueKey: z.string(),
  projectKey: z.string(),
  issueTypeId: z.string().optional(),
});
export type GroupIssue = z.output<typeof GroupIssueSchema>;

/**
 * One group (KVS `group:<groupId>`). `issue` absent + `pendingCreateSince`: a create may have
 * happened (search Jira first). `written`: what the app last wrote to the issue (hash of the
 * rendered fields, and whether it moved the issue to done) — nothing is written when both match.
 */
export const GroupRecordSchema = z.object({
  groupId: z.string(),
  mappingId: z.string(),
  grouping: z.string(),
  label: z.string(),
  scanner: z.string(),
  issue: GroupIssueSchema.optional(),
  pendingCreateSince: z.string().optional(),
  written: z.object({ hash: z.string(), done: z.boolean() }).optional(),
  members: z.record(z.string(), GroupMemberSchema),
  updatedAt: z.string(),
});
/** `layout`: where the repository read the members from (absent for a new group); kept by updates, never stored. */
export type GroupRecord = z.output<typeof GroupRecordSchema> & { layout?: GroupLayout };

function locationOf(finding: Finding): string {
  const where = finding.location?.file
    ? `${finding.location.file}${finding.location.line !== undefined ? `:${finding.location.line}` : ''}`
    : (finding.location?.url ?? finding.asset?.name ?? finding.id);
  return truncateText(where, MAX_MEMBER_LOCATION);
}

export function newGroupRecord(input: {
  groupId: string;
  mapping: Pick<TargetMapping, 'id'>;
  group: GroupKey;
  scanner: string;
  now: Date;
}): GroupRecord {
  return {
    groupId: input.groupId,
    mappingId: input.mapping.id,
    grouping: input.group.grouping,
    label: truncateText(input.group.label, 200),
    scanner: input.scanner,
    members: {},
    updatedAt: input.now.toISOString(),
  };
}

/** The record with these findings as members (added, or their row brought up to date); first seen is kept. */
export function upsertMembers(
  record: GroupRecord,
  members: ReadonlyArray<{ findingKey: string; source: string; finding: Finding }>,
  now: Date,
): GroupRecord {
  const next: Record<string, GroupMember> = { ...record.members };
  for (const { findingKey, source, finding } of members) {
    const previous = next[findingKey];
    next[findingKey] = {
      id: finding.id,
      source,
      location: locationOf(finding),
      severity: finding.severity,
      status: finding.status,
      firstSeen: previous?.firstSeen ?? now.toISOString(),
      ...(finding.asset?.name ? { asset: truncateText(finding.asset.name, 100) } : {}),
    };
  }
  return { ...record, members: next, updatedAt: now.toISOString() };
}

/** Members in table order: open before closed, then by severity (highest first), then first seen. */
export function orderedMembers(record: GroupRecord): Array<[string, GroupMember]> {
  return Object.entries(record.members).sort(([ka, a], [kb, b]) => {
    const closed = Number(isClosedStatus(a.status)) - Number(isClosedStatus(b.status));
    if (closed !== 0) return closed;
    const severity = compareSeverity(b.severity, a.severity);
    if (severity !== 0) return severity;
    return a.firstSeen.localeCompare(b.firstSeen) || ka.localeCompare(kb);
  });
}

/** The highest severity among open members (among all members when none is open). */
export function highestOpenSeverity(record: GroupRecord): Severity {
  const members = Object.values(record.members);
  const open = members.filter((m) => !isClosedStatus(m.status));
  const pool = open.length > 0 ? open : members;
  return pool.reduce<Severity>((top, m) => (compareSeverity(m.severity, top) > 0 ? m.severity : top), 'info');
}

/** Whether the group issue belongs in done: every member closed. */
export function isGroupDone(record: GroupRecord): boolean {
  const members = Object.values(record.members);
  return members.length > 0 && members.every((m) => isClosedStatus(m.status));
}

/** Where the issue has to move, if anywhere: `resolved` when every member closed, `reopened` when one opened again. */
export function planGroupStatus(record: GroupRecord): 'resolved' | 'reopened' | undefined {
  const done = isGroupDone(record);
  const wasDone = record.written?.done ?? false;
  if (done && !wasDone) return 'resolved';
  if (!done && wasDone) return 'reopened';
  return undefined;
}
