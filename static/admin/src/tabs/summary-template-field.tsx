import Textfield from '@atlaskit/textfield';
import {
  DEFAULT_SUMMARY_TEMPLATE,
  SUMMARY_PLACEHOLDERS,
  SUMMARY_PLACEHOLDER_HELP,
  SUMMARY_SAMPLES,
  SUMMARY_TEMPLATE_MAX_LENGTH,
  parseSummaryTemplate,
  renderSummary,
} from '../../../../src/contracts/summary-template';
import { FormField } from '../components/form-field';

export interface SummaryTemplateFieldProps {
  id: string;
  template: string | undefined;
  /** The server's message for this field, if the last save refused it. */
  error: string | undefined;
  onChange: (template: string | undefined) => void;
}

/** The mapping's issue summary template, with a live preview on one sample finding of each kind. */
export function SummaryTemplateField({ id, template, error, onChange }: SummaryTemplateFieldProps) {
  const effective = template ?? DEFAULT_SUMMARY_TEMPLATE;
  const parsed = parseSummaryTemplate(effective);
  const placeholders = SUMMARY_PLACEHOLDERS.map((name) => `{${name}}`).join(' ');
  return (
    <div className="fs-summary-template">
      <FormField
        id={id}
        label="Issue summary"
        helper={
          `Placeholders: ${placeholders}. Text in [ ] is left out when a placeholder in it is empty. ` +
          `Empty: ${DEFAULT_SUMMARY_TEMPLATE}`
        }
        error={error ?? (parsed.ok ? undefined : parsed.message)}
      >
        {({ isInvalid, ...aria }) => (
          <Textfield
            {...aria}
            isInvalid={isInvalid}
            maxLength={SUMMARY_TEMPLATE_MAX_LENGTH}
            placeholder={DEFAULT_SUMMARY_TEMPLATE}
            value={template ?? ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              onChange(value.trim() === '' ? undefined : value);
            }}
          />
        )}
      </FormField>
      <table className="fs-table fs-summary-preview" aria-label="Summary preview">
        <thead>
          <tr>
            <th scope="col">Sample finding</th>
            <th scope="col">Issue summary</th>
          </tr>
        </thead>
        <tbody>
          {SUMMARY_SAMPLES.map((sample) => (
            <tr key={sample.label}>
              <td>{sample.label}</td>
              <td data-testid={`${id}-preview-${sample.label.replace(/\s+/g, '-')}`}>
                {parsed.ok ? renderSummary(sample.finding, effective) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>What the placeholders hold</summary>
        <ul>
          {SUMMARY_PLACEHOLDERS.map((name) => (
            <li key={name}>
              <code>{`{${name}}`}</code>: {SUMMARY_PLACEHOLDER_HELP[name]}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
