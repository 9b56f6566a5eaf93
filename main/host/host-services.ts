/** The services of an open host: its inventory reader and its operations, wired to its session and data folder. */
import type { Inventory } from '../../shared/inventory';
import type { StepResult } from '../../shared/plan';
import type { HostConnection } from './host-connection';
import { fileAssignmentStore } from './assignment-store';
import { readHost } from './inventory-service';
import { Journal } from './journal';
import { Operations } from './operations';
import { readReconciledInventory } from './reconcile-service';

export interface HostServices {
  readInventory: () => Promise<Inventory>;
  operations: Operations;
  journal: Journal;
}

/** Wires inventory and operations for a host connection. */
export function hostServices(
  host: HostConnection,
  onStep?: (operationId: string, planId: string, step: StepResult) => void,
): HostServices {
  // Every read reconciles the host with the recorded assignments and its start-failure log (issue 18).
  const assignments = fileAssignmentStore(host.dataDir);
  const read = () => readReconciledInventory(() => readHost(host.runner, { memory: host.measurements }), assignments);
  const journal = new Journal(host.dataDir);
  // On the DDAStudio.Host JEA endpoint a plan runs whole, checked and rolled back on the host itself.
  const execute = host.executePlan ? { execute: host.executePlan } : {};
  return {
    readInventory: read,
    journal,
    operations: new Operations({
      runner: host.runner,
      journal,
      readInventory: read,
      ...execute,
      ...(onStep ? { onStep } : {}),
    }),
  };
}
