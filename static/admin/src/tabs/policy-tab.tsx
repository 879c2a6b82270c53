import { Checkbox } from '@atlaskit/checkbox';
import Textfield from '@atlaskit/textfield';
import { SEVERITIES, type Severity, type SyncConfig } from '../../../../src/contracts/admin-api';
import { FormField, InlineError } from '../components/form-field';
import type { FieldErrors } from '../state/config-errors';
import { SEVERITY_LABELS } from '../state/labels';

export interface PolicyTabProps {
  draft: SyncConfig;
  onChange: (next: SyncConfig) => void;
  errors: FieldErrors;
}

const MODES = [
  { value: 'all', label: 'Every finding', help: 'Create an issue for every routed finding.' },
  { value: 'severities', label: 'Only these severities', help: 'Findings of other severities are tracked but get no issue.' },
  { value: 'none', label: 'None (pause issue creation)', help: 'Existing issues still sync; no new ones are created.' },
] as const;

/** Which findings create issues automatically, and how many days each severity has (the due date). */
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
                  autoCreate: mode.value === 'severities' ? { mode: 'severities', severities: chosen.length > 0 ? chosen : ['critical', 'high'] } : { mode: mode.value },
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
              <Checkbox key={severity} id={`auto-create-${severity}`} label={SEVERITY_LABELS[severity]} isChecked={chosen.includes(severity)} onChange={(event) => toggle(severity, event.target.checked)} />
            ))}
          </div>
        ) : null}
        <InlineError message={errors['autoCreate'] ?? errors['autoCreate.severities']} />
      </fieldset>

      <h3>SLA (days to fix)</h3>
      <p className="fs-tab__description">Sets the issue's due date from when the finding was first synced. Leave empty for no due date.</p>
      <div className="fs-grid fs-grid--narrow">
        {SEVERITIES.map((severity) => (
          <FormField key={severity} id={`sla-${severity}`} label={SEVERITY_LABELS[severity]} error={errors[`slaDays.${severity}`]}>
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
