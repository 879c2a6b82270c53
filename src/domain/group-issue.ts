import { ADF_MAX_JSON_LENGTH, withVisibleBidiControls } from './adf';
import type { SyncConfig, TargetMapping } from './config';
import { sanitiseLabel } from './custom-field';
import { highestOpenSeverity, isClosedStatus, orderedMembers, type GroupMember, type GroupRecord } from './grouping';
import { hashValue } from './hash';
import { LINK_PROPERTY_KEY, type IssueCreateRequest, type IssueTypeMeta } from './issue-fields';
import { APP_LABEL, resolvePriority, SUMMARY_MAX_LENGTH } from './mapping';
import { stripControlCharacters, stripUnsafeCharacters, truncateText } from './text';

/**
 * A group → its Jira issue, pure: summary (`Semgrep: xml-injection — 7 findings in web-shop`), a
 * description holding the member table (location, severity, status, first seen; open members
 * first, by severity), labels and priority (the highest open member's severity).
 *
 * Jira refuses a description over 32,767 characters: rows are added while the document stays
 * under `ADF_MAX_JSON_LENGTH`; the rest are counted in a closing "… and N more" line. The full
 * list is on the platform side: every member's `finding.issue_linked` callback names the group
 * issue, so the platform holds each member's link.
 */

export const GROUP_LABEL = 'finding-group';

const SEVERITY_WORD: Record<GroupMember['severity'], string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** One line for the summary: control characters and bidi controls removed. */
const clean = (value: string) => stripUnsafeCharacters(value, false).replace(/\s+/g, ' ').trim();
/**
 * One line for the description: control characters removed, bidi controls kept for
 * `withVisibleBidiControls`, which shows them escaped (`<U+202E>`) as a finding's description does.
 */
const cleanForTable = (value: string) => stripControlCharacters(value, false).replace(/\s+/g, ' ').trim();

export function buildGroupSummary(record: GroupRecord): string {
  const members = Object.values(record.members);
  const assets = [...new Set(members.map((m) => m.asset).filter((a): a is string => a !== undefined))];
  const where = assets.length === 1 ? ` in ${assets[0]}` : assets.length > 1 ? ` in ${assets.length} assets` : '';
  const count = `${members.length} finding${members.length === 1 ? '' : 's'}`;
  const prefix = record.scanner ? `${clean(record.scanner)}: ` : '';
  return truncateText(`${prefix}${clean(record.label)} — ${count}${where}`, SUMMARY_MAX_LENGTH);
}

type Node = Record<string, unknown>;
const textNode = (value: string, marks?: Node[]): Node => ({
  type: 'text',
  text: value === '' ? '-' : value,
  ...(marks ? { marks } : {}),
});
const paragraphOf = (...content: Node[]): Node => ({ type: 'paragraph', content });
const cell = (type: 'tableHeader' | 'tableCell', ...content: Node[]): Node => ({
  type,
  content: [paragraphOf(...content)],
});

function memberRow(member: GroupMember): Node {
  const closed = isClosedStatus(member.status);
  const strike = closed ? [{ type: 'strike' }] : undefined;
  return withVisibleBidiControls({
    type: 'tableRow',
    content: [
      cell('tableCell', textNode(cleanForTable(member.location), strike)),
      cell('tableCell', textNode(SEVERITY_WORD[member.severity])),
      cell('tableCell', textNode(closed ? `${member.status.replace('_', ' ')} ✓` : member.status.replace('_', ' '))),
      cell('tableCell', textNode(member.firstSeen.slice(0, 10))),
    ],
  });
}

