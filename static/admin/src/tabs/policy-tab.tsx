import { Checkbox } from '@atlaskit/checkbox';
import Textfield from '@atlaskit/textfield';
import {
  OWNED_FIELDS,
  SEVERITIES,
  type OwnedField,
  type Severity,
  type SyncConfig,
} from '../../../../src/contracts/admin-api';
import { FormField, InlineError } from '../components/form-field';
import type { FieldErrors } from '../state/config-errors';
import { OWNED_FIELD_LABELS, SEVERITY_LABELS } from '../state/labels';

export interface PolicyTabProps {
  draft: SyncConfig;
  onChange: (next: SyncConfig) => void;
  errors: FieldErrors;
}

const MODES = [
  { value: 'all', label: 'Every finding', help: 'Create an issue for every routed finding.' },
  {
    value: 'severities',
    label: 'Only these severities',
    help: 'Findings of other severities are tracked but get no issue.',
  },
  { value: 'none', label: 'None (pause issue creation)', help: 'Existing issues still sync; no new ones are created.' },
] as const;

const ON_DELETED = [
  {
    value: 'ignore',
    label: 'Do not recreate',
    help:
      'A deleted issue stays deleted: later updates of its finding are ignored. ' +
      'Choose this when deleting an issue means "we do not want it in Jira".',
  },
  {
    value: 'recreate',
    label: 'Recreate the issue',
    help:
      'The next update of the finding creates a new issue (a new key) and links it. ' +
      'Choose this when the platform, not Jira, decides what must be tracked.',
  },
] as const;

/**
 * Which findings create issues automatically, who owns which fields, what a deleted issue means, and the SLA days per
 * severity.
 */
