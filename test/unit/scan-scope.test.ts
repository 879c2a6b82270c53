import { computeScopeId, describeScope, scopeOfFinding } from '../../src/domain/scan-scope';
import { scopePost } from '../../src/usecases/complete-scan-ingest';
import { parseBody, type Parsed } from '../../src/usecases/ingest-body';

const RLO = '\u202E';
const BEL = '\u0007';
const receivedAt = new Date('2024-05-01T00:00:00Z');

function sarifLog(runs: Array<{ tool: string; automationId?: string; uris: string[] }>) {
  return {
    version: '2.1.0',
    runs: runs.map((run) => ({
      tool: { driver: { name: run.tool, rules: [{ id: 'r1', shortDescription: { text: 'Injection' } }] } },
      ...(run.automationId !== undefined ? { automationDetails: { id: run.automationId } } : {}),
      results: run.uris.map((uri, line) => ({
        ruleId: 'r1',
        message: { text: 'Injection' },
        locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: line + 1 } } }],
      })),
    })),
  };
}

function complete(kind: 'json' | 'sarif', body: unknown, query: Record<string, string[]>) {
  const parsed = parseBody(kind, body, query) as Parsed;
  expect(parsed).toHaveProperty('accepted');
  const scoped = scopePost(kind, body, query, { ...parsed, batchId: 'b-1', receivedAt });
  if ('error' in scoped) throw new Error(scoped.error.message);
  return scoped;
}

describe('complete-scan scopes: cleaned like the findings they hold', () => {
  it('a clean scope keeps the id existing data was indexed under', () => {
    const scope = { source: 'conviso', asset: 'web-shop', tool: 'semgrep', category: '' };
    expect(computeScopeId(scope)).toBe('sc-24c3bde6d446f55065d9f378');
    expect(describeScope(scope)).toBe('conviso: semgrep on web-shop');
  });

  it('SARIF: a tool name and category with control, bidi and extra space characters → the findings’ scope', () => {
    const tool = `  Sem${RLO}grep ${BEL}  OSS `;
    const log = sarifLog([{ tool, automationId: `js${RLO}/${'x'.repeat(300)}/run-1`, uris: ['a.ts', 'b.ts'] }]);
    const scoped = complete('sarif', log, { complete: ['true'], asset: ['  web-shop '] });
    expect(scoped.accepted).toHaveLength(2);
    const [scan] = scoped.scans;
    expect(scan).toMatchObject({ reported: 2, scope: { tool: 'Semgrep OSS', asset: 'web-shop' } });
    expect(scan!.scope.category.length).toBeLessThanOrEqual(200);
    expect(scan!.scope.category.startsWith('js/xxx')).toBe(true);
    // Every finding of the run is in the scan's scope (before: none was, so a complete scan closed them all).
    for (const { finding, scope } of scoped.accepted) {
      expect(scope).toBe(scan!.scopeId);
      expect(finding.scanner).toBe(scan!.scope.tool);
    }
    // eslint-disable-next-line no-control-regex -- the label must hold no control character
    expect(scan!.label).not.toMatch(/[\u0000-\u001F\u202A-\u202E\u2066-\u2069]/);
  });

  it('SARIF: two runs of tools whose names differ only by invisible characters are one scope', () => {
    const log = sarifLog([
      { tool: 'semgrep', uris: ['a.ts'] },
      { tool: `sem${RLO}grep`, uris: ['b.ts'] },
    ]);
    const scoped = complete('sarif', log, { complete: ['true'], asset: ['web-shop'] });
    expect(scoped.scans).toHaveLength(1);
    expect(scoped.scans[0]).toMatchObject({ reported: 2 });
    expect(scoped.scans[0]!.scopeId).toBe(
      computeScopeId({ source: 'sarif', asset: 'web-shop', tool: 'semgrep', category: '' }),
    );
  });

  it('JSON: the declared scope is validated as findings are; its label shows no bidi controls; stable id', () => {
    const body = {
      source: 'conviso',
      scope: { asset: `web${RLO}shop`, source: 'semgrep' },
      complete: true,
      findings: [{ id: 'f-1', title: 'Injection', severity: 'high', asset: { id: `web${RLO}shop` } }],
    };
    const scoped = complete('json', body, {});
    const [scan] = scoped.scans;
    expect(scan!.label).toBe('conviso: semgrep on webshop');
    const finding = scoped.accepted[0]!.finding;
    expect(scan!.scopeId).toBe(computeScopeId(scopeOfFinding('conviso', finding)));
    expect(scan!.scopeId).toBe(
      computeScopeId({ source: 'conviso', asset: `web${RLO}shop`, tool: 'semgrep', category: '' }),
    );
    const refused = parseBody('json', { ...body, scope: { asset: `web${BEL}shop`, source: 'semgrep' } }, {});
    expect(refused).toHaveProperty('accepted'); // the findings parse; the declaration is what is refused
    const declared = scopePost(
      'json',
      { ...body, scope: { asset: `web${BEL}shop`, source: 'semgrep' } },
      {},
      {
        ...(refused as Parsed),
        batchId: 'b-2',
        receivedAt,
      },
    );
    expect(declared).toMatchObject({ error: { code: 'INVALID_BODY' } });
  });
});
