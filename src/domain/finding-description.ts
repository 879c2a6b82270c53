import type { DocNode, ListItemDefinition, TextDefinition } from '@atlaskit/adf-schema';
import {
  bulletList,
  code,
  doc,
  em,
  heading,
  link,
  listItem,
  paragraph,
  strong,
  text,
} from '@atlaskit/adf-utils/builders';
import { ADF_MAX_JSON_LENGTH, longestFittingPrefix, measureAdf, TRUNCATION_NOTE, withVisibleBidiControls } from './adf';
import type { Finding } from './finding';
import { isSafeLinkHref, markdownToBlocks, type Block, type InlineNode } from './markdown-adf';
import { isSafeWebUrl, truncateText } from './text';

/** The Jira issue description of a finding, as ADF (see `buildFindingDescription`). */

export type FindingDescriptionOptions = {
  /** Shown in the link back, e.g. "View this finding in Conviso Platform". */
  platformName?: string;
};

const SEVERITY_LABEL: Readonly<Record<Finding['severity'], string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

function linked(label: string, href: string | undefined): TextDefinition {
  const node = text(label);
  return href !== undefined && isSafeLinkHref(href) ? (link({ href })(node) as TextDefinition) : node;
}

function codeText(label: string, href?: string): TextDefinition {
  const node = code(text(label)) as TextDefinition;
  return href !== undefined && isSafeLinkHref(href) ? (link({ href })(node) as TextDefinition) : node;
}

function detail(label: string, ...value: InlineNode[]): ListItemDefinition {
  return listItem([paragraph(strong(`${label}: `), ...value)]);
}

function joinInline(nodes: InlineNode[], separator: string): InlineNode[] {
  return nodes.flatMap((node, index) => (index === 0 ? [node] : [text(separator), node]));
}

function cweHref(cwe: string): string {
  return `https://cwe.mitre.org/data/definitions/${cwe.replace(/^CWE-/, '')}.html`;
}

function findingDetails(finding: Finding): ListItemDefinition[] {
  const items: ListItemDefinition[] = [detail('Severity', text(SEVERITY_LABEL[finding.severity]))];
  if (finding.cvss) {
    const score = text(finding.cvss.score.toFixed(1));
    items.push(
      finding.cvss.vector ? detail('CVSS', score, text(' '), codeText(finding.cvss.vector)) : detail('CVSS', score),
    );
  }
  if (finding.cve.length > 0) {
    items.push(
      detail(
        'CVE',
        ...joinInline(
          finding.cve.map((id) => linked(id, `https://www.cve.org/CVERecord?id=${id}`)),
          ', ',
        ),
      ),
    );
  }
  if (finding.cwe.length > 0) {
    items.push(
      detail(
        'CWE',
        ...joinInline(
          finding.cwe.map((id) => linked(id, cweHref(id))),
          ', ',
        ),
      ),
    );
  }
  if (finding.scanner) items.push(detail('Scanner', text(finding.scanner)));
  if (finding.asset) {
    const label =
      finding.asset.name === finding.asset.id ? finding.asset.name : `${finding.asset.name} (${finding.asset.id})`;
    items.push(detail('Asset', text(label)));
  }
  const location = finding.location;
  if (location?.file) {
    const label = location.line !== undefined ? `${location.file}:${location.line}` : location.file;
    items.push(detail('Location', codeText(label, location.url)));
  } else if (location?.url) {
    items.push(detail('Location', linked(location.url, location.url)));
  }
  return items;
}

type DescriptionParts = { description: string; remediation: string; references: string[]; shortened: boolean };

const MAX_REFERENCES_SHOWN = 20;
const REFERENCE_LABEL_MAX = 120;

function renderDescription(finding: Finding, parts: DescriptionParts, options: FindingDescriptionOptions): DocNode {
  const blocks: Block[] = [];
  if (parts.description) blocks.push(...markdownToBlocks(parts.description));
  blocks.push(heading({ level: 3 })(text('Details')), bulletList(...findingDetails(finding)));
  const remediation = parts.remediation ? markdownToBlocks(parts.remediation) : [];
  if (remediation.length > 0) blocks.push(heading({ level: 3 })(text('Remediation')), ...remediation);
  if (parts.references.length > 0) {
    blocks.push(
      heading({ level: 3 })(text('References')),
      bulletList(
        ...parts.references.map((href) => listItem([paragraph(linked(truncateText(href, REFERENCE_LABEL_MAX), href))])),
      ),
    );
  }
  if (parts.shortened) blocks.push(paragraph(em(TRUNCATION_NOTE)));
  if (finding.url && isSafeWebUrl(finding.url)) {
    const label = options.platformName
      ? `View this finding in ${options.platformName}`
      : 'View this finding on the security platform';
    blocks.push(paragraph(linked(label, finding.url)));
  }
  return withVisibleBidiControls(doc(...blocks));
}

/**
 * The Jira description of a finding: its Markdown description, then Details (severity, CVSS,
 * CVE/CWE with links, scanner, asset, location), Remediation, References (at most 20) and a link
 * back to the finding on the platform. Stays within `maxJsonLength`: when too large, references are
 * cut to 5, then the description, then the remediation are shortened, then references dropped,
 * and a note says so.
 */
export function buildFindingDescription(
  finding: Finding,
  options: FindingDescriptionOptions = {},
  maxJsonLength: number = ADF_MAX_JSON_LENGTH,
): DocNode {
  const parts: DescriptionParts = {
    description: finding.description ?? '',
    remediation: finding.remediation ?? '',
    references: finding.references.filter(isSafeWebUrl).slice(0, MAX_REFERENCES_SHOWN),
    shortened: false,
  };
  const fits = (candidate: DescriptionParts) =>
    measureAdf(renderDescription(finding, candidate, options)) <= maxJsonLength;
  if (fits(parts)) return renderDescription(finding, parts, options);
  parts.shortened = true;
  parts.references = parts.references.slice(0, 5);
  for (const key of ['description', 'remediation'] as const) {
    if (fits(parts)) break;
    const source = parts[key];
    const length = longestFittingPrefix(source, (prefix) => fits({ ...parts, [key]: prefix }));
    parts[key] = length > 0 ? truncateText(source, length) : '';
  }
  if (!fits(parts)) parts.references = [];
  return renderDescription(finding, parts, options);
}
