import { z } from 'zod';

/**
 * Request bodies exactly as @forge/kvs 1.6.x builds them (storage-api.js, query.js,
 * transaction-api.js, utils/transaction-request-builder.js). Objects are strict so that a field the
 * sandbox does not understand (a newer package, a typo) fails loudly instead of being ignored.
 */
export const MetadataFieldSchema = z.enum(['CREATED_AT', 'UPDATED_AT', 'EXPIRE_TIME']);
export type MetadataField = z.infer<typeof MetadataFieldSchema>;

export const GetOptionsSchema = z.strictObject({
  metadataFields: z.array(MetadataFieldSchema).optional(),
});

export const TtlSchema = z.strictObject({
  value: z.number().int().positive(),
  unit: z.enum(['SECONDS', 'MINUTES', 'HOURS', 'DAYS']),
});
export type Ttl = z.infer<typeof TtlSchema>;

export const SetOptionsSchema = z.strictObject({
  ttl: TtlSchema.optional(),
});

export const ExtendedSetOptionsSchema = z.strictObject({
  ttl: TtlSchema.optional(),
  keyPolicy: z.enum(['OVERRIDE', 'FAIL_IF_EXISTS']).optional(),
  returnValue: z.enum(['PREVIOUS', 'LATEST']).optional(),
  returnMetadataFields: z.array(MetadataFieldSchema).optional(),
});
export type ExtendedSetOptions = z.infer<typeof ExtendedSetOptionsSchema>;

export const GetRequestSchema = z.strictObject({
  key: z.string(),
  options: GetOptionsSchema.optional(),
});

export const SetRequestSchema = z.strictObject({
  key: z.string(),
  value: z.unknown(),
  options: ExtendedSetOptionsSchema.optional(),
});

export const DeleteRequestSchema = z.strictObject({
  key: z.string(),
});

export const EntityGetRequestSchema = GetRequestSchema.extend({ entityName: z.string() });
export const EntitySetRequestSchema = SetRequestSchema.extend({ entityName: z.string() });
export const EntityDeleteRequestSchema = DeleteRequestSchema.extend({ entityName: z.string() });

/** `where` clauses are parsed loosely so that the documented query error codes can be reported. */
export const QueryRequestSchema = z.strictObject({
  limit: z.number().int().optional(),
  after: z.string().optional(),
  where: z
    .array(
      z.strictObject({
        property: z.string(),
        condition: z.string(),
        values: z.array(z.unknown()),
      }),
    )
    .optional(),
  options: z.strictObject({ metadataFields: z.array(MetadataFieldSchema).optional() }).optional(),
});
export type QueryRequest = z.infer<typeof QueryRequestSchema>;

export const BatchSetRequestSchema = z.array(
  z.strictObject({
    key: z.string(),
    value: z.unknown(),
    entityName: z.string().optional(),
    options: SetOptionsSchema.optional(),
  }),
);

export const BatchGetRequestSchema = z.array(
  z.strictObject({
    key: z.string(),
    entityName: z.string().optional(),
    options: GetOptionsSchema.optional(),
  }),
);

export const BatchDeleteRequestSchema = z.array(
  z.strictObject({
    key: z.string(),
    entityName: z.string().optional(),
  }),
);

export const FilterSchema = z.strictObject({
  property: z.string(),
  condition: z.string(),
  values: z.array(z.unknown()),
});
export type Filter = z.infer<typeof FilterSchema>;

/** `{ and: [...] }` or `{ or: [...] }` as built by buildConditionsRequest. */
export const ConditionsSchema = z.strictObject({
  and: z.array(FilterSchema).optional(),
  or: z.array(FilterSchema).optional(),
});
export type Conditions = z.infer<typeof ConditionsSchema>;

export const TransactionRequestSchema = z.strictObject({
  set: z
    .array(
      z.strictObject({
        key: z.string(),
        value: z.unknown(),
        entityName: z.string().optional(),
        conditions: ConditionsSchema.optional(),
        options: SetOptionsSchema.optional(),
      }),
    )
    .optional(),
  delete: z
    .array(
      z.strictObject({
        key: z.string(),
        entityName: z.string().optional(),
        conditions: ConditionsSchema.optional(),
      }),
    )
    .optional(),
  check: z
    .array(
      z.strictObject({
        key: z.string(),
        entityName: z.string().optional(),
        conditions: ConditionsSchema,
      }),
    )
    .optional(),
});
export type TransactionRequest = z.infer<typeof TransactionRequestSchema>;

/** One stored value. Times are epoch milliseconds. */
export const StoredItemSchema = z.strictObject({
  value: z.unknown(),
  createdAt: z.number(),
  updatedAt: z.number(),
  expiresAt: z.number().optional(),
});
export type StoredItem = z.infer<typeof StoredItemSchema> & { value: unknown };

/** Snapshot of the whole store (JSON-serialisable; secrets included, it is a local dev store). */
export const KvsStateSchema = z.strictObject({
  version: z.literal(1),
  keys: z.record(z.string(), StoredItemSchema),
  secrets: z.record(z.string(), StoredItemSchema),
  entities: z.record(z.string(), z.record(z.string(), StoredItemSchema)),
});
export type KvsState = z.infer<typeof KvsStateSchema>;

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`)
    .join('; ');
}
