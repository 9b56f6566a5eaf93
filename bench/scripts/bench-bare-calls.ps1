# Benchmark probe: the bare cost of the cmdlet calls inventory.ps1 makes, with nothing joined or shaped:
# the same calls with the same parameters, once each (the parent walk is one property call per level for
# the adapters and the disks at once, as inventory.ps1 makes it; the system-disk check takes its answer,
# and Get-Disk's, read once for it and the disks).
# The ids the property call needs, filtered the way inventory.ps1 does it (a loop: the cheapest there is).
$ids = @(foreach ($d in @(Get-PnpDevice -PresentOnly)) { if ($d.InstanceId -like 'PCI*') { [string]$d.InstanceId } })
$null = Get-CimInstance -ClassName Win32_OperatingSystem
$null = Get-VMHost
$drives = @(Get-CimInstance -ClassName Win32_DiskDrive)
$adapters = @(Get-NetAdapter)
$at = @(@($adapters | ForEach-Object { [string]$_.PnPDeviceID }) + @($drives | ForEach-Object { [string]$_.PNPDeviceID }) | Where-Object { $_ -and $_ -notlike 'PCI\*' } | Sort-Object -Unique)
for ($level = 0; $level -lt 8 -and $at.Count -gt 0; $level++) {
    $at = @(Get-DdaPnpDeviceProperty -InstanceId $at -KeyName DEVPKEY_Device_Parent -ErrorAction SilentlyContinue | ForEach-Object { [string]$_.Data } | Where-Object { $_ -and $_ -notlike 'PCI\*' } | Sort-Object -Unique)
}
$storageDisks = @(Get-Disk)
$null = Get-DdaPlatformFacts -DiskDrives $drives -PciFunctionOf @{} -StorageDisks $storageDisks
$null = Get-DdaPnpDeviceProperty -InstanceId $ids -KeyName @('{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  1', '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  3', '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  31', '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  34', '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  16', 'DEVPKEY_Device_LocationPaths') -ErrorAction SilentlyContinue
$null = Get-CimInstance -ClassName Win32_DeviceMemoryAddress
$null = Get-CimInstance -ClassName Win32_PnPAllocatedResource
$null = Get-VMHostAssignableDevice
$null = Get-CimInstance -Namespace 'root/virtualization/v2' -ClassName Msvm_KvpExchangeComponent
$vms = @(Get-VM)
if ($vms.Count -gt 1) { $null = Get-VMAssignableDevice -VM $vms } else { foreach ($v in $vms) { $null = Get-VMAssignableDevice -VM $v } }
$null = Get-NetIPAddress
$null = Get-VMSwitch
$null = Get-VMNetworkAdapter -All
$null = Get-DdaSessionArrival
$null = Get-Partition
$null = Get-CimInstance -ClassName Win32_PageFileUsage
foreach ($query in @('*[System[Level=2]]', '*[System[EventID=18500]]')) {
    $null = Get-WinEvent -LogName 'Microsoft-Windows-Hyper-V-Worker-Admin' -FilterXPath $query -MaxEvents 100 -ErrorAction SilentlyContinue
}
@{ done = $true }
