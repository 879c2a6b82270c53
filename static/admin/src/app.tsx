import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StoredConfigView, SyncConfig } from '../../../src/contracts/admin-api';
import {
  ConflictDetailSchema,
  QuotaExhaustedDetailSchema,
  ValidationDetailsSchema,
} from '../../../src/contracts/admin-api';
import { callAdmin } from './api/admin-client';
import { loadViewContext, type ViewContext } from './api/view-context';
import { AdminsOnly } from './components/admins-only';
import { Button } from './components/button';
import { useFlags } from './components/flags';
import { PageHeader } from './components/page-header';
import { SaveBar, type SaveState } from './components/save-bar';
import { SectionMessage } from './components/section-message';
import { Spinner } from './components/spinner';
import { useAdminQuery } from './hooks/use-admin-query';
import { useProjectCatalog } from './hooks/use-project-catalog';
import { formatDateTime, formatTimeOfDay } from './format/date-time';
import { countErrorsUnder, toFieldErrors, type FieldErrors } from './state/config-errors';
import { ConnectionTab } from './tabs/connection-tab';
import { FieldsTab } from './tabs/fields-tab';
import { HealthTab } from './tabs/health-tab';
import { PolicyTab } from './tabs/policy-tab';
import { ProjectsTab } from './tabs/projects-tab';
import { SeverityTab } from './tabs/severity-tab';
import { TestFindingTab } from './tabs/test-finding-tab';

const EMPTY_PAYLOAD = {};

/** The sections, in tab order, with the config paths whose errors they show. */
const SECTIONS = [
  { id: 'connection', title: 'Connection', paths: ['platform'] },
  { id: 'severity', title: 'Severity → priority', paths: ['priorityMap'] },
  { id: 'projects', title: 'Projects', paths: ['mappings', 'defaultMapping', 'statusMap', 'jiraStatusMap'] },
  { id: 'policy', title: 'Policy', paths: ['autoCreate', 'slaDays', 'ownership', 'onDeletedIssue', 'comments'] },
  { id: 'fields', title: 'Fields', paths: ['fieldMappings'] },
  { id: 'health', title: 'Health', paths: [] },
  { id: 'test', title: 'Send test finding', paths: [] },
] as const;
const CONFIG_SECTIONS = 5;

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

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The settings once loaded: one draft of the configuration shared by the tabs, saved as a whole. */
function Settings({ initial, context, now }: { initial: StoredConfigView; context: ViewContext; now: Date }) {
  const site = useAdminQuery('site/metadata', EMPTY_PAYLOAD);
  const [base, setBase] = useState(initial);
  const [draft, setDraft] = useState<SyncConfig>(initial.config);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saveState, setSaveState] = useState<SaveState>({ status: 'idle' });
  const [tab, setTab] = useState(0);
  const flags = useFlags();
  const dirty = JSON.stringify(draft) !== JSON.stringify(base.config);
  const projectKeys = [
    ...draft.mappings.map((m) => m.projectKey),
    ...(draft.defaultMapping ? [draft.defaultMapping.projectKey] : []),
  ];
  const catalog = useProjectCatalog(projectKeys);
  const dateTime = { locale: context.locale, timeZone: context.timeZone };

  const edit = useCallback((next: SyncConfig) => {
    setDraft(next);
    setSaveState((current) => (current.status === 'saving' ? current : { status: 'idle' }));
  }, []);

  const save = async () => {
    setSaveState({ status: 'saving' });
    try {
      const result = await callAdmin('config/save', { revision: base.revision, config: draft });
      if (result.ok) {
        setBase({
          config: draft,
          revision: result.data.revision,
          savedAt: result.data.savedAt,
          savedBy: context.accountId ?? null,
        });
        setErrors({});
        setSaveState({ status: 'idle' });
        const warnings = result.data.warnings;
        flags.show({
          appearance: warnings.length > 0 ? 'warning' : 'success',
          title: 'Settings saved',
          ...(warnings.length > 0
            ? {
                description:
                  `${warnings.length} thing${warnings.length === 1 ? '' : 's'} to review: ` +
                  warnings.map((w) => w.message).join('; '),
              }
            : {}),
        });
        return;
      }
      const { code, message, details } = result.error;
      if (code === 'CONFLICT') {
        const detail = ConflictDetailSchema.safeParse(details);
        setSaveState({ status: 'conflict', message, detail: detail.success ? detail.data : undefined });
        flags.show({ appearance: 'error', title: 'Not saved: someone else changed the settings' });
        return;
      }
      if (code === 'VALIDATION_FAILED') {
        const parsed = ValidationDetailsSchema.safeParse(details);
        const fieldErrors = parsed.success ? toFieldErrors(parsed.data) : {};
        setErrors(fieldErrors);
        setSaveState({ status: 'invalid', message });
        const first = SECTIONS.findIndex((section) => countErrorsUnder(fieldErrors, section.paths) > 0);
        if (first >= 0) setTab(first);
        flags.show({ appearance: 'error', title: 'Not saved: fix the highlighted settings' });
        return;
      }
      setSaveState({ status: 'failed', message: `${message} (${code})` });
    } catch (error) {
      setSaveState({ status: 'failed', message: describeError(error) });
    }
  };

  const reloadLatest = async () => {
    try {
      const result = await callAdmin('config/get', {});
      if (!result.ok) return setSaveState({ status: 'failed', message: result.error.message });
      setBase(result.data);
      setDraft(result.data.config);
      setErrors({});
      setSaveState({ status: 'idle' });
      flags.show({
        appearance: 'info',
        title: `Loaded revision ${result.data.revision}`,
        description: 'Make your changes again, then save.',
      });
    } catch (error) {
      setSaveState({ status: 'failed', message: describeError(error) });
    }
  };

  const siteData = site.state.status === 'loaded' ? site.state.data : undefined;
  const siteProblem =
    site.state.status === 'refused'
      ? site.state.error.message
      : site.state.status === 'failed'
        ? site.state.message
        : undefined;

  return (
    <>
      {siteProblem ? (
        <SectionMessage
          appearance="warning"
          title="Jira's projects, priorities and fields could not be loaded"
          actions={<Button onClick={site.reload}>Try again</Button>}
        >
          <p>{siteProblem}</p>
        </SectionMessage>
      ) : null}
      <Tabs id="settings-tabs" selected={tab} onChange={(index) => setTab(index)}>
        <TabList>
          {SECTIONS.map((section) => {
            const count = countErrorsUnder(errors, section.paths);
            return (
              <Tab key={section.id}>
                {count > 0 ? `${section.title} (${count} ${count === 1 ? 'error' : 'errors'})` : section.title}
              </Tab>
            );
          })}
        </TabList>
        <TabPanel>
          <ConnectionTab
            draft={draft}
            savedPlatform={base.config.platform}
            onChange={edit}
            errors={errors}
            dateTime={dateTime}
            now={now}
            notify={flags.show}
          />
        </TabPanel>
        <TabPanel>
          <SeverityTab draft={draft} onChange={edit} site={siteData} errors={errors} />
        </TabPanel>
        <TabPanel>
          <ProjectsTab draft={draft} onChange={edit} site={siteData} catalog={catalog} errors={errors} />
        </TabPanel>
        <TabPanel>
          <PolicyTab draft={draft} onChange={edit} errors={errors} />
        </TabPanel>
        <TabPanel>
          <FieldsTab draft={draft} onChange={edit} site={siteData} errors={errors} />
        </TabPanel>
        <TabPanel>
          <HealthTab
            dateTime={dateTime}
            now={now}
            notify={flags.show}
            onOpenProjects={() => setTab(SECTIONS.findIndex((section) => section.id === 'projects'))}
          />
        </TabPanel>
        <TabPanel>
          <TestFindingTab savedConfig={base.config} siteUrl={context.siteUrl} />
        </TabPanel>
      </Tabs>
      {tab < CONFIG_SECTIONS || dirty ? (
        <SaveBar
          dirty={dirty}
          revision={base.revision}
          state={saveState}
          errors={errors}
          onSave={() => void save()}
          onDiscard={() => (setDraft(base.config), setErrors({}), setSaveState({ status: 'idle' }))}
          onReloadLatest={() => void reloadLatest()}
          formatTime={(iso) => formatDateTime(iso, dateTime)}
        />
      ) : null}
      {flags.group}
    </>
  );
}

