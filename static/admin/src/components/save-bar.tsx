import Button from '@atlaskit/button/new';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import type { ConflictDetail } from '../../../../src/contracts/admin-api';
import { describePath, type FieldErrors } from '../state/config-errors';

export type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'invalid'; message: string }
  | { status: 'conflict'; message: string; detail: ConflictDetail | undefined }
  | { status: 'failed'; message: string };

export interface SaveBarProps {
  dirty: boolean;
  revision: number;
  state: SaveState;
  errors: FieldErrors;
  onSave: () => void;
  onDiscard: () => void;
  onReloadLatest: () => void;
  /** Formats an ISO time in the viewer's locale and time zone. */
  formatTime: (iso: string) => string | undefined;
}

function describeConflict(detail: ConflictDetail, revision: number, formatTime: SaveBarProps['formatTime']): string {
  const when = detail.savedAt ? ` at ${formatTime(detail.savedAt) ?? detail.savedAt}` : '';
  return (
    `Another administrator saved these settings${when} after you opened them ` +
    `(now revision ${detail.currentRevision}, you edited revision ${revision}). ` +
    'Nothing was saved: load their version, then make your changes again.'
  );
}

/** Save / Discard for the whole configuration, with what went wrong when a save was refused. */
export function SaveBar({
  dirty,
  revision,
  state,
  errors,
  onSave,
  onDiscard,
  onReloadLatest,
  formatTime,
}: SaveBarProps) {
  const errorPaths = Object.keys(errors);
  return (
    <div className="fs-save-bar" role="region" aria-label="Save settings">
      {state.status === 'conflict' ? (
        <SectionMessage
          appearance="error"
          title="Someone else saved these settings while you were editing"
          actions={
            <SectionMessageAction onClick={onReloadLatest}>
              Load their version (discards your changes)
            </SectionMessageAction>
          }
        >
          <p role="alert">{state.detail ? describeConflict(state.detail, revision, formatTime) : state.message}</p>
        </SectionMessage>
      ) : null}
      {state.status === 'invalid' ? (
        <SectionMessage appearance="error" title="Nothing was saved">
          <p role="alert">{state.message}</p>
          {errorPaths.length > 0 ? (
            <ul className="fs-error-list">
              {errorPaths.map((path) => (
                <li key={path}>
                  <strong>{describePath(path)}</strong>: {errors[path]}
                </li>
              ))}
            </ul>
          ) : null}
        </SectionMessage>
      ) : null}
      {state.status === 'failed' ? (
        <SectionMessage appearance="error" title="The settings could not be saved">
          <p role="alert">{state.message}</p>
        </SectionMessage>
      ) : null}
      <div className="fs-save-bar__actions">
        <span className="fs-save-bar__status" aria-live="polite">
          {dirty
            ? 'You have unsaved changes.'
            : revision === 0
              ? 'Default settings (never saved).'
              : `Saved (revision ${revision}).`}
        </span>
        <Button appearance="subtle" onClick={onDiscard} isDisabled={!dirty || state.status === 'saving'}>
          Discard changes
        </Button>
        <Button appearance="primary" onClick={onSave} isDisabled={!dirty} isLoading={state.status === 'saving'}>
          Save changes
        </Button>
      </div>
    </div>
  );
}
