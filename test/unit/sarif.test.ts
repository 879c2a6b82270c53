import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSarifFindings, type SarifParseResult } from '../../src/domain/sarif';

const FIXTURES = path.resolve(__dirname, '../fixtures/sarif');

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
}

function expectOk(result: SarifParseResult): Extract<SarifParseResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result;
}

function countSeverities(result: Extract<SarifParseResult, { ok: true }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const finding of result.findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
  return counts;
}

describe('SARIF fixtures (real scanners and the spec appendix)', () => {
  // results = every result in the log (README); findings = results minus suppressed ones and exact repeats.
  // Gitleaks reports each secret once per commit it is in: the same secret at the same place is one finding.
  it.each([
    ['codeQL-output.sarif', 72, 72, 0, 0, { low: 57, high: 11, medium: 4 }],
    ['dependency_check.sarif', 13, 13, 0, 0, { high: 13 }],
    ['gitleaks_7.5.0.sarif', 8, 4, 0, 4, { medium: 4 }],
    ['njsscan.sarif', 2, 2, 0, 0, { medium: 1, high: 1 }],
    ['suppression_test.sarif', 5, 2, 3, 0, { medium: 2 }],
    ['appendix_k.sarif', 1, 0, 1, 0, {}],
    ['appendix_k1.sarif', 0, 0, 0, 0, {}],
    ['appendix_k2.sarif', 1, 1, 0, 0, { medium: 1 }],
    ['appendix_k3.sarif', 1, 1, 0, 0, { medium: 1 }],
    ['appendix_k4.sarif', 1, 0, 1, 0, {}],
    ['no_runs.sarif', 0, 0, 0, 0, {}],
  ])(
    '%s: %i results, %i findings, %i suppressed, %i repeats',
    (file, results, findings, suppressed, repeats, severities) => {
      const parsed = expectOk(parseSarifFindings(readFixture(file)));
      expect(parsed.stats.results).toBe(results);
      expect(parsed.findings).toHaveLength(findings);
      expect(parsed.stats.suppressed).toBe(suppressed);
      expect(parsed.stats.duplicates).toBe(repeats);
      expect(parsed.rejected).toEqual([]);
      expect(countSeverities(parsed)).toEqual(severities);
    },
  );

  it.each([
    'codeQL-output.sarif',
    'dependency_check.sarif',
    'gitleaks_7.5.0.sarif',
    'njsscan.sarif',
    'suppression_test.sarif',
    'appendix_k2.sarif',
    'appendix_k3.sarif',
  ])('%s: ids are unique within the log and stable across two parses', (file) => {
    const first = expectOk(parseSarifFindings(readFixture(file))).findings.map((f) => f.id);
    const second = expectOk(parseSarifFindings(readFixture(file))).findings.map((f) => f.id);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    for (const id of first) expect(id).toMatch(/^sarif:[0-9a-f]{32}$/);
  });

  it('keeps CodeQL results apart whose partial fingerprints repeat across files', () => {
    const findings = expectOk(parseSarifFindings(readFixture('codeQL-output.sarif'))).findings;
    const good = findings.find((f) => f.location?.file === 'good/db_init.py' && f.location.line === 39);
    const bad = findings.find((f) => f.location?.file === 'bad/db_init.py' && f.location.line === 40);
    expect(good?.id).toBeDefined();
    expect(bad?.id).toBeDefined();
    expect(good?.id).not.toBe(bad?.id);
  });

  it('reads CWE ids from CodeQL tags and njsscan properties, rule help URIs, scanner and location', () => {
    const codeql = expectOk(parseSarifFindings(readFixture('codeQL-output.sarif'))).findings;
    const xss = codeql.find((f) => f.attributes.ruleId === 'py/reflective-xss');
    expect(xss?.cwe).toEqual(['CWE-79', 'CWE-116']);
    expect(xss?.severity).toBe('high');
    expect(xss?.scanner).toBe('CodeQL');
    expect(codeql.filter((f) => f.cwe.length > 0)).toHaveLength(25);

    const njsscan = expectOk(parseSarifFindings(readFixture('njsscan.sarif'))).findings;
    expect(njsscan.map((f) => f.cwe)).toEqual([['CWE-327'], ['CWE-798']]);
    expect(njsscan[0]?.references).toEqual([
      'https://ajinabraham.github.io/nodejsscan/#node_insecure_random_generator',
    ]);
    expect(njsscan[0]?.location).toEqual({ file: '/src/index.js', line: 321 });
    expect(njsscan[0]?.updatedAt).toBe('2021-03-23T00:10:48.000Z');
  });

  it('reads CVE ids from dependency-check rule ids', () => {
    const findings = expectOk(parseSarifFindings(readFixture('dependency_check.sarif'))).findings;
    expect(findings.filter((f) => f.cve.length > 0).map((f) => f.cve[0])).toEqual([
      'CVE-2012-6708',
      'CVE-2015-9251',
      'CVE-2019-11358',
      'CVE-2020-11022',
      'CVE-2020-11023',
      'CVE-2015-9251',
      'CVE-2019-11358',
      'CVE-2020-11022',
      'CVE-2020-11023',
    ]);
  });

  it('formats message templates with arguments (appendix K2)', () => {
    const [finding] = expectOk(parseSarifFindings(readFixture('appendix_k2.sarif'))).findings;
    expect(finding?.title).toBe('Variable "count" was used without being initialized.');
    expect(finding?.location).toEqual({ file: 'src/collections/list.cpp', line: 15 });
  });

  it('takes the asset from versionControlProvenance, or from the explicit ?asset= which wins', () => {
    const log = readFixture('appendix_k.sarif') as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    delete log.runs[0]!.results[0]!.suppressions;
    const fromLog = expectOk(parseSarifFindings(log)).findings[0];
    expect(fromLog?.asset).toEqual({ id: 'https://github.com/example-corp/browser', name: 'example-corp/browser' });
    expect(fromLog?.remediation).toBe('Initialize the variable to null');
    const explicit = expectOk(parseSarifFindings(log, { asset: { id: 'asset-42' } })).findings[0];
    expect(explicit?.asset).toEqual({ id: 'asset-42', name: 'asset-42' });
    expect(explicit?.id).not.toBe(fromLog?.id);
  });

  it('gives the same log different ids for different assets, so two repositories never share an issue', () => {
    const a = expectOk(parseSarifFindings(readFixture('njsscan.sarif'), { asset: { id: 'repo-a' } })).findings;
    const b = expectOk(parseSarifFindings(readFixture('njsscan.sarif'), { asset: { id: 'repo-b' } })).findings;
    expect(a.map((f) => f.id)).not.toEqual(b.map((f) => f.id));
  });
});

