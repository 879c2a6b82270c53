import Button from '@atlaskit/button/new';
import type { CursorPages } from '../hooks/use-cursor-pages';

/** Previous / next for a list paged 20 at a time by the server. */
export function Pager<T>({ pages, label }: { pages: CursorPages<T>; label: string }) {
  if (!pages.hasNext && !pages.hasPrevious) return null;
  return (
    <nav className="fs-pager" aria-label={`${label} pages`}>
      <Button onClick={pages.previous} isDisabled={!pages.hasPrevious || pages.loading}>
        Previous 20
      </Button>
      <span>Page {pages.pageNumber}</span>
      <Button onClick={pages.next} isDisabled={!pages.hasNext} isLoading={pages.loading}>
        Next 20
      </Button>
      {pages.error ? <span className="fs-field-error">{pages.error}</span> : null}
    </nav>
  );
}
