# DDA Studio inventory: every PCI device with the raw survey facts, every VM with its assigned devices,
# the host-assignable (dismounted) devices and the host's readiness, in ONE round trip.
# The number of CIM queries is constant however many devices there are: one query per class (joined here
# in memory); device properties take one Get-PnpDeviceProperty call for every key of 64 devices.
# Verdicts are computed from these facts in TypeScript (shared/survey.ts), not here.
# A class or property that cannot be read degrades that item with a note; it never fails the whole.
# Windows PowerShell 5.1 compatible: Get-CimInstance only (no gwmi), no PS7-only syntax.
# Lists are made by casting @() ([System.Collections.Generic.List[object]]@()), not with New-Object: a
# cmdlet call per list costs about half a millisecond, thousands of them on a big host (and ::new() is
# kept out by the 5.1 parser check).
param()
# A property an object lacks reads as $null here (a CIM instance of another class, an older host's
# object): said for this script's scope, whatever strict mode its caller runs under.
Set-StrictMode -Off

$notes = [System.Collections.Generic.List[string]]@()
function Add-Note([string]$text) { $notes.Add($text) }
# The errors a listing wrote among its objects (Get-VM, Get-VMHostAssignableDevice), each a note: under
# the caller's Stop one of them would cost the whole list.
function Add-DdaErrorNotes([string]$command, $errors) { foreach ($e in @($errors)) { Add-Note ($command + ": " + $e.Exception.Message) } }

# --- Host ---------------------------------------------------------------------------------------
$os = $null
try {
    $o = Get-CimInstance -ClassName Win32_OperatingSystem
    $os = @{ caption = [string]$o.Caption; productType = [int]$o.ProductType; computerName = [string]$o.CSName }
} catch { Add-Note ("Win32_OperatingSystem unreadable: " + $_.Exception.Message) }

