import { useEffect, useRef, useState } from 'react';
import { loadViewContext, type ViewContext } from './api/view-context';
import { AdminsOnly } from './components/admins-only';
import { Button } from './components/button';
import { ConnectionPanel } from './components/connection-panel';
import { PageHeader } from './components/page-header';
import { SectionMessage } from './components/section-message';
import { Spinner } from './components/spinner';
import { useAdminQuery } from './hooks/use-admin-query';

const EMPTY_PAYLOAD = {};

/** The current time, refreshed every `intervalMs` so relative times ("3 minutes ago") stay true. */
function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function useViewContext(): ViewContext | undefined {
  const [context, setContext] = useState<ViewContext>();
  useEffect(() => {
    let current = true;
    void loadViewContext().then((loaded) => {
      if (current) setContext(loaded);
    });
    return () => {
      current = false;
    };
  }, []);
  return context;
}

/** The admin page: a header, then one panel per settings area (more land with the full admin page). */
export function App() {
  const context = useViewContext();
  const status = useAdminQuery('app/status', EMPTY_PAYLOAD);
  const now = useNow(60_000);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (context) document.documentElement.dataset.colorMode = context.colorMode;
  }, [context]);

  const retry = () => {
    // The "Try again" button disappears while loading: keep keyboard focus inside the content.
    mainRef.current?.focus();
    status.reload();
  };

  const { state } = status;
  let content: JSX.Element;
  if (state.status === 'loading' || !context) {
    content = <Spinner label="Loading Finding Sync settings…" />;
  } else if (state.status === 'refused' && state.error.code === 'FORBIDDEN') {
    content = <AdminsOnly />;
  } else if (state.status === 'refused' || state.status === 'failed') {
    const message = state.status === 'refused' ? `${state.error.message} (${state.error.code})` : state.message;
    content = (
      <SectionMessage
        appearance="error"
        role="alert"
        title="Finding Sync couldn't load its settings"
        actions={
          <Button appearance="default" onClick={retry}>
            Try again
          </Button>
        }
      >
        <p>{message}</p>
      </SectionMessage>
    );
  } else {
    content = <ConnectionPanel status={state.data} dateTime={{ locale: context.locale, timeZone: context.timeZone }} now={now} />;
  }

  return (
    <div className="fs-page">
      <PageHeader />
      <main className="fs-page__main" ref={mainRef} tabIndex={-1} aria-busy={state.status === 'loading'}>
        {content}
      </main>
    </div>
  );
}
