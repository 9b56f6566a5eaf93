/**
 * One operation's step log, folded from the journal's records (Activity: a click on an operation's
 * line): its plan's title, each step's state, times and errors, and the exported log's lines of it.
 */
import type { OperationLog } from '../../shared/contract';
import type { StepState } from '../../shared/plan';
import type { Journal } from './journal';

type LogStep = OperationLog['steps'][number];

/** The log of one operation, or null when the journal has no such operation. */
export function operationLog(journal: Journal, operationId: string): OperationLog | null {
  const op = journal.operations().find((o) => o.op === operationId);
  if (!op) return null;
  const steps = new Map<string, LogStep>(
    op.plan.steps.map((s) => [
      s.id,
      { stepId: s.id, description: s.description, command: s.action.command, state: 'pending' as StepState },
    ]),
  );
  const set = (id: string, patch: Partial<LogStep>) => {
    const s = steps.get(id);
    if (s) steps.set(id, { ...s, ...patch });
  };
  for (const r of journal.records()) {
    if (r.op !== operationId) continue;
    switch (r.t) {
      case 'step-start':
        set(r.step, { state: 'running', startedAt: r.at });
        break;
      case 'step-done':
        set(r.step, { state: 'done', endedAt: r.at, durationMs: Math.round(r.ms) });
        break;
      case 'step-skipped':
        set(r.step, { state: 'skipped', endedAt: r.at, reason: r.reason });
        break;
      case 'step-failed':
        set(r.step, { state: 'failed', endedAt: r.at, durationMs: Math.round(r.ms), error: r.error });
        break;
      case 'undo-start':
        set(r.step, { state: 'undoing' });
        break;
      case 'undo-done':
        set(r.step, { state: 'undone', endedAt: r.at });
        break;
      case 'undo-skipped':
        set(r.step, { state: 'undone', endedAt: r.at, reason: r.reason });
        break;
      case 'undo-failed':
        set(r.step, { state: 'undo-failed', endedAt: r.at, undoError: r.error });
        break;
      default:
        break;
    }
  }
  return {
    operationId,
    title: op.plan.title,
    computerName: op.plan.computerName,
    startedAt: op.startedAt,
    endedAt: op.endedAt,
    status: op.ended,
    steps: [...steps.values()],
    ...(op.invalid ? { untrusted: op.invalid } : {}),
    text: journal.exportText(operationId),
  };
}
