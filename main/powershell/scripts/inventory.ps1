# DDA Studio inventory: every PCI device with the raw survey facts, every VM with its assigned devices,
# the host-assignable (dismounted) devices and the host's readiness, in ONE round trip.
# The number of CIM queries and device-property calls is constant however many devices there are:
# one query per class (joined here in memory), one Get-PnpDeviceProperty call per key for all devices.
# Verdicts are computed from these facts in TypeScript (shared/survey.ts), not here.
# A class or property that cannot be read degrades that item with a note; it never fails the whole.
# Windows PowerShell 5.1 compatible: Get-CimInstance only (no gwmi), no PS7-only syntax.
param()

$notes = New-Object System.Collections.Generic.List[string]
function Add-Note([string]$text) { $notes.Add($text) }

# --- Host ---------------------------------------------------------------------------------------
$os = $null
try {
    $o = Get-CimInstance -ClassName Win32_OperatingSystem
    $os = @{ caption = [string]$o.Caption; productType = [int]$o.ProductType; computerName = [string]$o.CSName }
} catch { Add-Note ("Win32_OperatingSystem unreadable: " + $_.Exception.Message) }

$hyperV = @{ present = $false; iovSupport = $null; iovSupportReasons = @(); computerName = $null }
if (Get-Command -Name Get-VMHost -ErrorAction SilentlyContinue) {
    try {
        $h = Get-VMHost
        $hyperV = @{
            present           = $true
            iovSupport        = [bool]$h.IovSupport
            iovSupportReasons = @($h.IovSupportReasons | Where-Object { $_ } | ForEach-Object { [string]$_ })
            computerName      = [string]$h.ComputerName
        }
    } catch { $hyperV.present = $true; Add-Note ("Get-VMHost failed: " + $_.Exception.Message) }
} else { Add-Note 'The Hyper-V PowerShell module is not installed.' }

$platform = $null
try { $platform = Get-DdaPlatformFacts } catch { Add-Note ("Platform facts unreadable: " + $_.Exception.Message) }

# --- Devices (present PCI\ functions and PCIP\ twins of dismounted ones) --------------------------
$pnp = @()
try {
    $pnp = @(Get-PnpDevice -PresentOnly | Where-Object { $_.InstanceId -like 'PCI*' })
} catch { Add-Note ("Get-PnpDevice failed: " + $_.Exception.Message) }
$ids = @($pnp | ForEach-Object { [string]$_.InstanceId })

$pciKeySet = '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  '
$keys = [ordered]@{
    deviceType  = $pciKeySet + '1'
    baseClass   = $pciKeySet + '3'
    acs         = $pciKeySet + '31'
    rmrr        = $pciKeySet + '34'
    paths       = 'DEVPKEY_Device_LocationPaths'
}
$props = @{}
foreach ($id in $ids) { $props[$id.ToUpperInvariant()] = @{} }
if ($ids.Count -gt 0) {
    foreach ($name in @($keys.Keys)) {
        try {
            $rows = @(Get-PnpDeviceProperty -InstanceId $ids -KeyName $keys[$name] -ErrorAction SilentlyContinue)
            foreach ($r in $rows) {
                $k = ([string]$r.InstanceId).ToUpperInvariant()
                if ($props.ContainsKey($k) -and $null -ne $r.Data) { $props[$k][$name] = $r.Data }
            }
        } catch { Add-Note ("Device property " + $name + " unreadable: " + $_.Exception.Message) }
    }
}

# --- Resources: one query per class, joined by device id -----------------------------------------
$irqs = @{}
$mem = @{}
$resourcesKnown = $true
try {
    $ranges = @{}
    foreach ($m in @(Get-CimInstance -ClassName Win32_DeviceMemoryAddress)) { $ranges[[string]$m.StartingAddress] = [string]$m.EndingAddress }
    foreach ($a in @(Get-CimInstance -ClassName Win32_PnPAllocatedResource)) {
        $dep = $a.Dependent
        $ant = $a.Antecedent
        if ($null -eq $dep -or $null -eq $ant) { continue }
        $dev = ([string]$dep.DeviceID).ToUpperInvariant()
        if ($null -ne $ant.PSObject.Properties['IRQNumber'] -and $null -ne $ant.IRQNumber) {
            if (-not $irqs.ContainsKey($dev)) { $irqs[$dev] = New-Object System.Collections.Generic.List[object] }
            $irqs[$dev].Add([double]$ant.IRQNumber)
        } elseif ($null -ne $ant.PSObject.Properties['StartingAddress'] -and $null -ne $ant.StartingAddress) {
            $start = [string]$ant.StartingAddress
            if (-not $mem.ContainsKey($dev)) { $mem[$dev] = New-Object System.Collections.Generic.List[object] }
            if ($ranges.ContainsKey($start)) { $mem[$dev].Add(@{ start = $start; end = $ranges[$start] }) }
        }
    }
} catch { $resourcesKnown = $false; Add-Note ("Allocated resources unreadable: " + $_.Exception.Message) }

