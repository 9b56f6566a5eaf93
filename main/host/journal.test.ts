/** The journal file itself: durable lines, torn writes, folding, bounded reads, rotation, export. */
import {
  appendFileSync,
  mkdirSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../shared/plan';
import { Journal } from './journal';
import { BusyError, lockKeysOf, ObjectLocks } from './locks';

const dir = () => mkdtempSync(join(tmpdir(), 'dda-journal-unit-'));

function plan(id = 'p1'): Plan {
  const step = (n: number) => ({
    id: `s${n}`,
    kind: 'add-device' as const,
    description: { en: `Step ${n}`, 'zh-CN': `第 ${n} 步` },
    action: {
      script: 'op-add-device',
      params: { VmId: 'vm-1', LocationPath: `PCIROOT(0)#PCI(0${n}00)` },
      command: `cmd ${n}`,
    },
    undo: {
      script: 'op-remove-device',
      params: { VmId: 'vm-1', LocationPath: `PCIROOT(0)#PCI(0${n}00)` },
      command: `undo ${n}`,
    },
  });
  return {
    id,
    intent: { kind: 'return-orphans' },
    choices: { consents: [], startVmAfter: false },
    title: { en: 'Test plan', 'zh-CN': '测试' },
    computerName: 'HV01',
    inventoryReadAt: '2026-01-01T00:00:00Z',
    blocked: null,
    consents: [],
    offersStartVmAfter: false,
    steps: [step(1), step(2), step(3)],
    warnings: [],
    script: '',
  };
}
const at = '2026-11-25T00:00:00.000Z';

describe('Journal', () => {
  it('folds records into operations: done, in flight, failed, undone, ended', () => {
    const j = new Journal(dir());
    j.append({ t: 'op-start', op: 'a', at, plan: plan() });
    j.append({ t: 'step-start', op: 'a', at, step: 's1' });
    j.append({ t: 'step-done', op: 'a', at, step: 's1', ms: 5 });
    j.append({ t: 'step-start', op: 'a', at, step: 's2' });
    j.append({ t: 'op-start', op: 'b', at, plan: plan('p2') });
    j.append({ t: 'step-start', op: 'b', at, step: 's1' });
    j.append({ t: 'step-failed', op: 'b', at, step: 's1', ms: 3, error: { message: 'nope' } });
    j.append({ t: 'op-end', op: 'b', at, status: 'rolled-back' });
    const [a, b] = j.operations();
    expect(a).toMatchObject({ op: 'a', done: ['s1'], inFlight: 's2', ended: null });
    expect(b).toMatchObject({ op: 'b', done: [], inFlight: null, failed: 's1', ended: 'rolled-back' });
    expect(j.findUnfinished().map((o) => o.op)).toEqual(['a']);
  });

  it('skips a torn last line (a crash mid-write) and survives garbage', () => {
    const d = dir();
    const j = new Journal(d);
    j.append({ t: 'op-start', op: 'a', at, plan: plan() });
    appendFileSync(j.file, '{"t":"step-start","op":"a","at":"x","st');
    expect(new Journal(d).findUnfinished()).toHaveLength(1);
    expect(new Journal(d).records()).toHaveLength(1);
  });

  it('reads at most maxReadBytes from the tail, never a partial first line', () => {
    const d = dir();
    const j = new Journal(d, { maxReadBytes: 4096, rotateBytes: 1e9 });
    for (let i = 0; i < 200; i++) j.append({ t: 'step-done', op: `op-${i}`, at, step: 's1', ms: i });
    expect(statSync(j.file).size).toBeGreaterThan(4096 * 2);
    const recs = j.records();
    expect(recs.length).toBeGreaterThan(10);
    expect(recs.length).toBeLessThan(200);
    expect(recs.at(-1)).toMatchObject({ op: 'op-199' });
    for (const r of recs) expect(r.t).toBe('step-done');
  });

  it('rotates a large file at the next operation start, but never away from an unfinished operation', () => {
    const d = dir();
    const j = new Journal(d, { rotateBytes: 2000 });
    j.append({ t: 'op-start', op: 'a', at, plan: plan() });
    j.append({ t: 'op-start', op: 'b', at, plan: plan() }); // 'a' is unfinished: no rotation
    expect(existsSync(join(d, 'journal.1.jsonl'))).toBe(false);
    j.append({ t: 'op-end', op: 'a', at, status: 'succeeded' });
    j.append({ t: 'op-end', op: 'b', at, status: 'succeeded' });
    j.append({ t: 'op-start', op: 'c', at, plan: plan() });
    expect(existsSync(join(d, 'journal.1.jsonl'))).toBe(true);
    expect(j.operations().map((o) => o.op)).toEqual(['c']);
  });

  it('an operation starts and is journaled even when its rotation is refused (journal.1.jsonl cannot be replaced)', () => {
    const d = dir();
    const j = new Journal(d, { rotateBytes: 2000 });
    mkdirSync(join(d, 'journal.1.jsonl')); // a rename over it fails, as over a file Windows holds open
    for (const op of ['a', 'b']) {
      j.append({ t: 'op-start', op, at, plan: plan() });
      j.append({ t: 'op-end', op, at, status: 'succeeded' });
    }
    expect(statSync(join(d, 'journal.jsonl')).size).toBeGreaterThan(2000);
    j.append({ t: 'op-start', op: 'c', at, plan: plan() });
    expect(j.operations().map((o) => o.op)).toEqual(['a', 'b', 'c']);
    expect(j.findUnfinished().map((o) => o.op)).toEqual(['c']);
  });

  it('remembers the earliest replaced VM settings and forgets them once restored', () => {
    const j = new Journal(dir());
    j.updateRememberedVmSettings({
      remember: { v1: { automaticStopAction: 'Save', highMemoryMappedIoSpace: 1 } },
      forget: [],
    });
    j.updateRememberedVmSettings({
      remember: { v1: { automaticStopAction: 'TurnOff', guestControlledCacheTypes: false } },
      forget: [],
    });
    expect(j.rememberedVmSettings()).toEqual({
      v1: { automaticStopAction: 'Save', highMemoryMappedIoSpace: 1, guestControlledCacheTypes: false },
    });
    j.updateRememberedVmSettings({ remember: {}, forget: ['v1'] });
    expect(j.rememberedVmSettings()).toEqual({});
  });

  it('a corrupt or crafted vm-originals.json is kept aside and said so, never read as "nothing recorded"', () => {
    for (const bad of ['{ not json', JSON.stringify({ v1: { automaticStopAction: { ours: '$(Stop-Computer)' } } })]) {
      const d = dir();
      const j = new Journal(d);
      writeFileSync(join(d, 'vm-originals.json'), bad);
      expect(j.lostVmSettings()).toBeNull();
      expect(j.rememberedVmSettings()).toEqual({});
      expect(existsSync(join(d, 'vm-originals.json'))).toBe(false);
      const aside = readdirSync(d).filter((f) => f.startsWith('vm-originals.corrupt-'));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(d, aside[0]!), 'utf8')).toBe(bad);
      expect(j.lostVmSettings()).toContain(aside[0]!);
      // a later start still knows, while the file is kept aside
      expect(new Journal(d).lostVmSettings()).toContain(aside[0]!);
    }
  });

  it('never writes through a link: a journal file or data folder that is a symbolic link is refused', () => {
    const d = dir();
    const victim = join(dir(), 'system-file.txt');
    writeFileSync(victim, 'original');
    symlinkSync(victim, join(d, 'journal.jsonl'));
    const j = new Journal(d);
    expect(() => j.append({ t: 'recover-start', op: 'x', at, action: 'rollback' })).toThrow(/is a link/);
    expect(readFileSync(victim, 'utf8')).toBe('original');
    const linkedDir = join(dir(), 'linked');
    symlinkSync(dir(), linkedDir);
    expect(() => new Journal(linkedDir)).toThrow(/is a link/);
    expect(() => j.updateRememberedVmSettings({ remember: {}, forget: [] })).not.toThrow();
  });

  it('exports the activity log as text with titles, steps, commands, errors and outcomes', () => {
    const j = new Journal(dir());
    j.append({ t: 'op-start', op: 'a', at, plan: plan() });
    j.append({ t: 'step-start', op: 'a', at, step: 's1', command: 'cmd 1' });
    j.append({
      t: 'step-failed',
      op: 'a',
      at,
      step: 's1',
      ms: 3,
      error: { message: 'boom', fullyQualifiedErrorId: 'X,Y' },
    });
    j.append({ t: 'op-end', op: 'a', at, status: 'rolled-back', failedStep: 's1' });
    const text = j.exportText();
    expect(text).toContain('START  Test plan');
    expect(text).toContain('step s1 Step 1');
    expect(text).toContain('> cmd 1');
    expect(text).toContain('FAILED s1 after 3 ms: boom [X,Y]');
    expect(text).toContain('END    rolled-back (step s1 failed)');
    writeFileSync(join(dir(), 'x.log'), text);
    expect(readFileSync(j.file, 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
  });
});

describe('ObjectLocks', () => {
  it('takes all keys or none, refuses a busy object with code busy, and releases once', () => {
    const locks = new ObjectLocks();
    const release = locks.acquire(['device:A', 'vm:1'], 'first');
    expect(() => locks.acquire(['vm:2', 'VM:1'], 'second')).toThrow(BusyError);
    try {
      locks.acquire(['device:a'], 'third');
    } catch (e) {
      expect((e as BusyError).code).toBe('busy');
      expect((e as Error).message).toMatch(/That device is busy .*first/);
    }
    expect(locks.heldKeys().sort()).toEqual(['DEVICE:A', 'VM:1']);
    const other = locks.acquire(['vm:2'], 'second'); // nothing of the failed attempt was kept
    release();
    release();
    expect(locks.heldKeys()).toEqual(['VM:2']);
    other();
  });

  it("a plan's lock keys cover the devices and VMs of its steps and undos", () => {
    expect(
      lockKeysOf(plan())
        .filter((k, i, a) => a.indexOf(k) === i)
        .sort(),
    ).toEqual(['device:PCIROOT(0)#PCI(0100)', 'device:PCIROOT(0)#PCI(0200)', 'device:PCIROOT(0)#PCI(0300)', 'vm:vm-1']);
  });
});
