import SectionMessage from '@atlaskit/section-message';
import type { HealthView } from '../../../../src/contracts/admin-api';
import { GROUPING_LABELS } from '../state/labels';

/** How an old issue style reads after "grouped": `none` → "one per finding", `rule` → "by rule". */
function styleWords(grouping: HealthView['oldStyleIssues'][number]['grouping']): string {
  return grouping === 'none' ? 'one per finding' : GROUPING_LABELS[grouping].replace(/^By/, 'by');
}

/**
 * Findings still in issues of a grouping their mapping no longer uses (changing a mapping's grouping
 * moves no existing issue): "120 findings in SEC still sit in issues grouped by rule".
 */
export function OldStyleIssuesSection({ items, locale }: { items: HealthView['oldStyleIssues']; locale: string }) {
  if (items.length === 0) return null;
  return (
    <SectionMessage appearance="information" title="Issues of an earlier grouping">
      <ul className="fs-compact-list" aria-label="Findings in issues of an earlier grouping">
        {items.map((item) => (
          <li key={`${item.mappingId}:${item.grouping}`}>
            {item.findings.toLocaleString(locale)} finding{item.findings === 1 ? '' : 's'} in {item.projectKey} still
            sit{item.findings === 1 ? 's' : ''} in issues grouped {styleWords(item.grouping)}
          </li>
        ))}
      </ul>
      <p>
        Changing a mapping&apos;s grouping moves no existing issue: these findings keep updating the issues they are in;
        new findings follow the mapping&apos;s grouping.
      </p>
    </SectionMessage>
  );
}
