import { defaultSyncConfig, SyncConfigSchema } from '../../src/domain/config';
import { APP_LABEL, buildLabels, buildSummary, computeDueDate, resolvePriority } from '../../src/domain/mapping';
import { buildFinding } from '../builders/finding';

describe('buildSummary', () => {
  it.each([
    ['title only', { title: 'XSS in search', cve: [] }, 'XSS in search'],
    [
      'CVE prefix',
      { title: 'Log4Shell in logging', cve: ['CVE-2021-44228', 'CVE-2021-45046'] },
      'CVE-2021-44228: Log4Shell in logging',
    ],
    [
      'no double CVE',
      { title: 'cve-2021-44228 in log4j-core', cve: ['CVE-2021-44228'] },
      'cve-2021-44228 in log4j-core',
    ],
    ['newlines and tabs collapse', { title: 'a\n\tb   c', cve: [] }, 'a b c'],
  ])('%s', (_label, finding, expected) => {
    expect(buildSummary(finding)).toBe(expected);
  });

  it.each([
    ['long ASCII', 'x'.repeat(400)],
    ['long with CVE', 'y'.repeat(300)],
    ['emoji on the boundary', 'a'.repeat(253) + '😀😀😀'],
  ])('keeps %s within 255 characters with an ellipsis', (_label, title) => {
    const summary = buildSummary({ title, cve: _label === 'long with CVE' ? ['CVE-2020-0001'] : [] });
    expect(summary.length).toBeLessThanOrEqual(255);
    expect(summary.endsWith('…')).toBe(true);
    expect(summary).not.toMatch(/[\uD800-\uDBFF]…$/);
  });
});

describe('buildLabels', () => {
  it.each([
    [
      'app, severity and scanner',
      { severity: 'high' as const, scanner: 'CodeQL' },
      undefined,
      [APP_LABEL, 'severity-high', 'codeql'],
    ],
    [
      'scanner with spaces',
      { severity: 'low' as const, scanner: 'OWASP  ZAP' },
      undefined,
      [APP_LABEL, 'severity-low', 'owasp-zap'],
    ],
    ['no scanner', { severity: 'info' as const }, undefined, [APP_LABEL, 'severity-info']],
    [
      'mapping labels, de-duplicated',
      { severity: 'critical' as const, scanner: 'Snyk' },
      { labels: ['AppSec', 'snyk', 'finding-sync'] },
      [APP_LABEL, 'severity-critical', 'snyk', 'AppSec'],
    ],
  ])('%s', (_label, finding, mapping, expected) => {
    const labels = buildLabels(finding, mapping);
    expect(labels).toEqual(expected);
    for (const label of labels) expect(label).not.toMatch(/\s/);
  });
});

describe('resolvePriority', () => {
  const priorities = [
    { id: '1', name: 'Highest' },
    { id: '2', name: 'High' },
    { id: '3', name: 'Medium' },
    { id: '4', name: 'Low' },
    { id: '5', name: 'Lowest' },
  ];
  const config = defaultSyncConfig();

  it.each([
    ['critical', '1'],
    ['high', '2'],
    ['medium', '3'],
    ['low', '4'],
    ['info', '5'],
  ] as const)('%s → priority %s by default', (severity, id) => {
    expect(resolvePriority(severity, config, priorities)).toEqual({
      ok: true,
      priority: priorities.find((p) => p.id === id),
    });
  });

  it('matches names case-insensitively and accepts ids', () => {
    const custom = SyncConfigSchema.parse({ priorityMap: { critical: 'blocker', high: '2' } });
    const project = [{ id: '9', name: 'Blocker' }, ...priorities];
    expect(resolvePriority('critical', custom, project)).toEqual({ ok: true, priority: { id: '9', name: 'Blocker' } });
    expect(resolvePriority('high', custom, project)).toEqual({ ok: true, priority: { id: '2', name: 'High' } });
  });

  it('explains a priority the project does not have', () => {
    expect(resolvePriority('critical', config, [{ id: '3', name: 'Medium' }])).toEqual({
      ok: false,
      reason: 'Priority "Highest" (for critical findings) is not available in this project (available: Medium)',
    });
  });
});

describe('computeDueDate', () => {
  const config = SyncConfigSchema.parse({ slaDays: { critical: 7, high: 30 } });
  const now = new Date('2024-02-25T23:30:00Z');

  it.each([
    ['critical', '2024-03-03'],
    ['high', '2024-03-26'],
    ['medium', undefined],
  ] as const)('%s → %s', (severity, expected) => {
    expect(computeDueDate(severity, config, now)).toBe(expected);
  });

  it('has no due date with the default config', () => {
    expect(computeDueDate(buildFinding().severity, defaultSyncConfig(), now)).toBeUndefined();
  });
});
