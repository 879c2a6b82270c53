/** The page title block, as Jira's settings pages have it. */
export function PageHeader() {
  return (
    <header className="fs-page-header">
      <h1 className="fs-page-header__title">Finding Sync for Jira</h1>
      <p className="fs-page-header__description">
        Turn findings from your security platform into Jira work items and keep both sides in sync.
      </p>
    </header>
  );
}
