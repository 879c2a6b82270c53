import type { ReactNode } from 'react';

/** Small 24×24 glyphs in the style of Atlassian's icons; decorative (the text next to them carries the meaning). */

interface IconProps {
  className?: string;
}

function Svg({ className, children }: IconProps & { children: ReactNode }) {
  return (
    <svg
      className={className ? `fs-icon ${className}` : 'fs-icon'}
      width="24"
      height="24"
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export function ErrorIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path
        fill="currentColor"
        d={[
          'M13.5 4.4l7.6 13.2A1.6 1.6 0 0 1 19.7 20H4.3a1.6 1.6 0 0 1-1.4-2.4l7.6-13.2a1.7 1.7 0 0 1 3 0z',
          'M12 8a1.1 1.1 0 0 0-1.1 1.2l.4 4.6a.7.7 0 0 0 1.4 0l.4-4.6A1.1 1.1 0 0 0 12 8z',
          'm0 9.6a1.2 1.2 0 1 0 0-2.4 1.2 1.2 0 0 0 0 2.4z',
        ].join('')}
      />
    </Svg>
  );
}

export function InfoIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path
        fill="currentColor"
        d={[
          'M12 20a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm0-9.5a1 1 0 0 0-1 1V16a1 1 0 0 0 2 0v-4.5a1 1 0 0 0-1-1z',
          'm0-1.6a1.2 1.2 0 1 0 0-2.4 1.2 1.2 0 0 0 0 2.4z',
        ].join('')}
      />
    </Svg>
  );
}

export function LockIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path
        fill="currentColor"
        d={[
          'M8 10V8a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 18 11.5v7a1.5 1.5 0 0 1-1.5 1.5h-9',
          'A1.5 1.5 0 0 1 6 18.5v-7A1.5 1.5 0 0 1 7.5 10H8z',
          'm2 0h4V8a2 2 0 1 0-4 0v2z',
          'm2 3.5a1.5 1.5 0 0 0-.8 2.8V17a.8.8 0 0 0 1.6 0v-.7a1.5 1.5 0 0 0-.8-2.8z',
        ].join('')}
      />
    </Svg>
  );
}

export function CopyIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path
        fill="currentColor"
        d={[
          'M10 4h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2h-2v2a2 2 0 0 1-2 2H6',
          'a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h2V6a2 2 0 0 1 2-2z',
          'm0 2v8h8V6h-8zm-2 4H6v8h8v-2h-4a2 2 0 0 1-2-2v-4z',
        ].join('')}
      />
    </Svg>
  );
}

export function CheckIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path
        fill="currentColor"
        d="M9.7 15.6l-3.3-3.3a1 1 0 1 0-1.4 1.4l4 4a1 1 0 0 0 1.4 0l9-9a1 1 0 1 0-1.4-1.4l-8.3 8.3z"
      />
    </Svg>
  );
}
