# DDA Studio host capture: every fact the inventory, the planner and the simulator read, as the host's
# own cmdlets report them, so main/diagnose/capture-profile.ts can write a simulator profile that
# replays this host. Read-only: only Get-* cmdlets and CIM queries. No secrets are read (no credential,
# certificate, registry secret or environment variable besides what the inventory reads itself).
# A part that cannot be read is left out with a note naming it; it never fails the whole capture.
# Windows PowerShell 5.1 compatible: no ternary, no ??, no pipeline chains, no ::new().
param([Parameter(Mandatory = $true)][string[]]$PropertyKeys)
# Properties a host's objects may lack (ResourcePoolName before the 2022 references) read as $null, even
# under a caller's strict mode (a profile the SSH subsystem runs, for one).
Set-StrictMode -Off

$notes = New-Object System.Collections.Generic.List[string]
function Add-Note([string]$what, $err) {
    $id = ''
    if ($null -ne $err -and $null -ne $err.FullyQualifiedErrorId) { $id = ' (' + [string]$err.FullyQualifiedErrorId + ')' }
    $notes.Add($what + ' unreadable' + $id)
}

$os = $null
try { $o = Get-CimInstance -ClassName Win32_OperatingSystem -ErrorAction Stop; $os = @{ caption = [string]$o.Caption; productType = [int]$o.ProductType; computerName = [string]$o.CSName } } catch { Add-Note 'Win32_OperatingSystem' $_ }

$vmHost = $null
$hyperV = [bool](Microsoft.PowerShell.Core\Get-Command -Name Get-VMHost -ErrorAction SilentlyContinue)
if ($hyperV) {
    try {
        $h = Get-VMHost -ErrorAction Stop
        $vmHost = @{ computerName = [string]$h.ComputerName; iovSupport = [bool]$h.IovSupport; iovSupportReasons = @($h.IovSupportReasons | Where-Object { $_ } | ForEach-Object { [string]$_ }) }
    } catch { Add-Note 'Get-VMHost' $_ }
}
$platform = $null
try { $platform = Get-DdaPlatformFacts } catch { Add-Note 'Platform facts' $_ }
$session = $null
try { $session = Get-DdaSessionArrival } catch { Add-Note 'Session arrival' $_ }

