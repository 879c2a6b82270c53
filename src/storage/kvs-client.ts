import { Filter, FilterConditions, kvs as forgeKvs, WhereConditions } from '@forge/kvs';
import { translateStorageError } from './kvs-errors';

/**
 * `@forge/kvs` as the repositories use it: the same API, with every failure translated once
 * (`translateStorageError`) — also those of the query and transaction builders' terminal calls.
 * Repositories import `kvs` from here, never from `@forge/kvs`.
 */

function translated<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(object, args);
        } catch (error) {
          throw translateStorageError(error);
        }
        if (result instanceof Promise)
          return result.catch((error: unknown) => {
            throw translateStorageError(error);
          });
        // Builders (query, transaction) return themselves: keep translating down the chain.
        return result !== null && typeof result === 'object' ? translated(result) : result;
      };
    },
  });
}

export const kvs: typeof forgeKvs = translated(forgeKvs);
export { Filter, FilterConditions, WhereConditions };
