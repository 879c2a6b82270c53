import { route } from '@forge/api';
import { z } from 'zod';
import type { IssueTypeMeta } from '../domain/issue-fields';
import { JiraApiError } from '../usecases/errors';
import type { JiraGateway } from '../usecases/ports';
import { parseJiraBody, requestJiraAsApp } from './jira-client';
import { StatusSchema } from './jira-status-schema';

/** What a project + issue type's create screen and an issue's edit screen hold: fields, priorities, statuses. */

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

export const issueMetadata: Pick<JiraGateway, 'getIssueTypeMeta' | 'getEditMeta'> = {
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
};
