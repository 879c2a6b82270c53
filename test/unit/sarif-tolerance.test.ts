import { parseSarifFindings, type SarifParseResult } from '../../src/domain/sarif';

/** The tolerant reader: odd optional parts are ignored, a result lacking what is needed is rejected alone. */

function expectOk(result: SarifParseResult): Extract<SarifParseResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result;
}

type Spec = Record<string, unknown>;
const good: Spec = {
  ruleId: 'R1',
  message: { text: 'first' },
  locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine: 3 } } }],
};
const other: Spec = {
  ruleId: 'R2',
  message: { text: 'second' },
  locations: [{ physicalLocation: { artifactLocation: { uri: 'src/b.js' }, region: { startLine: 9 } } }],
};
function logWith(results: unknown[], driver: Spec = {}, run: Spec = {}): unknown {
  return { version: '2.1.0', runs: [{ tool: { driver: { name: 'Scanner', ...driver } }, results, ...run }] };
}

describe('SARIF tolerant reader: opportunistic parts of the wrong type are ignored', () => {
  it.each<[string, Spec]>([
    ['fingerprints a number', { fingerprints: 5 }],
    ['a fingerprint value an object', { fingerprints: { v1: { nested: true } } }],
    ['partialFingerprints an array', { partialFingerprints: ['x'] }],
    ['properties a string', { properties: 'high' }],
    ['tags not strings', { properties: { tags: [1, null, { a: 1 }], 'security-severity': [] } }],
    ['relatedLocations a string', { relatedLocations: 'here' }],
    ['codeFlows a number', { codeFlows: 42 }],
    ['fixes an object', { fixes: { description: 'x' } }],
    ['a fix of the wrong shape', { fixes: [null, 3, { description: 7 }] }],
    ['taxa a string', { taxa: 'CWE-79' }],
    ['guid a number', { guid: 12 }],
    ['correlationGuid null', { correlationGuid: null }],
    ['suppressions a string (the result stays visible)', { suppressions: 'yes' }],
    ['baselineState a number', { baselineState: 1 }],
    ['ruleIndex a string', { ruleIndex: 'zero' }],
    ['rule reference a string', { rule: 'R1' }],
    ['message arguments of odd types', { message: { text: 'x {0} {1}', arguments: [{}, 2] } }],
    ['message markdown a number', { message: { text: 'x', markdown: 5 } }],
    ['a second location that is garbage', { locations: [good['locations'] as unknown[], 'garbage'].flat() }],
    ['logicalLocations a number', { locations: [{ logicalLocations: 5 }] }],
    ['artifact index -1', { locations: [{ physicalLocation: { artifactLocation: { index: -1 } } }] }],
    ['startLine 0 (no line)', { locations: [{ physicalLocation: { region: { startLine: 0 } } }] }],
    ['level null', { level: null }],
    ['ruleId of control characters only', { ruleId: '\u0007\u202E' }],
  ])('%s → still a finding', (_label, change) => {
    const parsed = expectOk(parseSarifFindings(logWith([{ ...good, ...change }, other])));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.findings).toHaveLength(2);
  });

  it.each<[string, Spec, Spec]>([
    ['rules a string', { rules: 'none' }, {}],
    ['a rule without id, a rule of the wrong type', { rules: [{ name: 'x' }, 7] }, {}],
    ['a rule whose texts have the wrong types', { rules: [{ id: 'R1', shortDescription: 'x', properties: 3 }] }, {}],
    ['rule default level unknown', { rules: [{ id: 'R1', defaultConfiguration: { level: 'fatal' } }] }, {}],
    ['globalMessageStrings an array', { globalMessageStrings: [] }, {}],
    ['version a number', { version: 2, semanticVersion: {} }, {}],
    ['artifacts a string', {}, { artifacts: 'x' }],
    ['versionControlProvenance of the wrong shape', {}, { versionControlProvenance: [{ repositoryUri: 5 }] }],
    ['invocations null', {}, { invocations: null }],
    ['taxonomies and extensions of the wrong type', {}, { taxonomies: 1 }],
    // Found by the mutant tests: values that clean to nothing must not become empty finding fields.
    ['tool versions blank or bidi only', { version: ' ', semanticVersion: '\u2066\u2069' }, {}],
    ['a provenance URI of control characters', {}, { versionControlProvenance: [{ repositoryUri: '\u0000' }] }],
    ['an end time past year 9999', {}, { invocations: [{ endTimeUtc: '+275760-09-13T00:00:00Z' }] }],
  ])('run part: %s → still findings', (_label, driver, run) => {
    const parsed = expectOk(parseSarifFindings(logWith([good, other], driver, run)));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.findings).toHaveLength(2);
  });

  it('keeps a result visible whose suppression status is unknown', () => {
    const parsed = expectOk(parseSarifFindings(logWith([{ ...good, suppressions: [{ status: 'maybe' }] }])));
    expect(parsed.findings).toHaveLength(1);
    expect(parsed.stats.suppressed).toBe(0);
  });
});

