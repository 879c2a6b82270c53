import { STATUS_CATEGORIES } from './seed-site';
import type {
  JiraFieldRecord,
  JiraIssueRecord,
  JiraIssueTypeRecord,
  JiraPriorityRecord,
  JiraPrioritySchemeRecord,
  JiraProjectRecord,
  JiraResolutionRecord,
  JiraState,
  JiraStatusRecord,
  JiraTransitionRecord,
  JiraUserRecord,
} from './types';

/** Read access and lookups over the emulator's state (the state itself stays plain JSON). */
export class JiraSite {
  constructor(
    readonly state: JiraState,
    readonly now: () => number,
  ) {}

  get baseUrl(): string {
    return this.state.siteUrl;
  }

  restUrl(path: string): string {
    return `${this.state.siteUrl}/rest/api/3/${path}`;
  }

  user(accountId: string): JiraUserRecord | undefined {
    return this.state.users.find((u) => u.accountId === accountId);
  }

  status(id: string): JiraStatusRecord | undefined {
    return this.state.statuses.find((s) => s.id === id);
  }

  statusByName(name: string): JiraStatusRecord | undefined {
    const lower = name.toLowerCase();
    return this.state.statuses.find((s) => s.name.toLowerCase() === lower);
  }

  statusCategory(categoryId: number) {
    const category = STATUS_CATEGORIES.find((c) => c.id === categoryId);
    if (!category) throw new Error(`Unknown status category ${categoryId}`);
    return category;
  }

  project(idOrKey: string): JiraProjectRecord | undefined {
    const upper = idOrKey.toUpperCase();
    return this.state.projects.find((p) => p.id === idOrKey || p.key === upper);
  }

  projectById(id: string): JiraProjectRecord {
    const project = this.state.projects.find((p) => p.id === id);
    if (!project) throw new Error(`Issue refers to unknown project ${id}`);
    return project;
  }

  issueType(id: string): JiraIssueTypeRecord | undefined {
    return this.state.issueTypes.find((t) => t.id === id);
  }

  field(id: string): JiraFieldRecord | undefined {
    return this.state.fields.find((f) => f.id === id);
  }

  priority(id: string): JiraPriorityRecord | undefined {
    return this.state.priorities.find((p) => p.id === id);
  }

  priorityScheme(id: string): JiraPrioritySchemeRecord | undefined {
    return this.state.prioritySchemes.find((s) => s.id === id);
  }

  projectPriorityScheme(project: JiraProjectRecord): JiraPrioritySchemeRecord {
    const scheme = this.priorityScheme(project.prioritySchemeId);
    if (!scheme)
      throw new Error(`Project ${project.key} refers to unknown priority scheme ${project.prioritySchemeId}`);
    return scheme;
  }

  resolution(id: string): JiraResolutionRecord | undefined {
    return this.state.resolutions.find((r) => r.id === id);
  }

  /** Finds an issue by id or key (keys are case-insensitive, as in Jira). */
  issue(idOrKey: string): JiraIssueRecord | undefined {
    const upper = idOrKey.toUpperCase();
    return this.state.issues.find((i) => i.id === idOrKey || i.key === upper);
  }

  /** Transitions available from the issue's current status, in workflow order. */
  availableTransitions(issue: JiraIssueRecord): JiraTransitionRecord[] {
    const project = this.projectById(issue.projectId);
    return project.workflow.transitions.filter((t) => t.from.length === 0 || t.from.includes(issue.statusId));
  }

  /** Every custom field used on any of the project's screens. */
  projectFieldIds(project: JiraProjectRecord): string[] {
    const ids = new Set<string>();
    for (const f of this.state.fields) if (!f.custom) ids.add(f.id);
    for (const id of [...project.createScreen.fields, ...project.editScreen.fields]) ids.add(id);
    for (const t of project.workflow.transitions) for (const id of t.screen?.fields ?? []) ids.add(id);
    return [...ids];
  }

  /** Jira's timestamp format, e.g. `2021-01-20T15:58:12.797+0000`. */
  timestamp(ms = this.now()): string {
    return new Date(ms).toISOString().replace('Z', '+0000');
  }
}