type ResultSpec = Record<string, unknown>;
function logWith(results: ResultSpec[], rules: ResultSpec[] = [], extra: ResultSpec = {}): unknown {
  return { version: '2.1.0', runs: [{ tool: { driver: { name: 'Scanner', rules } }, results, ...extra }] };
}
const at = (uri: string, startLine: number, startColumn?: number) => [
  { physicalLocation: { artifactLocation: { uri }, region: { startLine, ...(startColumn ? { startColumn } : {}) } } },
];

describe('SARIF severity', () => {
  it.each([
    ['result score 9.8', 'critical', { properties: { 'security-severity': '9.8' } }, {}],
    ['result score 9.0', 'critical', { properties: { 'security-severity': 9 } }, {}],
    ['result score 7.5', 'high', { properties: { 'security-severity': '7.5' } }, {}],
    ['result score 4.0', 'medium', { properties: { 'security-severity': '4.0' } }, {}],
    ['result score 0.1', 'low', { properties: { 'security-severity': '0.1' } }, {}],
    ['result score 0', 'info', { properties: { 'security-severity': '0' } }, {}],
    ['rule score 9.1', 'critical', {}, { properties: { 'security-severity': '9.1' } }],
    [
      'result score beats rule score',
      'low',
      { properties: { 'security-severity': '2' } },
      { properties: { 'security-severity': '9.1' } },
    ],
    ['score beats level', 'high', { level: 'note', properties: { 'security-severity': '8' } }, {}],
    ['invalid score falls back to level', 'high', { level: 'error', properties: { 'security-severity': 'high' } }, {}],
    ['out-of-range score falls back to level', 'low', { level: 'note', properties: { 'security-severity': '11' } }, {}],
    ['level error', 'high', { level: 'error' }, {}],
    ['level warning', 'medium', { level: 'warning' }, {}],
    ['level note', 'low', { level: 'note' }, {}],
    ['level none', 'info', { level: 'none' }, {}],
    ['rule default level', 'high', {}, { defaultConfiguration: { level: 'error' } }],
    ['result level beats rule default', 'low', { level: 'note' }, { defaultConfiguration: { level: 'error' } }],
    ['no level anywhere: SARIF default warning', 'medium', {}, {}],
    ['kind review without level: none', 'info', { kind: 'review' }, { defaultConfiguration: { level: 'error' } }],
    ['kind open with a level', 'high', { kind: 'open', level: 'error' }, {}],
  ])('%s → %s', (_label, expected, result, rule) => {
    const parsed = expectOk(
      parseSarifFindings(
        logWith([{ ruleId: 'R1', ruleIndex: 0, message: { text: 'm' }, ...result }], [{ id: 'R1', ...rule }]),
      ),
    );
    expect(parsed.findings.map((f) => f.severity)).toEqual([expected]);
  });
});

