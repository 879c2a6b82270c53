import Button from '@atlaskit/button/new';
import Textfield from '@atlaskit/textfield';
import {
  FINDING_STATUSES,
  type FindingStatus,
  type JiraStatusRule,
  type SyncConfig,
} from '../../../../src/contracts/admin-api';
import type { SiteMetadata } from '../../../../src/contracts/site-metadata';
import { FormField, InlineError } from '../components/form-field';
import { SelectField } from '../components/select-field';
import type { FieldErrors } from '../state/config-errors';
import { CATEGORY_LABELS, FINDING_STATUS_LABELS } from '../state/labels';

export interface GlobalStatusRulesProps {
  draft: SyncConfig;
  onChange: (next: SyncConfig) => void;
  site: SiteMetadata | undefined;
  errors: FieldErrors;
}

const ANY = '__any';
const NO_CHANGE = '__none';
const CATEGORIES = ['new', 'indeterminate', 'done'] as const;
const FINDING_OPTIONS = FINDING_STATUSES.map((s) => ({ value: s, label: FINDING_STATUS_LABELS[s] }));

/**
 * Jira → finding status for every project: by status category, then rules by status name and/or
 * resolution (a rule naming both wins over one naming either; a mapping's own rules come first).
 */
export function GlobalStatusRules({ draft, onChange, site, errors }: GlobalStatusRulesProps) {
  const map = draft.jiraStatusMap;
  const setMap = (next: Partial<SyncConfig['jiraStatusMap']>) =>
    onChange({ ...draft, jiraStatusMap: { ...map, ...next } });
  const setRule = (index: number, rule: JiraStatusRule) =>
    setMap({ rules: map.rules.map((r, i) => (i === index ? rule : r)) });
  const resolutionOptions = [
    { value: ANY, label: 'Any resolution' },
    ...(site?.resolutions ?? []).map((r) => ({ value: r.name, label: r.name })),
  ];

  return (
    <section className="fs-card" aria-labelledby="global-jira-status-heading">
      <header className="fs-card__header">
        <h3 id="global-jira-status-heading">Jira → finding status (all projects)</h3>
      </header>
      <p className="fs-tab__description">
        When a linked issue changes status, the finding gets the status of the most specific rule that matches (status
        and resolution, then resolution or status alone; a mapping's own rules come first), else the one of the issue's
        status category. "No change" sends nothing to the platform and lists the status on the Health tab.
      </p>
      <fieldset className="fs-fieldset">
        <legend>By status category</legend>
        <div className="fs-grid">
          {CATEGORIES.map((category) => (
            <SelectField
              key={category}
              id={`global-category-${category}`}
              label={`${CATEGORY_LABELS[category]} statuses`}
              options={[{ value: NO_CHANGE, label: 'No change' }, ...FINDING_OPTIONS]}
              value={map.byCategory[category] ?? NO_CHANGE}
              error={errors[`jiraStatusMap.byCategory.${category}`]}
              onChange={(value) =>
                setMap({
                  byCategory: {
                    ...map.byCategory,
                    [category]: value === undefined || value === NO_CHANGE ? null : (value as FindingStatus),
                  },
                })
              }
            />
          ))}
        </div>
      </fieldset>
      <fieldset className="fs-fieldset">
        <legend>Rules by status and resolution</legend>
        {map.rules.length === 0 ? <p className="fs-empty">No rules: the status category decides.</p> : null}
        {map.rules.map((rule, index) => {
          const e = (suffix: string) => errors[`jiraStatusMap.rules[${index}]${suffix}`];
          return (
            <div key={index} className="fs-grid fs-rule-row" role="group" aria-label={`Rule ${index + 1}`}>
              <FormField
                id={`global-rule-${index}-status`}
                label={`Rule ${index + 1}: Jira status`}
                helper={
                  rule.statusId
                    ? `Also matches status id ${rule.statusId}.`
                    : 'Status name as in the workflow; empty: any status.'
                }
                error={e('.statusName') ?? e('.statusId') ?? e('')}
              >
                {({ isInvalid, ...aria }) => (
                  <Textfield
                    {...aria}
                    isInvalid={isInvalid}
                    value={rule.statusName ?? ''}
                    onChange={(event) => {
                      const name = event.currentTarget.value;
                      const next = { ...rule };
                      if (name.trim() !== '') next.statusName = name;
                      else delete next.statusName;
                      setRule(index, next);
                    }}
                  />
                )}
              </FormField>
              <SelectField
                id={`global-rule-${index}-resolution`}
                label="Resolution"
                options={resolutionOptions}
                isLoading={!site}
                value={rule.resolutionName ?? ANY}
                error={e('.resolutionName')}
                missingLabel={(name) => `${name} (not a resolution in Jira)`}
                onChange={(value) => {
                  const next = { ...rule };
                  if (value === undefined || value === ANY) delete next.resolutionName;
                  else next.resolutionName = value;
                  setRule(index, next);
                }}
              />
              <SelectField
                id={`global-rule-${index}-finding`}
                label="Finding status"
                options={FINDING_OPTIONS}
                value={rule.findingStatus}
                error={e('.findingStatus')}
                onChange={(value) => value && setRule(index, { ...rule, findingStatus: value as FindingStatus })}
              />
              <div className="fs-rule-row__remove">
                <Button appearance="subtle" onClick={() => setMap({ rules: map.rules.filter((_, i) => i !== index) })}>
                  Remove rule {index + 1}
                </Button>
              </div>
            </div>
          );
        })}
        <Button
          onClick={() =>
            setMap({
              rules: [
                ...map.rules,
                { resolutionName: site?.resolutions[0]?.name ?? 'Done', findingStatus: 'resolved' },
              ],
            })
          }
        >
          Add status rule
        </Button>
        <InlineError message={errors['jiraStatusMap.rules'] ?? errors['jiraStatusMap']} />
      </fieldset>
    </section>
  );
}
