import { route } from '@forge/api';
import { z } from 'zod';
import { LINK_PROPERTY_KEY, type IssueCreateRequest, type IssueTypeMeta } from '../domain/issue-fields';
import { JiraApiError } from '../usecases/errors';
import type {
  AvailableTransition,
  BulkCreateResult,
  IssueStatusSnapshot,
  JiraGateway,
  RecoveredIssue,
} from '../usecases/ports';
import { parseJiraBody, requestJiraAsApp } from './jira-client';

/** Jira REST v3 for the sync: bulk create, edit, transitions, JQL recovery, metadata, users. */

const BulkCreateBodySchema = z.object({
  issues: z.array(z.object({ id: z.string(), key: z.string() })).default([]),
  errors: z
    .array(
      z.object({
        status: z.number().optional(),
        failedElementNumber: z.number().int(),
        elementErrors: z
          .object({
            errorMessages: z.array(z.string()).optional(),
            errors: z.record(z.string(), z.string()).optional(),
            status: z.number().optional(),
          })
          .optional(),
      }),
    )
    .default([]),
});

const StatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  statusCategory: z.object({ key: z.string() }),
});

const IssueStatusBodySchema = z.object({ id: z.string(), key: z.string(), fields: z.object({ status: StatusSchema }) });

const TransitionsBodySchema = z.object({
  transitions: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      to: StatusSchema,
      fields: z
        .record(
          z.string(),
          z
            .object({
              required: z.boolean(),
              allowedValues: z
                .array(z.object({ id: z.string().optional(), name: z.string().optional() }).passthrough())
                .optional(),
            })
            .passthrough(),
        )
        .optional(),
    }),
  ),
});

const SearchBodySchema = z.object({
  issues: z.array(
    z.object({ id: z.string(), key: z.string().optional(), properties: z.record(z.string(), z.unknown()).optional() }),
  ),
  nextPageToken: z.string().optional(),
  isLast: z.boolean().optional(),
});

const LinkPropertySchema = z.object({ findingKey: z.string() }).passthrough();

const IssueTypesBodySchema = z.object({ issueTypes: z.array(z.object({ id: z.string(), name: z.string() })) });

