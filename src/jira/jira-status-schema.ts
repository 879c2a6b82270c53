import { z } from 'zod';

/** A workflow status as Jira's REST v3 answers carry it (issue, transitions, project statuses). */
export const StatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  statusCategory: z.object({ key: z.string() }),
});
