# DDA Studio simulated Hyper-V host.
# Functions with the names, parameters, output shapes, preconditions and error texts of the Hyper-V,
# PnpDevice and CIM cmdlets that DDA Studio's scripts (and Microsoft's SurveyDDA.ps1) call, backed by
# one JSON state file named by $env:DDA_SIM_STATE. A state file starts as a plain copy of a host
# profile (dda-studio/host-profile@1); runtime fields the simulator adds live under each object's
# "sim" key and a top-level "sim" key. Every mutation is a locked read-modify-write with an atomic
# replace, so two sessions on one state file never corrupt it.
# Where real Hyper-V behaviour is not documented, the stricter choice is made and marked "stricter".
# Windows PowerShell 5.1 compatible syntax (no ternary, ??, &&).

Set-StrictMode -Off
$script:Stats = @{ calls = @{}; cim = @{} }
$script:SimLockDepth = 0
$script:CachedStamp = $null
$script:CachedState = $null
$script:ValidatedStamp = $null
$script:PciKeySet = '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}'

# ---------------------------------------------------------------------------------------------------
# State: read, validate, lock, write
# ---------------------------------------------------------------------------------------------------

function Get-SimStatePath {
    $p = $env:DDA_SIM_STATE
    if (-not $p) { throw 'DDA_SIM_STATE is not set: the simulator needs a state file (a copy of a host profile).' }
    if (-not (Test-Path -LiteralPath $p)) { throw ("DDA_SIM_STATE names a file that does not exist: " + $p) }
    return $p
}

function ConvertTo-SimNumber($value) {
    if ($null -eq $value) { return $null }
    if ($value -is [string]) {
        if ($value -match '^0[xX][0-9A-Fa-f]+$') { return [UInt64]::Parse($value.Substring(2), [Globalization.NumberStyles]::HexNumber) }
        if ($value -match '^\d+$') { return [UInt64]$value }
        return $null
    }
    return [UInt64]$value
}