const FieldMetaSchema = z
  .object({
    fieldId: z.string(),
    name: z.string().optional(),
    required: z.boolean(),
    schema: z.object({
      type: z.string(),
      items: z.string().optional(),
      custom: z.string().optional(),
      system: z.string().optional(),
    }),
    allowedValues: z
      .array(
        z
          .object({ id: z.string().optional(), value: z.string().optional(), name: z.string().optional() })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();
const EditMetaBodySchema = z.object({ fields: z.record(z.string(), FieldMetaSchema.omit({ fieldId: true })) });
const CreateMetaFieldsBodySchema = z.object({ fields: z.array(FieldMetaSchema), total: z.number().optional() });

const ProjectStatusesBodySchema = z.array(
  z.object({ id: z.string(), name: z.string(), statuses: z.array(StatusSchema) }),
);

const UsersBodySchema = z.array(
  z.object({
    accountId: z.string(),
    emailAddress: z.string().optional(),
    active: z.boolean().optional(),
    accountType: z.string().optional(),
  }),
);

const SEARCH_KEYS_PER_QUERY = 50;

/** One field of a create or edit screen, as the mapping code reads it. */
type FieldMetaBody = {
  name?: string | undefined;
  required: boolean;
  schema: IssueTypeMeta['fields'][string]['schema'];
  allowedValues?: Array<{ id?: string | undefined; value?: string | undefined; name?: string | undefined }> | undefined;
};

function toFieldMeta(field: FieldMetaBody): IssueTypeMeta['fields'][string] {
  return {
    ...(field.name ? { name: field.name } : {}),
    required: field.required,
    schema: field.schema,
    ...(field.allowedValues
      ? {
          allowedValues: field.allowedValues.map((v) => ({
            ...(v.id ? { id: v.id } : {}),
            ...(v.value ? { value: v.value } : {}),
            ...(v.name ? { name: v.name } : {}),
          })),
        }
      : {}),
  };
}

function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export const issueGateway: JiraGateway = {
  async bulkCreateIssues(requests: ReadonlyArray<IssueCreateRequest>): Promise<BulkCreateResult> {
    const operation = 'POST /rest/api/3/issue/bulk';
    const response = await requestJiraAsApp(
      operation,
      route`/rest/api/3/issue/bulk`,
      { method: 'POST', body: { issueUpdates: requests } },
      { acceptStatuses: [400] },
    );
    const bodyCheck = BulkCreateBodySchema.safeParse(response.body);
    if (response.status === 400 && (!bodyCheck.success || bodyCheck.data.errors.length === 0)) {
      // A request-level problem (not per element): Jira's ErrorCollection.
      const errors = z
        .object({ errorMessages: z.array(z.string()).optional(), errors: z.record(z.string(), z.string()).optional() })
        .safeParse(response.body);
      throw new JiraApiError(
        400,
        errors.success ? (errors.data.errors ?? {}) : {},
        errors.success ? (errors.data.errorMessages ?? []) : [],
        operation,
      );
    }
    const body = parseJiraBody(operation, BulkCreateBodySchema, response.body);
    const failedIndexes = new Set(body.errors.map((e) => e.failedElementNumber));
    // Jira lists created issues in request order, skipping the failed elements.
    const createdIndexes = requests.map((_, index) => index).filter((index) => !failedIndexes.has(index));
    if (createdIndexes.length !== body.issues.length) {
      throw new Error(
        `${operation}: Jira reported ${body.issues.length} created issues ` +
          `for ${createdIndexes.length} successful elements`,
      );
    }
    return {
      created: body.issues.map((issue, position) => ({
        index: createdIndexes[position]!,
        issueId: issue.id,
        issueKey: issue.key,
      })),
      failed: body.errors.map((e) => ({
        index: e.failedElementNumber,
        status: e.status ?? e.elementErrors?.status ?? 400,
        fieldErrors: e.elementErrors?.errors ?? {},
        errorMessages: e.elementErrors?.errorMessages ?? [],
      })),
    };
  },

  async editIssue(issueId, fields) {
    try {
      await requestJiraAsApp('PUT /rest/api/3/issue/{id}', route`/rest/api/3/issue/${issueId}`, {
        method: 'PUT',
        body: { fields },
      });
      return true;
    } catch (error) {
      if (error instanceof JiraApiError && error.status === 404) return false;
      throw error;
    }
  },

  async getIssueStatus(issueId): Promise<IssueStatusSnapshot | undefined> {
    const operation = 'GET /rest/api/3/issue/{id}';
    try {
      const response = await requestJiraAsApp(operation, route`/rest/api/3/issue/${issueId}?fields=status`);
      const body = parseJiraBody(operation, IssueStatusBodySchema, response.body);
      return {
        issueId: body.id,
        issueKey: body.key,
        statusId: body.fields.status.id,
        statusCategoryKey: body.fields.status.statusCategory.key,
      };
    } catch (error) {
      if (error instanceof JiraApiError && error.status === 404) return undefined;
      throw error;
    }
  },

  async getTransitions(issueId): Promise<AvailableTransition[]> {
    const operation = 'GET /rest/api/3/issue/{id}/transitions';
    const response = await requestJiraAsApp(
      operation,
      route`/rest/api/3/issue/${issueId}/transitions?expand=transitions.fields`,
    );
    const body = parseJiraBody(operation, TransitionsBodySchema, response.body);
    return body.transitions.map((t) => ({
      id: t.id,
      name: t.name,
      toStatusId: t.to.id,
      toStatusCategoryKey: t.to.statusCategory.key,
      fields: Object.fromEntries(
        Object.entries(t.fields ?? {}).map(([id, field]) => [
          id,
          {
            required: field.required,
            ...(field.allowedValues
              ? {
                  allowedValues: field.allowedValues.map((v) => ({
                    ...(v.id ? { id: v.id } : {}),
                    ...(v.name ? { name: v.name } : {}),
                  })),
                }
              : {}),
          },
        ]),
      ),
    }));
  },

  async transitionIssue(issueId, input) {
    await requestJiraAsApp('POST /rest/api/3/issue/{id}/transitions', route`/rest/api/3/issue/${issueId}/transitions`, {
      method: 'POST',
      body: {
        transition: { id: input.transitionId },
        ...(input.fields && Object.keys(input.fields).length > 0 ? { fields: input.fields } : {}),
        ...(input.comment ? { update: { comment: [{ add: { body: input.comment } }] } } : {}),
      },
    });
  },

  async findIssuesByFindingKeys(findingKeys): Promise<RecoveredIssue[]> {
    const operation = 'POST /rest/api/3/search/jql';
    const found: RecoveredIssue[] = [];
    for (let i = 0; i < findingKeys.length; i += SEARCH_KEYS_PER_QUERY) {
      const group = findingKeys.slice(i, i + SEARCH_KEYS_PER_QUERY);
      const keys = group.map(jqlString).join(', ');
      const jql = `issue.property[${LINK_PROPERTY_KEY}].findingKey in (${keys}) ORDER BY created ASC`;
      let nextPageToken: string | undefined;
      do {
        const response = await requestJiraAsApp(operation, route`/rest/api/3/search/jql`, {
          method: 'POST',
          body: {
            jql,
            fields: ['key'],
            properties: [LINK_PROPERTY_KEY],
            maxResults: 100,
            ...(nextPageToken ? { nextPageToken } : {}),
          },
        });
        const body = parseJiraBody(operation, SearchBodySchema, response.body);
        for (const issue of body.issues) {
          const link = LinkPropertySchema.safeParse(issue.properties?.[LINK_PROPERTY_KEY]);
          if (link.success && issue.key)
            found.push({ issueId: issue.id, issueKey: issue.key, findingKey: link.data.findingKey });
        }
        nextPageToken = body.isLast === false ? body.nextPageToken : undefined;
      } while (nextPageToken);
    }
    return found;
  },

  async getIssueTypeMeta(projectKey, issueType): Promise<IssueTypeMeta> {
    let issueTypeId = issueType.id;
    if (issueTypeId === undefined) {
      const operation = 'GET /rest/api/3/issue/createmeta/{project}/issuetypes';
      const response = await requestJiraAsApp(
        operation,
        route`/rest/api/3/issue/createmeta/${projectKey}/issuetypes?maxResults=200`,
      );
      const body = parseJiraBody(operation, IssueTypesBodySchema, response.body);
      const wanted = (issueType.name ?? '').trim().toLowerCase();
      const match = body.issueTypes.find((t) => t.name.trim().toLowerCase() === wanted);
      if (!match) {
        throw new JiraApiError(
          400,
          {
            issuetype:
              `Issue type "${issueType.name}" does not exist in project ${projectKey} ` +
              `(available: ${body.issueTypes.map((t) => t.name).join(', ')})`,
          },
          [],
          operation,
        );
      }
      issueTypeId = match.id;
    }
    const fieldsOperation = 'GET /rest/api/3/issue/createmeta/{project}/issuetypes/{id}';
    const fields: IssueTypeMeta['fields'] = {};
    let priorities: IssueTypeMeta['priorities'] = [];
    for (let startAt = 0; ;) {
      const page = String(startAt);
      const response = await requestJiraAsApp(
        fieldsOperation,
        route`/rest/api/3/issue/createmeta/${projectKey}/issuetypes/${issueTypeId}?maxResults=200&startAt=${page}`,
      );
      const body = parseJiraBody(fieldsOperation, CreateMetaFieldsBodySchema, response.body);
      for (const field of body.fields) {
        fields[field.fieldId] = toFieldMeta(field);
        if (field.fieldId === 'priority' && field.allowedValues) {
          priorities = field.allowedValues.filter((v) => v.id && v.name).map((v) => ({ id: v.id!, name: v.name! }));
        }
      }
      startAt += body.fields.length;
      if (body.fields.length === 0 || body.total === undefined || startAt >= body.total) break;
    }
    const statusesOperation = 'GET /rest/api/3/project/{key}/statuses';
    const statusesResponse = await requestJiraAsApp(
      statusesOperation,
      route`/rest/api/3/project/${projectKey}/statuses`,
    );
    const byType = parseJiraBody(statusesOperation, ProjectStatusesBodySchema, statusesResponse.body);
    const statuses = (byType.find((t) => t.id === issueTypeId)?.statuses ?? []).map((s) => ({
      id: s.id,
      name: s.name,
      statusCategoryKey: s.statusCategory.key,
    }));
    return { projectKey, issueTypeId, fields, priorities, statuses };
  },

  async getEditMeta(issueId) {
    const operation = 'GET /rest/api/3/issue/{id}/editmeta';
    try {
      const response = await requestJiraAsApp(operation, route`/rest/api/3/issue/${issueId}/editmeta`);
      const body = parseJiraBody(operation, EditMetaBodySchema, response.body);
      const fields: IssueTypeMeta['fields'] = {};
      for (const [fieldId, field] of Object.entries(body.fields)) fields[fieldId] = toFieldMeta(field);
      return fields;
    } catch (error) {
      if (error instanceof JiraApiError && error.status === 404) return undefined;
      throw error;
    }
  },

  async findAccountIdByEmail(email) {
    const operation = 'GET /rest/api/3/user/search';
    const response = await requestJiraAsApp(operation, route`/rest/api/3/user/search?query=${email}&maxResults=10`);
    const users = parseJiraBody(operation, UsersBodySchema, response.body).filter(
      (u) => u.active !== false && u.accountType !== 'app',
    );
    const exact = users.filter((u) => u.emailAddress?.toLowerCase() === email.toLowerCase());
    if (exact.length === 1) return exact[0]!.accountId;
    // Jira hides email addresses by privacy setting: a single match for the query is the person.
    return exact.length === 0 && users.length === 1 ? users[0]!.accountId : undefined;
  },
};
