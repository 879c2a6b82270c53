import { z } from 'zod';

/**
 * How a project mapping groups findings into Jira issues (config `grouping`): `none` — one issue per
 * finding (the default); `rule` — one issue per scanner rule; `rule+asset` — per rule and asset;
 * `file` — per asset and file; `package` — per vulnerable package (attribute `package` or
 * `component`); `cve` — per CVE. A finding that lacks what its mapping groups by gets its own issue.
 */
export const GROUPINGS = ['none', 'rule', 'rule+asset', 'file', 'package', 'cve'] as const;
export type Grouping = (typeof GROUPINGS)[number];
export const GroupingSchema = z.enum(GROUPINGS);
