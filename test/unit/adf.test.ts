import Ajv, { type ValidateFunction } from 'ajv';
import fullSchema from '@atlaskit/adf-schema/json-schema/v1/full.json';
import { ADF_MAX_JSON_LENGTH, markdownToAdf, measureAdf, plainTextToAdf } from '../../src/domain/adf';
import { buildFindingDescription } from '../../src/domain/finding-description';
import { buildFinding } from '../builders/finding';

function compileAdfValidator(): ValidateFunction {
  const schema = JSON.parse(JSON.stringify(fullSchema)) as Record<string, unknown>;
  delete schema.$schema; // draft-04 marker; the definitions compile with Ajv 8
  return new Ajv({ strict: false, allErrors: false }).compile(schema);
}
const validateAdf = compileAdfValidator();

type Node = {
  type: string;
  text?: string;
  content?: Node[];
  marks?: Array<{ type: string; attrs?: { href?: string } }>;
};

/** Checks what the JSON schema does not: no empty text, only safe links, list items start right. */
function collectProblems(node: Node, problems: string[] = []): string[] {
  if (node.type === 'text' && !node.text) problems.push('empty text');
  for (const mark of node.marks ?? []) {
    if (mark.type === 'link' && !/^(https?:\/\/|mailto:)/.test(mark.attrs?.href ?? ''))
      problems.push(`unsafe link ${mark.attrs?.href}`);
  }
  if (node.type === 'listItem' && !['paragraph', 'codeBlock'].includes(node.content?.[0]?.type ?? ''))
    problems.push('listItem start');
  for (const child of node.content ?? []) collectProblems(child, problems);
  return problems;
}

function expectValidAdf(document: unknown): void {
  const valid = validateAdf(document);
  if (!valid)
    throw new Error(`invalid ADF: ${JSON.stringify(validateAdf.errors?.slice(0, 3))}\n${JSON.stringify(document)}`);
  expect(collectProblems(document as Node)).toEqual([]);
}

const t = (value: string, marks?: unknown[]) =>
  marks ? { type: 'text', text: value, marks } : { type: 'text', text: value };
const p = (...content: unknown[]) => ({ type: 'paragraph', content });
const li = (...content: unknown[]) => ({ type: 'listItem', content });

