/**
 * `dda` on this machine says what opening its data folder did (the one-time copy of an older version's
 * files, or why it failed); before, only the window did. The copy itself is Windows-only
 * (data-dir.test.ts covers it): here its outcome is given, and the CLI's own output is checked.
 */
import { describe, expect, it, vi } from 'vitest';

const outcome = vi.hoisted(() => ({
  value: { dir: '/nowhere/DDA Studio', copied: [] as string[], error: null as string | null },
}));
vi.mock('../data-dir', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../data-dir')>()),
  openLocalHostDataDir: () => outcome.value,
}));

const { openCliHost } = await import('./cli-host');

async function opened(): Promise<{ err: string[]; dataDir: string }> {
  const err: string[] = [];
  const host = await openCliHost({}, { out: () => {}, err: (t) => err.push(t) });
  await host.close();
  return { err, dataDir: host.dataDir };
}

describe("dda and this machine's data folder", () => {
  it('says on stderr why the copy failed, and uses the folder the files are in', async () => {
    outcome.value = { dir: '/roaming/DDA Studio', copied: [], error: "This host's data could not be copied (EACCES)" };
    expect(await opened()).toEqual({
      err: ["dda: This host's data could not be copied (EACCES)"],
      dataDir: '/roaming/DDA Studio',
    });
  });

  it('says what was copied, once; says nothing when nothing happened', async () => {
    outcome.value = { dir: '/local/DDA Studio', copied: ['journal.jsonl'], error: null };
    expect((await opened()).err).toEqual([
      "dda: This host's data was copied to /local/DDA Studio from the data folder: journal.jsonl",
    ]);
    outcome.value = { dir: '/local/DDA Studio', copied: [], error: null };
    expect(await opened()).toEqual({ err: [], dataDir: '/local/DDA Studio' });
  });
});
