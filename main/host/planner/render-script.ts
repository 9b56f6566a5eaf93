/**
 * The whole plan as one script an admin can run by hand. Each step script the plan calls (as a step or
 * an undo) is defined first as a function of the same name whose body is the script's own text, exactly
 * what the executor runs; then each step is its call, as the plan shows it (values quoted by ps-literal;
 * names only in comments, flattened).
 */
import type { Inventory } from '../../../shared/inventory';
import type { LocalizedText, PlanChoices, PlanStep } from '../../../shared/plan';
import { isOpScript, opScriptText, type OpScript } from '../steps/op-scripts';
import type { PlanOptions } from './builder';
import { flat } from './text';

/** The step scripts these steps call, in the order first called (undos included: the admin may run them). */
export function scriptsCalled(steps: readonly PlanStep[]): OpScript[] {
  const out: OpScript[] = [];
  for (const s of steps)
    for (const a of [s.action, s.undo]) {
      if (!a) continue;
      if (!isOpScript(a.script)) throw new Error(`${a.script} is not a step script.`);
      if (!out.includes(a.script)) out.push(a.script);
    }
  return out;
}

/** The definitions block of the export: each step script as a function, its text unchanged. */
export function scriptDefinitions(scripts: readonly OpScript[]): string[] {
  if (scripts.length === 0) return [];
  const lines = ['# The step scripts, exactly as DDA Studio runs them (main/powershell/scripts/<name>.ps1):', ''];
  for (const s of scripts) lines.push(`function ${s} {`, opScriptText(s), '}', '');
  return lines;
}

export function renderScript(
  title: LocalizedText,
  inv: Inventory,
  steps: PlanStep[],
  choices: PlanChoices,
  opts: PlanOptions,
): string {
  const lines = [
    `# DDA Studio plan: ${flat(title.en)}`,
    `# Host: ${flat(inv.host.computerName)}   Planned: ${flat(opts.now ?? inv.readAt)}   Consents given: ${choices.consents.join(', ') || 'none'}`,
    "# Run in an elevated PowerShell on the host. It stops at the first error; each step's undo is in the comment above it.",
    "$ErrorActionPreference = 'Stop'",
    '',
    ...scriptDefinitions(scriptsCalled(steps)),
  ];
  steps.forEach((s, i) => {
    lines.push(`# ${i + 1}. ${flat(s.description.en)}`);
    if (s.undo) lines.push(`#    undo: ${flat(s.undo.command)}`);
    lines.push(s.action.command, '');
  });
  if (steps.length === 0) lines.push('# Nothing to run.');
  return lines.join('\n');
}
