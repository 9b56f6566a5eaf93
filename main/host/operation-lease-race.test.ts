/**
 * Two processes that start an operation on the same device at the same moment: each publishes its lease
 * and then reads the others (operation-lease.ts), so at most one of them goes ahead, whatever the order
 * in which their steps interleave. Both may be refused; never both run.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROUNDS = 25;

/** A process that, round by round, waits for the start signal, takes a lease and says how it went. */
function racer(d: string, who: string): string {
  const script = join(d, `${who}.ts`);
  writeFileSync(
    script,
    `import { existsSync, renameSync, writeFileSync } from 'node:fs';\n` +
      `import { join } from 'node:path';\n` +
      `import { takeLease } from ${JSON.stringify(join(import.meta.dirname, 'operation-lease.ts'))};\n` +
      `const d = ${JSON.stringify(d)};\n` +
      `writeFileSync(join(d, 'ready-${who}'), '');\n` +
      `for (let r = 0; r < ${ROUNDS}; r++) {\n` +
      `  while (!existsSync(join(d, 'go-' + r))) {}\n` +
      `  const lease = takeLease(join(d, 'data'), '${who}-' + r, 'operation', () => [], { keys: ['device:PCIROOT(0)#PCI(' + r + ')'], title: 'race' });\n` +
      // written whole, then renamed: the test never reads a result half-written
      `  writeFileSync(join(d, 'tmp-${who}'), 'release' in lease ? 'ran' : 'refused');\n` +
      `  renameSync(join(d, 'tmp-${who}'), join(d, 'result-${who}-' + r));\n` +
      `  while (!existsSync(join(d, 'done-' + r))) {}\n` +
      `  if ('release' in lease) lease.release();\n` +
      `}\n`,
  );
  return script;
}

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 2));
};

describe('operation leases between processes', () => {
  it('of two processes that start an operation on the same device at once, never both run', async () => {
    const d = mkdtempSync(join(tmpdir(), 'dda-lease-race-'));
    const children = ['a', 'b'].map((who) =>
      spawn(process.execPath, ['--import', 'tsx', racer(d, who)], { stdio: 'ignore' }),
    );
    const exits = children.map((c) => once(c, 'exit'));
    try {
      await until(() => existsSync(join(d, 'ready-a')) && existsSync(join(d, 'ready-b')));
      const outcomes: string[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        writeFileSync(join(d, `go-${r}`), '');
        const results = ['a', 'b'].map((who) => join(d, `result-${who}-${r}`));
        await until(() => results.every((f) => existsSync(f)));
        const [a, b] = results.map((f) => readFileSync(f, 'utf8'));
        outcomes.push(`${a}/${b}`);
        writeFileSync(join(d, `done-${r}`), '');
      }
      expect(outcomes).not.toContain('ran/ran');
      // Each round, one that ran kept the other out, or both saw each other: every round is one of those.
      for (const o of outcomes) expect(['ran/refused', 'refused/ran', 'refused/refused']).toContain(o);
    } finally {
      for (const c of children) c.kill('SIGKILL');
      await Promise.all(exits);
    }
  }, 60_000);
});
