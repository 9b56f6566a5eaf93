/**
 * The command surface DDA Studio's scripts use: each cmdlet, the parameter set a call binds to and the
 * parameters it passes (read from main/powershell/scripts/*.ps1). `dda doctor` checks each of these
 * on the host against Get-Command; doctor-surface.test.ts keeps this list and the scripts in step
 * (every reference cmdlet a script calls is listed, every set and parameter is in the reference).
 */
export interface UsedCall {
  cmdlet: string;
  /** The parameter set the call binds to, as Get-Command names it. */
  set: string;
  /** The parameters the call passes (by name or from the pipeline). */
  parameters: string[];
  /** Where the product makes the call. */
  usedIn: string;
}

export const usedSurface: readonly UsedCall[] = [
  { cmdlet: 'Get-PnpDevice', set: 'ByPresence', parameters: ['PresentOnly'], usedIn: 'inventory.ps1' },
  {
    cmdlet: 'Get-PnpDevice',
    set: 'ByInstanceId',
    parameters: ['InstanceId'],
    usedIn: 'op-disable-device.ps1, op-enable-device.ps1',
  },
  {
    cmdlet: 'Get-PnpDeviceProperty',
    set: 'ByInstanceId',
    parameters: ['InstanceId', 'KeyName'],
    usedIn: 'inventory.ps1, host-functions.ps1',
  },
  { cmdlet: 'Disable-PnpDevice', set: 'ByInstanceId', parameters: ['InstanceId'], usedIn: 'op-disable-device.ps1' },
  { cmdlet: 'Enable-PnpDevice', set: 'ByInstanceId', parameters: ['InstanceId'], usedIn: 'op-enable-device.ps1' },
  {
    cmdlet: 'Get-CimInstance',
    set: 'ClassNameComputerSet',
    parameters: ['ClassName', 'Namespace'],
    usedIn: 'inventory.ps1, op-dismount-device.ps1',
  },
  {
    cmdlet: 'Get-CimInstance',
    set: 'CimInstanceComputerSet',
    parameters: ['InputObject'],
    usedIn: 'op-dismount-device.ps1',
  },
  {
    cmdlet: 'Invoke-CimMethod',
    set: 'CimInstanceComputerSet',
    parameters: ['InputObject', 'MethodName', 'Arguments'],
    usedIn: 'op-dismount-device.ps1',
  },
  { cmdlet: 'Get-VMHost', set: 'ComputerName', parameters: [], usedIn: 'inventory.ps1' },
  {
    cmdlet: 'Get-WinEvent',
    set: 'GetLogSet',
    parameters: ['LogName', 'FilterXPath', 'MaxEvents'],
    usedIn: 'inventory.ps1',
  },
  { cmdlet: 'Get-VM', set: 'Name', parameters: [], usedIn: 'inventory.ps1' },
  { cmdlet: 'Get-VM', set: 'Id', parameters: ['Id'], usedIn: 'op-*.ps1' },
  {
    cmdlet: 'Get-VMAssignableDevice',
    set: 'VMObject',
    parameters: ['VM'],
    usedIn: 'inventory.ps1, op-remove-device.ps1',
  },
  { cmdlet: 'Get-VMHostAssignableDevice', set: '__AllParameterSets', parameters: [], usedIn: 'inventory.ps1' },
  {
    cmdlet: 'Dismount-VMHostAssignableDevice',
    set: '__AllParameterSets',
    parameters: ['LocationPath', 'Force'],
    usedIn: 'op-dismount-device.ps1',
  },
  {
    cmdlet: 'Mount-VMHostAssignableDevice',
    set: 'Object',
    parameters: ['HostAssignableDevice'],
    usedIn: 'op-mount-device.ps1 (the object Get-VMHostAssignableDevice lists, piped)',
  },
  {
    cmdlet: 'Add-VMAssignableDevice',
    set: 'VMObject',
    parameters: ['VM', 'LocationPath'],
    usedIn: 'op-add-device.ps1, op-add-devices.ps1',
  },
  {
    cmdlet: 'Remove-VMAssignableDevice',
    set: 'Object',
    parameters: ['VMAssignableDevice'],
    usedIn: 'op-remove-device.ps1',
  },
  { cmdlet: 'Remove-VMSavedState', set: 'VMObject', parameters: ['VM'], usedIn: 'op-remove-saved-state.ps1' },
  {
    cmdlet: 'Set-VM',
    set: 'VMObject',
    parameters: [
      'VM',
      'AutomaticStopAction',
      'GuestControlledCacheTypes',
      'LowMemoryMappedIoSpace',
      'HighMemoryMappedIoSpace',
      'DynamicMemory',
      'StaticMemory',
    ],
    usedIn: 'op-set-vm.ps1',
  },
  {
    cmdlet: 'Set-VMMemory',
    set: 'VMObject',
    parameters: ['VM', 'DynamicMemoryEnabled'],
    usedIn: 'op-set-vm-memory.ps1',
  },
  { cmdlet: 'Start-VM', set: 'VMObject', parameters: ['VM'], usedIn: 'op-start-vm.ps1' },
  { cmdlet: 'Stop-VM', set: 'VMObject', parameters: ['VM', 'Force', 'AsJob', 'TurnOff'], usedIn: 'op-stop-vm.ps1' },
  { cmdlet: 'Get-NetAdapter', set: 'ByName', parameters: [], usedIn: 'inventory.ps1' },
  { cmdlet: 'Get-NetIPAddress', set: '__AllParameterSets', parameters: [], usedIn: 'inventory.ps1' },
  { cmdlet: 'Get-VMSwitch', set: 'Name', parameters: [], usedIn: 'inventory.ps1' },
  { cmdlet: 'Get-VMNetworkAdapter', set: 'All', parameters: ['All'], usedIn: 'inventory.ps1' },
  { cmdlet: 'Get-Disk', set: 'ByNumber', parameters: [], usedIn: 'inventory.ps1' },
  { cmdlet: 'Get-Partition', set: 'ByUniqueId', parameters: [], usedIn: 'inventory.ps1' },
];

/** The cmdlets of usedSurface, once each, in order. */
export const usedCmdlets = (): string[] => [...new Set(usedSurface.map((c) => c.cmdlet))];
