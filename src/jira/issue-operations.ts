import { route } from '@forge/api';
import { z } from 'zod';
import type { IssueCreateRequest } from '../domain/issue-fields';
import { JiraApiError } from '../usecases/errors';
import type { AvailableTransition, BulkCreateResult, IssueStatusSnapshot, JiraGateway } from '../usecases/ports';
import { parseJiraBody, requestJiraAsApp } from './jira-client';
import { StatusSchema } from './jira-status-schema';

/** Jira REST v3 writes of the sync: bulk create, edit, an issue's status and its transitions. */

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

export const issueOperations: Pick<
  JiraGateway,
  'bulkCreateIssues' | 'editIssue' | 'getIssueStatus' | 'getTransitions' | 'transitionIssue'
> = {
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
};
