import type { FieldMapping, FieldSource as ContractFieldSource } from '../../src/contracts/admin-api';
import { checkFieldCompatibility, FIELD_SOURCE_LABELS } from '../../src/contracts/field-compatibility';
import { FieldSourceSchema } from '../../src/domain/config';
import { readFindingSource } from '../../src/domain/custom-field';
import {
  classifySource,
  FIELD_SOURCES,
  type FieldSource,
  type FieldSourceTable,
  type KnownFieldSource,
} from '../../src/domain/field-sources';
import { buildFinding } from '../builders/finding';

/**
 * The finding-value sources are one typed list: the config schema, the runtime reader, the admin
 * check and the page's labels are all keyed by it, so a drift fails to compile. The
 * `@ts-expect-error` lines below are checked by `npm run typecheck` (tsc includes test/): each
 * stops compiling — and so fails the build — the day the mistake it shows becomes possible.
 */

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

describe('field sources are typed', () => {
  it('one type across the contract, the config document and the domain', () => {
    const sameAsContract: Equal<ContractFieldSource, FieldSource> = true;
    const sameAsConfig: Equal<FieldMapping['source'], FieldSource> = true;
    expect([sameAsContract, sameAsConfig]).toEqual([true, true]);
  });

  it('a source outside the list does not compile', () => {
    // @ts-expect-error 'cvss.base' is not a finding value
    const typo: FieldSource = 'cvss.base';
    // @ts-expect-error the admin check takes typed sources only
    checkFieldCompatibility('severity.level', { name: 'X', schema: { type: 'string' } });
    // @ts-expect-error the runtime reader takes typed sources only
    const unread = readFindingSource(buildFinding(), 'owner.name');
    const attribute: FieldSource = 'attributes.team';
    expect([typo, unread, attribute]).toEqual(['cvss.base', undefined, 'attributes.team']);
  });

  it('a table keyed by source must name every source, and only those', () => {
    // @ts-expect-error a table missing sources does not compile
    const missing: FieldSourceTable<string> = { title: 'Title' };
    const extra: FieldSourceTable<string> = {
      ...FIELD_SOURCE_LABELS,
      // @ts-expect-error an unknown key does not compile
      'cvss.base': 'CVSS base',
    };
    expect(Object.keys(missing)).toEqual(['title']);
    expect(Object.keys(extra)).toContain('cvss.base');
  });

  it.each(FIELD_SOURCES.map((source) => [source] as const))('%s has a label, a kind and a reader', (source) => {
    const known: KnownFieldSource = source;
    expect(FIELD_SOURCE_LABELS[known]).toEqual(expect.any(String));
    expect(classifySource(known)).toEqual(expect.any(String));
    expect(readFindingSource(buildFinding({ cve: ['CVE-2024-1'] }), known)).toBeDefined();
    expect(FieldSourceSchema.safeParse(known).success).toBe(true);
  });

  it.each(['cvss.base', 'attributes.', 'attributes.a b', 'Title'])('the config schema refuses %j', (source) => {
    expect(FieldSourceSchema.safeParse(source).success).toBe(false);
  });
});