describe('SARIF results that are not findings', () => {
  it.each([
    ['no status (accepted by default)', 0, 1, [{ kind: 'inSource' }]],
    ['accepted', 0, 1, [{ kind: 'external', status: 'accepted' }]],
    ['underReview', 1, 0, [{ kind: 'external', status: 'underReview' }]],
    ['rejected', 1, 0, [{ kind: 'external', status: 'rejected' }]],
    [
      'one accepted, one rejected',
      1,
      0,
      [
        { kind: 'external', status: 'accepted' },
        { kind: 'inSource', status: 'rejected' },
      ],
    ],
    ['empty array', 1, 0, []],
  ])('suppression %s → %i findings, %i suppressed', (_label, findings, suppressed, suppressions) => {
    const parsed = expectOk(parseSarifFindings(logWith([{ ruleId: 'R', message: { text: 'm' }, suppressions }])));
    expect(parsed.findings).toHaveLength(findings);
    expect(parsed.stats.suppressed).toBe(suppressed);
  });

  it('skips pass, notApplicable and informational results and counts every kind (§3.27.9)', () => {
    const parsed = expectOk(
      parseSarifFindings(
        logWith([
          { ruleId: 'A', kind: 'pass', message: { text: 'ok' } },
          { ruleId: 'B', kind: 'notApplicable', message: { text: 'n/a' } },
          { ruleId: 'C', kind: 'fail', level: 'error', message: { text: 'bad' } },
          { ruleId: 'D', kind: 'informational', message: { text: 'fyi' } },
          { ruleId: 'E', kind: 'review', message: { text: 'look at this' } },
          { ruleId: 'F', kind: 'open', message: { text: 'could not decide' } },
          { ruleId: 'G', message: { text: 'no kind: fail' } },
        ]),
      ),
    );
    expect(parsed.findings.map((f) => f.attributes.ruleId)).toEqual(['C', 'E', 'F', 'G']);
    expect(parsed.stats).toEqual({
      runs: 1,
      results: 7,
      findings: 4,
      suppressed: 0,
      notFailing: 3,
      kinds: { fail: 2, open: 1, review: 1, informational: 1, pass: 1, notApplicable: 1 },
      duplicates: 0,
      rejected: 0,
    });
  });

  it('marks results whose baselineState is absent as resolved', () => {
    const parsed = expectOk(
      parseSarifFindings(logWith([{ ruleId: 'A', message: { text: 'gone' }, baselineState: 'absent' }])),
    );
    expect(parsed.findings[0]?.status).toBe('resolved');
  });
});

