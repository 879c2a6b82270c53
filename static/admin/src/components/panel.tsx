import type { ReactNode } from 'react';

export interface PanelProps {
  /** Unique on the page; used for the heading id and as an anchor. */
  id: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
}

/** One settings section of the admin page: a landmark region named by its heading. */
export function Panel({ id, title, description, children }: PanelProps) {
  const headingId = `${id}-heading`;
  return (
    <section className="fs-panel" id={id} aria-labelledby={headingId}>
      <header className="fs-panel__header">
        <h2 className="fs-panel__title" id={headingId}>
          {title}
        </h2>
        {description ? <p className="fs-panel__description">{description}</p> : null}
      </header>
      <div className="fs-panel__body">{children}</div>
    </section>
  );
}
