import { z } from 'zod';
import type { IssueTypeMeta } from '../domain/issue-fields';
import { sha256Hex } from '../domain/hash';
import type { CacheStore, JiraGateway } from './ports';

/**
 * Jira metadata the sync needs, fetched once per project + issue type and shared through a KVS
 * cache (10 minutes), so Jira calls per finding stay near the bulk-create floor. Email → account id
 * lookups are cached for a day.
 */
const META_TTL_SECONDS = 600;
const EMAIL_TTL_SECONDS = 24 * 3600;

const FieldsMetaSchema = z.record(
  z.string(),
  z.object({
    name: z.string().optional(),
    required: z.boolean(),
    schema: z.object({
      type: z.string(),
      items: z.string().optional(),
      custom: z.string().optional(),
      system: z.string().optional(),
    }),
    allowedValues: z
      .array(z.object({ id: z.string().optional(), value: z.string().optional(), name: z.string().optional() }))
      .optional(),
  }),
);

const IssueTypeMetaSchema = z.object({
  projectKey: z.string(),
  issueTypeId: z.string(),
  fields: FieldsMetaSchema,
  priorities: z.array(z.object({ id: z.string(), name: z.string() })),
  statuses: z.array(z.object({ id: z.string(), name: z.string(), statusCategoryKey: z.string() })),
});

export class JiraMetadata {
  private readonly metas = new Map<string, Promise<IssueTypeMeta>>();
  private readonly emails = new Map<string, Promise<string | undefined>>();
  private readonly editMetas = new Map<string, Promise<IssueTypeMeta['fields'] | undefined>>();

  constructor(
    private readonly deps: {
      jira: Pick<JiraGateway, 'getIssueTypeMeta' | 'findAccountIdByEmail' | 'getEditMeta'>;
      cache: CacheStore;
    },
  ) {}

  /**
   * The edit screen of a project + issue type, read through one of its issues (`editmeta`) and
   * shared like the create metadata. An empty answer (an issue in a status that is not editable)
   * is not shared; `undefined` when that issue no longer exists.
   */
  editFields(
    meta: Pick<IssueTypeMeta, 'projectKey' | 'issueTypeId'>,
    issueId: string,
  ): Promise<IssueTypeMeta['fields'] | undefined> {
    const name = `editmeta:${meta.projectKey}:${meta.issueTypeId}`;
    let pending = this.editMetas.get(name);
    if (!pending) {
      pending = (async () => {
        const cached = FieldsMetaSchema.safeParse(await this.deps.cache.get(name));
        if (cached.success) return cached.data;
        const fields = await this.deps.jira.getEditMeta(issueId);
        if (fields && Object.keys(fields).length > 0) await this.deps.cache.put(name, fields, META_TTL_SECONDS);
        return fields;
      })();
      const shared = pending;
      pending.then(
        (fields) => {
          if (!fields || Object.keys(fields).length === 0) this.editMetas.delete(name);
        },
        () => this.editMetas.delete(name),
      );
      this.editMetas.set(name, shared);
    }
    return pending;
  }

  issueTypeMeta(projectKey: string, issueType: { id?: string; name?: string }): Promise<IssueTypeMeta> {
    const name = `meta:${projectKey}:${issueType.id ?? `name-${sha256Hex(issueType.name ?? '').slice(0, 16)}`}`;
    let pending = this.metas.get(name);
    if (!pending) {
      pending = (async () => {
        const cached = IssueTypeMetaSchema.safeParse(await this.deps.cache.get(name));
        if (cached.success) return cached.data;
        const meta = await this.deps.jira.getIssueTypeMeta(projectKey, issueType);
        await this.deps.cache.put(name, meta, META_TTL_SECONDS);
        return meta;
      })();
      pending.catch(() => this.metas.delete(name));
      this.metas.set(name, pending);
    }
    return pending;
  }

  accountIdForEmail(email: string): Promise<string | undefined> {
    const name = `email:${sha256Hex(email.trim().toLowerCase()).slice(0, 32)}`;
    let pending = this.emails.get(name);
    if (!pending) {
      pending = (async () => {
        const cached = z.object({ accountId: z.string().nullable() }).safeParse(await this.deps.cache.get(name));
        if (cached.success) return cached.data.accountId ?? undefined;
        const accountId = await this.deps.jira.findAccountIdByEmail(email);
        await this.deps.cache.put(name, { accountId: accountId ?? null }, EMAIL_TTL_SECONDS);
        return accountId;
      })();
      pending.catch(() => this.emails.delete(name));
      this.emails.set(name, pending);
    }
    return pending;
  }
}
