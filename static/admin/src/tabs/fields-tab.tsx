import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Textfield from '@atlaskit/textfield';
import { FIELD_SOURCES, type FieldMapping, type SyncConfig } from '../../../../src/contracts/admin-api';
import {
  checkFieldCompatibility,
  FIELD_SOURCE_LABELS,
  isKnownFieldSource,
} from '../../../../src/contracts/field-compatibility';
import type { SiteMetadata } from '../../../../src/contracts/site-metadata';
import { FormField } from '../components/form-field';
import { SelectField, type Option } from '../components/select-field';
import type { FieldErrors } from '../state/config-errors';

export interface FieldsTabProps {
  draft: SyncConfig;
  onChange: (next: SyncConfig) => void;
  site: SiteMetadata | undefined;
  errors: FieldErrors;
}

const ATTRIBUTE = '__attribute';
const SOURCE_OPTIONS: Option[] = [
  ...FIELD_SOURCES.map((source) => ({ value: source, label: FIELD_SOURCE_LABELS[source] })),
  { value: ATTRIBUTE, label: 'Platform attribute…' },
];

/** Custom fields filled from finding values; only fields whose type can hold the value can be picked. */
export function FieldsTab({ draft, onChange, site, errors }: FieldsTabProps) {
  const candidates = (site?.fields ?? []).filter((f) => f.custom || f.id === 'environment');
  const update = (index: number, next: FieldMapping) =>
    onChange({ ...draft, fieldMappings: draft.fieldMappings.map((m, i) => (i === index ? next : m)) });

  const rows = draft.fieldMappings.map((mapping, index) => {
    const isAttribute = mapping.source.startsWith('attributes.');
    const used = new Set(draft.fieldMappings.filter((_, i) => i !== index).map((m) => m.fieldId));
    const fieldOptions: Option[] = candidates.map((field) => {
      const compatibility = checkFieldCompatibility(mapping.source, field);
      return {
        value: field.id,
        label: `${field.name} (${field.id})`,
        isDisabled: !compatibility.ok || used.has(field.id),
        ...(compatibility.ok
          ? used.has(field.id)
            ? { description: 'already mapped' }
            : {}
          : { description: compatibility.reason }),
      };
    });
    return {
      key: `field-mapping-${index}`,
      cells: [
        {
          key: 'source',
          content: (
            <div className="fs-cell-stack">
              <SelectField
                id={`field-${index}-source`}
                label="Finding value"
                options={SOURCE_OPTIONS}
                value={isAttribute ? ATTRIBUTE : mapping.source}
                error={errors[`fieldMappings[${index}].source`]}
                onChange={(value) => {
                  if (value === ATTRIBUTE) update(index, { ...mapping, source: 'attributes.name' });
                  else if (value !== undefined && isKnownFieldSource(value))
                    update(index, { ...mapping, source: value });
                }}
              />
              {isAttribute ? (
                <FormField id={`field-${index}-attribute`} label="Attribute name">
                  {({ isInvalid, ...aria }) => (
                    <Textfield
                      {...aria}
                      isInvalid={isInvalid}
                      value={mapping.source.slice('attributes.'.length)}
                      onChange={(event) =>
                        update(index, {
                          ...mapping,
                          source: `attributes.${event.currentTarget.value.trim()}`,
                        })
                      }
                    />
                  )}
                </FormField>
              ) : null}
            </div>
          ),
        },
        {
          key: 'field',
          content: (
            <SelectField
              id={`field-${index}-target`}
              label="Jira field"
              options={fieldOptions}
              isLoading={!site}
              value={mapping.fieldId || undefined}
              error={errors[`fieldMappings[${index}].fieldId`]}
              helper="Fields whose type cannot hold this value are listed but cannot be chosen."
              missingLabel={(id) => `${id} (no such field in Jira)`}
              onChange={(value) => value && update(index, { ...mapping, fieldId: value })}
            />
          ),
        },
        {
          key: 'remove',
          content: (
            <Button
              appearance="subtle"
              onClick={() => onChange({ ...draft, fieldMappings: draft.fieldMappings.filter((_, i) => i !== index) })}
            >
              {`Remove field mapping ${index + 1}`}
            </Button>
          ),
        },
      ],
    };
  });

  return (
    <section aria-labelledby="fields-heading" className="fs-tab">
      <h2 id="fields-heading">Fields</h2>
      <p className="fs-tab__description">
        Copy finding values into your Jira custom fields. The field must be on the project's create screen.
      </p>
      <DynamicTable
        caption="Custom field mappings"
        head={{
          cells: [
            { key: 'source', content: 'Finding value' },
            { key: 'field', content: 'Jira field' },
            { key: 'remove', content: <span className="fs-visually-hidden">Actions</span> },
          ],
        }}
        rows={rows}
        emptyView={
          <p className="fs-empty">
            No custom fields are mapped. Summary, description, priority, labels and due date are always set.
          </p>
        }
      />
      <Button
        onClick={() =>
          onChange({ ...draft, fieldMappings: [...draft.fieldMappings, { source: 'cvss.score', fieldId: '' }] })
        }
        isDisabled={!site}
      >
        Add field mapping
      </Button>
    </section>
  );
}
