import type { ConfigProblem } from '../../contracts/admin-api';
import type { ProjectDetails, SiteMetadata } from '../../contracts/site-metadata';
import type { SyncConfig } from '../../domain/config';
import { JiraApiError } from '../errors';
import type { SiteReader } from './admin-ports';
import { findConfigProblems, listConfiguredProjectKeys } from './config-problems';

/** Reads the site and every project the config routes to, then lists what does not match. */
export async function checkConfigAgainstSite(
  config: SyncConfig,
  site: SiteReader,
): Promise<{ problems: ConfigProblem[]; metadata: SiteMetadata }> {
  const keys = listConfiguredProjectKeys(config);
  const [metadata, details] = await Promise.all([
    site.loadSiteMetadata(),
    Promise.all(keys.map((key) => loadProjectOrNull(site, key))),
  ]);
  const projects = new Map(keys.map((key, index) => [key, details[index] ?? null]));
  return { problems: findConfigProblems(config, metadata, projects), metadata };
}

/** The project's details, or null when Jira says it does not exist (404). */
export async function loadProjectOrNull(site: SiteReader, projectKey: string): Promise<ProjectDetails | null> {
  try {
    return await site.loadProjectDetails(projectKey);
  } catch (error) {
    if (error instanceof JiraApiError && error.status === 404) return null;
    throw error;
  }
}
