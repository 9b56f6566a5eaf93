/**
 * The journal: append-only JSON lines in the data folder, flushed (fsync) per record, so an operation
 * cut short by a crash can be found (and finished or rolled back by journal-recovery.ts: the journal is
 * a store, not an orchestrator). Also keeps the VM settings an
 * assignment replaced, so revert can restore them, and renders the activity log for export.
 *
 * ORDER-SENSITIVE: append() returns only after the record is on disk; the executor relies on that
 * to journal "step started" before it runs a step.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../shared/plan';
import {
  journalRecordSchema,
  rememberedSettingsFileSchema,
  startedOperation,
  type JournalRecord,
  type OperationRecord,
  type RejectedLine,
} from './journal-record';
import type { RememberedVmSettings } from './planner';
import { refuseLink, writeFileAtomic } from '../write-file-atomic';

export type { JournalRecord, OperationRecord, RecoverAction, RejectedLine } from './journal-record';

/** Journal.stamp() of the file's stat (null: no file), for a caller that stats it without blocking. */
export function journalStamp(st: Pick<Stats, 'ino' | 'size' | 'mtimeMs'> | null): string {
  return st ? `${st.ino}:${st.size}:${st.mtimeMs}` : '';
}

export interface JournalOptions {
  /** The most bytes read back from the journal file (its tail). */
  maxReadBytes?: number;
  /** Above this size, and with nothing unfinished, the file is rotated to journal.1.jsonl at the next start. */
  rotateBytes?: number;
}

/** Append-only journal in a folder (journal.jsonl, journal.1.jsonl, vm-settings.json). */
export class Journal {
  readonly file: string;
  private readonly settingsFile: string;
  private readonly maxReadBytes: number;
  private readonly rotateBytes: number;

  constructor(
    readonly dir: string,
    options: JournalOptions = {},
  ) {
    mkdirSync(dir, { recursive: true });
    refuseLink(dir);
    this.file = join(dir, 'journal.jsonl');
    this.settingsFile = join(dir, 'vm-originals.json');
    this.maxReadBytes = options.maxReadBytes ?? 8 * 1024 * 1024;
    this.rotateBytes = options.rotateBytes ?? 4 * 1024 * 1024;
  }

