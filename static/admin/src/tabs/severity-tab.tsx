import SectionMessage from '@atlaskit/section-message';
import { SEVERITIES, type SyncConfig } from '../../../../src/contracts/admin-api';
import type { SiteMetadata } from '../../../../src/contracts/site-metadata';
import { SelectField } from '../components/select-field';
import type { FieldErrors } from '../state/config-errors';
import { SEVERITY_LABELS } from '../state/labels';

export interface SeverityTabProps {
  draft: SyncConfig;
  onChange: (next: SyncConfig) => void;
  site: SiteMetadata | undefined;
  errors: FieldErrors;
}

/** Each platform severity → one of the site's real priorities. */
export function SeverityTab({ draft, onChange, site, errors }: SeverityTabProps) {
  const options = (site?.priorities ?? []).map((p) => ({ label: p.name, value: p.name }));
  return (
    <section aria-labelledby="severity-heading" className="fs-tab">
      <h2 id="severity-heading">Severity → priority</h2>
      <p className="fs-tab__description">
        The Jira priority each new issue gets from its finding's severity. Only your site's priorities are offered.
      </p>
      {site && site.priorities.length === 0 ? (
        <SectionMessage appearance="warning" title="Jira returned no priorities">
          <p>Issues will be created with each project's default priority.</p>
        </SectionMessage>
      ) : null}
      <div className="fs-grid">
        {SEVERITIES.map((severity) => (
          <SelectField
            key={severity}
            id={`priority-${severity}`}
            label={`${SEVERITY_LABELS[severity]} findings`}
            options={options}
            isLoading={!site}
            value={draft.priorityMap[severity]}
            error={errors[`priorityMap.${severity}`]}
            missingLabel={(name) => `${name} (not a priority on this site)`}
            onChange={(value) => {
              if (value) onChange({ ...draft, priorityMap: { ...draft.priorityMap, [severity]: value } });
            }}
          />
        ))}
      </div>
    </section>
  );
}
