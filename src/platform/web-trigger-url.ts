import { webTrigger } from '@forge/api';

/** The manifest key of the web trigger the security platform posts findings to. */
export const INGEST_WEB_TRIGGER_KEY = 'ingest-webtrigger';

/** The ingest web trigger's URL for this installation, as Forge issues it (shown on the admin page). */
export function ingestWebTriggerUrl(): Promise<string> {
  return webTrigger.getUrl(INGEST_WEB_TRIGGER_KEY);
}
