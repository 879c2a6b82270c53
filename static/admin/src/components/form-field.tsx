import { ErrorMessage, HelperMessage, Label } from '@atlaskit/form';
import type { ReactNode } from 'react';

export interface FormFieldProps {
  /** The id of the control the label names (an input's id, or a Select's inputId). */
  id: string;
  label: string;
  helper?: ReactNode;
  error?: string;
  children: (aria: {
    id: string;
    'aria-describedby'?: string;
    'aria-invalid'?: boolean;
    isInvalid: boolean;
  }) => ReactNode;
}

/** A labelled control with its help text and, after a refused save, its error right under it. */
export function FormField({ id, label, helper, error, children }: FormFieldProps) {
  const helperId = helper ? `${id}-helper` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, helperId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="fs-form-field">
      <Label htmlFor={id}>{label}</Label>
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': true } : {}),
        isInvalid: Boolean(error),
      })}
      {error ? (
        <div id={errorId}>
          <ErrorMessage>{error}</ErrorMessage>
        </div>
      ) : null}
      {helper ? (
        <div id={helperId}>
          <HelperMessage>{helper}</HelperMessage>
        </div>
      ) : null}
    </div>
  );
}

/** An error without a control of its own (e.g. on a whole row), announced when it appears. */
export function InlineError({ id, message }: { id?: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <div id={id} role="alert">
      <ErrorMessage>{message}</ErrorMessage>
    </div>
  );
}
