// The import picture of docs/architecture.md, kept honest: no circle anywhere, and in main/ every
// product file imports only its own folder or a lower room (host/ never imports hosts/, hosts/ never
// api/, ...). Test files may reach up (they exercise the rooms from outside); no product file imports
// a test or the testing/ harness.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './project-root';

/** The rooms of main/, lowest first; a product file imports only its own room or a lower one. */
const rooms: Record<string, number> = {
  shared: 0,
  main: 1, // main/*.ts: data files, the project root, the installed build's trust rules
  'main/settings': 2,
  'main/powershell': 2,
  'main/simulator': 2,
  'main/host': 3,
  'main/diagnose': 3, // dda doctor and host capture: read a host, beside host/
  'main/hosts': 4,
  'main/api': 5,
  'main/server': 6,
  'main/cli': 6,
  'main/electron': 7,
};

/** Tests, the e2e suite and the testing/ harness: they exercise the rooms from outside. */
const isTest = (file: string) =>
  /\.(test|spec)\.tsx?$/.test(file) || file.startsWith('e2e/') || file.startsWith('testing/');

function sourceFiles(root: string, dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && name !== 'test-fixtures') walk(path);
      } else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const d of dirs) if (existsSync(join(root, d))) walk(join(root, d));
  return out;
}

/** Each file's relative imports (static, re-exports and dynamic), resolved to repository paths. */
function importGraph(root: string, dirs: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root, dirs)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets: string[] = [];
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const base = resolve(dirname(file), fileName);
      const hit = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find(
        (c) => existsSync(c) && statSync(c).isFile(),
      );
      if (hit) targets.push(relative(root, hit).split('\\').join('/'));
    }
    graph.set(relative(root, file).split('\\').join('/'), targets);
  }
  return graph;
}

/** Every circle of imports (strongly connected components of more than one file, or a file importing itself). */
function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** The room a file lives in (its folder under main/, or shared/), or null outside the ranked rooms. */
function roomOf(file: string): string | null {
  const parts = file.split('/');
  if (parts[0] === 'shared') return 'shared';
  if (parts[0] !== 'main') return null;
  return parts.length === 2 ? 'main' : `main/${parts[1]}`;
}

/** Imports of product files that reach a higher room, a peer room, a test or the testing/ harness. */
function upwardImports(graph: Map<string, string[]>): string[] {
  const bad: string[] = [];
  for (const [from, targets] of graph) {
    if (isTest(from)) continue;
    const room = roomOf(from);
    for (const to of targets) {
      if (isTest(to)) {
        bad.push(`${from} -> ${to} (a product file imports test code)`);
        continue;
      }
      const target = roomOf(to);
      if (room === null || target === null || target === room) continue;
      const [a, b] = [rooms[room], rooms[target]];
      if (a === undefined || b === undefined)
        bad.push(`${from} -> ${to} (a room missing from the table in import-graph.test.ts)`);
      else if (b >= a) bad.push(`${from} -> ${to} (${room} may not import ${target})`);
    }
  }
  return bad;
}

describe('the import picture', () => {
  const graph = importGraph(projectRoot(), ['shared', 'main', 'renderer/src', 'e2e', 'testing']);

  it('reads the repository (a graph of hundreds of files, not an empty walk)', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('main/host/operations.ts')).toContain('main/host/journal-recovery.ts');
  });

  it('has no circle', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('has no upward arrow: each product file imports its own room or a lower one', () => {
    expect(upwardImports(graph)).toEqual([]);
  });

  it('finds the circles and arrows it is meant to find', () => {
    const sample = new Map([
      ['main/host/a.ts', ['main/host/b.ts']],
      ['main/host/b.ts', ['main/host/c.ts']],
      ['main/host/c.ts', ['main/host/a.ts', 'main/hosts/pool.ts']],
      ['main/hosts/pool.ts', ['shared/plan.ts', 'testing/harness.ts']],
      ['main/hosts/pool.test.ts', ['main/api/x.ts']],
    ]);
    expect(importCycles(sample)).toEqual([['main/host/a.ts', 'main/host/b.ts', 'main/host/c.ts']]);
    expect(upwardImports(sample)).toEqual([
      'main/host/c.ts -> main/hosts/pool.ts (main/host may not import main/hosts)',
      'main/hosts/pool.ts -> testing/harness.ts (a product file imports test code)',
    ]);
  });
});
