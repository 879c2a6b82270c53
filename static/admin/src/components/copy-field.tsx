import { useEffect, useRef, useState } from 'react';
import { Button } from './button';
import { CheckIcon, CopyIcon } from './icons';

export interface CopyFieldProps {
  id: string;
  label: string;
  value: string;
  /** Help text under the field, read by screen readers with the field. */
  description?: string;
  copyLabel?: string;
}

type CopyState = 'idle' | 'copied' | 'failed';

const FEEDBACK_MS = 4000;

async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission denied (e.g. the iframe lacks clipboard-write): fall back to selecting the text.
    }
  }
  if (!input) return false;
  input.focus();
  input.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}

/** A read-only value (a URL, an id) with a Copy button and a spoken confirmation. */
export function CopyField({ id, label, value, description, copyLabel = 'Copy' }: CopyFieldProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copyState, setCopyState] = useState<CopyState>('idle');

  useEffect(() => {
    if (copyState === 'idle') return;
    const timer = setTimeout(() => setCopyState('idle'), FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [copyState]);

  const descriptionId = description ? `${id}-description` : undefined;
  const feedbackId = `${id}-feedback`;

  return (
    <div className="fs-field">
      <label className="fs-field__label" htmlFor={id}>
        {label}
      </label>
      <div className="fs-copy-field">
        <input
          ref={inputRef}
          id={id}
          className="fs-textfield fs-textfield--readonly fs-textfield--mono"
          type="text"
          value={value}
          readOnly
          spellCheck={false}
          aria-describedby={descriptionId}
          onFocus={(event) => event.currentTarget.select()}
        />
        <Button
          iconBefore={copyState === 'copied' ? <CheckIcon /> : <CopyIcon />}
          aria-describedby={feedbackId}
          onClick={() => {
            void copyText(value, inputRef.current).then((ok) => setCopyState(ok ? 'copied' : 'failed'));
          }}
        >
          {copyLabel}
        </Button>
      </div>
      {description ? (
        <p className="fs-field__help" id={descriptionId}>
          {description}
        </p>
      ) : null}
      <p className={`fs-field__feedback fs-field__feedback--${copyState}`} id={feedbackId} role="status">
        {copyState === 'copied'
          ? 'Copied to clipboard.'
          : copyState === 'failed'
            ? 'Could not copy. Select the text and press Ctrl+C (⌘C on a Mac).'
            : ''}
      </p>
    </div>
  );
}
