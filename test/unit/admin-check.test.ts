import { ADMIN_CHECK_TTL_SECONDS, isJiraAdmin } from '../../src/usecases/admin/admin-check';

function harness(answers: boolean[]) {
  const store = new Map<string, unknown>();
  let now = Date.UTC(2026, 2, 2, 14, 0, 0);
  let asked = 0;
  const deps = {
    cache: {
      get: async (name: string) => store.get(name),
      put: async (name: string, value: unknown) => void store.set(name, value),
    },
    askJira: async () => answers[asked++] ?? false,
    now: () => new Date(now),
  };
  return { deps, asked: () => asked, advance: (ms: number) => (now += ms) };
}

describe('admin check cache', () => {
  it('remembers a yes for at most the TTL: a revoked admin is refused after it', async () => {
    const h = harness([true, false]);
    expect(await isJiraAdmin('acc-1', h.deps)).toBe(true);
    h.advance(ADMIN_CHECK_TTL_SECONDS * 1000 - 1);
    expect(await isJiraAdmin('acc-1', h.deps)).toBe(true);
    expect(h.asked()).toBe(1);
    h.advance(1); // even if KVS has not dropped the key yet
    expect(await isJiraAdmin('acc-1', h.deps)).toBe(false);
    expect(h.asked()).toBe(2);
  });

  it('never remembers a no, keeps accounts apart, and asks every time without an account', async () => {
    const h = harness([false, true, true, true]);
    expect(await isJiraAdmin('acc-2', h.deps)).toBe(false);
    expect(await isJiraAdmin('acc-2', h.deps)).toBe(true);
    expect(await isJiraAdmin('acc-3', h.deps)).toBe(true);
    expect(await isJiraAdmin(undefined, h.deps)).toBe(true);
    expect(h.asked()).toBe(4);
  });
});
