import fc from 'fast-check';

/**
 * Mutants of real SARIF logs for property tests: every node of a log is a part, classified as the
 * reader sees it (domain/sarif-schema.ts). Structural parts (`version`, `runs`, a run, its tool and
 * driver name, `results`) are never mutated: changing them makes the body not SARIF at all. A part is
 * `needed` when a result needs it (its `ruleId`, `kind`, `level`, message text or id, suppressions,
 * primary location's uri, line and column, or the result itself): a bad value there may reject that
 * result alone. Every other part is read opportunistically (or not at all) and may never cost a result.
 */

export type Segment = string | number;
export type SarifPart = { path: Segment[]; needed: boolean; ordinal?: number };
export type Mutation = { part: SarifPart; value?: unknown; remove: boolean };

const STRUCTURAL = [
  /^version$/,
  /^runs$/,
  /^runs\.\d+$/,
  /^runs\.\d+\.tool$/,
  /^runs\.\d+\.tool\.driver$/,
  /^runs\.\d+\.tool\.driver\.name$/,
  /^runs\.\d+\.results$/,
];
const RESULT = /^runs\.(\d+)\.results\.(\d+)(?:\.(.*))?$/;
const NEEDED_IN_RESULT = [
  /^(ruleId|kind|level)(\..*)?$/,
  /^suppressions(\..*)?$/,
  /^message(\.(text|id))?$/,
  /^locations(\.\d+)?$/,
  /^locations\.\d+\.physicalLocation(\.artifactLocation(\.uri)?|\.region(\.(startLine|startColumn))?)?$/,
];

/** Every mutable part of the log, with the ordinal (over all runs) of the result it belongs to. */
export function sarifParts(log: unknown): SarifPart[] {
  const ordinals = new Map<string, number>();
  let next = 0;
  const runs = (log as { runs?: Array<{ results?: unknown[] | null }> | null }).runs ?? [];
  runs.forEach((run, r) => (run.results ?? []).forEach((_, i) => ordinals.set(`${r}.${i}`, next++)));

  const parts: SarifPart[] = [];
  const visit = (value: unknown, path: Segment[]) => {
    const key = path.join('.');
    if (path.length > 0 && !STRUCTURAL.some((p) => p.test(key))) {
      const result = RESULT.exec(key);
      if (result) {
        const ordinal = ordinals.get(`${result[1]}.${result[2]}`)!;
        const rest = result[3];
        parts.push({ path, ordinal, needed: rest === undefined || NEEDED_IN_RESULT.some((p) => p.test(rest)) });
      } else {
        parts.push({ path, needed: false });
      }
    }
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
    }
  };
  visit(log, []);
  return parts;
}

/** Strings a scanner might send: blank, control-only, bidi-only, lone surrogates, huge, template-like, unsafe URLs. */
const oddString: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\t\n ',
    '\u0000',
    '\u0000\u0007\u001B[31m',
    '\u202E',
    '\u2066\u2069',
    'invoice\u202Egnp.exe',
    '\uD800',
    '\uDFFF lone',
    '\u200B',
    '💥🔥'.repeat(50),
    'x'.repeat(50_000),
    '12',
    '3.5',
    'NaN',
    '{0} {1} {{',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'https://user:pw@example.com/',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Values of any type: wrong types, nulls, huge numbers, nested garbage. */
const oddAny: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -1,
    0.5,
    1e308,
    -1e308,
    2 ** 53 + 1,
    1e21,
    [],
    [null],
    [1, 'a', {}],
    {},
    { text: 5, id: [], arguments: 'x' },
    { physicalLocation: 7 },
    [[[[]]]],
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 2 }),
);

export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: oddString, weight: 2 },
  { arbitrary: oddAny, weight: 3 },
);

/** Picks a shape of path (indices as `*`), then a part of that shape: rare keys are tried as often as common ones. */
function partsArbitrary(parts: ReadonlyArray<SarifPart>): fc.Arbitrary<Mutation[]> {
  const byShape = new Map<string, SarifPart[]>();
  for (const p of parts) {
    const shape = p.path.map((s) => (typeof s === 'number' ? '*' : s)).join('.');
    byShape.set(shape, [...(byShape.get(shape) ?? []), p]);
  }
  const part = fc.constantFrom(...byShape.values()).chain((group) => fc.constantFrom(...group));
  const mutation = fc.oneof(
    fc.record({ part, value: oddValue, remove: fc.constant(false) }),
    fc.record({ part, remove: fc.constant(true) }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 });
}

/** Mutations of optional parts only, or (`needed`) of any mutable part; undefined when the log has none. */
export function mutationsOf(log: unknown, kind: 'optional' | 'any'): fc.Arbitrary<Mutation[]> | undefined {
  const parts = sarifParts(log).filter((p) => kind === 'any' || !p.needed);
  return parts.length > 0 ? partsArbitrary(parts) : undefined;
}

/**
 * Applies mutations to a copy, in order; one whose path no longer exists is skipped. A whole result
 * is never removed (it is replaced), so ordinals keep naming the same results. Returns the copy and
 * the ordinals of the results a needed part of which was changed.
 */
export function applyMutations(
  log: unknown,
  mutations: ReadonlyArray<Mutation>,
): { mutant: unknown; touched: Set<number> } {
  const mutant = structuredClone(log);
  const touched = new Set<number>();
  for (const { part, value, remove } of mutations) {
    let parent: unknown = mutant;
    for (const segment of part.path.slice(0, -1)) {
      parent =
        parent !== null && typeof parent === 'object' ? (parent as Record<Segment, unknown>)[segment] : undefined;
    }
    const last = part.path[part.path.length - 1]!;
    if (parent === null || typeof parent !== 'object' || !(last in parent)) continue;
    const wholeResult = part.ordinal !== undefined && part.path.length === 4;
    if (remove && !wholeResult) {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete (parent as Record<Segment, unknown>)[last];
    } else {
      (parent as Record<Segment, unknown>)[last] = remove ? null : structuredClone(value);
    }
    if (part.needed && part.ordinal !== undefined) touched.add(part.ordinal);
  }
  return { mutant, touched };
}

export function describeMutations(mutations: ReadonlyArray<Mutation>): string {
  return mutations
    .map((m) => `${m.part.path.join('.')} ${m.remove ? 'removed' : `= ${JSON.stringify(m.value)?.slice(0, 60)}`}`)
    .join('; ');
}