describe('SARIF stable ids', () => {
  const idsOf = (log: unknown) => expectOk(parseSarifFindings(log)).findings.map((f) => f.id);

  it('uses fingerprints: the id survives the code moving to another line', () => {
    const before = idsOf(
      logWith([{ ruleId: 'R', message: { text: 'm' }, fingerprints: { v1: 'abc' }, locations: at('a.js', 10) }]),
    );
    const after = idsOf(
      logWith([{ ruleId: 'R', message: { text: 'm' }, fingerprints: { v1: 'abc' }, locations: at('a.js', 99) }]),
    );
    expect(after).toEqual(before);
  });

  it('uses partialFingerprints with the rule and file: a moved line keeps its id, another file does not', () => {
    const pf = { primaryLocationLineHash: 'deadbeef:1' };
    const base = idsOf(
      logWith([{ ruleId: 'R', message: { text: 'm' }, partialFingerprints: pf, locations: at('a.py', 3) }]),
    );
    const moved = idsOf(
      logWith([{ ruleId: 'R', message: { text: 'm' }, partialFingerprints: pf, locations: at('a.py', 30) }]),
    );
    const other = idsOf(
      logWith([{ ruleId: 'R', message: { text: 'm' }, partialFingerprints: pf, locations: at('b.py', 3) }]),
    );
    expect(moved).toEqual(base);
    expect(other).not.toEqual(base);
  });

  it('uses guid when there is no fingerprint', () => {
    const one = idsOf(logWith([{ ruleId: 'R', message: { text: 'm' }, guid: 'A1B2', locations: at('a.js', 1) }]));
    const moved = idsOf(logWith([{ ruleId: 'R', message: { text: 'other' }, guid: 'a1b2', locations: at('z.js', 7) }]));
    expect(moved).toEqual(one);
  });

  it('hashes rule + location otherwise: the message does not matter for a lone result', () => {
    const one = idsOf(logWith([{ ruleId: 'R', message: { text: 'first wording' }, locations: at('a.js', 5, 2) }]));
    const reworded = idsOf(logWith([{ ruleId: 'R', message: { text: 'new wording' }, locations: at('a.js', 5, 2) }]));
    const otherColumn = idsOf(
      logWith([{ ruleId: 'R', message: { text: 'first wording' }, locations: at('a.js', 5, 9) }]),
    );
    expect(reworded).toEqual(one);
    expect(otherColumn).not.toEqual(one);
  });

  it('adds the message only to colliding results, then the place; exact repeats are one finding', () => {
    const parsed = expectOk(
      parseSarifFindings(
        logWith([
          { ruleId: 'R', message: { text: 'x' }, locations: at('a.js', 5) },
          { ruleId: 'R', message: { text: 'y' }, locations: at('a.js', 5) },
          { ruleId: 'R', message: { text: 'y' }, locations: at('a.js', 5) },
          { ruleId: 'R', message: { text: 'z' }, locations: at('b.js', 5) },
          { ruleId: 'R', message: { text: 'y' }, fingerprints: { v: '1' }, locations: at('c.js', 1) },
          { ruleId: 'R', message: { text: 'y' }, fingerprints: { v: '1' }, locations: at('c.js', 2) },
          { ruleId: 'R', message: { text: 'y' }, fingerprints: { v: '1' }, locations: at('c.js', 2) },
        ]),
      ),
    );
    const ids = parsed.findings.map((f) => f.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect(parsed.stats).toMatchObject({ results: 7, findings: 5, duplicates: 2, rejected: 0 });
    const lone = idsOf(logWith([{ ruleId: 'R', message: { text: 'z' }, locations: at('b.js', 5) }]));
    expect(ids[2]).toBe(lone[0]);
  });
});

describe('SARIF text extraction', () => {
  it('reads CWE and CVE ids from tags, property names and text, normalised', () => {
    const [finding] = expectOk(
      parseSarifFindings(
        logWith(
          [
            {
              ruleId: 'CVE-2021-44228',
              ruleIndex: 0,
              message: { text: 'log4shell, see cve-2021-45046' },
              properties: { tags: ['security', 'external/cwe/cwe-502'] },
            },
          ],
          [
            {
              id: 'CVE-2021-44228',
              properties: { tags: ['external/cwe/cwe-020'], cwe: 'CWE-917: Expression Language Injection' },
            },
          ],
        ),
      ),
    ).findings;
    expect(finding?.cve).toEqual(['CVE-2021-44228', 'CVE-2021-45046']);
    expect(finding?.cwe).toEqual(['CWE-20', 'CWE-917', 'CWE-502']);
  });

  it('drops unsafe help URIs and prefers rule markdown for the description', () => {
    const [finding] = expectOk(
      parseSarifFindings(
        logWith(
          [{ ruleId: 'R', ruleIndex: 0, message: { text: 'Found {0}', markdown: 'Found `{0}`', arguments: ['eval'] } }],
          [
            {
              id: 'R',
              helpUri: 'javascript:alert(1)',
              shortDescription: { text: 'Use of eval' },
              help: { text: 'plain', markdown: '**Avoid** eval' },
            },
          ],
        ),
      ),
    ).findings;
    expect(finding?.title).toBe('Use of eval');
    expect(finding?.references).toEqual([]);
    expect(finding?.description).toBe('Found `eval`\n\n**Avoid** eval');
  });

  it('strips control characters from derived text instead of rejecting the result', () => {
    const [finding] = expectOk(
      parseSarifFindings(logWith([{ ruleId: 'R', message: { text: 'bad\u0000title\nsecond line' } }])),
    ).findings;
    expect(finding?.title).toBe('bad title second line');
  });

  it('never copies code snippets (secret scanners put the secret there)', () => {
    const findings = expectOk(parseSarifFindings(readFixture('gitleaks_7.5.0.sarif'))).findings;
    expect(JSON.stringify(findings)).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });
});

describe('malformed SARIF', () => {
  it.each([
    ['not an object', 'hello', [{ path: '', message: expect.stringContaining('expected object') }]],
    [
      'wrong version',
      { version: '2.0.0', runs: [] },
      [{ path: 'version', message: 'Unsupported SARIF version "2.0.0": expected "2.1.0"' }],
    ],
    [
      'runs not an array',
      { version: '2.1.0', runs: {} },
      [{ path: 'runs', message: expect.stringContaining('expected array') }],
    ],
    [
      'driver without name',
      { version: '2.1.0', runs: [{ tool: { driver: {} } }] },
      [{ path: 'runs[0].tool.driver.name', message: 'Required: the tool component name' }],
    ],
    [
      'results not an array',
      { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: 'none' }] },
      [{ path: 'runs[0].results', message: 'Must be an array of results' }],
    ],
  ])('%s → precise error', (_label, input, errors) => {
    const parsed = parseSarifFindings(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors).toEqual(errors);
  });

  it('refuses more than 10,000 results', () => {
    const results = Array.from({ length: 10_001 }, () => ({ message: { text: 'm' } }));
    const parsed = parseSarifFindings(logWith(results));
    expect(parsed.ok).toBe(false);
  });

  it('refuses an asset id with control characters', () => {
    const parsed = parseSarifFindings(readFixture('njsscan.sarif'), { asset: { id: 'a\u0007b' } });
    expect(parsed).toEqual({
      ok: false,
      errors: [{ path: 'asset.id', message: 'Must not contain control characters (found U+0007 at position 1)' }],
    });
  });

  it('accepts runs: null (a tool that failed to start)', () => {
    expect(expectOk(parseSarifFindings({ version: '2.1.0', runs: null })).stats.runs).toBe(0);
  });
});
