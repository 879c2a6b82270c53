/**
 * What `import { z } from 'zod'` means inside the admin page bundle (build.ts redirects it here).
 *
 * zod's `z` is a namespace object; esbuild cannot tree-shake a namespace that is re-exported as a
 * value, so `z.object(...)` in src/contracts would pull every zod locale and the JSON-schema tools
 * into the page (~450 KB minified). Named imports shake well, so the page gets a `z` built from the
 * schema builders below (~110 KB). Other named exports pass through unchanged.
 *
 * A contract that uses a builder missing here fails at page load with a message naming it; add the
 * builder to the list.
 */
import {
  any,
  array,
  bigint,
  boolean,
  coerce,
  custom,
  date,
  discriminatedUnion,
  email,
  enum as enumOf,
  instanceof as instanceOf,
  int,
  intersection,
  iso,
  lazy,
  literal,
  looseObject,
  never,
  null as nullSchema,
  nullable,
  number,
  object,
  optional,
  preprocess,
  record,
  strictObject,
  string,
  tuple,
  undefined as undefinedSchema,
  union,
  unknown,
  url,
  uuid,
  ZodError,
  ZodType,
} from 'zod';

export * from 'zod';

const builders: Record<string, unknown> = {
  any,
  array,
  bigint,
  boolean,
  coerce,
  custom,
  date,
  discriminatedUnion,
  email,
  enum: enumOf,
  instanceof: instanceOf,
  int,
  intersection,
  iso,
  lazy,
  literal,
  looseObject,
  never,
  null: nullSchema,
  nullable,
  number,
  object,
  optional,
  preprocess,
  record,
  strictObject,
  string,
  tuple,
  undefined: undefinedSchema,
  union,
  unknown,
  url,
  uuid,
  ZodError,
  ZodType,
};

export const z = new Proxy(builders, {
  get(target, property) {
    if (typeof property === 'symbol' || property in target) return target[property as string];
    throw new Error(`z.${property} is not in the admin page's zod subset: add it to static/admin/src/zod-subset.ts`);
  },
});

export default z;
