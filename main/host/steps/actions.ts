/**
 * The action of every step kind: which step script runs with which data (steps/op-scripts.ts makes the
 * shown call from the same two). VMs are named by id (names may repeat on a host, and ids are plain
 * GUIDs); names appear only in descriptions.
 */
import type { Vm } from '../../../shared/inventory';
import type { PsAction } from '../../../shared/plan';
import { opAction } from './op-scripts';

/** Which of Hyper-V's two dismount checks stay on, and whether a refusal is retried without the mitigation check. */
export interface DismountChecks {
  RequireAcsSupport: boolean;
  RequireDeviceMitigations: boolean;
  RetryWithoutMitigations: boolean;
}
/** A device that goes back where it was (undo, recovery): no check stands in the way of a state that existed. */
export const PUT_BACK: DismountChecks = {
  RequireAcsSupport: false,
  RequireDeviceMitigations: false,
  RetryWithoutMitigations: false,
};

/** The VM settings op-set-vm changes (only those given). */
export type VmSettings = {
  AutomaticStopAction?: string;
  GuestControlledCacheTypes?: boolean;
  LowMemoryMappedIoSpace?: number;
  HighMemoryMappedIoSpace?: number;
};

/** The PowerShell actions of every step kind (exported for the recovery and the tests). */
export const actions = {
  stopVm: (vm: Vm, timeoutSec: number): PsAction => opAction('op-stop-vm', { VmId: vm.id, TimeoutSec: timeoutSec }),
  startVm: (vm: Vm): PsAction => opAction('op-start-vm', { VmId: vm.id }),
  removeSavedState: (vm: Vm): PsAction => opAction('op-remove-saved-state', { VmId: vm.id }),
  disable: (instanceId: string): PsAction => opAction('op-disable-device', { InstanceId: instanceId }),
  enable: (instanceId: string): PsAction => opAction('op-enable-device', { InstanceId: instanceId }),
  dismount: (path: string, instanceId: string, checks: DismountChecks): PsAction =>
    opAction('op-dismount-device', { LocationPath: path, InstanceId: instanceId, ...checks }),
  mount: (path: string): PsAction => opAction('op-mount-device', { LocationPath: path }),
  add: (vm: Vm, path: string): PsAction => opAction('op-add-device', { VmId: vm.id, LocationPath: path }),
  addAll: (vm: Vm, paths: string[]): PsAction => opAction('op-add-devices', { VmId: vm.id, LocationPaths: paths }),
  /** With no path: every direct entry (an entry assigned through a resource pool stays; see the script). */
  remove: (vm: Vm, path: string | null): PsAction =>
    opAction('op-remove-device', path ? { VmId: vm.id, LocationPath: path } : { VmId: vm.id }),
  setVm: (vm: Vm, settings: VmSettings): PsAction => opAction('op-set-vm', { VmId: vm.id, ...settings }),
  setMemory: (vm: Vm, dynamic: boolean): PsAction =>
    opAction('op-set-vm-memory', { VmId: vm.id, DynamicMemoryEnabled: dynamic }),
};