$hyperV = @{ present = $false; iovSupport = $null; iovSupportReasons = @(); computerName = $null }
if (Microsoft.PowerShell.Core\Get-Command -Name Get-VMHost -ErrorAction SilentlyContinue) {
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

# The disks (Win32_DiskDrive) and the network adapters are read once, and the PCI function behind each is
# found in ONE walk up their parents (Resolve-DdaPciFunction: a property call per level for all of them),
# which the system-disk check (Get-DdaPlatformFacts), the network lifelines and the disks below all use.
# A call for many ids fails when one of them does: after a failed walk the adapters and the disks are
# walked again each alone, so a disk that cannot be read leaves the network known, and an adapter the
# disks. A group whose own walk fails is unknown (a note), never "no controller".
$diskDrives = $null
$diskDrivesError = $null
try { $diskDrives = @(Get-CimInstance -ClassName Win32_DiskDrive -ErrorAction Stop) } catch { $diskDrivesError = $_ }
$adapters = @()
$adaptersError = $null
try { $adapters = @(Get-NetAdapter -ErrorAction Stop) } catch { $adaptersError = $_ }
$adapterIds = @(foreach ($a in $adapters) { [string]$a.PnPDeviceID })
$driveIds = @(foreach ($w in @($diskDrives)) { if ($null -ne $w) { [string]$w.PNPDeviceID } })
$pciOfAdapters = $null
$pciOfAdaptersError = $null
$pciOfDrives = $null
$pciOfDrivesError = $null
try {
    $pciOfAdapters = Resolve-DdaPciFunction @($adapterIds + $driveIds)
    $pciOfDrives = $pciOfAdapters
} catch {
    $pciOfAdaptersError = $_
    $pciOfDrivesError = $_
    # With one group empty the failed call was that group's own: nothing to walk again.
    if ($adapterIds.Count -gt 0 -and $driveIds.Count -gt 0) {
        try { $pciOfAdapters = Resolve-DdaPciFunction $adapterIds; $pciOfAdaptersError = $null } catch { $pciOfAdaptersError = $_ }
        try { $pciOfDrives = Resolve-DdaPciFunction $driveIds; $pciOfDrivesError = $null } catch { $pciOfDrivesError = $_ }
    }
}
# The Storage module's disks, read once: the system-disk check and the disks below.
$msftDisks = $null
$msftDisksError = $null
try { $msftDisks = @(Get-Disk -ErrorAction Stop) } catch { $msftDisksError = $_ }
$platform = $null
# The walk's answer covers the disks read here only: without them the check reads and walks its own. After
# the disks' own walk failed it is given no answer (an empty table: the system disk's controller is then
# unknown), not sent to fail the same way once more.
$systemDiskPci = $null
if ($null -ne $diskDrives) {
    if ($null -ne $pciOfDrivesError) { $systemDiskPci = @{} } else { $systemDiskPci = $pciOfDrives }
}
try { $platform = Get-DdaPlatformFacts -DiskDrives $diskDrives -PciFunctionOf $systemDiskPci -StorageDisks $msftDisks -StorageDisksError $msftDisksError } catch { Add-Note ("Platform facts unreadable: " + $_.Exception.Message) }

# --- Devices (present PCI\ functions and PCIP\ twins of dismounted ones) --------------------------
$pnp = @()
# The names of the present devices that are not a PCIP\ twin (the lifelines' uplink check, below).
$presentNames = @{}
try {
    # A loop, not Where-Object: a script block run per device is the costlier way on a host with hundreds.
    $pnp = @(foreach ($d in @(Get-PnpDevice -PresentOnly)) {
            $id = [string]$d.InstanceId
            if ($id -like 'PCI*') { $d }
            if ($d.FriendlyName -and $id -notlike 'PCIP\*') { $presentNames[[string]$d.FriendlyName] = $true }
        })
} catch { Add-Note ("Get-PnpDevice failed: " + $_.Exception.Message) }
$ids = @(foreach ($d in $pnp) { [string]$d.InstanceId })

$pciKeySet = '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  '
# Each fact: its key as asked, and the key's DEVPKEY name, by which a host may name a row's key instead
# (a guess, either works).
$keys = [ordered]@{
    deviceType  = @(($pciKeySet + '1'), 'DEVPKEY_PciDevice_DeviceType')
    baseClass   = @(($pciKeySet + '3'), 'DEVPKEY_PciDevice_BaseClass')
    acs         = @(($pciKeySet + '31'), 'DEVPKEY_PciDevice_AcsCompatibleUpHierarchy')
    rmrr        = @(($pciKeySet + '34'), 'DEVPKEY_PciDevice_RequiresReservedMemoryRegion')
    barTypes    = @(($pciKeySet + '16'), 'DEVPKEY_PciDevice_BarTypes')
    paths       = @('DEVPKEY_Device_LocationPaths', 'DEVPKEY_Device_LocationPaths')
}
# A key's text in one spelling: any case, any run of spaces.
function ConvertTo-DdaKeyText([string]$text) { return ($text -replace '\s+', ' ').Trim().ToUpperInvariant() }
$nameOf = @{}
foreach ($name in @($keys.Keys)) { foreach ($text in $keys[$name]) { $nameOf[(ConvertTo-DdaKeyText $text)] = $name } }
$props = @{}
foreach ($id in $ids) { $props[$id.ToUpperInvariant()] = @{} }
# The facts no call could read (a failed call, not a property the device lacks): SurveyDDA's rules take an
# absent RMRR flag as "not assignable", so a fact that could not be read must not look absent.
$unreadableProps = [System.Collections.Generic.List[string]]@()

# Reads the facts $names of every device into $props with one Get-PnpDeviceProperty call per 64 devices
# (Get-DdaPnpDeviceProperty, host-functions.ps1: one WQL query may not name more; one CIM round trip
# however many keys). With several keys a row is told by its KeyName. Returns $false when a call fails or
# names a row's key neither way: the caller then asks key by key, where a failure is a note (the devices
# of the calls that worked keep their facts).
function Read-DdaProps([string[]]$names) {
    $alone = ($names.Count -eq 1)
    $rows = @()
    # A call that stops and one that only writes errors (as PnP cmdlets do) fail alike.
    $failure = $null
    try {
        $propErrors = $null
        $rows = @(Get-DdaPnpDeviceProperty -InstanceId $ids -KeyName @(foreach ($n in $names) { $keys[$n][0] }) -ErrorAction SilentlyContinue -ErrorVariable propErrors)
        $failure = Get-DdaCallFailure $propErrors
    } catch { $failure = $_ }
    if ($null -ne $failure) {
        if (-not $alone) { return $false }
        Add-Note ("Device property " + $names[0] + " unreadable: " + $failure.Exception.Message)
        $unreadableProps.Add($names[0])
    }
    # A row's key text as the host wrote it -> the fact's name (each spelling resolved once).
    $seen = @{}
    # Local names for the script's tables: a loop over every row reads them once per row, and each of
    # a row's properties is read once (a row is a CIM instance on a host: every read goes through its adapter).
    $byDevice = $props
    $knownKeys = $nameOf
    $name = $names[0]
    foreach ($r in $rows) {
        if (-not $alone) {
            $keyText = [string]$r.KeyName
            $name = $seen[$keyText]
            if ($null -eq $name) {
                $name = $knownKeys[(ConvertTo-DdaKeyText $keyText)]
                if ($null -eq $name) { return $false }
                $seen[$keyText] = $name
            }
        }
        $data = $r.Data
        if ($null -eq $data) { continue }
        $facts = $byDevice[([string]$r.InstanceId).ToUpperInvariant()]
        if ($null -ne $facts) { $facts[$name] = $data }
    }
    return $true
}
if ($ids.Count -gt 0 -and -not (Read-DdaProps @($keys.Keys))) {
    foreach ($k in @($props.Keys)) { $props[$k] = @{} }
    foreach ($name in @($keys.Keys)) { $null = Read-DdaProps @($name) }
}

# --- Resources: one query per class, joined by device id -----------------------------------------
$irqs = @{}
$mem = @{}
$resourcesKnown = $true
try {
    $ranges = @{}
    # A range is named by its start alone (the key of Win32_DeviceMemoryAddress), and a bridge's window
    # may start where the first BAR behind it starts: the smaller range is the device's own.
    foreach ($m in @(Get-CimInstance -ClassName Win32_DeviceMemoryAddress)) {
        $s = [string]$m.StartingAddress
        $e = [string]$m.EndingAddress
        $prev = $ranges[$s]
        if ($null -eq $prev -or [decimal]$e -lt [decimal]$prev) { $ranges[$s] = $e }
    }
    # An antecedent is a Win32_IRQResource (IRQNumber) or a Win32_DeviceMemoryAddress (StartingAddress);
    # a property the instance lacks reads as $null. Each property is read once per row.
    foreach ($a in @(Get-CimInstance -ClassName Win32_PnPAllocatedResource)) {
        $dep = $a.Dependent
        $ant = $a.Antecedent
        if ($null -eq $dep -or $null -eq $ant) { continue }
        $dev = ([string]$dep.DeviceID).ToUpperInvariant()
        $irq = $ant.IRQNumber
        if ($null -ne $irq) {
            $list = $irqs[$dev]
            if ($null -eq $list) { $list = [System.Collections.Generic.List[object]]@(); $irqs[$dev] = $list }
            $list.Add([double]$irq)
            continue
        }
        $startingAddress = $ant.StartingAddress
        if ($null -ne $startingAddress) {
            $start = [string]$startingAddress
            $list = $mem[$dev]
            if ($null -eq $list) { $list = [System.Collections.Generic.List[object]]@(); $mem[$dev] = $list }
            $end = $ranges[$start]
            if ($null -ne $end) { $list.Add(@{ start = $start; end = $end }) }
        }
    }
} catch { $resourcesKnown = $false; Add-Note ("Allocated resources unreadable: " + $_.Exception.Message) }

$devices = [System.Collections.Generic.List[object]]@()
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
    $disabled = ($problem -eq 'CM_PROB_DISABLED' -or $problem -eq '22')
    # A device Windows has not started (no driver: Code 28; failed: Code 10; ...) has no resources
    # allocated: its interrupts and MMIO read as none, which is not what it needs. Unknown, not zero.
    $started = ($problem -eq '' -or $problem -eq 'CM_PROB_NONE' -or $problem -eq '0')
    $devices.Add(@{
        instanceId     = $id
        friendlyName   = [string]$d.FriendlyName
        class          = [string]$d.Class
        status         = [string]$d.Status
        disabled       = $disabled
        started        = $started
        locationPath   = $path
        deviceType     = $p['deviceType']
        baseClass      = $p['baseClass']
        acs            = $p['acs']
        rmrr           = $p['rmrr']
        barTypes       = $p['barTypes']
        irqs           = $irqList
        memoryRanges   = $memList
        resourcesKnown = ($resourcesKnown -and ($started -or $disabled))
    })
}

