import { valueText } from '../value-text';
import type { JiraSite } from '../jira-site';
import type { BulkElementFault } from '../faults';
import type { SearchIndex } from '../search-index';
import type { EntityPropertyIndex } from '../jql-search';
import type { HttpMethod } from '../openapi-validator';
import type { JiraActor, JiraIssueRecord, JiraProductEvent } from '../types';

export interface HandlerContext {
  site: JiraSite;
  actor: JiraActor;
  /** The acting account: the user, or the app's own account for `{kind: 'app'}`. */
  actorId: string;
  params: Record<string, string>;
  /** Query parameters after OpenAPI validation (numbers and booleans coerced, arrays as arrays). */
  query: Record<string, unknown>;
  body: unknown;
  rawBody: string | undefined;
  emit(events: JiraProductEvent[]): void;
  /** Throws a 429 when the per-issue write limit is exceeded. */
  guardIssueWrite(issue: JiraIssueRecord): void;
  propertyIndex: EntityPropertyIndex[] | undefined;
  /** What `search/jql` sees (lagging behind writes). */
  searchIndex: SearchIndex;
  /** Bulk create only: the elements this request fails on purpose (`faults.failBulkElements`). */
  takeBulkElementFaults(): Map<number, BulkElementFault>;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: HandlerContext) => HandlerResult;

export interface RouteDefinition {
  method: HttpMethod;
  /** Path template exactly as in the OpenAPI document. */
  template: string;
  handler: Handler;
}

export function queryString(ctx: HandlerContext, name: string): string | undefined {
  const v = ctx.query[name];
  const last: unknown = Array.isArray(v) ? v[v.length - 1] : v;
  return last === undefined || last === null ? undefined : valueText(last);
}

/** A list parameter: repeated (`a=1&a=2`) and comma-separated (`a=1,2`) forms both accepted. */
export function queryList(ctx: HandlerContext, name: string): string[] | undefined {
  const v = ctx.query[name];
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return list
    .flatMap((x) => String(x).split(','))
    .map((x) => x.trim())
    .filter(Boolean);
}

export function queryInt(ctx: HandlerContext, name: string, fallback: number): number {
  const v = queryString(ctx, name);
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) ? n : fallback;
}

export function queryBool(ctx: HandlerContext, name: string): boolean {
  const v = queryString(ctx, name);
  return v === 'true';
}

export function paginate<T>(
  items: T[],
  startAt: number,
  maxResults: number,
): { values: T[]; startAt: number; maxResults: number; total: number; isLast: boolean } {
  const values = items.slice(startAt, startAt + maxResults);
  return { values, startAt, maxResults, total: items.length, isLast: startAt + values.length >= items.length };
}
