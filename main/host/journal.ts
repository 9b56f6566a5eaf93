/**
 * The journal: append-only JSON lines in the data folder, flushed (fsync) per record, so an operation
 * cut short by a crash can be found and finished or rolled back. Also keeps the VM settings an
 * assignment replaced, so revert can restore them.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationOutcome, Plan, RawError } from '../../shared/plan';
import type { VmOriginals } from './planner';

export type JournalRecord =
  | { t: 'op-start'; op: string; at: string; plan: Plan }
  | { t: 'step-start'; op: string; at: string; step: string }
  | { t: 'step-done'; op: string; at: string; step: string; ms: number }
  | { t: 'step-failed'; op: string; at: string; step: string; ms: number; error: RawError }
  | { t: 'undo-start'; op: string; at: string; step: string }
  | { t: 'undo-done'; op: string; at: string; step: string; ms: number }
  | { t: 'undo-failed'; op: string; at: string; step: string; error: RawError }
  | { t: 'op-end'; op: string; at: string; status: OperationOutcome['status']; error?: RawError | null };

/** What the journal knows of one operation. */
export interface OperationRecord {
  op: string;
  plan: Plan;
  startedAt: string;
  done: string[];
  inFlight: string | null;
  undone: string[];
  ended: OperationOutcome['status'] | null;
}

/** Append-only journal in a folder (journal.jsonl + vm-originals.json). */
export class Journal {
  readonly file: string;
  private readonly originalsFile: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'journal.jsonl');
    this.originalsFile = join(dir, 'vm-originals.json');
  }

  /** Appends one record and flushes it to disk before returning. */
  append(record: JournalRecord): void {
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, JSON.stringify(record) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Every record; a torn last line (crash mid-write) is skipped. */
  records(): JournalRecord[] {
    if (!existsSync(this.file)) return [];
    const out: JournalRecord[] = [];
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as JournalRecord);
      } catch {
        // torn write: ignore
      }
    }
    return out;
  }

  /** Operations folded from the records, oldest first. */
  operations(): OperationRecord[] {
    const ops = new Map<string, OperationRecord>();
    for (const r of this.records()) {
      if (r.t === 'op-start') {
        ops.set(r.op, { op: r.op, plan: r.plan, startedAt: r.at, done: [], inFlight: null, undone: [], ended: null });
        continue;
      }
      const o = ops.get(r.op);
      if (!o) continue;
      if (r.t === 'step-start') o.inFlight = r.step;
      if (r.t === 'step-done') {
        o.done.push(r.step);
        o.inFlight = null;
      }
      if (r.t === 'step-failed') o.inFlight = null;
      if (r.t === 'undo-done') o.undone.push(r.step);
      if (r.t === 'op-end') o.ended = r.status;
    }
    return [...ops.values()];
  }

  /** Operations that started and never ended (a crash or a killed PowerShell). */
  unfinished(): OperationRecord[] {
    return this.operations().filter((o) => o.ended === null);
  }

  /** VM settings replaced by assignments, per VM id. */
  vmOriginals(): Record<string, VmOriginals> {
    try {
      return JSON.parse(readFileSync(this.originalsFile, 'utf8')) as Record<string, VmOriginals>;
    } catch {
      return {};
    }
  }

  /** Records originals (earliest wins) and forgets the VMs whose settings were restored. */
  updateVmOriginals(recorded: Record<string, VmOriginals>, restoredVmIds: string[]): void {
    const cur = this.vmOriginals();
    for (const [id, o] of Object.entries(recorded)) cur[id] = { ...o, ...cur[id] };
    for (const id of restoredVmIds) delete cur[id];
    const tmp = `${this.originalsFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(cur, null, 1));
    renameSync(tmp, this.originalsFile);
  }

  /** The activity log as text, for export. */
  exportText(): string {
    return this.records()
      .map((r) => {
        switch (r.t) {
          case 'op-start':
            return `${r.at}  START  ${r.op}  ${r.plan.title.en}  (${r.plan.steps.length} steps on ${r.plan.computerName})`;
          case 'step-start':
            return `${r.at}    step ${r.step} started`;
          case 'step-done':
            return `${r.at}    step ${r.step} done in ${Math.round(r.ms)} ms`;
          case 'step-failed':
            return `${r.at}    step ${r.step} FAILED: ${r.error.message}${r.error.fullyQualifiedErrorId ? ` [${r.error.fullyQualifiedErrorId}]` : ''}`;
          case 'undo-start':
            return `${r.at}    undo ${r.step} started`;
          case 'undo-done':
            return `${r.at}    undo ${r.step} done`;
          case 'undo-failed':
            return `${r.at}    undo ${r.step} FAILED: ${r.error.message}`;
          case 'op-end':
            return `${r.at}  END    ${r.op}  ${r.status}`;
        }
      })
      .join('\n');
  }
}