# --- Host-assignable (dismounted) devices ---------------------------------------------------------
$hostAssignable = [System.Collections.Generic.List[object]]@()
if ($hyperV.present) {
    try {
        $haErrors = $null
        $listed = @(Get-VMHostAssignableDevice -ErrorAction SilentlyContinue -ErrorVariable haErrors)
        Add-DdaErrorNotes 'Get-VMHostAssignableDevice' $haErrors
        foreach ($h in $listed) {
            $hpool = $null
            if ($null -ne $h.PSObject.Properties['ResourcePoolName'] -and $h.ResourcePoolName) { $hpool = [string]$h.ResourcePoolName }
            $hostAssignable.Add(@{ instanceId = [string]$h.InstanceID; locationPath = [string]$h.LocationPath; resourcePoolName = $hpool })
        }
    } catch { Add-Note ("Get-VMHostAssignableDevice failed: " + $_.Exception.Message) }
}

# --- VMs and what each holds --------------------------------------------------------------------
$vms = [System.Collections.Generic.List[object]]@()
# The running guests' OS names (Get-DdaGuestOsNames, host-functions.ps1); unreadable, none is known.
$guestOsOf = @{}
if ($hyperV.present) {
    try { $guestOsOf = Get-DdaGuestOsNames } catch { Add-Note ("The guests' OS names are unreadable: " + $_.Exception.Message) }
    $all = @()
    # A VM Hyper-V cannot read (its configuration unreachable) is a note; the VMs read are kept.
    try {
        $vmErrors = $null
        $all = @(Get-VM -ErrorAction SilentlyContinue -ErrorVariable vmErrors)
        Add-DdaErrorNotes 'Get-VM' $vmErrors
    } catch { Add-Note ("Get-VM failed: " + $_.Exception.Message) }
    # Every VM's devices in one call, grouped by each object's VMId (a guess: Microsoft's reference lists
    # VMName, not VMId, and two VMs may share a name). Any error, or an object without a VMId, and each
    # VM is read on its own below, so a failure is told per VM, never guessed from one error.
    $heldBy = $null
    if ($all.Count -gt 1) {
        try {
            $rows = @(Get-VMAssignableDevice -VM $all)
            $heldBy = @{}
            foreach ($v in $all) { $heldBy[[string]$v.Id] = [System.Collections.Generic.List[object]]@() }
            foreach ($a in $rows) {
                $owner = $null
                if ($null -ne $a.PSObject.Properties['VMId'] -and $null -ne $a.VMId) { $owner = $heldBy[[string]$a.VMId] }
                if ($null -eq $owner) { $heldBy = $null; break }
                $owner.Add($a)
            }
        } catch { $heldBy = $null }
    }
    foreach ($v in $all) {
        $assigned = [System.Collections.Generic.List[object]]@()
        try {
            $held = $null
            if ($null -ne $heldBy) { $held = $heldBy[[string]$v.Id] } else { $held = @(Get-VMAssignableDevice -VM $v) }
            foreach ($a in $held) {
                # ResourcePoolName: 'Primordial' for a direct assignment; a pool's name for one made with
                # -ResourcePoolName (resource pools: the Windows Server 2022 and 2025 references); may be absent on older hosts.
                $pool = $null
                if ($null -ne $a.PSObject.Properties['ResourcePoolName'] -and $a.ResourcePoolName) { $pool = [string]$a.ResourcePoolName }
                $assigned.Add(@{ name = [string]$a.Name; instanceId = [string]$a.InstanceID; locationPath = [string]$a.LocationPath; resourcePoolName = $pool })
            }
        } catch { Add-Note ("Assigned devices of VM '" + $v.Name + "' unreadable: " + $_.Exception.Message) }
        $isClustered = $null
        if ($null -ne $v.PSObject.Properties['IsClustered'] -and $null -ne $v.IsClustered) { $isClustered = [bool]$v.IsClustered }
        $guestOs = $guestOsOf[([string]$v.Id).ToUpperInvariant()]
        # Newer builds report where the high MMIO gap starts; Microsoft's reference does not list it yet.
        $mmioBase = $null
        # 0 is not a base (no gap starts at address 0): unknown.
        if ($null -ne $v.PSObject.Properties['HighMemoryMappedIoBaseAddress'] -and $null -ne $v.HighMemoryMappedIoBaseAddress -and [double]$v.HighMemoryMappedIoBaseAddress -gt 0) { $mmioBase = [double]$v.HighMemoryMappedIoBaseAddress }
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

# --- The host's lifelines: host IPs, vSwitches and disks behind each PCI function ------------------
# One call per cmdlet / class, joined here in memory (the adapters' and disks' PCI functions come from
# the one walk at the top: a Get-PnpDeviceProperty call per level and 64 ids, at most 8 levels). A part that cannot be read
# says "unknown" (networkKnown / storageKnown false) with a note; it never fails the inventory.
function ConvertTo-DdaIp([string]$text) {
    # One spelling per address (IPv6 zero runs, case, an IPv4-mapped IPv6 form), so text compares equal.
    $ip = $null
    if (-not [Net.IPAddress]::TryParse($text, [ref]$ip)) { return $text }
    if ($ip.IsIPv4MappedToIPv6) { $ip = $ip.MapToIPv4() }
    return $ip.ToString()
}
function ConvertTo-DdaMac([string]$mac) { return ($mac -replace '[^0-9A-Fa-f]', '').ToUpperInvariant() }
function Test-DdaLinkLocal([string]$ip) {
    # fe80::/10 and 169.254/16 are configured on every connected link by themselves; nobody manages a
    # host on them, so they are not counted as the host's addresses (the session check still sees them).
    return ($ip -like 'fe80:*' -or $ip -like '169.254.*')
}
$lifelines = @{ networkKnown = $true; nics = @(); session = $null; storageKnown = $true; disks = @() }
$ipRows = @()
try {
    if ($null -ne $adaptersError) { throw $adaptersError }
    $ipRows = @(Get-NetIPAddress -ErrorAction Stop)
} catch { $lifelines.networkKnown = $false; Add-Note ("Host network adapters or IP addresses unreadable: " + $_.Exception.Message) }
$switches = @()
$vmNics = @()
if ($hyperV.present -and $lifelines.networkKnown) {
    try {
        $switches = @(Get-VMSwitch -ErrorAction Stop)
        # An adapter Hyper-V cannot read (a VM's) is a note, as for Get-VM above: the VMs' adapters only
        # name the VMs on each switch, and a host vNIC missing from them leaves its adapter untraced,
        # which fails closed below.
        $vmNicErrors = $null
        $vmNics = @(Get-VMNetworkAdapter -All -ErrorAction SilentlyContinue -ErrorVariable vmNicErrors)
        Add-DdaErrorNotes 'Get-VMNetworkAdapter' $vmNicErrors
    } catch { $lifelines.networkKnown = $false; Add-Note ("Virtual switches unreadable: " + $_.Exception.Message) }
}
# Each adapter's PCI function (the walk above): the NIC it is, or the one it is a child of.
$pciOfAdapter = @{}
if ($lifelines.networkKnown) {
    if ($null -ne $pciOfAdaptersError) { $lifelines.networkKnown = $false; Add-Note ("The PCI functions of the host's network adapters are unreadable: " + $pciOfAdaptersError.Exception.Message) }
    else { $pciOfAdapter = $pciOfAdapters }
}
$session = @{ remote = $false; address = $null; addresses = @(); hostName = $null }
try { $session = Get-DdaSessionArrival } catch { $session = @{ remote = $true; address = $null; addresses = @(); hostName = $null }; Add-Note ("The address this session arrived on is unreadable: " + $_.Exception.Message) }
# The candidates (Get-DdaSessionArrival): one for SSH or an IP, the listener's connections for a WinRM name.
$sessionAddresses = [System.Collections.Generic.List[string]]@()
foreach ($a in @($session.addresses)) {
    if (-not $a) { continue }
    $ip = ConvertTo-DdaIp ([string]$a)
    if (-not $sessionAddresses.Contains($ip)) { $sessionAddresses.Add($ip) }
}
# A remote session that arrived on loopback came through a tunnel: which NIC carries it is unknown. When
# one candidate of several is loopback (a WinRM name), this session may be that one: it is not placed.
$sessionTunneled = $false
foreach ($ip in @($sessionAddresses)) {
    $parsed = $null
    if ([Net.IPAddress]::TryParse($ip, [ref]$parsed) -and [Net.IPAddress]::IsLoopback($parsed)) { [void]$sessionAddresses.Remove($ip); $sessionTunneled = $true }
}
if ($lifelines.networkKnown) {
    $ipsByIndex = @{}
    $allByIndex = @{}
    foreach ($r in $ipRows) {
        $k = [string]$r.InterfaceIndex
        $ip = ConvertTo-DdaIp ([string]$r.IPAddress)
        if (-not $allByIndex.ContainsKey($k)) { $allByIndex[$k] = [System.Collections.Generic.List[string]]@(); $ipsByIndex[$k] = [System.Collections.Generic.List[string]]@() }
        $allByIndex[$k].Add($ip)
        if (-not (Test-DdaLinkLocal $ip)) { $ipsByIndex[$k].Add($ip) }
    }
    $byDesc = @{}
    $byMac = @{}
    # The PCI function of an adapter, or $null (a vNIC, a team: no PCI function below it).
    function Get-DdaAdapterFunction($a) {
        $id = [string]$a.PnPDeviceID
        if (-not $id) { return $null }
        return $pciOfAdapter[$id.ToUpperInvariant()]
    }
    foreach ($a in $adapters) {
        if ($a.InterfaceDescription) { $byDesc[[string]$a.InterfaceDescription] = $a }
        # A host vNIC often has its uplink's MAC: only an adapter without a PCI function can be a vNIC.
        if ($a.MacAddress -and $null -eq (Get-DdaAdapterFunction $a)) { $byMac[(ConvertTo-DdaMac ([string]$a.MacAddress))] = $a }
    }
    # Per PCI NIC: its own addresses, then what it carries as the uplink of an external vSwitch.
    # Every adapter with a host address must be accounted for (a PCI NIC, or a vNIC on a known switch);
    # one that is not (an LBFO team, a switch uplinked to one) leaves the network unknown: fail closed.
    $accounted = @{}
    $nicByIndex = @{}
    $nics = [ordered]@{}
    # A function may carry several adapters (the ports of a NIC behind one bus driver): one entry for all.
    foreach ($a in $adapters) {
        $fn = Get-DdaAdapterFunction $a
        if ($null -eq $fn) { continue }
        $k = [string]$a.InterfaceIndex
        $own = @()
        $all = @()
        if ($ipsByIndex.ContainsKey($k)) { $own = $ipsByIndex[$k].ToArray(); $all = $allByIndex[$k].ToArray() }
        $accounted[$k] = $true
        $n = $nics[$fn.ToUpperInvariant()]
        if ($null -eq $n) {
            $nics[$fn.ToUpperInvariant()] = @{ instanceId = $fn; name = [string]$a.Name; ipAddresses = @($own); allAddresses = @($all); vSwitches = [System.Collections.Generic.List[object]]@() }
        } else {
            $n.name = $n.name + ', ' + [string]$a.Name
            $n.ipAddresses = @($n.ipAddresses) + $own
            $n.allAddresses = @($n.allAddresses) + $all
        }
    }
    # The host's own vNICs (on any switch, with an uplink or not) are accounted for by their switch.
    foreach ($m in $vmNics) {
        if (-not $m.IsManagementOs) { continue }
        $a = $byMac[(ConvertTo-DdaMac ([string]$m.MacAddress))]
        if ($null -ne $a) { $accounted[[string]$a.InterfaceIndex] = $true }
    }
    foreach ($s in $switches) {
        $descs = @($s.NetAdapterInterfaceDescriptions | Where-Object { $_ })
        if ($descs.Count -eq 0 -and $s.NetAdapterInterfaceDescription) { $descs = @($s.NetAdapterInterfaceDescription) }
        if ($descs.Count -eq 0) { continue }
        $swName = [string]$s.Name
        $onSwitch = @(@(foreach ($m in $vmNics) { if (-not $m.IsManagementOs -and [string]$m.SwitchName -eq $swName) { [string]$m.VMName } }) | Sort-Object -Unique)
        # The host's own vNIC on this switch (AllowManagementOS): its addresses travel over the uplink.
        $hostIps = [System.Collections.Generic.List[string]]@()
        $hostAll = [System.Collections.Generic.List[string]]@()
        foreach ($m in $vmNics) {
            if (-not ($m.IsManagementOs -and [string]$m.SwitchName -eq $swName)) { continue }
            $a = $byMac[(ConvertTo-DdaMac ([string]$m.MacAddress))]
            if ($null -eq $a) { continue }
            $k = [string]$a.InterfaceIndex
            if ($ipsByIndex.ContainsKey($k)) { foreach ($ip in $ipsByIndex[$k]) { $hostIps.Add($ip) }; foreach ($ip in $allByIndex[$k]) { $hostAll.Add($ip) } }
        }
        foreach ($d in $descs) {
            $a = $byDesc[[string]$d]
            if ($null -eq $a) {
                # An uplink Get-NetAdapter does not list. A NIC passed through to a VM (the switch still names
                # it) is no host lifeline. A device still on the host under that name (a hidden adapter, the
                # PCI function or its bus driver's child) would look free: fail closed.
                if ($presentNames.ContainsKey([string]$d)) {
                    $lifelines.networkKnown = $false
                    Add-Note ("The uplink of vSwitch '" + $swName + "' (" + [string]$d + ") is not among the host's network adapters: which NIC carries it is unknown.")
                }
                continue
            }
            $n = $null
            $fn = Get-DdaAdapterFunction $a
            if ($null -ne $fn) { $n = $nics[$fn.ToUpperInvariant()] }
            if ($null -eq $n) {
                $lifelines.networkKnown = $false
                Add-Note ("The uplink of vSwitch '" + $swName + "' (" + [string]$d + ") is not a PCI function (a team?): which NICs carry it is unknown.")
                continue
            }
            $n.vSwitches.Add(@{ name = $swName; switchType = [string]$s.SwitchType; vms = @($onSwitch); managementOs = [bool]$s.AllowManagementOS; hostIpAddresses = $hostIps.ToArray() })
            $n.allAddresses = @($n.allAddresses) + $hostAll.ToArray()
        }
    }
    $out = [System.Collections.Generic.List[object]]@()
    foreach ($n in $nics.Values) {
        $carries = $false
        foreach ($ip in $sessionAddresses) { if (@($n.allAddresses) -contains $ip) { $carries = $true } }
        $out.Add(@{ instanceId = $n.instanceId; name = $n.name; ipAddresses = @($n.ipAddresses); vSwitches = $n.vSwitches.ToArray(); carriesSession = $carries })
    }
    $lifelines.nics = $out.ToArray()
    foreach ($a in $adapters) {
        $k = [string]$a.InterfaceIndex
        if ($accounted.ContainsKey($k) -or -not $ipsByIndex.ContainsKey($k) -or $ipsByIndex[$k].Count -eq 0) { continue }
        $lifelines.networkKnown = $false
        Add-Note ("Host addresses on adapter '" + [string]$a.Name + "' could not be traced to a PCI NIC: which NICs the host needs is unknown.")
    }
    # The session is placed when it has candidates and each is on a known adapter (a PCI NIC or a vNIC):
    # with several (a WinRM name), any of them may be this session's.
    $placed = ($sessionAddresses.Count -gt 0 -and -not $sessionTunneled)
    foreach ($ip in $sessionAddresses) {
        $on = $false
        foreach ($k in @($allByIndex.Keys)) { if ($allByIndex[$k].Contains($ip)) { $on = $true } }
        if (-not $on) { $placed = $false }
    }
    $lifelines.session = @{ remote = [bool]$session.remote; address = $session.address; placed = $placed }
} else {
    $lifelines.session = @{ remote = [bool]$session.remote; address = $session.address; placed = $false }
}

try {
    if ($null -ne $msftDisksError) { throw $msftDisksError }
    $msftParts = @(Get-Partition -ErrorAction Stop)
    $pnpByIndex = @{}
    if ($null -ne $diskDrivesError) { throw $diskDrivesError }
    foreach ($w in $diskDrives) { $pnpByIndex[[string]$w.Index] = [string]$w.PNPDeviceID }
    $pageLetters = @{}
    try {
        foreach ($f in @(Get-CimInstance -ClassName Win32_PageFileUsage -ErrorAction Stop)) { $pageLetters[([string]$f.Name).Substring(0, 1).ToUpperInvariant()] = $true }
    } catch { $lifelines.storageKnown = $false; Add-Note ("Page file locations unreadable: " + $_.Exception.Message) }
    # Every disk's storage controller, from the walk above (a failed walk is told as disks unreadable,
    # not as controllers that were not found).
    if ($null -ne $pciOfDrivesError) { throw $pciOfDrivesError }
    $controllerOf = $pciOfDrives
    $diskOut = [System.Collections.Generic.List[object]]@()
    foreach ($d in $msftDisks) {
        $num = [string]$d.Number
        $volumes = [System.Collections.Generic.List[string]]@()
        $pageFile = $false
        $boot = [bool]$d.IsBoot
        $system = [bool]$d.IsSystem
        foreach ($p in @($msftParts | Where-Object { [string]$_.DiskNumber -eq $num })) {
            if ($p.IsBoot) { $boot = $true }
            if ($p.IsSystem) { $system = $true }
            # DriveLetter is a Char: NUL when the partition has no letter.
            $letter = [string]$p.DriveLetter
            if ($letter -and [int][char]$letter[0] -ne 0) {
                $volumes.Add($letter.ToUpperInvariant() + ':')
                if ($pageLetters.ContainsKey($letter.ToUpperInvariant())) { $pageFile = $true }
            }
            foreach ($ap in @($p.AccessPaths)) {
                $s = [string]$ap
                # Folder mount points; the letter's own root and the \\?\Volume{} name are not extra volumes.
                if ($s -and $s -notlike '\\?\*' -and $s -notmatch '^[A-Za-z]:\\$') { $volumes.Add($s) }
            }
        }
        $controller = $null
        $diskId = $pnpByIndex[$num]
        if ($diskId) { $controller = $controllerOf[$diskId.ToUpperInvariant()] }
        if ($null -eq $controller -and ($boot -or $system -or $pageFile -or $volumes.Count -gt 0)) {
            # Storage Spaces, MPIO, iSCSI, a VHD: a disk the host uses on a controller not found. Fail closed.
            $lifelines.storageKnown = $false
            Add-Note ("Disk " + $num + " (" + [string]$d.FriendlyName + ") is in use by the host, but its PCI controller could not be found: storage controllers are unknown.")
        }
        $diskOut.Add(@{ number = [int]$d.Number; friendlyName = [string]$d.FriendlyName; controller = $controller; isBoot = $boot; isSystem = $system; volumes = $volumes.ToArray(); pageFile = $pageFile })
    }
    $lifelines.disks = $diskOut.ToArray()
} catch { $lifelines.storageKnown = $false; Add-Note ("Host disks unreadable: " + $_.Exception.Message) }

# --- VM start failures (issue 18): the Hyper-V-Worker-Admin log's error events, newest first --------
# Raw data only: the caller finds the VM by its id among the event's data and the code by its value (or
# the "(0x........)" every language's message carries); nothing here reads the text. Two Get-WinEvent
# calls, each with its own window: the log's newest 100 errors, and its newest 100 "started successfully"
# events (id 18500, a labelled guess: admins' reports quote it; no Microsoft page lists the log's ids), by
# which the caller drops a failure a later start has cleared (in one window, a busy host's starts would
# push the failures out). No event, or no such log (Hyper-V not installed): an empty list, told apart by
# the error's FullyQualifiedErrorId (NoMatchingEventsFound / NoMatchingLogsFound), never its text.
# One log by -LogName and an XPath query, not -FilterHashtable: a hashtable query tolerates errors per
# log (GetWinEventCommand sets EventLogQuery.TolerateQueryErrors), so a log this account may not read
# (a session without elevation) would come back as "no events" instead of unreadable.
# Get-WinEvent writes an error per record it cannot read or format (GetWinEventCommand's ReadEvents) and
# goes on, so errors do not stop the call: what it read is kept, and the log is unreadable only when the
# errors query brought nothing and wrote an error other than "nothing matched".
$startFailures = @{ readable = $true; events = @() }
$workerLog = 'Microsoft-Windows-Hyper-V-Worker-Admin'
# The events one query brings, and the errors it wrote.
function Read-DdaWorkerEvents([string]$xpath) {
    $read = @()
    $readErrors = $null
    try { $read = @(Get-WinEvent -LogName $workerLog -FilterXPath $xpath -MaxEvents 100 -ErrorAction SilentlyContinue -ErrorVariable readErrors) } catch { $readErrors = @($_) }
    @{ events = $read; errors = @(foreach ($x in @($readErrors)) { if ($null -ne $x) { $x } }) }
}
$failedRead = Read-DdaWorkerEvents '*[System[Level=2]]'
$startedRead = Read-DdaWorkerEvents '*[System[EventID=18500]]'
if ($failedRead.events.Count -eq 0) {
    foreach ($err in $failedRead.errors) {
        $fqid = [string]$err.FullyQualifiedErrorId
        if (-not ($fqid -like 'NoMatchingEventsFound*' -or $fqid -like 'NoMatchingLogsFound*')) { $startFailures.readable = $false }
    }
}
$winEvents = @($failedRead.events) + @($startedRead.events)
$eventOut = [System.Collections.Generic.List[object]]@()
foreach ($e in $winEvents) {
    if ($null -eq $e) { continue }
    $data = [System.Collections.Generic.List[object]]@()
    foreach ($p in @($e.Properties)) {
        $v = $p.Value
        if ($null -eq $v) { $data.Add($null) }
        elseif ($v -is [int] -or $v -is [uint32] -or $v -is [long] -or $v -is [int16] -or $v -is [uint16] -or $v -is [byte] -or $v -is [sbyte]) { $data.Add([long]$v) }
        # A UInt64 (a code a provider logs 64 bits wide) may not fit a long.
        elseif ($v -is [uint64]) { $data.Add([double]$v) }
        else { $data.Add([string]$v) }
    }
    $at = $null
    if ($null -ne $e.TimeCreated) { $at = ([datetime]$e.TimeCreated).ToUniversalTime().ToString('o') }
    $level = $null
    if ($null -ne $e.Level) { $level = [int]$e.Level }
    # The text is shown raw for a failure, never read; a start that worked needs none (200 of them cross
    # a WinRM link on every inventory). The caller keeps 4,000 characters.
    $message = ''
    if ($level -ne 4) { $message = [string]$e.Message; if ($message.Length -gt 4000) { $message = $message.Substring(0, 4000) } }
    $eventOut.Add(@{ id = [int]$e.Id; level = $level; at = $at; message = $message; data = $data.ToArray() })
}
$startFailures.events = $eventOut.ToArray()

@{
    psEdition       = [string]$PSVersionTable.PSEdition
    psVersion       = [string]$PSVersionTable.PSVersion
    os              = $os
    hyperV          = $hyperV
    platform        = $platform
    devices         = $devices.ToArray()
    unreadableProps = $unreadableProps.ToArray()
    hostAssignable  = $hostAssignable.ToArray()
    vms             = $vms.ToArray()
    lifelines       = $lifelines
    startFailures   = $startFailures
    notes           = $notes.ToArray()
}
