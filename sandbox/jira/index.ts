export type {
  JiraActor,
  JiraProductEvent,
  JiraProductEventType,
  JiraState,
  JiraChangeItem,
} from './types';
export { createJiraEmulator, DEFAULT_SPEC_PATH } from './jira-emulator';
export type { JiraEmulator, JiraEmulatorOptions, JiraResponseWarning } from './jira-emulator';
export type { JiraFaults, JiraFaultSettings, JiraInjectedFault, JiraWriteLimit } from './faults';
export { parseJiraFaultFlags, JIRA_PER_ISSUE_WRITE_LIMITS } from './faults';
export type { JiraCounters } from './call-counters';
export type { JiraUserSession, JiraUserResponse } from './user-session';
export { JiraRequestError, adfParagraph } from './user-session';
export type { EntityPropertyIndex } from './jql-search';
export { SEEDED_USERS, CUSTOM_FIELD_IDS } from './seed-site';
export { startJiraHttpServer } from './http-server';
export type { JiraHttpServer, JiraHttpServerOptions } from './http-server';
