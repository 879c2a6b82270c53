import { FindingSchema, parseFindings, FINDING_LIMITS } from '../../src/domain/finding';
import { findHostileJsonShape } from '../../src/domain/json-shape';
import { buildFinding } from '../builders/finding';

const minimal = { id: 'f-1', title: 'XSS', severity: 'high' };

describe('FindingSchema', () => {
  it('accepts the builder finding unchanged', () => {
    const finding = buildFinding();
    expect(FindingSchema.parse(finding)).toEqual(finding);
  });

  it('fills defaults for a minimal finding', () => {
    expect(FindingSchema.parse(minimal)).toEqual({
      ...minimal,
      status: 'open',
      cve: [],
      cwe: [],
      references: [],
      attributes: {},
    });
  });

  it.each([
    ['severity "High"', { severity: 'High' }, { severity: 'high' }],
    ['severity "informational"', { severity: 'informational' }, { severity: 'info' }],
    ['status "In Progress"', { status: 'In Progress' }, { status: 'in_progress' }],
    ['status "false-positive"', { status: 'false-positive' }, { status: 'false_positive' }],
    ['CVE lower-case and duplicated', { cve: ['cve-2021-44228', 'CVE-2021-44228'] }, { cve: ['CVE-2021-44228'] }],
    ['CWE as numbers and padded strings', { cwe: [79, 'CWE-079', '89'] }, { cwe: ['CWE-79', 'CWE-89'] }],
    ['asset without a name', { asset: { id: 'repo-1' } }, { asset: { id: 'repo-1', name: 'repo-1' } }],
    ['surrounding whitespace in title', { title: '  XSS  ' }, { title: 'XSS' }],
  ])('normalises %s', (_label, input, expected) => {
    expect(FindingSchema.parse({ ...minimal, ...input })).toMatchObject(expected);
  });

  it.each([
    ['missing id', { id: undefined }, 'id', 'Invalid input: expected string, received undefined'],
    ['empty title', { title: '   ' }, 'title', 'Must not be empty'],
    ['unknown severity', { severity: 'urgent' }, 'severity', 'Must be one of critical, high, medium, low, info'],
    [
      'unknown status',
      { status: 'done' },
      'status',
      'Must be one of open, in_progress, resolved, false_positive, risk_accepted, reopened',
    ],
    [
      'NUL in title',
      { title: 'a\u0000b' },
      'title',
      'Must not contain control characters (found U+0000 at position 1)',
    ],
    [
      'newline in title',
      { title: 'a\nb' },
      'title',
      'Must not contain control characters (found U+000A at position 1)',
    ],
    [
      'escape in description',
      { description: 'ok\n\u001b[31m' },
      'description',
      'Must not contain control characters (found U+001B at position 3)',
    ],
    ['lone surrogate', { title: 'a\uD800' }, 'title', 'Must be valid Unicode (unpaired surrogate at position 1)'],
    [
      'huge description',
      { description: 'x'.repeat(FINDING_LIMITS.description + 1) },
      'description',
      'Must be at most 20000 characters',
    ],
    [
      'javascript: reference',
      { references: ['javascript:alert(1)'] },
      'references[0]',
      'Must be an absolute http(s) URL without credentials',
    ],
    [
      'URL with credentials',
      { url: 'https://user:pw@example.com/' },
      'url',
      'Must be an absolute http(s) URL without credentials',
    ],
    ['cvss above 10', { cvss: { score: 10.5 } }, 'cvss.score', 'Must be between 0 and 10'],
    ['bad CVE', { cve: ['CVE-21-1'] }, 'cve[0]', 'Must be a CVE id like CVE-2021-44228'],
    ['bad CWE', { cwe: ['XSS'] }, 'cwe[0]', 'Must be a CWE id like CWE-79 (or the number 79)'],
    [
      'too many CVEs',
      { cve: Array.from({ length: 51 }, (_, i) => `CVE-2020-${1000 + i}`) },
      'cve',
      'Must have at most 50 CVE ids',
    ],
    ['owner without email or accountId', { owner: {} }, 'owner', 'Must have an email or an accountId'],
    ['owner email invalid', { owner: { email: 'nope' } }, 'owner.email', 'Must be an email address'],
    ['line zero', { location: { line: 0 } }, 'location.line', 'Must be 1 or more'],
    [
      'updatedAt not ISO',
      { updatedAt: '01/05/2024' },
      'updatedAt',
      'Must be an ISO 8601 date-time, e.g. 2024-05-01T12:00:00Z',
    ],
    [
      'attribute object value',
      { attributes: { team: { x: 1 } } },
      'attributes.team',
      expect.stringContaining('Invalid input'),
    ],
    [
      'attribute key with space',
      { attributes: { 'my key': 'v' } },
      'attributes.my key',
      expect.stringContaining('Attribute names'),
    ],
    [
      '__proto__ attribute',
      { attributes: JSON.parse('{"__proto__": "x"}') },
      'attributes.__proto__',
      '"__proto__" is a reserved name',
    ],
  ])('rejects %s at %s', (_label, input, path, message) => {
    const result = parseFindings({ ...minimal, ...input });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.accepted).toEqual([]);
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.errors).toContainEqual({ path, message });
  });
});