# --- PCI functions: present PCI\ and PCIP\ (dismounted) ones; a PCIP\ twin's own name is its PCI\ entry's
$all = @()
try { $all = @(Get-PnpDevice -ErrorAction Stop | Where-Object { ([string]$_.InstanceId) -like 'PCI*' }) } catch { Add-Note 'Get-PnpDevice' $_ }
$absentNames = @{}
foreach ($d in $all) { if (-not $d.Present -and ([string]$d.InstanceId) -like 'PCI\*') { $absentNames[([string]$d.InstanceId).ToUpperInvariant()] = [string]$d.FriendlyName } }
$pnp = @($all | Where-Object { $_.Present })
$ids = @($pnp | ForEach-Object { [string]$_.InstanceId })
$props = @{}
foreach ($id in $ids) { $props[$id.ToUpperInvariant()] = @{} }
if ($ids.Count -gt 0) {
    # A device gone since Get-PnpDevice (a dismount meanwhile) costs only itself: PnP writes "not found"
    # for it and goes on (Get-DdaCallFailure); any other error is noted, and what was read is kept.
    foreach ($key in $PropertyKeys) {
        $propErrors = $null
        try {
            foreach ($r in @(Get-DdaPnpDeviceProperty -InstanceId $ids -KeyName $key -ErrorAction SilentlyContinue -ErrorVariable propErrors)) {
                $k = ([string]$r.InstanceId).ToUpperInvariant()
                if (-not $props.ContainsKey($k) -or $null -eq $r.Data -or [string]$r.Type -eq 'Empty') { continue }
                $props[$k][$key] = @{ type = [string]$r.Type; dataType = $r.Data.GetType().FullName; data = $r.Data }
            }
            $failure = Get-DdaCallFailure $propErrors
            if ($null -ne $failure) { Add-Note ('Device property ' + $key) $failure }
        } catch { Add-Note ('Device property ' + $key) $_ }
    }
}
$irqs = @{}
$mem = @{}
try {
    $ranges = @{}
    foreach ($m in @(Get-CimInstance -ClassName Win32_DeviceMemoryAddress -ErrorAction Stop)) { $ranges[[string]$m.StartingAddress] = [string]$m.EndingAddress }
    foreach ($a in @(Get-CimInstance -ClassName Win32_PnPAllocatedResource -ErrorAction Stop)) {
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
} catch { Add-Note 'Allocated resources' $_ }
$devices = New-Object System.Collections.Generic.List[object]
foreach ($d in $pnp) {
    $id = [string]$d.InstanceId
    $k = $id.ToUpperInvariant()
    $original = $null
    if ($id -like 'PCIP\*') { $original = $absentNames[('PCI\' + $id.Substring(5)).ToUpperInvariant()] }
    $irqList = @(); $memList = @()
    if ($irqs.ContainsKey($k)) { $irqList = $irqs[$k].ToArray() }
    if ($mem.ContainsKey($k)) { $memList = $mem[$k].ToArray() }
    $devices.Add(@{
        instanceId   = $id
        friendlyName = [string]$d.FriendlyName
        originalName = $original
        class        = [string]$d.Class
        service      = $(if ($d.Service) { [string]$d.Service } else { $null })
        problem      = [int]$d.ConfigManagerErrorCode
        properties   = $props[$k]
        irqs         = $irqList
        memoryRanges = $memList
    })
}

$hostAssignable = New-Object System.Collections.Generic.List[object]
$vms = New-Object System.Collections.Generic.List[object]
$switches = New-Object System.Collections.Generic.List[object]
$vmNics = New-Object System.Collections.Generic.List[object]
if ($hyperV) {
    try { foreach ($h in @(Get-VMHostAssignableDevice -ErrorAction Stop)) { $hostAssignable.Add(@{ instanceId = [string]$h.InstanceID; locationPath = [string]$h.LocationPath; resourcePoolName = [string]$h.ResourcePoolName }) } } catch { Add-Note 'Get-VMHostAssignableDevice' $_ }
    $list = @()
    try { $list = @(Get-VM -ErrorAction Stop) } catch { Add-Note 'Get-VM' $_ }
    $guestOsOf = @{}
    try { $guestOsOf = Get-DdaGuestOsNames } catch { Add-Note 'Guest OS names (Msvm_KvpExchangeComponent)' $_ }
    foreach ($v in $list) {
        $assigned = New-Object System.Collections.Generic.List[object]
        try { foreach ($a in @(Get-VMAssignableDevice -VM $v -ErrorAction Stop)) { $assigned.Add(@{ instanceId = [string]$a.InstanceID; locationPath = [string]$a.LocationPath; resourcePoolName = [string]$a.ResourcePoolName }) } } catch { Add-Note ('Assigned devices of a VM') $_ }
        $base = $null
        if ($null -ne $v.PSObject.Properties['HighMemoryMappedIoBaseAddress'] -and $null -ne $v.HighMemoryMappedIoBaseAddress) { $base = [string]$v.HighMemoryMappedIoBaseAddress }
        $vms.Add(@{
            name = [string]$v.Name; id = [string]$v.Id; state = [string]$v.State; generation = [int]$v.Generation
            automaticStopAction = [string]$v.AutomaticStopAction; guestControlledCacheTypes = [bool]$v.GuestControlledCacheTypes
            lowMemoryMappedIoSpace = [string]$v.LowMemoryMappedIoSpace; highMemoryMappedIoSpace = [string]$v.HighMemoryMappedIoSpace; highMemoryMappedIoBase = $base
            dynamicMemoryEnabled = [bool]$v.DynamicMemoryEnabled; memoryStartup = [string]$v.MemoryStartup; memoryMinimum = [string]$v.MemoryMinimum
            checkpointType = $(if ($null -ne $v.CheckpointType) { [string]$v.CheckpointType } else { $null })
            automaticCheckpointsEnabled = $(if ($null -ne $v.AutomaticCheckpointsEnabled) { [bool]$v.AutomaticCheckpointsEnabled } else { $null })
            isClustered = $(if ($null -ne $v.PSObject.Properties['IsClustered'] -and $null -ne $v.IsClustered) { [bool]$v.IsClustered } else { $null })
            guestOs = $guestOsOf[([string]$v.Id).ToUpperInvariant()]
            assigned = $assigned.ToArray()
        })
    }
    try {
        foreach ($s in @(Get-VMSwitch -ErrorAction Stop)) {
            $descs = @($s.NetAdapterInterfaceDescriptions | Where-Object { $_ } | ForEach-Object { [string]$_ })
            if ($descs.Count -eq 0 -and $s.NetAdapterInterfaceDescription) { $descs = @([string]$s.NetAdapterInterfaceDescription) }
            $switches.Add(@{ name = [string]$s.Name; id = [string]$s.Id; switchType = [string]$s.SwitchType; uplinkDescriptions = $descs; allowManagementOS = [bool]$s.AllowManagementOS })
        }
        foreach ($n in @(Get-VMNetworkAdapter -All -ErrorAction Stop)) {
            $vmNics.Add(@{ vmName = [string]$n.VMName; name = [string]$n.Name; switchName = $(if ($n.SwitchName) { [string]$n.SwitchName } else { $null }); macAddress = [string]$n.MacAddress; isManagementOs = [bool]$n.IsManagementOs })
        }
    } catch { Add-Note 'Virtual switches' $_ }
}

# --- The host's network adapters, addresses and disks ----------------------------------------------
$adapters = New-Object System.Collections.Generic.List[object]
$addresses = New-Object System.Collections.Generic.List[object]
try {
    foreach ($a in @(Get-NetAdapter -ErrorAction Stop)) { $adapters.Add(@{ name = [string]$a.Name; description = [string]$a.InterfaceDescription; interfaceIndex = [int]$a.InterfaceIndex; macAddress = [string]$a.MacAddress; pnpDeviceId = [string]$a.PnPDeviceID; pciFunction = $null }) }
    foreach ($r in @(Get-NetIPAddress -ErrorAction Stop)) { $addresses.Add(@{ interfaceIndex = [int]$r.InterfaceIndex; address = [string]$r.IPAddress; prefixLength = [int]$r.PrefixLength }) }
} catch { Add-Note 'Network adapters' $_ }
# Each adapter's PCI function, as inventory.ps1 finds it (a NIC behind its vendor's bus driver is a child).
try {
    $fnOf = Resolve-DdaPciFunction @(foreach ($a in $adapters) { $a.pnpDeviceId })
    foreach ($a in $adapters) { if ($a.pnpDeviceId) { $a.pciFunction = $fnOf[$a.pnpDeviceId.ToUpperInvariant()] } }
} catch { Add-Note 'The network adapters'' PCI functions' $_ }

$disks = New-Object System.Collections.Generic.List[object]
$partitions = New-Object System.Collections.Generic.List[object]
$pageLetters = New-Object System.Collections.Generic.List[string]
try {
    $msftDisks = @(Get-Disk -ErrorAction Stop)
    $pnpByIndex = @{}
    foreach ($w in @(Get-CimInstance -ClassName Win32_DiskDrive -ErrorAction Stop)) { $pnpByIndex[[string]$w.Index] = [string]$w.PNPDeviceID }
    $controllerOf = Resolve-DdaPciFunction @(foreach ($d in $msftDisks) { $pnpByIndex[[string]$d.Number] })
    foreach ($d in $msftDisks) {
        $controller = $null
        $diskId = $pnpByIndex[[string]$d.Number]
        if ($diskId) { $controller = $controllerOf[$diskId.ToUpperInvariant()] }
        $disks.Add(@{ number = [int]$d.Number; friendlyName = [string]$d.FriendlyName; isBoot = [bool]$d.IsBoot; isSystem = [bool]$d.IsSystem; controller = $controller })
    }
    foreach ($p in @(Get-Partition -ErrorAction Stop)) {
        $letter = $null
        $l = [string]$p.DriveLetter
        if ($l -and [int][char]$l[0] -ne 0) { $letter = $l.ToUpperInvariant() }
        $paths = @($p.AccessPaths | Where-Object { $_ } | ForEach-Object { [string]$_ } | Where-Object { $_ -notlike '\\?\*' -and $_ -notmatch '^[A-Za-z]:\\$' })
        $partitions.Add(@{ diskNumber = [int]$p.DiskNumber; partitionNumber = [int]$p.PartitionNumber; driveLetter = $letter; accessPaths = $paths; isBoot = [bool]$p.IsBoot; isSystem = [bool]$p.IsSystem })
    }
    foreach ($f in @(Get-CimInstance -ClassName Win32_PageFileUsage -ErrorAction Stop)) { $pageLetters.Add(([string]$f.Name).Substring(0, 1).ToUpperInvariant()) }
} catch { Add-Note 'Disks' $_ }

@{
    psEdition      = [string]$PSVersionTable.PSEdition
    psVersion      = [string]$PSVersionTable.PSVersion
    uiCulture      = [string][Globalization.CultureInfo]::CurrentUICulture.Name
    os             = $os
    vmHost         = $vmHost
    platform       = $platform
    session        = $session
    devices        = $devices.ToArray()
    hostAssignable = $hostAssignable.ToArray()
    vms            = $vms.ToArray()
    switches       = $switches.ToArray()
    vmNics         = $vmNics.ToArray()
    adapters       = $adapters.ToArray()
    addresses      = $addresses.ToArray()
    disks          = $disks.ToArray()
    partitions     = $partitions.ToArray()
    pageFileLetters = $pageLetters.ToArray()
    notes          = $notes.ToArray()
}