/** The description: one line of counts, the member table, and "… and N more" when the table is cut. */
export function buildGroupDescription(record: GroupRecord, maxJsonLength: number = ADF_MAX_JSON_LENGTH): Node {
  const ordered = orderedMembers(record);
  const open = ordered.filter(([, m]) => !isClosedStatus(m.status)).length;
  const intro = withVisibleBidiControls(
    paragraphOf(
      textNode(
        `${ordered.length} finding${ordered.length === 1 ? '' : 's'} (${open} open), ` +
          `grouped by ${record.grouping}: ${cleanForTable(record.label)}. Resolved findings are struck through.`,
      ),
    ),
  );
  const header = {
    type: 'tableRow',
    content: ['Location', 'Severity', 'Status', 'First seen'].map((h) => cell('tableHeader', textNode(h))),
  };
  const rows: Node[] = [header];
  // Budget: the document without rows, plus a closing line of at most ~80 characters.
  let used = JSON.stringify({ type: 'doc', version: 1, content: [intro, { type: 'table', content: [header] }] }).length;
  const reserve = 200;
  let shown = 0;
  for (const [, member] of ordered) {
    const row = memberRow(member);
    const size = JSON.stringify(row).length + 1;
    if (used + size + reserve > maxJsonLength) break;
    rows.push(row);
    used += size;
    shown++;
  }
  const content: Node[] = [intro, { type: 'table', attrs: { layout: 'default' }, content: rows }];
  if (shown < ordered.length) {
    content.push(
      paragraphOf(
        textNode(`… and ${ordered.length - shown} more (the platform lists every member of this issue).`, [
          { type: 'em' },
        ]),
      ),
    );
  }
  return { type: 'doc', version: 1, content };
}

export function buildGroupLabels(record: GroupRecord, mapping: Pick<TargetMapping, 'labels'>): string[] {
  const labels = [APP_LABEL, GROUP_LABEL, `severity-${highestOpenSeverity(record)}`];
  if (record.scanner) labels.push(sanitiseLabel(record.scanner).toLowerCase());
  labels.push(...mapping.labels.map(sanitiseLabel));
  return [...new Set(labels.filter((label) => label !== ''))];
}

/** Summary, description, labels and (when the project offers it) priority, for the fields on the screen. */
export function buildGroupFields(
  record: GroupRecord,
  input: { mapping: TargetMapping; config: SyncConfig; meta: IssueTypeMeta; purpose: 'create' | 'edit' },
): Record<string, unknown> {
  const { meta, config, purpose } = input;
  const on = (id: string) => Object.prototype.hasOwnProperty.call(meta.fields, id);
  const owned = new Set(config.ownership.platformOwned);
  const fields: Record<string, unknown> = { summary: buildGroupSummary(record) };
  if (on('description')) fields['description'] = buildGroupDescription(record);
  if (on('labels')) fields['labels'] = buildGroupLabels(record, input.mapping);
  // Priority follows the ownership setting like a single finding's: set at creation, edited only when platform-owned.
  if (on('priority') && (purpose === 'create' || owned.has('priority'))) {
    const priority = resolvePriority(highestOpenSeverity(record), config, meta.priorities);
    if (priority.ok) fields['priority'] = { id: priority.priority.id };
  }
  return fields;
}

/** Hash of what the edit would write: equal hashes → no Jira call. */
export function hashGroupFields(fields: Record<string, unknown>): string {
  return hashValue(fields).slice(0, 32);
}

/** The create request; the group id sits in the link property so a crashed attempt finds the issue by JQL. */
export function buildGroupCreateRequest(
  record: GroupRecord,
  input: { mapping: TargetMapping; config: SyncConfig; meta: IssueTypeMeta; source: string },
): { request: IssueCreateRequest; hash: string } {
  const fields = buildGroupFields(record, { ...input, purpose: 'create' });
  const request: IssueCreateRequest = {
    fields: { project: { key: input.meta.projectKey }, issuetype: { id: input.meta.issueTypeId }, ...fields },
    properties: [
      {
        key: LINK_PROPERTY_KEY,
        value: { findingKey: record.groupId, findingId: record.label, source: input.source, fingerprint: 'group' },
      },
    ],
  };
  return { request, hash: hashGroupFields(buildGroupFields(record, { ...input, purpose: 'edit' })) };
}
