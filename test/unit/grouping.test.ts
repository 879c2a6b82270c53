import { buildGroupDescription, buildGroupSummary } from '../../src/domain/group-issue';
import {
  computeGroupId,
  computeGroupKey,
  highestOpenSeverity,
  newGroupRecord,
  planGroupStatus,
  upsertMembers,
} from '../../src/domain/grouping';
import { buildFinding } from '../builders/finding';

const finding = buildFinding({
  scanner: 'Semgrep',
  attributes: { ruleId: 'xml-injection', package: 'lodash' },
  cve: ['cve-2021-23337'],
  asset: { id: 'a1', name: 'web-shop' },
  location: { file: 'src/a.ts', line: 3 },
});

describe('group keys', () => {
  it.each([
    ['none', undefined],
    ['rule', 'xml-injection'],
    ['rule+asset', 'xml-injection'],
    ['file', 'src/a.ts'],
    ['package', 'lodash'],
    ['cve', 'CVE-2021-23337'],
  ] as const)('%s → label %s', (grouping, label) => {
    expect(computeGroupKey(finding, grouping)?.label).toBe(label);
  });

  it('depends on the finding alone; rule+asset splits assets; a finding without the grouped value has no group', () => {
    const other = { ...finding, id: 'other', asset: { id: 'a2', name: 'web-admin' } };
    expect(computeGroupKey(other, 'rule')).toEqual(computeGroupKey(finding, 'rule'));
    expect(computeGroupKey(other, 'rule+asset')).not.toEqual(computeGroupKey(finding, 'rule+asset'));
    expect(computeGroupKey({ ...finding, cve: [] }, 'cve')).toBeUndefined();
    const key = computeGroupKey(finding, 'rule')!;
    expect(computeGroupId('web', key)).toMatch(/^grp-[0-9a-f]{40}$/);
    expect(computeGroupId('web', key)).not.toBe(computeGroupId('ops', key));
  });
});

describe('group issue', () => {
  const now = new Date('2024-05-01T00:00:00Z');
  const base = newGroupRecord({
    groupId: 'grp-1',
    mapping: { id: 'web' },
    group: computeGroupKey(finding, 'rule')!,
    scanner: 'Semgrep',
    now,
  });
  const members = (n: number, status: 'open' | 'resolved' = 'open') =>
    Array.from({ length: n }, (_, i) => ({
      findingKey: `fk-${i}`,
      source: 'conviso',
      finding: {
        ...finding,
        id: `f-${i}`,
        status,
        severity: i === 1 ? ('critical' as const) : ('low' as const),
        location: { file: `src/${'d/'.repeat(30)}f-${i}.ts`, line: i },
      },
    }));

  it('summary names the scanner, the rule, the count and the asset', () => {
    expect(buildGroupSummary(upsertMembers(base, members(7), now))).toBe(
      'Semgrep: xml-injection — 7 findings in web-shop',
    );
  });

  it('keeps the description under Jira’s limit and counts the rest: "… and N more"', () => {
    const record = upsertMembers(base, members(2_000), now);
    const doc = buildGroupDescription(record);
    const json = JSON.stringify(doc);
    expect(json.length).toBeLessThanOrEqual(32_000);
    const rows =
      (doc.content as Array<{ type: string; content: unknown[] }>).find((n) => n.type === 'table')!.content.length - 1;
    expect(rows).toBeGreaterThan(50);
    expect(json).toContain(`and ${2_000 - rows} more`);
    expect(json.indexOf('Critical')).toBeLessThan(json.indexOf('Low')); // the most severe first
  });

  it("the description shows bidi controls escaped, as a finding's does; the summary drops them", () => {
    const rlo = '\u202E';
    const trojan = {
      findingKey: 'fk-t',
      source: 'conviso',
      finding: {
        ...finding,
        id: 'f-t',
        attributes: { ruleId: `xml${rlo}injection` },
        location: { file: `src/invoice${rlo}gnp.exe`, line: 3 },
      },
    };
    const record = upsertMembers(
      newGroupRecord({
        groupId: 'grp-t',
        mapping: { id: 'web' },
        group: computeGroupKey(trojan.finding, 'rule')!,
        scanner: `Sem${rlo}grep`,
        now,
      }),
      [trojan],
      now,
    );
    const json = JSON.stringify(buildGroupDescription(record));
    expect(json).toContain('src/invoice<U+202E>gnp.exe:3');
    expect(json).toContain('grouped by rule: xml<U+202E>injection.');
    expect(json).not.toContain(rlo);
    expect(buildGroupSummary(record)).toBe('Semgrep: xmlinjection — 1 finding in web-shop');
  });

  it("the description budget counts the escaped text: still under Jira's limit", () => {
    const wide = members(2_000).map((m) => ({
      ...m,
      finding: { ...m.finding, location: { file: `src/${'\u2066x\u2069'.repeat(40)}.ts`, line: 1 } },
    }));
    expect(JSON.stringify(buildGroupDescription(upsertMembers(base, wide, now))).length).toBeLessThanOrEqual(32_000);
  });

  it('priority from the highest open member; done when all are closed, reopened when one opens again', () => {
    let record = upsertMembers(base, members(3), now);
    expect(highestOpenSeverity(record)).toBe('critical');
    expect(planGroupStatus(record)).toBeUndefined();
    record = upsertMembers(record, members(3, 'resolved'), now);
    expect(planGroupStatus(record)).toBe('resolved');
    record = { ...record, written: { hash: 'h', done: true } };
    expect(planGroupStatus(record)).toBeUndefined();
    record = upsertMembers(
      record,
      [{ ...members(1)[0]!, finding: { ...members(1)[0]!.finding, status: 'reopened' } }],
      now,
    );
    expect(planGroupStatus(record)).toBe('reopened');
    expect(record.members['fk-0']!.firstSeen).toBe(now.toISOString());
  });
});
