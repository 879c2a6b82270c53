import type { ReactNode } from 'react';
import { ErrorIcon, InfoIcon, LockIcon } from './icons';

export type SectionMessageAppearance = 'information' | 'warning' | 'error' | 'locked';

export interface SectionMessageProps {
  appearance: SectionMessageAppearance;
  title: string;
  /** Heading level of the title inside the page outline (defaults to 2). */
  titleLevel?: 2 | 3;
  /** `alert` for messages that appear after something the user did (screen readers announce them). */
  role?: 'alert' | 'status';
  children?: ReactNode;
  actions?: ReactNode;
}

const ICONS: Record<SectionMessageAppearance, typeof InfoIcon> = {
  information: InfoIcon,
  warning: ErrorIcon,
  error: ErrorIcon,
  locked: LockIcon,
};

/** A message block in the manner of Atlaskit's SectionMessage. */
export function SectionMessage({ appearance, title, titleLevel = 2, role, children, actions }: SectionMessageProps) {
  const Icon = ICONS[appearance];
  const Heading = titleLevel === 2 ? 'h2' : 'h3';
  return (
    <section
      className={`fs-section-message fs-section-message--${appearance}`}
      role={role}
      aria-label={role ? undefined : title}
    >
      <Icon className="fs-section-message__icon" />
      <div className="fs-section-message__content">
        <Heading className="fs-section-message__title">{title}</Heading>
        {children ? <div className="fs-section-message__body">{children}</div> : null}
        {actions ? <div className="fs-section-message__actions">{actions}</div> : null}
      </div>
    </section>
  );
}