$devices = New-Object System.Collections.Generic.List[object]
foreach ($d in $pnp) {
    $id = [string]$d.InstanceId
    $k = $id.ToUpperInvariant()
    $p = $props[$k]
    $path = $null
    foreach ($lp in @($p['paths'])) { if ($null -eq $path -and ([string]$lp) -like 'PCIROOT*') { $path = [string]$lp } }
    $irqList = @()
    $memList = @()
    if ($irqs.ContainsKey($k)) { $irqList = $irqs[$k].ToArray() }
    if ($mem.ContainsKey($k)) { $memList = $mem[$k].ToArray() }
    $problem = [string]$d.ConfigManagerErrorCode
    $devices.Add(@{
        instanceId     = $id
        friendlyName   = [string]$d.FriendlyName
        class          = [string]$d.Class
        status         = [string]$d.Status
        disabled       = ($problem -eq 'CM_PROB_DISABLED' -or $problem -eq '22')
        locationPath   = $path
        deviceType     = $p['deviceType']
        baseClass      = $p['baseClass']
        acs            = $p['acs']
        rmrr           = $p['rmrr']
        irqs           = $irqList
        memoryRanges   = $memList
        resourcesKnown = $resourcesKnown
    })
}

# --- Host-assignable (dismounted) devices ---------------------------------------------------------
$hostAssignable = New-Object System.Collections.Generic.List[object]
if ($hyperV.present) {
    try {
        foreach ($h in @(Get-VMHostAssignableDevice)) {
            $hpool = $null
            if ($null -ne $h.PSObject.Properties['ResourcePoolName'] -and $h.ResourcePoolName) { $hpool = [string]$h.ResourcePoolName }
            $hostAssignable.Add(@{ instanceId = [string]$h.InstanceID; locationPath = [string]$h.LocationPath; resourcePoolName = $hpool })
        }
    } catch { Add-Note ("Get-VMHostAssignableDevice failed: " + $_.Exception.Message) }
}

# --- VMs and what each holds --------------------------------------------------------------------
$vms = New-Object System.Collections.Generic.List[object]
if ($hyperV.present) {
    $all = @()
    try { $all = @(Get-VM) } catch { Add-Note ("Get-VM failed: " + $_.Exception.Message) }
    foreach ($v in $all) {
        $assigned = New-Object System.Collections.Generic.List[object]
        try {
            foreach ($a in @(Get-VMAssignableDevice -VM $v)) {
                # ResourcePoolName: 'Primordial' for a direct assignment; a pool's name for one made with
                # -ResourcePoolName (Windows Server 2025 GPU pools); absent on hosts before 2025.
                $pool = $null
                if ($null -ne $a.PSObject.Properties['ResourcePoolName'] -and $a.ResourcePoolName) { $pool = [string]$a.ResourcePoolName }
                $assigned.Add(@{ name = [string]$a.Name; instanceId = [string]$a.InstanceID; locationPath = [string]$a.LocationPath; resourcePoolName = $pool })
            }
        } catch { Add-Note ("Assigned devices of VM '" + $v.Name + "' unreadable: " + $_.Exception.Message) }
        $isClustered = $null
        if ($null -ne $v.PSObject.Properties['IsClustered'] -and $null -ne $v.IsClustered) { $isClustered = [bool]$v.IsClustered }
        $guestOs = $null
        if ($null -ne $v.PSObject.Properties['GuestOs']) { $guestOs = $v.GuestOs }
        # Newer builds report where the high MMIO gap starts; Microsoft's reference does not list it yet.
        $mmioBase = $null
        if ($null -ne $v.PSObject.Properties['HighMemoryMappedIoBaseAddress'] -and $null -ne $v.HighMemoryMappedIoBaseAddress) { $mmioBase = [double]$v.HighMemoryMappedIoBaseAddress }
        $vms.Add(@{
            name                        = [string]$v.Name
            id                          = [string]$v.Id
            state                       = [string]$v.State
            generation                  = [int]$v.Generation
            automaticStopAction         = [string]$v.AutomaticStopAction
            guestControlledCacheTypes   = [bool]$v.GuestControlledCacheTypes
            lowMemoryMappedIoSpace      = [double]$v.LowMemoryMappedIoSpace
            highMemoryMappedIoSpace     = [double]$v.HighMemoryMappedIoSpace
            highMemoryMappedIoBase      = $mmioBase
            dynamicMemoryEnabled        = [bool]$v.DynamicMemoryEnabled
            memoryStartup               = [double]$v.MemoryStartup
            memoryMinimum               = [double]$v.MemoryMinimum
            checkpointType              = $(if ($null -ne $v.CheckpointType) { [string]$v.CheckpointType } else { $null })
            automaticCheckpointsEnabled = $(if ($null -ne $v.AutomaticCheckpointsEnabled) { [bool]$v.AutomaticCheckpointsEnabled } else { $null })
            guestOs                     = $guestOs
            isClustered                 = $isClustered
            assigned                    = $assigned.ToArray()
        })
    }
}

@{
    psEdition      = [string]$PSVersionTable.PSEdition
    psVersion      = [string]$PSVersionTable.PSVersion
    os             = $os
    hyperV         = $hyperV
    platform       = $platform
    devices        = $devices.ToArray()
    hostAssignable = $hostAssignable.ToArray()
    vms            = $vms.ToArray()
    notes          = $notes.ToArray()
}
