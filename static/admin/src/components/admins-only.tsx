import { SectionMessage } from './section-message';

/** Shown when the resolver refuses the viewer (FORBIDDEN): the page is for Jira administrators. */
export function AdminsOnly() {
  return (
    <SectionMessage appearance="locked" title="Only Jira administrators can configure Finding Sync">
      <p>
        You need the <strong>Administer Jira</strong> global permission to see or change how security findings sync with
        Jira. Ask a Jira administrator to configure the app, or to give you that permission.
      </p>
    </SectionMessage>
  );
}