  /** Appends one record and flushes it to disk before returning. */
  append(record: JournalRecord): void {
    if (record.t === 'op-start') this.rotateIfLarge();
    refuseLink(this.file);
    const fd = openSync(this.file, 'a');
    try {
      writeSync(fd, JSON.stringify(record) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private rotateIfLarge(): void {
    if (!existsSync(this.file) || statSync(this.file).size < this.rotateBytes) return;
    if (this.findUnfinished().length > 0) return; // never rotate away an operation recovery needs
    try {
      // One attempt, no waiting: rotation can wait for the next operation.
      renameSync(this.file, join(this.dir, 'journal.1.jsonl'));
    } catch {
      // Refused (Windows: another process holds journal.1.jsonl open): the journal grows until the next
      // operation rotates it; the operation itself is journaled as ever.
    }
  }

  /** The records of the file's tail (at most maxReadBytes); lines that are not valid records are left out. */
  records(): JournalRecord[] {
    return this.read().records;
  }

  /** Lines of the file's tail that are not valid records (torn by a crash, or not written by us). */
  rejected(): RejectedLine[] {
    return this.read().rejected;
  }

  private read(): { records: JournalRecord[]; rejected: RejectedLine[] } {
    if (!existsSync(this.file)) return { records: [], rejected: [] };
    const fd = openSync(this.file, 'r');
    let text: string;
    try {
      const size = fstatSync(fd).size;
      const start = Math.max(0, size - this.maxReadBytes);
      const buf = Buffer.alloc(size - start);
      let read = 0;
      while (read < buf.length) {
        const n = readSync(fd, buf, read, buf.length - read, start + read);
        if (n === 0) break;
        read += n;
      }
      text = buf.subarray(0, read).toString('utf8');
      if (start > 0) text = text.slice(text.indexOf('\n') + 1); // the first line is cut
    } finally {
      closeSync(fd);
    }
    const records: JournalRecord[] = [];
    const rejected: RejectedLine[] = [];
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        // A torn write is the last line of a crashed run; anywhere else the file was edited.
        if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l.trim()))
          rejected.push({ line: i + 1, op: null, reason: 'not JSON' });
        return;
      }
      const parsed = journalRecordSchema.safeParse(json);
      if (parsed.success) {
        records.push(parsed.data);
        return;
      }
      const issue = parsed.error.issues[0];
      const op = typeof (json as { op?: unknown } | null)?.op === 'string' ? (json as { op: string }).op : null;
      rejected.push({
        line: i + 1,
        op,
        reason: `${issue?.path.join('.') || '(record)'}: ${issue?.message ?? 'invalid'}`,
      });
    });
    return { records, rejected };
  }

  /** Operations folded from the records, oldest first. */
  operations(): OperationRecord[] {
    const ops = new Map<string, OperationRecord>();
    const { records, rejected } = this.read();
    const suspect = new Map(
      rejected
        .filter((r) => r.op !== null)
        .map((r) => [r.op!, `journal line ${r.line} is not a valid record (${r.reason})`]),
    );
    for (const r of records) {
      if (r.t === 'op-start') {
        ops.set(r.op, {
          ...startedOperation(r.op, r.plan, r.at, suspect.get(r.op) ?? null),
          wholePlan: r.wholePlan === true,
        });
        continue;
      }
      const o = ops.get(r.op);
      if (!o) continue;
      switch (r.t) {
        case 'step-start':
          o.inFlight = r.step;
          break;
        case 'step-done':
        case 'step-skipped':
          if (!o.done.includes(r.step)) o.done.push(r.step);
          o.undone = o.undone.filter((s) => s !== r.step);
          if (o.inFlight === r.step) o.inFlight = null;
          break;
        case 'step-failed':
          o.failed = r.step;
          if (o.inFlight === r.step) o.inFlight = null;
          break;
        case 'undo-done':
        case 'undo-skipped':
          if (!o.undone.includes(r.step)) o.undone.push(r.step);
          break;
        case 'op-end':
          o.ended = r.status;
          o.endedAt = r.at;
          break;
        default:
          break;
      }
    }
    return [...ops.values()];
  }

  /**
   * A token that changes whenever a record is appended (here or by another process: the `dda` command
   * beside the window) or the file is rotated: the file's identity, size and write time. Empty when there
   * is no journal yet. Read by main/api/journal-watch.ts.
   */
  stamp(): string {
    let st: Stats | null = null;
    try {
      st = statSync(this.file);
    } catch {
      // no journal yet
    }
    return journalStamp(st);
  }

  /**
   * Operations that did not reach a consistent end: started and never ended (a crash, a killed
   * PowerShell), or ended with their rollback failed (e.g. the remote host became unreachable mid-way).
   * Recovery ends them again, against the host's real state.
   */
  findUnfinished(): OperationRecord[] {
    return this.operations().filter((o) => o.ended === null || o.ended === 'rollback-failed');
  }

  /** Same as findUnfinished. */
  unfinished(): OperationRecord[] {
    return this.findUnfinished();
  }

  /**
   * VM settings replaced by assignments, per VM id. A file that is not valid JSON of that shape is moved
   * aside (vm-originals.corrupt-<time>.json), never silently read as "nothing recorded":
   * lostVmSettings() then says so, and the planner warns that those settings cannot be restored.
   */
  rememberedVmSettings(): Record<string, RememberedVmSettings> {
    if (!existsSync(this.settingsFile)) return {};
    let reason: string;
    try {
      const parsed = rememberedSettingsFileSchema.safeParse(JSON.parse(readFileSync(this.settingsFile, 'utf8')));
      if (parsed.success) return parsed.data as Record<string, RememberedVmSettings>;
      reason = `${parsed.error.issues[0]?.path.join('.') || '(file)'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
    } catch (e) {
      reason = (e as Error).message;
    }
    const aside = join(this.dir, `vm-originals.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    renameSync(this.settingsFile, aside);
    this.lost = `The recorded VM settings (vm-originals.json) were unreadable (${reason}); the file was kept as ${aside}. Settings an earlier assignment changed are not restored automatically.`;
    return {};
  }

  /** Why the recorded VM settings were lost (a corrupt vm-originals.json was moved aside), or null. */
  lostVmSettings(): string | null {
    if (this.lost) return this.lost;
    const aside = readdirSync(this.dir)
      .filter((f) => /^vm-originals\.corrupt-.*\.json$/.test(f))
      .sort();
    if (aside.length === 0) return null;
    return `The recorded VM settings were once unreadable and kept aside as ${join(this.dir, aside.at(-1)!)}; settings recorded in it are not restored automatically (remove the file once you have checked them).`;
  }
  private lost: string | null = null;

  /** Records originals (the earliest value wins) and forgets the VMs whose settings were put back. */
  updateRememberedVmSettings(effects: { remember: Record<string, RememberedVmSettings>; forget: string[] }): void {
    const cur = this.rememberedVmSettings();
    for (const id of effects.forget) delete cur[id];
    // The originals: the earliest recorded wins. What DDA Studio set: the latest.
    for (const [id, o] of Object.entries(effects.remember)) {
      const { setLowMemoryMappedIoSpace: low, setHighMemoryMappedIoSpace: high } = o;
      cur[id] = {
        ...o,
        ...cur[id],
        ...(low !== undefined ? { setLowMemoryMappedIoSpace: low } : {}),
        ...(high !== undefined ? { setHighMemoryMappedIoSpace: high } : {}),
      };
    }
    writeFileAtomic(this.settingsFile, JSON.stringify(cur, null, 1));
  }

  /** The activity log as text, for export: every operation (or the one named) with its steps, commands, timings and errors. */
  exportText(op?: string): string {
    const plans = new Map<string, Plan>();
    const lines: string[] = [];
    for (const r of this.records()) {
      if (op !== undefined && r.op !== op) continue;
      const step = (id: string) => {
        const s = plans.get(r.op)?.steps.find((x) => x.id === id);
        return s ? `${id} ${s.description.en}` : id;
      };
      switch (r.t) {
        case 'op-start':
          plans.set(r.op, r.plan);
          lines.push(
            '',
            `${r.at}  START  ${r.plan.title.en}  (operation ${r.op}, ${r.plan.steps.length} steps on ${r.plan.computerName}; consents: ${r.plan.choices.consents.join(', ') || 'none'})`,
          );
          break;
        case 'step-start':
          lines.push(
            `${r.at}    step ${step(r.step)}`,
            ...(r.command ? [`${' '.repeat(r.at.length)}      > ${r.command}`] : []),
          );
          break;
        case 'step-done':
          lines.push(
            `${r.at}    done ${r.step} in ${Math.round(r.ms)} ms${r.output !== undefined && r.output !== null ? `: ${JSON.stringify(r.output)}` : ''}`,
          );
          break;
        case 'step-skipped':
          lines.push(`${r.at}    skipped ${step(r.step)} (${r.reason})`);
          break;
        case 'step-failed':
          lines.push(
            `${r.at}    FAILED ${r.step} after ${Math.round(r.ms)} ms: ${r.error.message}${r.error.fullyQualifiedErrorId ? ` [${r.error.fullyQualifiedErrorId}]` : ''}`,
          );
          break;
        case 'undo-start':
          lines.push(
            `${r.at}    undo ${step(r.step)}`,
            ...(r.command ? [`${' '.repeat(r.at.length)}      > ${r.command}`] : []),
          );
          break;
        case 'undo-done':
          lines.push(`${r.at}    undone ${r.step} in ${Math.round(r.ms)} ms`);
          break;
        case 'undo-skipped':
          lines.push(`${r.at}    undo of ${r.step} not needed (${r.reason})`);
          break;
        case 'undo-failed':
          lines.push(`${r.at}    UNDO FAILED ${r.step}: ${r.error.message}`);
          break;
        case 'recover-start':
          lines.push(`${r.at}  RECOVER (${r.action})  operation ${r.op}`);
          break;
        case 'op-end':
          lines.push(
            `${r.at}  END    ${r.status}${r.failedStep ? ` (step ${r.failedStep} failed)` : ''}${r.notRolledBack?.length ? `; still applied: ${r.notRolledBack.join(', ')}` : ''}  operation ${r.op}`,
          );
          break;
      }
    }
    return lines.join('\n').trimStart() + '\n';
  }
}