describe('SARIF tolerant reader: a result lacking what is needed is rejected alone, with its path', () => {
  const region = (value: unknown) => ({
    ...good,
    locations: [{ physicalLocation: { artifactLocation: { uri: 'a.js' }, region: { startLine: value } } }],
  });
  const regionPath = 'runs[0].results[1].locations[0].physicalLocation.region.startLine';
  it.each<[string, unknown, string, string]>([
    ['startLine 3.5', region(3.5), regionPath, 'Must be a whole number'],
    ['startLine "12"', region('12'), regionPath, 'Must be a number'],
    ['startLine 1e300', region(1e300), regionPath, 'Must be at most 9007199254740991'],
    ['level "fatal"', { ...good, level: 'fatal' }, 'runs[0].results[1].level', '"error"'],
    ['kind 3', { ...good, kind: 3 }, 'runs[0].results[1].kind', '"fail"'],
    ['ruleId a number', { ...good, ruleId: 7 }, 'runs[0].results[1].ruleId', 'Must be a string'],
    ['locations an object', { ...good, locations: {} }, 'runs[0].results[1].locations', 'array'],
    [
      'a uri that is a number',
      { ...good, locations: [{ physicalLocation: { artifactLocation: { uri: 5 } } }] },
      'runs[0].results[1].locations[0].physicalLocation.artifactLocation.uri',
      'Must be a string',
    ],
    [
      'a physical location further down that is broken',
      { ...good, locations: [{ logicalLocations: [] }, { physicalLocation: { region: 'top' } }] },
      'runs[0].results[1].locations[1].physicalLocation.region',
      'Must be an object',
    ],
    ['a result that is a number', 42, 'runs[0].results[1]', 'Must be an object'],
    ['a result that is null', null, 'runs[0].results[1]', 'Must be an object'],
    ['nothing describes it', { locations: good['locations'] }, 'runs[0].results[1].message', 'Required: a message'],
  ])('%s', (_label, bad, path, message) => {
    const parsed = expectOk(parseSarifFindings(logWith([good, bad, other])));
    expect(parsed.findings.map((f) => f.attributes.ruleId)).toEqual(['R1', 'R2']);
    expect(parsed.rejected).toEqual([
      { index: 1, path: 'runs[0].results[1]', errors: [{ path, message: expect.stringContaining(message) }] },
    ]);
    expect(parsed.stats).toMatchObject({ results: 3, findings: 2, rejected: 1 });
  });

  it('counts results over all runs: the index and path name the second run', () => {
    const log = {
      version: '2.1.0',
      runs: [
        { tool: { driver: { name: 'A' } }, results: [good] },
        { tool: { driver: { name: 'B' } }, results: [other, { ...other, level: 1 }] },
      ],
    };
    const parsed = expectOk(parseSarifFindings(log));
    expect(parsed.findings).toHaveLength(2);
    expect(parsed.rejected).toEqual([
      {
        index: 2,
        path: 'runs[1].results[1]',
        errors: [{ path: 'runs[1].results[1].level', message: expect.any(String) }],
      },
    ]);
  });

  it.each([5, '', ' \u0000 '])('refuses the whole log only when it is not SARIF: tool name %j', (name) => {
    const parsed = parseSarifFindings({ version: '2.1.0', runs: [{ tool: { driver: { name } }, results: [good] }] });
    expect(parsed).toEqual({
      ok: false,
      errors: [{ path: 'runs[0].tool.driver.name', message: 'Required: the tool component name' }],
    });
  });
});

describe('SARIF message fallback (§3.49)', () => {
  const rules = [
    { id: 'S', shortDescription: { text: 'Short text' }, fullDescription: { text: 'Full text' } },
    { id: 'F', fullDescription: { text: 'Only full', markdown: 'Only **full**' } },
  ];
  it.each<[string, Spec, string, string | undefined]>([
    ['no message: the short description', { ruleId: 'S' }, 'Short text', 'Short text\n\nFull text'],
    ['empty message text: the short description', { ruleId: 'S', message: { text: ' ' } }, 'Short text', undefined],
    ['message of the wrong type: the full description', { ruleId: 'F', message: 'x' }, 'Only full', 'Only **full**'],
    ['a message id not found: the rule', { ruleId: 'F', message: { id: 'nope' } }, 'Only full', undefined],
    ['no rule, no message: the rule id', { ruleId: 'Z' }, 'Z', undefined],
  ])('%s', (_label, result, title, description) => {
    const [finding] = expectOk(parseSarifFindings(logWith([result], { rules }))).findings;
    expect(finding?.title).toBe(title);
    if (description !== undefined) expect(finding?.description).toBe(description);
  });
});
