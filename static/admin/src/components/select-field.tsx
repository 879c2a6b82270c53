import Select, { type StylesConfig } from '@atlaskit/select';
import { FormField } from './form-field';

export type Option = { label: string; value: string; isDisabled?: boolean; description?: string };

/** The menu is portalled to <body>, above Atlaskit's modal layer. */
const MENU_STYLES: StylesConfig<Option> = { menuPortal: (base: object) => ({ ...base, zIndex: 600 }) };

export interface SelectFieldProps {
  id: string;
  label: string;
  options: ReadonlyArray<Option>;
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  helper?: string;
  error?: string;
  placeholder?: string;
  isClearable?: boolean;
  isDisabled?: boolean;
  isLoading?: boolean;
  /** Shown when the saved value is not among the options (e.g. a priority deleted in Jira). */
  missingLabel?: (value: string) => string;
}

/** Atlaskit Select with a label, help and inline error; a saved value Jira no longer has stays visible, marked. */
export function SelectField({
  id,
  label,
  options,
  value,
  onChange,
  helper,
  error,
  placeholder,
  isClearable,
  isDisabled,
  isLoading,
  missingLabel,
}: SelectFieldProps) {
  const selected =
    value === undefined
      ? null
      : (options.find((o) => o.value === value) ?? {
          label: missingLabel ? missingLabel(value) : `${value} (not in Jira)`,
          value,
        });
  const all = selected && !options.includes(selected) ? [selected, ...options] : options;
  return (
    <FormField id={id} label={label} helper={helper} error={error}>
      {({ isInvalid, ...aria }) => (
        <Select<Option>
          inputId={aria.id}
          aria-describedby={aria['aria-describedby']}
          isInvalid={isInvalid}
          options={all}
          value={selected}
          isOptionDisabled={(option) => option.isDisabled === true}
          formatOptionLabel={(option, meta) =>
            meta.context === 'menu' && option.description ? (
              <span>
                {option.label}
                <span className="fs-option-description"> — {option.description}</span>
              </span>
            ) : (
              option.label
            )
          }
          onChange={(option) => onChange(option ? option.value : undefined)}
          placeholder={placeholder ?? 'Choose…'}
          isClearable={isClearable}
          isDisabled={isDisabled}
          isLoading={isLoading}
          menuPortalTarget={document.body}
          styles={MENU_STYLES}
        />
      )}
    </FormField>
  );
}