/** The admin page: header, then the settings (or why they cannot be shown). */
export function App() {
  const context = useViewContext();
  const stored = useAdminQuery('config/get', EMPTY_PAYLOAD);
  const now = useNow(60_000);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!context) return;
    document.documentElement.dataset.colorMode = context.colorMode;
    void setGlobalTheme({ colorMode: context.colorMode }).catch(() => undefined);
  }, [context]);

  const retry = () => {
    // The "Try again" button disappears while loading: keep keyboard focus inside the content.
    mainRef.current?.focus();
    stored.reload();
  };

  const { state } = stored;
  let content: JSX.Element;
  if (state.status === 'loading' || !context) {
    content = <Spinner label="Loading Finding Sync settings…" />;
  } else if (state.status === 'refused' && state.error.code === 'FORBIDDEN') {
    content = <AdminsOnly />;
  } else if (state.status === 'refused' && state.error.code === 'QUOTA_EXHAUSTED') {
    // Jira would not answer the permission check: not a refusal, a wait with a known end.
    const detail = QuotaExhaustedDetailSchema.safeParse(state.error.details);
    const until = detail.success
      ? formatTimeOfDay(detail.data.until, { locale: context.locale, timeZone: context.timeZone })
      : undefined;
    content = (
      <SectionMessage
        appearance="warning"
        role="alert"
        title="Finding Sync can't check your Jira permissions right now"
        actions={
          <Button appearance="default" onClick={retry}>
            Try again
          </Button>
        }
      >
        <p>
          {until
            ? `Jira's hourly quota for this app is used up until ${until}.`
            : "Jira's hourly quota for this app is used up."}{' '}
          Until then Jira does not answer whether you are a Jira administrator, so the settings stay closed. Findings
          received meanwhile are kept and sync after that, exactly once.
        </p>
      </SectionMessage>
    );
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
    content = <Settings initial={state.data} context={context} now={now} />;
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