describe('markdownToAdf', () => {
  it.each([
    ['a paragraph', 'Hello world', [p(t('Hello world'))]],
    ['soft line breaks become spaces', 'one\ntwo', [p(t('one two'))]],
    ['hard breaks', 'one  \ntwo', [p(t('one'), { type: 'hardBreak' }, t('two'))]],
    ['headings', '## Impact', [{ type: 'heading', attrs: { level: 2 }, content: [t('Impact')] }]],
    [
      'emphasis and strong',
      '*a* **b** ~~c~~',
      [p(t('a', [{ type: 'em' }]), t(' '), t('b', [{ type: 'strong' }]), t(' '), t('c', [{ type: 'strike' }]))],
    ],
    ['inline code', 'call `eval()` now', [p(t('call '), t('eval()', [{ type: 'code' }]), t(' now'))]],
    ['code inside strong keeps only code', '**`x`**', [p(t('x', [{ type: 'code' }]))]],
    ['links', '[OWASP](https://owasp.org)', [p(t('OWASP', [{ type: 'link', attrs: { href: 'https://owasp.org' } }]))]],
    [
      'bare URLs are linked',
      'see https://x.org',
      [p(t('see '), t('https://x.org', [{ type: 'link', attrs: { href: 'https://x.org' } }]))],
    ],
    ['javascript: links keep only their text', '[click](javascript:alert(1))', [p(t('[click](javascript:alert(1))'))]],
    ['relative links keep only their text', '[here](0)', [p(t('here'))]],
    ['raw HTML is text', '<script>alert(1)</script>', [p(t('<script>alert(1)</script>'))]],
    [
      'images become links',
      '![diagram](https://x.org/a.png)',
      [p(t('diagram', [{ type: 'link', attrs: { href: 'https://x.org/a.png' } }]))],
    ],
    [
      'fenced code with language',
      '```Python\nprint(1)\n```',
      [{ type: 'codeBlock', attrs: { language: 'python' }, content: [t('print(1)')] }],
    ],
    ['empty code block', '```\n```', [{ type: 'codeBlock', content: [] }]],
    ['indented code', '    x = 1', [{ type: 'codeBlock', content: [t('x = 1')] }]],
    ['bullet list', '- a\n- b', [{ type: 'bulletList', content: [li(p(t('a'))), li(p(t('b')))] }]],
    [
      'ordered list starting at 3',
      '3. a\n4. b',
      [{ type: 'orderedList', attrs: { order: 3 }, content: [li(p(t('a'))), li(p(t('b')))] }],
    ],
    [
      'nested list',
      '- a\n  - b',
      [{ type: 'bulletList', content: [li(p(t('a')), { type: 'bulletList', content: [li(p(t('b')))] })] }],
    ],
    [
      'empty list item gets an empty paragraph',
      '-\n- b',
      [{ type: 'bulletList', content: [li({ type: 'paragraph', content: [] }), li(p(t('b')))] }],
    ],
    [
      'list item starting with a list',
      '- - a',
      [
        {
          type: 'bulletList',
          content: [li({ type: 'paragraph', content: [] }, { type: 'bulletList', content: [li(p(t('a')))] })],
        },
      ],
    ],
    ['blockquote', '> quoted', [{ type: 'blockquote', content: [p(t('quoted'))] }]],
    [
      'heading in a quote becomes bold',
      '> # Title',
      [{ type: 'blockquote', content: [p(t('Title', [{ type: 'strong' }]))] }],
    ],
    ['nested quotes are flattened', '> > deep', [{ type: 'blockquote', content: [p(t('deep'))] }]],
    ['quote in a list item is unwrapped', '- > q', [{ type: 'bulletList', content: [li(p(t('q')))] }]],
    ['horizontal rule', 'a\n\n---\n\nb', [p(t('a')), { type: 'rule' }, p(t('b'))]],
    ['control characters are removed', 'a\u0007b', [p(t('ab'))]],
    ['empty input', '', []],
    ['whitespace only', '  \n\n  ', []],
    ['lone markers', '**', [p(t('**'))]],
  ])('%s', (_label, source, content) => {
    const document = markdownToAdf(source);
    expect(document).toEqual({ type: 'doc', version: 1, content });
    expectValidAdf(document);
  });

  it.each([
    ['deeply nested quotes', '>'.repeat(200) + ' x'],
    ['deeply nested lists', Array.from({ length: 60 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n')],
    ['links inside links and marks', '**[a *b* `c`](https://x.org)** [](https://empty.org) [x](mailto:a@b.co)'],
    ['heading with only an image', '# ![](javascript:alert(1))'],
    ['table syntax (not enabled) stays text', '| a | b |\n|---|---|\n| 1 | 2 |'],
    ['mixed document', '# T\n\n1. a\n   ```\n   code\n   ```\n2. b\n\n> - q1\n> - q2\n\n***\n\ntext  \n'],
  ])('emits valid ADF for %s', (_label, source) => {
    expectValidAdf(markdownToAdf(source));
  });

  it('emits valid ADF for 300 pseudo-random Markdown documents', () => {
    const pieces = [
      '# h',
      '## h2',
      '- ',
      '1. ',
      '> ',
      '```js\ncode\n```',
      '**b**',
      '*e*',
      '`c`',
      '[l](https://x.org)',
      '[j](javascript:x)',
      'text',
      '  \n',
      '\n',
      '\n\n',
      '---',
      '  - ',
      '![i](https://x.org/i.png)',
      '<b>',
      '~~s~~',
      '\t',
      '',
    ];
    let seed = 42;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed;
    };
    for (let n = 0; n < 300; n++) {
      const length = 1 + (next() % 25);
      const source = Array.from({ length }, () => pieces[next() % pieces.length]).join('');
      expectValidAdf(markdownToAdf(source));
    }
  });
});

describe('plainTextToAdf', () => {
  it.each([
    ['text', 'a *b*', { type: 'doc', version: 1, content: [p(t('a *b*'))] }],
    ['empty', '  ', { type: 'doc', version: 1, content: [] }],
  ])('%s', (_label, value, expected) => {
    expect(plainTextToAdf(value)).toEqual(expected);
    expectValidAdf(plainTextToAdf(value));
  });
});

describe('buildFindingDescription', () => {
  const headings = (document: { content: Node[] }) =>
    document.content.filter((node) => node.type === 'heading').map((node) => node.content?.[0]?.text);
  const allText = (node: Node): string => (node.text ?? '') + (node.content ?? []).map(allText).join('');
  const hrefs = (node: Node): string[] => [
    ...(node.marks ?? []).flatMap((m) => (m.attrs?.href ? [m.attrs.href] : [])),
    ...(node.content ?? []).flatMap(hrefs),
  ];

  it('renders description, details, remediation, references and the link back', () => {
    const finding = buildFinding({ cve: ['CVE-2021-44228'] });
    const document = buildFindingDescription(finding, { platformName: 'Conviso Platform' });
    expectValidAdf(document);
    expect(headings(document as never)).toEqual(['Details', 'Remediation', 'References']);
    const textContent = allText(document as never);
    for (const expected of [
      'Severity: High',
      'CVSS: 8.1 CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N',
      'CVE: CVE-2021-44228',
      'CWE: CWE-89',
      'Scanner: CodeQL',
      'Asset: web-frontend (asset-web)',
      'Location: app/login.py:42',
      'Use parameterised queries.',
      'View this finding in Conviso Platform',
    ]) {
      expect(textContent).toContain(expected);
    }
    expect(hrefs(document as never)).toEqual([
      'https://www.cve.org/CVERecord?id=CVE-2021-44228',
      'https://cwe.mitre.org/data/definitions/89.html',
      'https://git.example.com/web/blob/main/app/login.py#L42',
      'https://owasp.org/www-community/attacks/SQL_Injection',
      'https://platform.example.com/findings/finding-1',
    ]);
  });

  it('shows bidi controls visibly escaped in the description, details and remediation (Trojan source)', () => {
    const rlo = '\u202E';
    const finding = buildFinding({
      description: `Uploads **invoice${rlo}gnp.exe** and \u2066isolated\u2069`,
      remediation: `Rename invoice${rlo}gnp.exe`,
      scanner: `Scan${rlo}ner`,
      asset: { id: `asset${rlo}1`, name: `web${rlo}app` },
      location: { file: `src/invoice${rlo}gnp.exe`, line: 3 },
    });
    const document = buildFindingDescription(finding);
    expectValidAdf(document);
    const json = JSON.stringify(document);
    expect(json).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    const textContent = allText(document as never);
    for (const expected of [
      'Uploads invoice<U+202E>gnp.exe and <U+2066>isolated<U+2069>',
      'Scanner: Scan<U+202E>ner',
      'Asset: web<U+202E>app (asset<U+202E>1)',
      'Location: src/invoice<U+202E>gnp.exe:3',
      'Rename invoice<U+202E>gnp.exe',
    ]) {
      expect(textContent).toContain(expected);
    }
  });

  it('renders a minimal finding with only the severity', () => {
    const document = buildFindingDescription({
      id: 'x',
      title: 'T',
      severity: 'info',
      status: 'open',
      cve: [],
      cwe: [],
      references: [],
      attributes: {},
    });
    expectValidAdf(document);
    expect(document.content).toEqual([
      { type: 'heading', attrs: { level: 3 }, content: [t('Details')] },
      { type: 'bulletList', content: [li(p(t('Severity: ', [{ type: 'strong' }]), t('Info')))] },
    ]);
  });

  it('skips an empty remediation and a link back when there is no URL', () => {
    const document = buildFindingDescription(buildFinding({ remediation: '   ', url: undefined, references: [] }));
    expectValidAdf(document);
    expect(headings(document as never)).toEqual(['Details']);
    expect(allText(document as never)).not.toContain('View this finding');
  });

  it.each([
    [
      'a 20,000-character formatted description',
      { description: '**bold** `code` [l](https://x.org/a) '.repeat(540).slice(0, 20_000) },
    ],
    [
      '50 long references',
      { references: Array.from({ length: 50 }, (_, i) => `https://x.org/${i}/${'p'.repeat(1_900)}`) },
    ],
    [
      'everything at its limit',
      {
        description: '- item *e*\n'.repeat(1_800).slice(0, 20_000),
        remediation: '1. step `x`\n'.repeat(500).slice(0, 5_000),
        references: Array.from({ length: 50 }, (_, i) => `https://x.org/${i}/${'p'.repeat(1_900)}`),
      },
    ],
  ])("stays within Jira's size limit for %s, and says it shortened", (_label, overrides) => {
    const document = buildFindingDescription(buildFinding(overrides));
    expectValidAdf(document);
    expect(measureAdf(document)).toBeLessThanOrEqual(ADF_MAX_JSON_LENGTH);
    expect(headings(document as never)).toContain('Details');
    expect(allText(document as never)).toContain('This text was shortened to fit Jira’s size limit.');
    expect(allText(document as never)).toContain('View this finding on the security platform');
  });

  it('keeps as much of a long description as fits', () => {
    const description = 'word '.repeat(4_000);
    const document = buildFindingDescription(buildFinding({ description, references: [] }), {}, 8_000);
    expect(measureAdf(document)).toBeLessThanOrEqual(8_000);
    const kept = document.content[0] as Node;
    expect(kept.type).toBe('paragraph');
    expect(allText(kept).length).toBeGreaterThan(5_500);
  });

  it('shows at most 20 references', () => {
    const references = Array.from({ length: 30 }, (_, i) => `https://x.org/${i}`);
    const document = buildFindingDescription(buildFinding({ references }));
    expect(hrefs(document as never).filter((href) => href.startsWith('https://x.org/'))).toHaveLength(20);
  });
});

describe('markdownToAdf size budget', () => {
  it('shortens a document over the budget and appends a note', () => {
    const document = markdownToAdf('para\n\n'.repeat(2_000), 2_000);
    expectValidAdf(document);
    expect(measureAdf(document)).toBeLessThanOrEqual(2_000);
    expect(JSON.stringify(document.content[document.content.length - 1])).toContain('shortened');
    expect(markdownToAdf('para\n\n'.repeat(10), 2_000).content).toHaveLength(10);
  });
});