function Test-DdaSimProfile {
    <# Returns a list of problems, each naming the field; empty when the profile is valid. #>
    param([Parameter(Mandatory = $true)]$Profile)
    $errors = New-Object System.Collections.Generic.List[string]
    function Need($cond, $msg) { if (-not $cond) { $errors.Add($msg) } }
    Need ($Profile.schema -eq 'dda-studio/host-profile@1') 'schema: must be "dda-studio/host-profile@1"'
    $h = $Profile.host
    Need ($null -ne $h) 'host: required object'
    if ($null -ne $h) {
        Need ($h.computerName -is [string] -and $h.computerName.Length -gt 0) 'host.computerName: required string'
        Need ($h.productType -in @('ServerNT', 'WinNT', 'LanmanNT')) 'host.productType: must be "ServerNT", "LanmanNT" or "WinNT"'
        foreach ($b in @('iovSupport', 'osPcieControl', 'iommuPolicyEnabled', 'elevated')) {
            Need ($h.$b -is [bool]) ("host." + $b + ': required boolean')
        }
        Need (($h.physicalAddressBits -is [int] -or $h.physicalAddressBits -is [long]) -and $h.physicalAddressBits -ge 32 -and $h.physicalAddressBits -le 64) 'host.physicalAddressBits: required integer 32..64'
    }
    Need ($Profile.devices -is [array] -or $null -eq $Profile.devices -or $Profile.devices -is [System.Collections.IList]) 'devices: must be an array'
    $i = 0
    $paths = @{}
    foreach ($d in @($Profile.devices)) {
        $at = 'devices[' + $i + ']'
        Need ($d.instanceId -is [string] -and $d.instanceId -like 'PCI\*') ($at + '.instanceId: required string starting with PCI\')
        Need ($d.friendlyName -is [string]) ($at + '.friendlyName: required string')
        Need ($d.locationPath -is [string] -and $d.locationPath -like 'PCIROOT*') ($at + '.locationPath: required string starting with PCIROOT')
        Need ($d.enabled -is [bool]) ($at + '.enabled: required boolean')
        foreach ($n in @('deviceType', 'baseClass', 'acsUpHierarchy', 'requiresReservedMemoryRegion')) {
            $v = $d.$n
            Need ($null -eq $v -or $v -is [int] -or $v -is [long]) ($at + '.' + $n + ': integer or null')
        }
        $j = 0
        foreach ($r in @($d.memoryRanges)) {
            if ($null -eq $r) { continue }
            $s = ConvertTo-SimNumber $r.start
            $e = ConvertTo-SimNumber $r.end
            Need ($null -ne $s -and $null -ne $e -and $e -ge $s) ($at + '.memoryRanges[' + $j + ']: start and end must be numbers or "0x..." strings with end >= start')
            $j++
        }
        if ($d.locationPath -is [string]) {
            Need (-not $paths.ContainsKey($d.locationPath.ToUpperInvariant())) ($at + '.locationPath: duplicate of another device')
            $paths[$d.locationPath.ToUpperInvariant()] = $true
        }
        $i++
    }
    $i = 0
    foreach ($v in @($Profile.vms)) {
        $at = 'vms[' + $i + ']'
        Need ($v.name -is [string] -and $v.name.Length -gt 0) ($at + '.name: required string')
        Need ($v.state -in @('Running', 'Off', 'Saved', 'Paused')) ($at + '.state: Running, Off, Saved or Paused')
        Need ($v.generation -in @(1, 2)) ($at + '.generation: 1 or 2')
        Need ($v.automaticStopAction -in @('TurnOff', 'Save', 'ShutDown')) ($at + '.automaticStopAction: TurnOff, Save or ShutDown')
        foreach ($n in @('lowMemoryMappedIoSpace', 'highMemoryMappedIoSpace', 'memoryStartup', 'memoryMinimum')) {
            Need ($null -ne (ConvertTo-SimNumber $v.$n)) ($at + '.' + $n + ': required number of bytes')
        }
        $i++
    }
    foreach ($f in @($Profile.faults)) {
        if ($null -eq $f) { continue }
        Need ($f.cmdlet -is [string]) 'faults[].cmdlet: required string'
        Need ($f.message -is [string]) 'faults[].message: required string'
    }
    $errors.ToArray()
}

function Read-SimState {
    # Read-only calls share one parsed copy per version of the file (path, size, write time): a big
    # host is read on every call. Mutating calls (inside the lock) always parse a fresh copy to change.
    $path = Get-SimStatePath
    $info = Get-Item -LiteralPath $path
    $stamp = $path + '|' + $info.Length + '|' + $info.LastWriteTimeUtc.Ticks
    if ($script:SimLockDepth -eq 0 -and $script:CachedStamp -eq $stamp -and $null -ne $script:CachedState) { return $script:CachedState }
    $text = [IO.File]::ReadAllText($path, [Text.Encoding]::UTF8)
    try { $state = ConvertFrom-Json -InputObject $text } catch { throw ("Simulator state " + $path + ' is not valid JSON: ' + $_.Exception.Message) }
    if ($script:ValidatedStamp -ne $stamp) {
        $problems = @(Test-DdaSimProfile -Profile $state)
        if ($problems.Count -gt 0) { throw ('Invalid host profile ' + $path + ': ' + ($problems -join '; ')) }
        $script:ValidatedStamp = $stamp
    }
    Initialize-SimState $state
    if ($script:SimLockDepth -eq 0) { $script:CachedStamp = $stamp; $script:CachedState = $state }
    return $state
}

function Set-SimProp($obj, [string]$name, $value) {
    if ($null -eq $obj.PSObject.Properties[$name]) { $obj | Add-Member -NotePropertyName $name -NotePropertyValue $value }
    else { $obj.$name = $value }
}

function Initialize-SimState($state) {
    # Devices listed in a VM's assignedDevices start dismounted (and disabled) and assigned.
    $held = @{}
    foreach ($v in @($state.vms)) { foreach ($p in @($v.assignedDevices)) { if ($p) { $held[([string]$p).ToUpperInvariant()] = $true } } }
    foreach ($d in @($state.devices)) {
        if ($null -eq $d.PSObject.Properties['dismounted']) {
            $isHeld = $held.ContainsKey($d.locationPath.ToUpperInvariant())
            Set-SimProp $d 'dismounted' $isHeld
        }
    }
    foreach ($v in @($state.vms)) {
        if ($null -eq $v.PSObject.Properties['assignedDevices'] -or $null -eq $v.assignedDevices) { Set-SimProp $v 'assignedDevices' @() }
    }
    if ($null -eq $state.PSObject.Properties['faults'] -or $null -eq $state.faults) { Set-SimProp $state 'faults' @() }
}

function Use-SimLock([scriptblock]$Body) {
    # A lock file opened exclusively serializes read-modify-write across processes. The body runs in
    # a child scope of this function, so its locals carry unlikely names to never shadow the body's.
    $__simLockFile = (Get-SimStatePath) + '.lock'
    $__simLockHandle = $null
    for ($__simLockTry = 0; $__simLockTry -lt 400 -and $null -eq $__simLockHandle; $__simLockTry++) {
        try { $__simLockHandle = [IO.File]::Open($__simLockFile, 'OpenOrCreate', 'ReadWrite', 'None') } catch { Start-Sleep -Milliseconds 25 }
    }
    if ($null -eq $__simLockHandle) { throw ('Simulator state is locked by another process: ' + $__simLockFile) }
    $script:SimLockDepth++
    try { & $Body } finally { $script:SimLockDepth--; $__simLockHandle.Dispose() }
}

function Write-SimState($state) {
    $path = Get-SimStatePath
    $tmp = $path + '.' + $PID + '.tmp'
    $json = ConvertTo-Json -InputObject $state -Depth 30
    [IO.File]::WriteAllText($tmp, $json, (New-Object Text.UTF8Encoding $false))
    Move-Item -LiteralPath $tmp -Destination $path -Force
}

# ---------------------------------------------------------------------------------------------------
# Errors, counters, faults, latency
# ---------------------------------------------------------------------------------------------------

function New-SimError {
    param([string]$Message, [string]$ErrorId, [string]$Category, [string]$Activity, $Target)
    $ex = New-Object System.Management.Automation.RuntimeException $Message
    $er = New-Object System.Management.Automation.ErrorRecord $ex, $ErrorId, ([System.Management.Automation.ErrorCategory]$Category), $Target
    $er.CategoryInfo.Activity = $Activity
    return $er
}

function Enter-SimCall {
    # Counts the call, applies latency, and raises an injected fault whose match fits.
    param([string]$Cmdlet, [string[]]$Subjects, $State)
    if (-not $script:Stats.calls.ContainsKey($Cmdlet)) { $script:Stats.calls[$Cmdlet] = 0 }
    $script:Stats.calls[$Cmdlet]++
    if ($null -eq $State) { $State = Read-SimState }
    $lat = $State.latencyMs
    if ($null -ne $lat) {
        $ms = 0
        if ($null -ne $lat.PSObject.Properties[$Cmdlet]) { $ms = [int]$lat.$Cmdlet } elseif ($null -ne $lat.PSObject.Properties['*']) { $ms = [int]$lat.'*' }
        if ($ms -gt 0) { Start-Sleep -Milliseconds $ms }
    }
    $hit = $null
    foreach ($f in @($State.faults)) {
        if ($null -eq $f -or $f.cmdlet -ne $Cmdlet) { continue }
        if ($null -ne $f.PSObject.Properties['times'] -and $null -ne $f.times -and [int]$f.times -le 0) { continue }
        $m = [string]$f.match
        $fits = (-not $m)
        foreach ($s in $Subjects) { if ($m -and $s -and $s.IndexOf($m, [StringComparison]::OrdinalIgnoreCase) -ge 0) { $fits = $true } }
        if ($fits) { $hit = $f; break }
    }
    if ($null -ne $hit) {
        # "skip": let that many matching calls pass before the fault fires (to target the n-th call).
        $skipping = ($null -ne $hit.PSObject.Properties['skip'] -and [int]$hit.skip -gt 0)
        if ($skipping -or ($null -ne $hit.PSObject.Properties['times'] -and $null -ne $hit.times)) {
            $consume = {
                $fresh = Read-SimState
                foreach ($f in @($fresh.faults)) {
                    if ($f.cmdlet -eq $hit.cmdlet -and $f.match -eq $hit.match -and $f.message -eq $hit.message) {
                        if ($skipping) { $f.skip = [int]$f.skip - 1 } elseif ($null -ne $f.times) { $f.times = [int]$f.times - 1 }
                        break
                    }
                }
                Write-SimState $fresh
            }
            # The caller may write its own copy of the state later: count there too.
            if ($skipping) { $hit.skip = [int]$hit.skip - 1 } elseif ($null -ne $hit.times) { $hit.times = [int]$hit.times - 1 }
            # Mutating cmdlets call this while they hold the lock; the lock is not re-entrant.
            if ($script:SimLockDepth -gt 0) { & $consume } else { Use-SimLock $consume }
        }
        if ($skipping) { return $State }
        $fqid = 'InjectedFault'
        if ($hit.fullyQualifiedErrorId) { $fqid = [string]$hit.fullyQualifiedErrorId }
        throw (New-SimError -Message ([string]$hit.message) -ErrorId $fqid -Category 'NotSpecified' -Activity $Cmdlet)
    }
    return $State
}

function Assert-SimElevated($State, [string]$Activity, [string]$ClassName) {
    if (-not $State.host.elevated) {
        throw (New-SimError -Message 'You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer ''localhost''.' -ErrorId ('AccessDenied,' + $ClassName) -Category 'PermissionDenied' -Activity $Activity)
    }
}

function Get-DdaSimStats {
    <# Calls per cmdlet and queries per CIM/WMI class since the module loaded or Reset-DdaSimStats. #>
    @{ calls = $script:Stats.calls.Clone(); cim = $script:Stats.cim.Clone() }
}

function Reset-DdaSimStats { $script:Stats = @{ calls = @{}; cim = @{} } }

# ---------------------------------------------------------------------------------------------------
# Device helpers
# ---------------------------------------------------------------------------------------------------

function Get-SimTwinId([string]$id) { return ('PCIP\' + $id.Substring(4)) }

function Find-SimDeviceByPath($State, [string]$LocationPath) {
    foreach ($d in @($State.devices)) { if ($d.locationPath.ToUpperInvariant() -eq $LocationPath.ToUpperInvariant()) { return $d } }
    return $null
}

function Find-SimDeviceById($State, [string]$InstanceId) {
    $u = $InstanceId.ToUpperInvariant()
    foreach ($d in @($State.devices)) {
        if ($d.instanceId.ToUpperInvariant() -eq $u) { return $d }
        if ((Get-SimTwinId $d.instanceId).ToUpperInvariant() -eq $u) { return $d }
    }
    return $null
}

function Get-SimHolders($State, [string]$LocationPath) {
    $names = New-Object System.Collections.Generic.List[string]
    foreach ($v in @($State.vms)) { foreach ($p in @($v.assignedDevices)) { if ($p -and ([string]$p).ToUpperInvariant() -eq $LocationPath.ToUpperInvariant()) { $names.Add($v.name) } } }
    $names.ToArray()
}

function Find-SimVm($State, [string]$Name, [string]$Activity, [string]$ClassName) {
    foreach ($v in @($State.vms)) { if ($v.name -eq $Name) { return $v } }
    throw (New-SimError -Message ('Hyper-V was unable to find a virtual machine with name "' + $Name + '".') -ErrorId ('InvalidParameter,' + $ClassName) -Category 'ObjectNotFound' -Activity $Activity -Target $Name)
}

function Resolve-SimVmName($VMName, $VM) {
    if ($null -ne $VM) { return [string](@($VM)[0].Name) }
    return [string](@($VMName)[0])
}

function New-SimPnpDevice($d) {
    $present = $true
    $id = $d.instanceId
    $name = $d.friendlyName
    if ($d.dismounted) { $id = Get-SimTwinId $d.instanceId; $name = $d.friendlyName + ' - Dismounted' }
    $code = 'CM_PROB_NONE'
    $status = 'OK'
    if (-not $d.enabled) { $code = 'CM_PROB_DISABLED'; $status = 'Error' }
    if ($d.dismounted) { $code = 'CM_PROB_NONE'; $status = 'OK' }
    $o = [pscustomobject]@{
        PSTypeName             = 'Microsoft.Management.Infrastructure.CimInstance#ROOT/cimv2/Win32_PnPEntity'
        InstanceId             = $id
        FriendlyName           = $name
        PNPDeviceID            = $id
        DeviceID               = $id
        Name                   = $name
        Status                 = $status
        Class                  = [string]$d.class
        Present                = $present
        ConfigManagerErrorCode = $code
        Problem                = $code
    }
    return $o
}

# ---------------------------------------------------------------------------------------------------
# PnpDevice module
# ---------------------------------------------------------------------------------------------------

function Get-PnpDevice {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$InstanceId, [string[]]$Class, [switch]$PresentOnly)
    $state = Enter-SimCall -Cmdlet 'Get-PnpDevice' -Subjects $InstanceId
    $out = New-Object System.Collections.Generic.List[object]
    foreach ($d in @($state.devices)) {
        $o = New-SimPnpDevice $d
        if ($Class -and -not ($Class -contains $o.Class)) { continue }
        if ($InstanceId -and -not ($InstanceId | Where-Object { $_ -eq $o.InstanceId -or $_ -eq $d.instanceId })) { continue }
        $out.Add($o)
        # The original PCI\ entry of a dismounted device is no longer present (Status Unknown).
        if ($d.dismounted -and -not $PresentOnly) {
            $out.Add([pscustomobject]@{ PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#ROOT/cimv2/Win32_PnPEntity'; InstanceId = $d.instanceId; FriendlyName = $d.friendlyName; PNPDeviceID = $d.instanceId; DeviceID = $d.instanceId; Name = $d.friendlyName; Status = 'Unknown'; Class = [string]$d.class; Present = $false; ConfigManagerErrorCode = 'CM_PROB_PHANTOM'; Problem = 'CM_PROB_PHANTOM' })
        }
    }
    if ($InstanceId -and $out.Count -eq 0) {
        throw (New-SimError -Message 'No matching Win32_PnPEntity objects found by CIM query for instances of the ROOT\cimv2\Win32_PnPEntity class on the  CIM server: SELECT * FROM Win32_PnPEntity  WHERE ((DeviceId LIKE ''' + $InstanceId[0] + ''')). Verify query parameters and retry.' -ErrorId 'CmdletizationQuery_NotFound,Get-PnpDevice' -Category 'ObjectNotFound' -Activity 'Get-PnpDevice')
    }
    $out.ToArray()
}

function Get-PnpDeviceProperty {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][string[]]$KeyName,
        [Parameter(ValueFromPipelineByPropertyName = $true)][string[]]$InstanceId,
        [Parameter(ValueFromPipeline = $true)]$InputObject
    )
    begin {
        $state = Enter-SimCall -Cmdlet 'Get-PnpDeviceProperty' -Subjects @()
        # Index by PCI\ and PCIP\ id once per call: a host has hundreds of functions.
        $byId = @{}
        foreach ($d in @($state.devices)) { $byId[$d.instanceId.ToUpperInvariant()] = $d; $byId[(Get-SimTwinId $d.instanceId).ToUpperInvariant()] = $d }
    }
    process {
        $ids = @($InstanceId)
        if ($ids.Count -eq 0 -and $null -ne $InputObject) { $ids = @($InputObject | ForEach-Object { $_.InstanceId }) }
        foreach ($id in $ids) {
            if (-not $id) { continue }
            $d = $byId[$id.ToUpperInvariant()]
            if ($null -eq $d) { continue }
            foreach ($k in @($KeyName)) {
                $data = $null
                $type = 'Empty'
                $norm = ($k -replace '\s+', ' ').Trim().ToUpperInvariant()
                switch ($norm) {
                    ($script:PciKeySet.ToUpperInvariant() + ' 1') { $data = $d.deviceType; $type = 'UInt32' }
                    ($script:PciKeySet.ToUpperInvariant() + ' 3') { $data = $d.baseClass; $type = 'Byte' }
                    ($script:PciKeySet.ToUpperInvariant() + ' 31') { $data = $d.acsUpHierarchy; $type = 'UInt32' }
                    ($script:PciKeySet.ToUpperInvariant() + ' 34') { $data = $d.requiresReservedMemoryRegion; $type = 'Boolean' }
                    'DEVPKEY_DEVICE_LOCATIONPATHS' { $data = [string[]]@($d.locationPath, ('ACPI(_SB_)#ACPI(PCI0)#' + $d.locationPath)); $type = 'StringList' }
                    'DEVPKEY_DEVICE_FRIENDLYNAME' { $data = $d.friendlyName; $type = 'String' }
                    default { $data = $null }
                }
                if ($null -eq $data) { $type = 'Empty' }
                $outId = $d.instanceId
                if ($d.dismounted) { $outId = Get-SimTwinId $d.instanceId }
                [pscustomobject]@{ PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/GetDeviceProperty/Win32_PnPDeviceProperty'; InstanceId = $outId; KeyName = $k; Type = $type; Data = $data }
            }
        }
    }
}

function Disable-PnpDevice {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param([Parameter(Mandatory = $true, ValueFromPipelineByPropertyName = $true)][string[]]$InstanceId)
    process {
        foreach ($id in $InstanceId) {
            Use-SimLock {
                $state = Enter-SimCall -Cmdlet 'Disable-PnpDevice' -Subjects @($id)
                Assert-SimElevated $state 'Disable-PnpDevice' 'Disable-PnpDevice'
                $d = Find-SimDeviceById $state $id
                if ($null -eq $d -or $d.dismounted) {
                    throw (New-SimError -Message ('No matching Win32_PnPEntity objects found by CIM query for instances of the ROOT\cimv2\Win32_PnPEntity class on the  CIM server: SELECT * FROM Win32_PnPEntity  WHERE ((DeviceId LIKE ''' + $id + ''')). Verify query parameters and retry.') -ErrorId 'CmdletizationQuery_NotFound_InstanceId,Disable-PnpDevice' -Category 'ObjectNotFound' -Activity 'Disable-PnpDevice')
                }
                $d.enabled = $false
                Write-SimState $state
            }
        }
    }
}

function Enable-PnpDevice {
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param([Parameter(Mandatory = $true, ValueFromPipelineByPropertyName = $true)][string[]]$InstanceId)
    process {
        foreach ($id in $InstanceId) {
            Use-SimLock {
                $state = Enter-SimCall -Cmdlet 'Enable-PnpDevice' -Subjects @($id)
                Assert-SimElevated $state 'Enable-PnpDevice' 'Enable-PnpDevice'
                $d = Find-SimDeviceById $state $id
                # The PCIP\ twin cannot be enabled; after Mount the PCI\ id is present again.
                if ($null -eq $d -or $d.dismounted -or $id -like 'PCIP\*') {
                    throw (New-SimError -Message ('No matching Win32_PnPEntity objects found by CIM query for instances of the ROOT\cimv2\Win32_PnPEntity class on the  CIM server: SELECT * FROM Win32_PnPEntity  WHERE ((DeviceId LIKE ''' + $id + ''')). Verify query parameters and retry.') -ErrorId 'CmdletizationQuery_NotFound_InstanceId,Enable-PnpDevice' -Category 'ObjectNotFound' -Activity 'Enable-PnpDevice')
                }
                $d.enabled = $true
                Write-SimState $state
            }
        }
    }
}

# ---------------------------------------------------------------------------------------------------
# CIM / WMI
# ---------------------------------------------------------------------------------------------------

function Get-SimCimRows($State, [string]$ClassName, [bool]$WmiStyle) {
    if (-not $script:Stats.cim.ContainsKey($ClassName)) { $script:Stats.cim[$ClassName] = 0 }
    $script:Stats.cim[$ClassName]++
    $hostName = $State.host.computerName
    $rows = New-Object System.Collections.Generic.List[object]
    switch ($ClassName.ToUpperInvariant()) {
        'WIN32_OPERATINGSYSTEM' {
            $pt = 3
            if ($State.host.productType -eq 'WinNT') { $pt = 1 } elseif ($State.host.productType -eq 'LanmanNT') { $pt = 2 }
            $rows.Add([pscustomobject]@{ Caption = [string]$State.host.osCaption; ProductType = [uint32]$pt; CSName = $hostName; Version = '10.0.20348' })
        }
        'WIN32_PNPENTITY' { foreach ($d in @($State.devices)) { $rows.Add((New-SimPnpDevice $d)) } }
        'WIN32_DEVICEMEMORYADDRESS' {
            foreach ($d in @($State.devices)) {
                if ($d.dismounted -or -not $d.enabled) { continue }
                foreach ($r in @($d.memoryRanges)) {
                    if ($null -eq $r) { continue }
                    $s = ConvertTo-SimNumber $r.start
                    $e = ConvertTo-SimNumber $r.end
                    $rows.Add([pscustomobject]@{ StartingAddress = $s; EndingAddress = $e; Name = ('0x{0:X}-0x{1:X}' -f $s, $e) })
                }
            }
        }
        'WIN32_IRQRESOURCE' {
            $seen = @{}
            foreach ($d in @($State.devices)) {
                if ($d.dismounted -or -not $d.enabled) { continue }
                foreach ($q in @($d.irqs)) { if ($null -ne $q -and -not $seen.ContainsKey([string]$q)) { $seen[[string]$q] = $true; $rows.Add([pscustomobject]@{ IRQNumber = [uint32]$q }) } }
            }
        }
        'WIN32_PNPALLOCATEDRESOURCE' {
            $ns = '\\' + $hostName + '\root\cimv2:'
            foreach ($d in @($State.devices)) {
                # A disabled, dismounted or assigned device has no host resources.
                if ($d.dismounted -or -not $d.enabled) { continue }
                $depKey = $d.instanceId.Replace('\', '\\')
                $dependentText = $ns + 'Win32_PnPEntity.DeviceID="' + $depKey + '"'
                foreach ($q in @($d.irqs)) {
                    if ($null -eq $q) { continue }
                    if ($WmiStyle) {
                        $ant = $ns + 'Win32_IRQResource.IRQNumber=' + $q
                        $rows.Add([pscustomobject]@{ __RELPATH = ('Win32_PnPAllocatedResource.Antecedent="' + $ant.Replace('\', '\\').Replace('"', '\"') + '",Dependent="' + $dependentText.Replace('\', '\\').Replace('"', '\"') + '"'); Antecedent = $ant; Dependent = $dependentText })
                    } else {
                        $a = [pscustomobject]@{ PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_IRQResource'; IRQNumber = [uint32]$q }
                        $rows.Add([pscustomobject]@{ Antecedent = $a; Dependent = [pscustomobject]@{ PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_PnPEntity'; DeviceID = $d.instanceId } })
                    }
                }
                foreach ($r in @($d.memoryRanges)) {
                    if ($null -eq $r) { continue }
                    $s = ConvertTo-SimNumber $r.start
                    if ($WmiStyle) {
                        $ant = $ns + 'Win32_DeviceMemoryAddress.StartingAddress="' + $s + '"'
                        $rows.Add([pscustomobject]@{ __RELPATH = ('Win32_PnPAllocatedResource.Antecedent="' + $ant.Replace('\', '\\').Replace('"', '\"') + '",Dependent="' + $dependentText.Replace('\', '\\').Replace('"', '\"') + '"'); Antecedent = $ant; Dependent = $dependentText })
                    } else {
                        $a = [pscustomobject]@{ PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_DeviceMemoryAddress'; StartingAddress = $s }
                        $rows.Add([pscustomobject]@{ Antecedent = $a; Dependent = [pscustomobject]@{ PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_PnPEntity'; DeviceID = $d.instanceId } })
                    }
                }
            }
        }
        default {
            throw (New-SimError -Message 'Invalid class ' -ErrorId ('HRESULT 0x80041010,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand') -Category 'MetadataError' -Activity 'Get-CimInstance')
        }
    }
    $rows.ToArray()
}

function Get-SimQueryClass([string]$Query) {
    if ($Query -match '^\s*select\s+\*\s+from\s+([A-Za-z0-9_]+)\s*$') { return $Matches[1] }
    throw (New-SimError -Message ('The simulator supports only "select * from <class>" queries: ' + $Query) -ErrorId 'HRESULT 0x80041017,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand' -Category 'InvalidArgument' -Activity 'Get-CimInstance')
}

function Get-CimInstance {
    [CmdletBinding(DefaultParameterSetName = 'ClassName')]
    param(
        [Parameter(ParameterSetName = 'ClassName', Mandatory = $true, Position = 0)][string]$ClassName,
        [Parameter(ParameterSetName = 'Query', Mandatory = $true)][string]$Query,
        [string]$Namespace = 'root/cimv2',
        [string]$Filter
    )
    $state = Enter-SimCall -Cmdlet 'Get-CimInstance' -Subjects @($ClassName, $Query)
    $cls = $ClassName
    if ($PSCmdlet.ParameterSetName -eq 'Query') { $cls = Get-SimQueryClass $Query }
    Get-SimCimRows $state $cls $false
}

function Get-WmiObject {
    [CmdletBinding(DefaultParameterSetName = 'Class')]
    param(
        [Parameter(ParameterSetName = 'Class', Mandatory = $true, Position = 0)][string]$Class,
        [Parameter(ParameterSetName = 'Query', Mandatory = $true)][string]$Query,
        [string]$Namespace = 'root\cimv2'
    )
    $state = Enter-SimCall -Cmdlet 'Get-WmiObject' -Subjects @($Class, $Query)
    $cls = $Class
    if ($PSCmdlet.ParameterSetName -eq 'Query') { $cls = Get-SimQueryClass $Query }
    Get-SimCimRows $state $cls $true
}
Set-Alias -Name gwmi -Value Get-WmiObject

# ---------------------------------------------------------------------------------------------------
# Hyper-V: host and VMs
# ---------------------------------------------------------------------------------------------------

function Get-VMHost {
    [CmdletBinding()] param()
    $state = Enter-SimCall -Cmdlet 'Get-VMHost' -Subjects @()
    [pscustomobject]@{
        PSTypeName        = 'Microsoft.HyperV.PowerShell.VMHost'
        ComputerName      = $state.host.computerName
        Name              = $state.host.computerName
        IovSupport        = [bool]$state.host.iovSupport
        IovSupportReasons = [string[]]@($state.host.iovSupportReasons | Where-Object { $_ })
    }
}

function Get-DdaPlatformFacts {
    <# The simulator's version of the host facts no Hyper-V cmdlet reports (shadows the real one). #>
    $state = Enter-SimCall -Cmdlet 'Get-DdaPlatformFacts' -Subjects @()
    $sys = @($state.devices | Where-Object { $_.hostsSystemDisk } | ForEach-Object { $_.instanceId })
    @{
        elevated              = [bool]$state.host.elevated
        iommuPolicyEnabled    = [bool]$state.host.iommuPolicyEnabled
        osPcieControl         = [bool]$state.host.osPcieControl
        physicalAddressBits   = [int]$state.host.physicalAddressBits
        systemDiskInstanceIds = $sys
        simulated             = $true
    }
}

function New-SimVmObject($v) {
    [pscustomobject]@{
        PSTypeName                  = 'Microsoft.HyperV.PowerShell.VirtualMachine'
        Name                        = $v.name
        VMName                      = $v.name
        Id                          = [string]$v.id
        VMId                        = [string]$v.id
        State                       = [string]$v.state
        Generation                  = [int]$v.generation
        AutomaticStopAction         = [string]$v.automaticStopAction
        GuestControlledCacheTypes   = [bool]$v.guestControlledCacheTypes
        LowMemoryMappedIoSpace      = [uint32](ConvertTo-SimNumber $v.lowMemoryMappedIoSpace)
        HighMemoryMappedIoSpace     = [uint64](ConvertTo-SimNumber $v.highMemoryMappedIoSpace)
        DynamicMemoryEnabled        = [bool]$v.dynamicMemoryEnabled
        MemoryStartup               = [uint64](ConvertTo-SimNumber $v.memoryStartup)
        MemoryMinimum               = [uint64](ConvertTo-SimNumber $v.memoryMinimum)
        CheckpointType              = [string]$v.checkpointType
        AutomaticCheckpointsEnabled = [bool]$v.automaticCheckpointsEnabled
        GuestOs                     = $v.guestOs
        ComputerName                = 'localhost'
    }
}

function Get-VM {
    [CmdletBinding()]
    param([Parameter(Position = 0)][Alias('VMName')][string[]]$Name, [Guid[]]$Id)
    $state = Enter-SimCall -Cmdlet 'Get-VM' -Subjects $Name
    if ($Id) {
        foreach ($g in $Id) {
            $hit = $null
            foreach ($v in @($state.vms)) { if ([string]$v.id -eq [string]$g) { $hit = $v } }
            if ($null -eq $hit) { throw (New-SimError -Message ('Hyper-V was unable to find a virtual machine with ID ' + $g + '.') -ErrorId 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM' -Category 'ObjectNotFound' -Activity 'Get-VM' -Target $g) }
            New-SimVmObject $hit
        }
    } elseif ($Name) {
        foreach ($n in $Name) { New-SimVmObject (Find-SimVm $state $n 'Get-VM' 'Microsoft.HyperV.PowerShell.Commands.GetVM') }
    } else {
        foreach ($v in @($state.vms)) { New-SimVmObject $v }
    }
}

function Assert-SimVmOff($v, [string]$Activity, [string]$ClassName, [string]$What) {
    if ($v.state -ne 'Off') {
        throw (New-SimError -Message ($What + ' failed for virtual machine ''' + $v.name + '''. The operation cannot be performed while the virtual machine is in its current state. (Virtual machine ID ' + $v.id + ')') -ErrorId ('InvalidState,' + $ClassName) -Category 'InvalidOperation' -Activity $Activity -Target $v.name)
    }
}

function Set-VM {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][Alias('VMName')][string]$Name,
        [Parameter(ValueFromPipeline = $true)]$VM,
        [ValidateSet('TurnOff', 'Save', 'ShutDown')][string]$AutomaticStopAction,
        [Nullable[bool]]$GuestControlledCacheTypes,
        [Nullable[UInt32]]$LowMemoryMappedIoSpace,
        [Nullable[UInt64]]$HighMemoryMappedIoSpace,
        [switch]$StaticMemory,
        [switch]$DynamicMemory,
        [Nullable[Int64]]$MemoryStartupBytes,
        [Nullable[Int64]]$MemoryMinimumBytes,
        [switch]$Passthru
    )
    $vmName = Resolve-SimVmName $Name $VM
    # Inside the lock's script block $PSBoundParameters is the block's own: keep this function's.
    $bound = $PSBoundParameters
    Use-SimLock {
        $state = Enter-SimCall -Cmdlet 'Set-VM' -Subjects @($vmName)
        Assert-SimElevated $state 'Set-VM' 'Microsoft.HyperV.PowerShell.Commands.SetVM'
        $v = Find-SimVm $state $vmName 'Set-VM' 'Microsoft.HyperV.PowerShell.Commands.SetVM'
        $cls = 'Microsoft.HyperV.PowerShell.Commands.SetVM'
        if ($bound.ContainsKey('GuestControlledCacheTypes') -or $bound.ContainsKey('LowMemoryMappedIoSpace') -or $bound.ContainsKey('HighMemoryMappedIoSpace') -or $StaticMemory -or $DynamicMemory -or $bound.ContainsKey('MemoryMinimumBytes')) {
            Assert-SimVmOff $v 'Set-VM' $cls 'Modifying the virtual machine configuration'
        }
        if ($bound.ContainsKey('LowMemoryMappedIoSpace')) {
            if ($LowMemoryMappedIoSpace -lt 128MB -or $LowMemoryMappedIoSpace -gt 3584MB) {
                throw (New-SimError -Message ('The low MMIO gap size ' + $LowMemoryMappedIoSpace + ' is out of range. Valid values are 128 MB to 3584 MB.') -ErrorId ('InvalidParameter,' + $cls) -Category 'InvalidArgument' -Activity 'Set-VM' -Target $vmName)
            }
        }
        $assignedCount = @($v.assignedDevices).Count
        $newDynamic = [bool]$v.dynamicMemoryEnabled
        if ($StaticMemory) { $newDynamic = $false }
        if ($DynamicMemory) { $newDynamic = $true }
        $newStartup = ConvertTo-SimNumber $v.memoryStartup
        $newMinimum = ConvertTo-SimNumber $v.memoryMinimum
        if ($bound.ContainsKey('MemoryStartupBytes')) { $newStartup = [UInt64]$MemoryStartupBytes }
        if ($bound.ContainsKey('MemoryMinimumBytes')) { $newMinimum = [UInt64]$MemoryMinimumBytes }
        if ($newDynamic -and $assignedCount -gt 0 -and $newStartup -ne $newMinimum -and ($DynamicMemory -or $bound.ContainsKey('MemoryStartupBytes') -or $bound.ContainsKey('MemoryMinimumBytes'))) {
            throw (New-SimError -Message 'When dynamic memory is enabled and a device or GPU is assigned, startup memory size and minimum memory size must be equal.' -ErrorId ('InvalidParameter,' + $cls) -Category 'InvalidArgument' -Activity 'Set-VM' -Target $vmName)
        }
        if ($AutomaticStopAction) { $v.automaticStopAction = $AutomaticStopAction }
        if ($bound.ContainsKey('GuestControlledCacheTypes')) { $v.guestControlledCacheTypes = [bool]$GuestControlledCacheTypes }
        if ($bound.ContainsKey('LowMemoryMappedIoSpace')) { $v.lowMemoryMappedIoSpace = [UInt64]$LowMemoryMappedIoSpace }
        if ($bound.ContainsKey('HighMemoryMappedIoSpace')) { $v.highMemoryMappedIoSpace = [UInt64]$HighMemoryMappedIoSpace }
        $v.dynamicMemoryEnabled = $newDynamic
        $v.memoryStartup = $newStartup
        $v.memoryMinimum = $newMinimum
        Write-SimState $state
        if ($Passthru) { New-SimVmObject $v }
    }
}

function Set-VMMemory {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0)][string]$VMName,
        [Parameter(ValueFromPipeline = $true)]$VM,
        [Nullable[bool]]$DynamicMemoryEnabled,
        [Nullable[Int64]]$StartupBytes,
        [Nullable[Int64]]$MinimumBytes
    )
    $name = Resolve-SimVmName $VMName $VM
    $p = @{ Name = $name }
    if ($PSBoundParameters.ContainsKey('DynamicMemoryEnabled')) { if ($DynamicMemoryEnabled) { $p.DynamicMemory = $true } else { $p.StaticMemory = $true } }
    if ($PSBoundParameters.ContainsKey('StartupBytes')) { $p.MemoryStartupBytes = $StartupBytes }
    if ($PSBoundParameters.ContainsKey('MinimumBytes')) { $p.MemoryMinimumBytes = $MinimumBytes }
    Set-VM @p
}

function Start-VM {
    [CmdletBinding()]
    param([Parameter(Position = 0)][Alias('VMName')][string]$Name, [Parameter(ValueFromPipeline = $true)]$VM, [switch]$Passthru)
    $vmName = Resolve-SimVmName $Name $VM
    Use-SimLock {
        $state = Enter-SimCall -Cmdlet 'Start-VM' -Subjects @($vmName)
        Assert-SimElevated $state 'Start-VM' 'Microsoft.HyperV.PowerShell.Commands.StartVM'
        $cls = 'Microsoft.HyperV.PowerShell.Commands.StartVM'
        $v = Find-SimVm $state $vmName 'Start-VM' $cls
        if ($v.state -eq 'Running') { return }
        $paths = @($v.assignedDevices | Where-Object { $_ })
        if ($paths.Count -gt 0) {
            if ($state.host.productType -eq 'WinNT' -or -not $state.host.iommuPolicyEnabled) {
                throw (New-SimError -Message ('''' + $v.name + ''' failed to start. Virtual Pci Express Port (Instance ID ' + $v.id + '): Failed to Power on with Error ''A hypervisor feature is not available to the user''. (0xC035001E)') -ErrorId ('OperationFailed,' + $cls) -Category 'NotSpecified' -Activity 'Start-VM' -Target $v.name)
            }
            # Stricter: the high MMIO gap must fit in the upper half of the physical address space
            # (shared/mmio.ts highMmioLimit): 32 GB + 512 MB fails on a 36-bit CPU, as reported.
            $limit = [Math]::Pow(2, [int]$state.host.physicalAddressBits - 1)
            if ([double](ConvertTo-SimNumber $v.highMemoryMappedIoSpace) -gt $limit) {
                throw (New-SimError -Message ('The configuration of the virtual machine ''' + $v.name + ''' specifies an upper MMIO region that is above the supported physical address range.') -ErrorId ('InvalidParameter,' + $cls) -Category 'InvalidArgument' -Activity 'Start-VM' -Target $v.name)
            }
            $seen = @{}
            foreach ($p in $paths) {
                $k = ([string]$p).ToUpperInvariant()
                $dev = Find-SimDeviceByPath $state $p
                if ($seen.ContainsKey($k) -or $null -eq $dev) {
                    throw (New-SimError -Message ('''' + $v.name + ''' failed to start. Virtual Pci Express Port (Instance ID ' + $v.id + '): Failed to Power on with Error ''Element not found.'' (0x80070490)') -ErrorId ('OperationFailed,' + $cls) -Category 'NotSpecified' -Activity 'Start-VM' -Target $v.name)
                }
                $seen[$k] = $true
            }
            if ($v.dynamicMemoryEnabled -and (ConvertTo-SimNumber $v.memoryStartup) -ne (ConvertTo-SimNumber $v.memoryMinimum)) {
                throw (New-SimError -Message 'When dynamic memory is enabled and a device or GPU is assigned, startup memory size and minimum memory size must be equal.' -ErrorId ('InvalidParameter,' + $cls) -Category 'InvalidArgument' -Activity 'Start-VM' -Target $v.name)
            }
        }
        $v.state = 'Running'
        Write-SimState $state
        if ($Passthru) { New-SimVmObject $v }
    }
}

function Stop-VM {
    [CmdletBinding()]
    param([Parameter(Position = 0)][Alias('VMName')][string]$Name, [Parameter(ValueFromPipeline = $true)]$VM, [switch]$Force, [switch]$TurnOff, [switch]$Save, [switch]$Passthru)
    $vmName = Resolve-SimVmName $Name $VM
    Use-SimLock {
        $state = Enter-SimCall -Cmdlet 'Stop-VM' -Subjects @($vmName)
        Assert-SimElevated $state 'Stop-VM' 'Microsoft.HyperV.PowerShell.Commands.StopVM'
        $cls = 'Microsoft.HyperV.PowerShell.Commands.StopVM'
        $v = Find-SimVm $state $vmName 'Stop-VM' $cls
        if ($v.state -eq 'Off') { return }
        if ($Save) {
            if (@($v.assignedDevices).Count -gt 0) { throw (New-SimError -Message ('Saving the virtual machine ''' + $v.name + ''' failed: a virtual machine with an assigned device cannot be saved.') -ErrorId ('OperationFailed,' + $cls) -Category 'InvalidOperation' -Activity 'Stop-VM') }
            $v.state = 'Saved'
        } elseif ($TurnOff) {
            $v.state = 'Off'
        } else {
            # A guest that ignores the shutdown request (no integration services, hung) keeps running.
            if ($v.guestIgnoresShutdown -or $v.state -ne 'Running') {
                throw (New-SimError -Message ('The virtual machine ''' + $v.name + ''' did not shut down: the guest operating system did not respond to the shutdown request.') -ErrorId ('ShutdownFailed,' + $cls) -Category 'OperationTimeout' -Activity 'Stop-VM' -Target $v.name)
            }
            $v.state = 'Off'
        }
        Write-SimState $state
        if ($Passthru) { New-SimVmObject $v }
    }
}

# ---------------------------------------------------------------------------------------------------
# Hyper-V: assignable devices
# ---------------------------------------------------------------------------------------------------

function Get-VMHostAssignableDevice {
    [CmdletBinding()] param([string]$LocationPath)
    $state = Enter-SimCall -Cmdlet 'Get-VMHostAssignableDevice' -Subjects @($LocationPath)
    foreach ($d in @($state.devices)) {
        if (-not $d.dismounted) { continue }
        if ($LocationPath -and $d.locationPath -ne $LocationPath) { continue }
        [pscustomobject]@{ PSTypeName = 'Microsoft.HyperV.PowerShell.VMHostAssignableDevice'; InstanceID = (Get-SimTwinId $d.instanceId); LocationPath = $d.locationPath; ComputerName = $state.host.computerName; IsDeleted = $false }
    }
}

function Get-VMAssignableDevice {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$VMName, [Parameter(ValueFromPipeline = $true)]$VM)
    begin { $state = Enter-SimCall -Cmdlet 'Get-VMAssignableDevice' -Subjects $VMName }
    process {
        $names = @($VMName)
        if ($null -ne $VM) { $names = @($VM | ForEach-Object { $_.Name }) }
        foreach ($n in $names) {
            $v = Find-SimVm $state $n 'Get-VMAssignableDevice' 'Microsoft.HyperV.PowerShell.Commands.GetVMAssignableDevice'
            $i = 0
            foreach ($p in @($v.assignedDevices)) {
                if (-not $p) { continue }
                $dev = Find-SimDeviceByPath $state $p
                # A stale entry (physical device gone): empty InstanceID. The simulator keeps the
                # recorded LocationPath (real hosts may show it empty; the doc is unclear; the app
                # copes with both, and keeping it lets the stricter repair path be tested).
                $iid = ''
                $name = 'PCI Express Device'
                if ($null -ne $dev) { $iid = Get-SimTwinId $dev.instanceId; $name = $dev.friendlyName }
                [pscustomobject]@{ PSTypeName = 'Microsoft.HyperV.PowerShell.VMAssignedDevice'; Name = $name; Id = ('Microsoft:' + $v.id + '\' + $i); InstanceID = $iid; LocationPath = [string]$p; ResourcePoolName = 'Primordial'; VirtualFunction = 0; VMId = $v.id; VMName = $v.name; ComputerName = 'localhost'; IsDeleted = $false }
                $i++
            }
        }
    }
}

function Dismount-VMHostAssignableDevice {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$LocationPath, [switch]$Force)
    Use-SimLock {
        $state = Enter-SimCall -Cmdlet 'Dismount-VMHostAssignableDevice' -Subjects @($LocationPath)
        $cls = 'Microsoft.HyperV.PowerShell.Commands.DismountVMHostAssignableDevice'
        Assert-SimElevated $state 'Dismount-VMHostAssignableDevice' $cls
        $d = Find-SimDeviceByPath $state $LocationPath
        if ($null -eq $d) {
            throw (New-SimError -Message ('The operation failed. The specified location path ''' + $LocationPath + ''' was not found.') -ErrorId ('ObjectNotFound,' + $cls) -Category 'ObjectNotFound' -Activity 'Dismount-VMHostAssignableDevice' -Target $LocationPath)
        }
        if ($d.dismounted) {
            throw (New-SimError -Message 'The operation failed. The device is already dismounted from the host.' -ErrorId ('InvalidOperation,' + $cls) -Category 'InvalidOperation' -Activity 'Dismount-VMHostAssignableDevice' -Target $LocationPath)
        }
        if (-not $state.host.osPcieControl) {
            throw (New-SimError -Message 'The operation failed. The current configuration does not allow for OS control of the PCI Express bus. Please check your BIOS or UEFI settings.' -ErrorId ('InvalidOperation,' + $cls) -Category 'InvalidOperation' -Activity 'Dismount-VMHostAssignableDevice' -Target $LocationPath)
        }
        if ($state.host.requireDisableBeforeDismount -and $d.enabled) {
            throw (New-SimError -Message 'The operation failed. The device must be disabled before it can be dismounted. Disable it with Disable-PnpDevice and try again.' -ErrorId ('InvalidState,' + $cls) -Category 'InvalidOperation' -Activity 'Dismount-VMHostAssignableDevice' -Target $LocationPath)
        }
        if (-not $Force -and (-not $d.hasMitigationDriver -or $d.acsUpHierarchy -eq 0)) {
            throw (New-SimError -Message 'The operation failed. The manufacturer of this device has not supplied any directives for securing this device while exposing it to a virtual machine. The device should only be exposed to trusted virtual machines. This device is not supported when passed through to a virtual machine.' -ErrorId ('InvalidOperation,' + $cls) -Category 'InvalidOperation' -Activity 'Dismount-VMHostAssignableDevice' -Target $LocationPath)
        }
        Set-SimProp $d 'dismounted' $true
        $d.enabled = $false
        Write-SimState $state
    }
}

function Mount-VMHostAssignableDevice {
    [CmdletBinding()]
    param([Parameter(ValueFromPipelineByPropertyName = $true)][string]$LocationPath, [Parameter(ValueFromPipeline = $true)]$HostAssignableDevice)
    process {
        $path = $LocationPath
        if (-not $path -and $null -ne $HostAssignableDevice) { $path = $HostAssignableDevice.LocationPath }
        Use-SimLock {
            $state = Enter-SimCall -Cmdlet 'Mount-VMHostAssignableDevice' -Subjects @($path)
            $cls = 'Microsoft.HyperV.PowerShell.Commands.MountVMHostAssignableDevice'
            Assert-SimElevated $state 'Mount-VMHostAssignableDevice' $cls
            $d = Find-SimDeviceByPath $state $path
            if ($null -eq $d -or -not $d.dismounted) {
                throw (New-SimError -Message ('The operation failed. No dismounted device was found at location path ''' + $path + '''.') -ErrorId ('ObjectNotFound,' + $cls) -Category 'ObjectNotFound' -Activity 'Mount-VMHostAssignableDevice' -Target $path)
            }
            $holders = @(Get-SimHolders $state $d.locationPath)
            if ($holders.Count -gt 0) {
                throw (New-SimError -Message ('The operation failed. The device is assigned to virtual machine ''' + $holders[0] + ''' and cannot be mounted to the host. Remove it from the virtual machine first.') -ErrorId ('InvalidState,' + $cls) -Category 'InvalidOperation' -Activity 'Mount-VMHostAssignableDevice' -Target $path)
            }
            # Mounted devices come back disabled (the PCI\ id is present again, still disabled).
            $d.dismounted = $false
            $d.enabled = $false
            Write-SimState $state
        }
    }
}

function Add-VMAssignableDevice {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string]$VMName, [Parameter(ValueFromPipeline = $true)]$VM, [Parameter(Mandatory = $true)][string]$LocationPath)
    $name = Resolve-SimVmName $VMName $VM
    Use-SimLock {
        $state = Enter-SimCall -Cmdlet 'Add-VMAssignableDevice' -Subjects @($name, $LocationPath)
        $cls = 'Microsoft.HyperV.PowerShell.Commands.AddVMAssignableDevice'
        Assert-SimElevated $state 'Add-VMAssignableDevice' $cls
        $v = Find-SimVm $state $name 'Add-VMAssignableDevice' $cls
        if ($state.host.requireVmOffForAssignment) { Assert-SimVmOff $v 'Add-VMAssignableDevice' $cls 'Adding a device' }
        $d = Find-SimDeviceByPath $state $LocationPath
        if ($null -eq $d -or -not $d.dismounted) {
            throw (New-SimError -Message ('The operation failed. The device at location path ''' + $LocationPath + ''' is not available for assignment: dismount it from the host with Dismount-VMHostAssignableDevice first.') -ErrorId ('InvalidParameter,' + $cls) -Category 'InvalidArgument' -Activity 'Add-VMAssignableDevice' -Target $LocationPath)
        }
        $others = @(Get-SimHolders $state $d.locationPath | Where-Object { $_ -ne $v.name })
        if ($others.Count -gt 0) {
            throw (New-SimError -Message ('The operation failed. The device is already assigned to virtual machine ''' + $others[0] + '''.') -ErrorId ('InvalidState,' + $cls) -Category 'ResourceUnavailable' -Activity 'Add-VMAssignableDevice' -Target $LocationPath)
        }
        # The seed's trap: adding a device the VM already holds succeeds and leaves a duplicate entry.
        $v.assignedDevices = @(@($v.assignedDevices) + @($d.locationPath))
        Write-SimState $state
    }
}

function Remove-VMAssignableDevice {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string]$VMName, [Parameter(ValueFromPipeline = $true)]$VM, [string]$LocationPath)
    $name = Resolve-SimVmName $VMName $VM
    Use-SimLock {
        $state = Enter-SimCall -Cmdlet 'Remove-VMAssignableDevice' -Subjects @($name, $LocationPath)
        $cls = 'Microsoft.HyperV.PowerShell.Commands.RemoveVMAssignableDevice'
        Assert-SimElevated $state 'Remove-VMAssignableDevice' $cls
        $v = Find-SimVm $state $name 'Remove-VMAssignableDevice' $cls
        Assert-SimVmOff $v 'Remove-VMAssignableDevice' $cls 'Removing a device'
        if ($LocationPath) {
            $keep = @($v.assignedDevices | Where-Object { $_ -and ([string]$_).ToUpperInvariant() -ne $LocationPath.ToUpperInvariant() })
            if ($keep.Count -eq @($v.assignedDevices).Count) {
                throw (New-SimError -Message ('The operation failed. Virtual machine ''' + $v.name + ''' has no assigned device at location path ''' + $LocationPath + '''.') -ErrorId ('ObjectNotFound,' + $cls) -Category 'ObjectNotFound' -Activity 'Remove-VMAssignableDevice' -Target $LocationPath)
            }
            $v.assignedDevices = $keep
        } else {
            # With -VMName and no path: every assigned device of that VM (the way out of stale entries).
            $v.assignedDevices = @()
        }
        Write-SimState $state
    }
}

$DdaSimCmdlets = @(
    'Get-PnpDevice', 'Get-PnpDeviceProperty', 'Disable-PnpDevice', 'Enable-PnpDevice', 'Get-CimInstance', 'Get-WmiObject',
    'Get-VMHost', 'Get-VM', 'Set-VM', 'Set-VMMemory', 'Start-VM', 'Stop-VM', 'Get-VMHostAssignableDevice', 'Get-VMAssignableDevice',
    'Dismount-VMHostAssignableDevice', 'Mount-VMHostAssignableDevice', 'Add-VMAssignableDevice', 'Remove-VMAssignableDevice',
    'Get-DdaPlatformFacts'
)
Export-ModuleMember -Function ($DdaSimCmdlets + @('Get-DdaSimStats', 'Reset-DdaSimStats', 'Test-DdaSimProfile')) -Alias 'gwmi' -Variable 'DdaSimCmdlets'