describe('parseFindings', () => {
  it('accepts a single finding object', () => {
    const result = parseFindings(minimal);
    expect(result).toMatchObject({ ok: true, accepted: [{ id: 'f-1' }], rejected: [], duplicates: [] });
    expect(result.ok && result.source).toBeUndefined();
  });

  it('isolates bad findings of a batch: good ones are accepted, bad ones carry index, id and errors', () => {
    const result = parseFindings({
      source: 'conviso',
      findings: [minimal, { id: 'f-2', title: 'x', severity: 'urgent' }, 'junk', { ...minimal, id: 'f-3' }],
    });
    expect(result).toEqual({
      ok: true,
      source: 'conviso',
      accepted: [expect.objectContaining({ id: 'f-1' }), expect.objectContaining({ id: 'f-3' })],
      rejected: [
        {
          index: 1,
          id: 'f-2',
          errors: [{ path: 'severity', message: 'Must be one of critical, high, medium, low, info' }],
        },
        { index: 2, errors: [{ path: '', message: 'Invalid input: expected object, received string' }] },
      ],
      duplicates: [],
    });
  });

  it.each([
    ['newer second', '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', 'second', 0],
    ['older second', '2024-02-01T00:00:00Z', '2024-01-01T00:00:00Z', 'first', 1],
    ['same time: later wins', '2024-02-01T00:00:00Z', '2024-02-01T00:00:00Z', 'second', 0],
  ])('keeps one finding per id in a batch (%s)', (_label, firstAt, secondAt, winner, duplicateIndex) => {
    const result = parseFindings({
      source: 's',
      findings: [
        { ...minimal, title: 'first', updatedAt: firstAt },
        { ...minimal, title: 'second', updatedAt: secondAt },
      ],
    });
    if (!result.ok) throw new Error('expected ok');
    expect(result.accepted.map((f) => f.title)).toEqual([winner]);
    expect(result.duplicates).toEqual([{ index: duplicateIndex, id: 'f-1' }]);
  });

  it.each([
    ['a string', 'hello', ''],
    ['an array', [minimal], ''],
    ['null', null, ''],
    ['findings not an array', { source: 's', findings: {} }, 'findings'],
    ['batch without source', { findings: [] }, 'source'],
  ])('rejects %s as a malformed body', (_label, input, path) => {
    const result = parseFindings(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.path).toBe(path);
  });

  it('refuses more than 5,000 findings in one batch', () => {
    const result = parseFindings({ source: 's', findings: Array.from({ length: 5_001 }, () => minimal) });
    expect(result).toEqual({
      ok: false,
      errors: [{ path: 'findings', message: 'Must have at most 5000 findings per batch' }],
    });
  });

  // Speed is measured by `npm run bench` (ingest 202 latency), not by a timed unit test.
  it('parses a batch of 1,000 findings', () => {
    const findings = Array.from({ length: 1_000 }, (_, i) => buildFinding({ id: `f-${i}` }));
    const result = parseFindings({ source: 's', findings });
    expect(result.ok && result.accepted.length).toBe(1_000);
  });
});

describe('findHostileJsonShape', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  };

  it.each([
    [
      'deep nesting',
      nested(40),
      {
        path: 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a',
        message: 'Nesting is deeper than 32 levels',
      },
    ],
    [
      '__proto__ key',
      JSON.parse('{"findings":[{"__proto__":{"x":1}}]}'),
      { path: 'findings[0].__proto__', message: '"__proto__" is a reserved key' },
    ],
    ['constructor key', { constructor: 1 }, { path: 'constructor', message: '"constructor" is a reserved key' }],
    [
      '10,001-element array',
      { cve: new Array(10_001).fill('x') },
      { path: 'cve', message: 'Array has more than 10000 items' },
    ],
    ['a normal batch', { source: 's', findings: [buildFinding()] }, undefined],
    ['nesting at the limit', nested(31), undefined],
  ])('%s', (_label, value, expected) => {
    expect(findHostileJsonShape(value)).toEqual(expected);
  });
});
