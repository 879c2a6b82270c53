import { AutoDismissFlag, FlagGroup } from '@atlaskit/flag';
import { token } from '@atlaskit/tokens';
import { useCallback, useState } from 'react';
import { CheckIcon, ErrorIcon, InfoIcon } from './icons';

export type FlagMessage = {
  id: number;
  appearance: 'success' | 'error' | 'info' | 'warning';
  title: string;
  description?: string;
};

const ICON_COLOURS = {
  success: token('color.icon.success', '#22A06B'),
  error: token('color.icon.danger', '#C9372C'),
  warning: token('color.icon.warning', '#E56910'),
  info: token('color.icon.information', '#1D7AFC'),
} as const;

/** Jira-style flags (bottom left, auto-dismissed) for what just happened: saved, rotated, replayed. */
export function useFlags() {
  const [flags, setFlags] = useState<FlagMessage[]>([]);
  const show = useCallback(
    (flag: Omit<FlagMessage, 'id'>) => setFlags((current) => [{ ...flag, id: Date.now() + Math.random() }, ...current]),
    [],
  );
  const dismiss = useCallback((id: number | string) => setFlags((current) => current.filter((f) => f.id !== id)), []);
  const group = (
    <FlagGroup onDismissed={dismiss} label="Finding Sync notifications">
      {flags.map((flag) => {
        const Icon = flag.appearance === 'success' ? CheckIcon : flag.appearance === 'info' ? InfoIcon : ErrorIcon;
        return (
          <AutoDismissFlag
            key={flag.id}
            id={flag.id}
            title={flag.title}
            description={flag.description}
            icon={
              <span style={{ color: ICON_COLOURS[flag.appearance] }}>
                <Icon />
              </span>
            }
          />
        );
      })}
    </FlagGroup>
  );
  return { show, group };
}