export function PolicyTab({ draft, onChange, errors }: PolicyTabProps) {
  const policy = draft.autoCreate;
  const chosen = policy.mode === 'severities' ? policy.severities : [];
  const toggle = (severity: Severity, on: boolean) => {
    const next = on ? [...chosen, severity] : chosen.filter((s) => s !== severity);
    onChange({ ...draft, autoCreate: { mode: 'severities', severities: SEVERITIES.filter((s) => next.includes(s)) } });
  };
  return (
    <section aria-labelledby="policy-heading" className="fs-tab">
      <h2 id="policy-heading">Policy</h2>
      <fieldset className="fs-fieldset">
        <legend>Create Jira issues automatically for</legend>
        {MODES.map((mode) => (
          <div key={mode.value} className="fs-radio">
            <input
              type="radio"
              id={`auto-create-${mode.value}`}
              name="auto-create"
              value={mode.value}
              checked={policy.mode === mode.value}
              aria-describedby={`auto-create-${mode.value}-help`}
              onChange={() =>
                onChange({
                  ...draft,
                  autoCreate:
                    mode.value === 'severities'
                      ? { mode: 'severities', severities: chosen.length > 0 ? chosen : ['critical', 'high'] }
                      : { mode: mode.value },
                })
              }
            />
            <label htmlFor={`auto-create-${mode.value}`}>{mode.label}</label>
            <span className="fs-radio__help" id={`auto-create-${mode.value}-help`}>
              {mode.help}
            </span>
          </div>
        ))}
        {policy.mode === 'severities' ? (
          <div className="fs-checkbox-row" role="group" aria-label="Severities that create issues">
            {SEVERITIES.map((severity) => (
              <Checkbox
                key={severity}
                id={`auto-create-${severity}`}
                label={SEVERITY_LABELS[severity]}
                isChecked={chosen.includes(severity)}
                onChange={(event) => toggle(severity, event.target.checked)}
              />
            ))}
          </div>
        ) : null}
        <InlineError message={errors['autoCreate'] ?? errors['autoCreate.severities']} />
      </fieldset>

      <p className="fs-hint">Each project mapping can override this on the Projects tab.</p>

      <fieldset className="fs-fieldset">
        <legend>When someone deletes a linked issue in Jira</legend>
        <p className="fs-tab__description">
          The platform is told either way (a "finding.issue_deleted" callback). This decides what the next update of
          that finding does.
        </p>
        {ON_DELETED.map((option) => (
          <div key={option.value} className="fs-radio">
            <input
              type="radio"
              id={`on-deleted-${option.value}`}
              name="on-deleted-issue"
              value={option.value}
              checked={draft.onDeletedIssue === option.value}
              aria-describedby={`on-deleted-${option.value}-help`}
              onChange={() => onChange({ ...draft, onDeletedIssue: option.value })}
            />
            <label htmlFor={`on-deleted-${option.value}`}>{option.label}</label>
            <span className="fs-radio__help" id={`on-deleted-${option.value}-help`}>
              {option.help}
            </span>
          </div>
        ))}
        <InlineError message={errors['onDeletedIssue']} />
      </fieldset>

      <fieldset className="fs-fieldset" aria-describedby="comments-help">
        <legend>Comments</legend>
        <p className="fs-tab__description" id="comments-help">
          The conversation about a finding, on both sides: the platform's comments become Jira comments naming their
          author, and people's Jira comments are sent to the platform ("finding.comment_added", "_updated", "_deleted").
          Comments the app wrote never come back.
        </p>
        <div className="fs-checkbox-column">
          <Checkbox
            id="comments-to-jira"
            label="Platform comments → Jira comments"
            isChecked={draft.comments.toJira}
            onChange={(event) => onChange({ ...draft, comments: { ...draft.comments, toJira: event.target.checked } })}
          />
          <Checkbox
            id="comments-to-platform"
            label="Jira comments → the platform"
            isChecked={draft.comments.toPlatform}
            onChange={(event) =>
              onChange({ ...draft, comments: { ...draft.comments, toPlatform: event.target.checked } })
            }
          />
          <Checkbox
            id="comments-restricted"
            label="Also send Jira comments restricted to a role or group (meant for fewer people)"
            isChecked={draft.comments.includeRestricted}
            isDisabled={!draft.comments.toPlatform}
            onChange={(event) =>
              onChange({ ...draft, comments: { ...draft.comments, includeRestricted: event.target.checked } })
            }
          />
        </div>
        <InlineError message={errors['comments']} />
      </fieldset>

      <fieldset className="fs-fieldset" aria-describedby="ownership-help">
        <legend>Fields the platform keeps up to date after the issue is created</legend>
        <p className="fs-tab__description" id="ownership-help">
          Every field is filled when the issue is created. Afterwards, a checked field is overwritten with the
          platform's value on each update of the finding (edits in Jira are replaced); an unchecked field belongs to
          Jira: people can change it and the app leaves it alone.
        </p>
        <div className="fs-checkbox-column">
          {OWNED_FIELDS.map((field) => (
            <Checkbox
              key={field}
              id={`owned-${field}`}
              label={`${OWNED_FIELD_LABELS[field].label} — ${OWNED_FIELD_LABELS[field].help}`}
              isChecked={draft.ownership.platformOwned.includes(field)}
              onChange={(event) => {
                const on = event.target.checked;
                const owned = draft.ownership.platformOwned;
                const next: OwnedField[] = OWNED_FIELDS.filter((f) => (f === field ? on : owned.includes(f)));
                onChange({ ...draft, ownership: { ...draft.ownership, platformOwned: next } });
              }}
            />
          ))}
        </div>
        <InlineError message={errors['ownership'] ?? errors['ownership.platformOwned']} />
      </fieldset>

      <h3>SLA (days to fix)</h3>
      <p className="fs-tab__description">
        Sets the issue's due date from when the finding was first synced. Leave empty for no due date.
      </p>
      <div className="fs-grid fs-grid--narrow">
        {SEVERITIES.map((severity) => (
          <FormField
            key={severity}
            id={`sla-${severity}`}
            label={SEVERITY_LABELS[severity]}
            error={errors[`slaDays.${severity}`]}
          >
            {({ isInvalid, ...aria }) => (
              <Textfield
                {...aria}
                isInvalid={isInvalid}
                type="number"
                min={1}
                max={3650}
                elemAfterInput={<span className="fs-suffix">days</span>}
                value={draft.slaDays[severity] ?? ''}
                onChange={(event) => {
                  const text = event.currentTarget.value.trim();
                  const slaDays = { ...draft.slaDays };
                  if (text === '') delete slaDays[severity];
                  else slaDays[severity] = Number(text);
                  onChange({ ...draft, slaDays });
                }}
              />
            )}
          </FormField>
        ))}
      </div>
    </section>
  );
}
