import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SyncConfigSchema } from '../../src/domain/config';
import { parseSarifFindings } from '../../src/domain/sarif';
import { SUMMARY_SAMPLES, elideMiddle, renderSummary, type SummaryFinding } from '../../src/domain/summary';
import { DEFAULT_SUMMARY_TEMPLATE, SUMMARY_MAX_LENGTH, parseSummaryTemplate } from '../../src/domain/summary-template';
import { escapeBidiControls, stripUnsafeCharacters } from '../../src/domain/text';

const code: SummaryFinding = {
  title: 'XML Injection (aka Blind XPath Injection).',
  cve: [],
  location: { file: 'src/main/java/Billing.java', line: 212 },
  attributes: { ruleId: 'java/xml-injection' },
  severity: 'high',
  scanner: 'CodeQL',
  asset: { id: 'billing', name: 'billing' },
};

describe('renderSummary: the built-in layout', () => {
  it.each<[string, SummaryFinding, string]>([
    ['code', code, 'XML Injection (aka Blind XPath Injection). in src/main/java/Billing.java:212'],
    [
      'code without a line',
      { ...code, location: { file: 'pom.xml' } },
      'XML Injection (aka Blind XPath Injection). in pom.xml',
    ],
    [
      'dependency, CVE first',
      {
        title: 'Prototype pollution',
        cve: ['CVE-2021-23369'],
        attributes: { package: 'handlebars', version: '4.7.6' },
      },
      'CVE-2021-23369: Prototype pollution in handlebars@4.7.6',
    ],
    [
      'dependency from a purl',
      {
        title: 'Log4Shell',
        cve: ['CVE-2021-44228'],
        attributes: { purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' },
      },
      'CVE-2021-44228: Log4Shell in org.apache.logging.log4j/log4j-core@2.14.1',
    ],
    [
      'running system',
      { title: 'Missing CSP header', cve: [], location: { url: 'https://shop.example.com/checkout?step=2' } },
      'Missing CSP header on shop.example.com/checkout',
    ],
    [
      'host only',
      { title: 'TLS 1.0 enabled', cve: [], location: { url: 'https://api.example.com/' } },
      'TLS 1.0 enabled on api.example.com',
    ],
    ['no locator', { title: 'Weak password policy', cve: [] }, 'Weak password policy'],
    [
      'CVE already in the title',
      { title: 'cve-2021-44228 in log4j', cve: ['CVE-2021-44228'] },
      'cve-2021-44228 in log4j',
    ],
    ['whitespace collapses', { title: 'a\n\tb   c', cve: [] }, 'a b c'],
  ])('%s', (_label, finding, expected) => {
    expect(renderSummary(finding)).toBe(expected);
  });

  it('tells apart seven findings of one rule in one file', () => {
    const summaries = [10, 20, 30, 40, 50, 60, 70].map((line) =>
      renderSummary({ ...code, location: { file: 'src/Billing.java', line } }),
    );
    expect(new Set(summaries).size).toBe(7);
  });
});

describe('renderSummary: length', () => {
  const deepPath = `${'very-long-directory-name/'.repeat(20)}InvoiceParser.java`;

  it('elides the middle of a long path, keeping the file name and the line', () => {
    const summary = renderSummary({ ...code, location: { file: deepPath, line: 20_000_000 } });
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
    expect(summary).toContain('…');
    expect(summary.endsWith('/InvoiceParser.java:20000000')).toBe(true);
    expect(summary.startsWith(code.title)).toBe(true);
  });

  it('shortens a long title after the path, keeping the locator whole', () => {
    const summary = renderSummary({ ...code, title: 'x'.repeat(400), location: { file: 'a/b.py', line: 7 } });
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
    expect(summary.endsWith('… in a/b.py:7')).toBe(true);
  });

  it.each([
    ['long ASCII', 'x'.repeat(400)],
    ['emoji on the boundary', 'a'.repeat(253) + '😀😀😀'],
  ])('keeps %s within 255 characters, never splitting a surrogate pair', (_label, title) => {
    const summary = renderSummary({ title, cve: ['CVE-2020-0001'], location: { file: deepPath, line: 1 } });
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
    expect(summary).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it.each([
    ['short enough', 'a/b/c.py', 20, 'a/b/c.py'],
    ['keeps whole trailing segments', 'root/one/two/three/four/file.py', 22, 'root/one…/four/file.py'],
    ['a long file name keeps its end', `d/${'n'.repeat(50)}.py`, 20, 'd…nnnnnnnnnnnnnnn.py'],
  ])('elideMiddle: %s', (_label, value, max, expected) => {
    const elided = elideMiddle(value, max);
    expect(elided).toBe(expected);
    expect(elided.length).toBeLessThanOrEqual(max);
  });
});

describe('summary templates', () => {
  it.each<[string, string]>([
    ['{severity}: {title}', 'high: XML Injection (aka Blind XPath Injection).'],
    ['[{package}@]{title}', 'XML Injection (aka Blind XPath Injection).'],
    ['{rule}: {file}:{line}', 'java/xml-injection: src/main/java/Billing.java:212'],
    ['{title}[ ({cve})] — {asset}', 'XML Injection (aka Blind XPath Injection). — billing'],
    [DEFAULT_SUMMARY_TEMPLATE, renderSummary(code)],
  ])('%s', (template, expected) => {
    expect(renderSummary(code, template)).toBe(expected);
  });

  it.each([
    ['{titel}', 'Unknown placeholder {titel}'],
    ['[{cve}: [{title}]]', 'cannot be nested'],
    ['{title}]', 'no matching "["'],
    ['[{title}', 'not closed'],
    ['{title', 'unmatched "{"'],
    ['static text', 'at least one placeholder'],
    ['{title}'.repeat(40), 'at most 200 characters'],
  ])('refuses %s', (template, message) => {
    const parsed = parseSummaryTemplate(template);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });

  it('the config refuses an invalid template on the mapping that holds it', () => {
    const parsed = SyncConfigSchema.safeParse({
      mappings: [
        { id: 'm1', match: { assetIds: ['a'] }, projectKey: 'SEC', issueTypeName: 'Bug', summaryTemplate: '{nope}' },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['mappings', 0, 'summaryTemplate']);
  });

  it('every sample for the admin preview renders within the limit', () => {
    for (const sample of SUMMARY_SAMPLES) expect(renderSummary(sample.finding).length).toBeGreaterThan(10);
  });
});

describe('Trojan source', () => {
  const disguised = 'invoice\u202Egnp.exe';

  it.each([
    ['title', { title: `Malware ${disguised}`, cve: [] }, 'Malware invoicegnp.exe'],
    ['file', { title: 'Bad', cve: [], location: { file: `src/${disguised}`, line: 3 } }, 'Bad in src/invoicegnp.exe:3'],
    ['isolates', { title: 'a\u2066b\u2067c\u2068d\u2069e\u202Af\u202Bg\u202Ch\u202Di', cve: [] }, 'abcdefghi'],
  ])('removes bidi controls from the summary: %s', (_label, finding, expected) => {
    expect(renderSummary(finding)).toBe(expected);
  });

  it('shows them visibly escaped in multi-line text (descriptions)', () => {
    expect(stripUnsafeCharacters(`open ${disguised}\nnow`, true)).toBe('open invoice<U+202E>gnp.exe\nnow');
    expect(escapeBidiControls('\u2066x\u2069')).toBe('<U+2066>x<U+2069>');
  });
});

describe('summaries of the repo SARIF fixtures', () => {
  const dir = join(__dirname, '..', 'fixtures', 'sarif');
  const files = readdirSync(dir).filter((name) => name.endsWith('.sarif'));

  it.each(files)('%s: one summary per distinct location, each ≤ 255 characters', (file) => {
    const parsed = parseSarifFindings(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.ok) throw new Error(`${file} refused`);
    const summaryByLocation = new Map<string, string>();
    for (const finding of parsed.findings) {
      const location = JSON.stringify([finding.title, finding.location?.file, finding.location?.line]);
      const summary = renderSummary(finding);
      expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
      summaryByLocation.set(location, summary);
    }
    expect(new Set(summaryByLocation.values()).size).toBe(summaryByLocation.size);
  });
});
