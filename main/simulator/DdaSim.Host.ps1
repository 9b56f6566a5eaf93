# DDA Studio simulated Hyper-V host: the state, the helpers and the simulated cmdlets. Dot-sourced by
# DdaSim.psm1 (its header says what this is and why it is two files); not meant to be run alone.
# Windows PowerShell 5.1 compatible syntax (no ternary, ??, &&).

# Alone it would hash no module text for the state seal (and make no enum types).
if (-not $script:SimModuleFiles) { throw 'DdaSim.Host.ps1 is loaded by DdaSim.psm1 (Import-Module DdaSim.psm1), not on its own.' }

# ---------------------------------------------------------------------------------------------------
# State: read, validate, lock, write
# ---------------------------------------------------------------------------------------------------

# Files are looked at through .NET, not Test-Path / Get-Item: the provider cmdlets' first use in a process
# costs 60-90 ms, on every call of the first state read. A relative path is taken from the current location.
function Get-SimStatePath {
    $p = $env:DDA_SIM_STATE
    if (-not $p) { throw 'DDA_SIM_STATE is not set: the simulator needs a state file (a copy of a host profile).' }
    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p)
    if (-not [IO.File]::Exists($full)) { throw ("DDA_SIM_STATE names a file that does not exist: " + $p) }
    return $full
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
    $intOrNull = @('deviceType', 'baseClass', 'acsUpHierarchy', 'barTypes')
    # The per-device checks are written out (no Need call, no message built unless it fails): a
    # 1,024-function host runs them ten thousand times.
    foreach ($d in @($Profile.devices)) {
        $at = 'devices[' + $i + ']'
        if (-not ($d.instanceId -is [string] -and $d.instanceId -like 'PCI\*')) { $errors.Add($at + '.instanceId: required string starting with PCI\') }
        if (-not ($d.friendlyName -is [string])) { $errors.Add($at + '.friendlyName: required string') }
        if (-not ($d.locationPath -is [string] -and $d.locationPath -like 'PCIROOT*')) { $errors.Add($at + '.locationPath: required string starting with PCIROOT') }
        if (-not ($d.enabled -is [bool])) { $errors.Add($at + '.enabled: required boolean') }
        foreach ($n in $intOrNull) {
            $v = $d.$n
            if (-not ($null -eq $v -or $v -is [int] -or $v -is [long])) { $errors.Add($at + '.' + $n + ': integer or null') }
        }
        if (($d.barTypes -is [int] -or $d.barTypes -is [long]) -and ($d.barTypes -lt 0 -or $d.barTypes -gt 4294967295)) { $errors.Add($at + '.barTypes: 0..4294967295 (a UINT32)') }
        # pid 34: a real host's type is Boolean; profiles written before that was known say 0/1.
        $r = $d.requiresReservedMemoryRegion
        if (-not ($null -eq $r -or $r -is [bool] -or (($r -is [int] -or $r -is [long]) -and ($r -eq 0 -or $r -eq 1)))) { $errors.Add($at + '.requiresReservedMemoryRegion: true, false, 0, 1 or null') }
        $j = 0
        foreach ($r in @($d.memoryRanges)) {
            if ($null -eq $r) { continue }
            $s = ConvertTo-SimNumber $r.start
            $e = ConvertTo-SimNumber $r.end
            if (-not ($null -ne $s -and $null -ne $e -and $e -ge $s)) { $errors.Add($at + '.memoryRanges[' + $j + ']: start and end must be numbers or "0x..." strings with end >= start') }
            $j++
        }
        if (-not ($null -eq $d.resourcePoolName -or ($d.resourcePoolName -is [string] -and $d.resourcePoolName.Length -gt 0))) { $errors.Add($at + '.resourcePoolName: a pool name or absent') }
        if ($d.locationPath -is [string]) {
            $up = $d.locationPath.ToUpperInvariant()
            if ($paths.ContainsKey($up)) { $errors.Add($at + '.locationPath: duplicate of another device') }
            $paths[$up] = $true
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
        if ($null -ne $v.PSObject.Properties['highMemoryMappedIoBase'] -and $null -ne $v.highMemoryMappedIoBase) {
            Need ($null -ne (ConvertTo-SimNumber $v.highMemoryMappedIoBase)) ($at + '.highMemoryMappedIoBase: a number of bytes')
        }
        foreach ($n in @('isClustered', 'automaticCheckpointsEnabled')) { Need ($null -eq $v.$n -or $v.$n -is [bool]) ($at + '.' + $n + ': boolean or absent') }
        foreach ($pn in @($v.poolAssignments)) { if ($null -ne $pn) { Need ($pn -is [string] -and $pn.Length -gt 0) ($at + '.poolAssignments[]: pool names') } }
        $i++
    }
    # The host's lifelines (optional): switch uplinks name devices of the profile; disks have numbers.
    $k = 0
    foreach ($s in @($Profile.host.vmSwitches)) {
        if ($null -eq $s) { continue }
        $at = 'host.vmSwitches[' + $k + ']'
        Need ($s.name -is [string] -and $s.name.Length -gt 0) ($at + '.name: required string')
        Need ($s.switchType -in @('External', 'Internal', 'Private')) ($at + '.switchType: External, Internal or Private')
        foreach ($u in @($s.uplinks)) { if ($null -ne $u) { Need ($u -is [string] -and $paths.ContainsKey($u.ToUpperInvariant())) ($at + '.uplinks: ' + $u + ' is not a device of this profile') } }
        $k++
    }
    $childIds = @{}
    foreach ($d in @($Profile.devices)) {
        foreach ($x in @($d.disks)) { if ($null -ne $x) { Need (($x.number -is [int] -or $x.number -is [long]) -and $x.number -ge 0) ('devices[].disks[].number: required integer >= 0') } }
        if ($null -ne $d.netAdapter) {
            $n = $d.netAdapter
            Need (($n.interfaceIndex -is [int] -or $n.interfaceIndex -is [long])) ('devices[].netAdapter.interfaceIndex: required integer')
            if ($null -ne $n.PSObject.Properties['pnpDeviceId']) {
                Need ($n.pnpDeviceId -is [string] -and $n.pnpDeviceId -match '^([A-Za-z0-9_]+|\{[0-9A-Fa-f-]+\})\\.+\\.+$' -and $n.pnpDeviceId -notmatch '^PCIP?\\') ('devices[].netAdapter.pnpDeviceId: a PnP instance id that is not PCI\ (BUS\DEVICE\INSTANCE)')
                if ($n.pnpDeviceId -is [string]) {
                    Need (-not $childIds.ContainsKey($n.pnpDeviceId.ToUpperInvariant())) ('devices[].netAdapter.pnpDeviceId: ' + $n.pnpDeviceId + ' is used twice')
                    $childIds[$n.pnpDeviceId.ToUpperInvariant()] = $true
                }
            }
            if ($null -ne $n.PSObject.Properties['interfaceDescription']) { Need ($n.interfaceDescription -is [string] -and $n.interfaceDescription.Length -gt 0) 'devices[].netAdapter.interfaceDescription: required non-empty string' }
        }
    }
    foreach ($f in @($Profile.surfaceFaults)) {
        if ($null -eq $f) { continue }
        if ($null -ne $f.PSObject.Properties['pciProperty']) {
            Need ($f.pciProperty -is [string] -and $f.type -in $script:SimPropertyTypes.Keys) ('surfaceFaults[].type: one of ' + (@($script:SimPropertyTypes.Keys | Sort-Object) -join ', '))
        } else {
            Need ($f.cmdlet -is [string] -and $f.removeParameterSet -is [string]) 'surfaceFaults[]: { cmdlet, removeParameterSet } or { pciProperty, type }'
        }
    }
    foreach ($f in @($Profile.faults)) {
        if ($null -eq $f) { continue }
        Need ($f.cmdlet -is [string]) 'faults[].cmdlet: required string'
        Need ($f.message -is [string]) 'faults[].message: required string'
    }
    $errors.ToArray()
}

# A version of the state file: its path, size and write time.
function Get-SimStamp([string]$Path) {
    $info = [IO.FileInfo]$Path
    return ($Path + '|' + $info.Length + '|' + $info.LastWriteTimeUtc.Ticks)
}

# Validation is remembered across processes too: a seal file beside the state holds the SHA-256 of this
# module's text and of the state text it last validated or wrote. A state whose text and simulator both
# still match is not validated again (a fresh pwsh would spend a quarter of a second on a big host);
# any other change to the file (by hand, by another tool, by a newer simulator) is.
function Get-SimHash([string]$Text) {
    $sha = [Security.Cryptography.SHA256]::Create()
    try { return [BitConverter]::ToString($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($Text))).Replace('-', '') } finally { $sha.Dispose() }
}
# The module's own hash (of both its files) is taken on first use, not at import (hashing starts the
# crypto library).
$script:SimModuleHash = $null
function Get-SimModuleHash {
    if ($null -eq $script:SimModuleHash) {
        $script:SimModuleHash = ''
        try {
            # Each file's own hash, then the hash of those: text moved from one file to the other changes it.
            $hashes = foreach ($file in $script:SimModuleFiles) { Get-SimHash ([IO.File]::ReadAllText($file)) }
            $script:SimModuleHash = Get-SimHash ($hashes -join "`n")
        } catch { }
    }
    return $script:SimModuleHash
}
# The seal of a state text, or $null when the module's own text could not be read (then nothing is sealed).
function Get-SimSeal([string]$Text) {
    if (-not (Get-SimModuleHash)) { return $null }
    return Get-SimHash ((Get-SimModuleHash) + "`n" + $Text)
}
function Test-SimSeal([string]$Path, $Seal) {
    if ($null -eq $Seal) { return $false }
    try { return ([IO.File]::ReadAllText($Path + '.seal') -eq $Seal) } catch { return $false }
}
function Save-SimSeal([string]$Path, $Seal) {
    # Best effort, written in place: a read-only folder, or a seal read half-written by another process,
    # only costs the next reader a validation.
    if ($null -eq $Seal) { return }
    try { [IO.File]::WriteAllText($Path + '.seal', $Seal, (New-Object Text.UTF8Encoding $false)) } catch { }
}

function Read-SimState {
    # Read-only calls share one parsed copy per version of the file (path, size, write time): a big
    # host is read on every call. Mutating calls (inside the lock) always parse a fresh copy to change.
    $path = Get-SimStatePath
    $stamp = Get-SimStamp $path
    if ($script:SimLockDepth -eq 0 -and $script:CachedStamp -eq $stamp -and $null -ne $script:CachedState) { return $script:CachedState }
    $text = [IO.File]::ReadAllText($path, [Text.Encoding]::UTF8)
    try { $state = ConvertFrom-Json -InputObject $text } catch { throw ("Simulator state " + $path + ' is not valid JSON: ' + $_.Exception.Message) }
    if ($script:ValidatedStamp -ne $stamp) {
        $seal = Get-SimSeal $text
        if (-not (Test-SimSeal $path $seal)) {
            $problems = @(Test-DdaSimProfile -Profile $state)
            if ($problems.Count -gt 0) { throw ('Invalid host profile ' + $path + ': ' + ($problems -join '; ')) }
            Save-SimSeal $path $seal
        }
        $script:ValidatedStamp = $stamp
    }
    Initialize-SimState $state
    if ($script:SimLockDepth -eq 0) { $script:CachedStamp = $stamp; $script:CachedState = $state }
    return $state
}

# A note property is added as a copy of one made once per name (a tenth of Add-Member's cost, which a
# big host pays per device on every fresh read).
$script:SimNoteProtos = @{}
function Set-SimProp($obj, [string]$name, $value) {
    if ($null -eq $obj.PSObject.Properties[$name]) {
        $proto = $script:SimNoteProtos[$name]
        if ($null -eq $proto) { $proto = New-Object System.Management.Automation.PSNoteProperty $name, $null; $script:SimNoteProtos[$name] = $proto }
        $note = $proto.Copy()
        $note.Value = $value
        $obj.PSObject.Properties.Add($note)
    } else { $obj.$name = $value }
}

function Initialize-SimState($state) {
    # Devices listed in a VM's assignedDevices start dismounted (and disabled) and assigned.
    $held = @{}
    foreach ($v in @($state.vms)) { foreach ($p in @($v.assignedDevices)) { if ($p) { $held[([string]$p).ToUpperInvariant()] = $true } } }
    # A device without the flag is on the host: it reads as $null, which every use takes as false, so the
    # flag is only added where it is true (a fresh read of a big host pays no call per device).
    foreach ($d in @($state.devices)) {
        # A member of a resource pool (Windows Server 2025) was dismounted and added to its pool.
        if (($d.resourcePoolName -or $held.ContainsKey($d.locationPath.ToUpperInvariant())) -and $null -eq $d.PSObject.Properties['dismounted']) {
            Set-SimProp $d 'dismounted' $true
        }
    }
    foreach ($v in @($state.vms)) {
        if ($null -eq $v.PSObject.Properties['assignedDevices'] -or $null -eq $v.assignedDevices) { Set-SimProp $v 'assignedDevices' @() }
    }
    if ($null -eq $state.PSObject.Properties['faults'] -or $null -eq $state.faults) { Set-SimProp $state 'faults' @() }
    if ($null -eq $state.PSObject.Properties['events'] -or $null -eq $state.events) { Set-SimProp $state 'events' @() }
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
    # What the simulator wrote itself (under the lock) is not validated again on the next read, here or
    # in another process.
    $script:ValidatedStamp = Get-SimStamp $path
    Save-SimSeal $path (Get-SimSeal $json)
}

# ---------------------------------------------------------------------------------------------------
# Errors, counters, faults, latency
# ---------------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------------
# The host's display language (profile host.uiCulture, default en-US). Windows Server hosts run in
# Chinese, German, Japanese: their FriendlyNames and their cmdlets' error texts are localized; ids,
# categories and codes are not. The zh-CN texts below are the simulator's own translations (no source
# for Windows' resource strings, a labelled guess) except "已卸除", which the seed article shows.
# They exist so that the product is tested against text it must never parse.
# ---------------------------------------------------------------------------------------------------
$script:SimCulture = 'en-US'
$script:SimTexts = @{
    'zh-CN' = @(
        @('^You do not have the required permission to complete this task\. Contact the administrator of the authorization policy for the computer ''(.*)''\.$', '你没有完成此任务所需的权限。请与计算机“$1”的授权策略管理员联系。'),
        @('^No matching Win32_PnPEntity objects found by CIM query for instances of the (.*) class on the  CIM server: (.*)\. Verify query parameters and retry\.$', '通过 CIM 查询在 CIM 服务器上找不到 $1 类实例的匹配 Win32_PnPEntity 对象: $2。请验证查询参数并重试。'),
        @('^Hyper-V was unable to find a virtual machine with ID (.*)\.$', 'Hyper-V 找不到 ID 为 $1 的虚拟机。'),
        @('^Hyper-V was unable to find a virtual machine with name "(.*)"\.$', 'Hyper-V 找不到名为“$1”的虚拟机。'),
        @('^''(.*)'' failed to start\. \(Virtual machine ID (.*)\)$', '“$1”无法启动。(虚拟机 ID $2)'),
        @('^''(.*)'' started successfully\. \(Virtual machine ID (.*)\)$', '“$1”已成功启动。(虚拟机 ID $2)'),
        @('^.* failed for virtual machine ''(.*)''\. The operation cannot be performed while the virtual machine is in its current state\. \(Virtual machine ID (.*)\)$', '虚拟机“$1”的操作失败。无法在虚拟机处于当前状态时执行该操作。(虚拟机 ID $2)'),
        @('^The low MMIO gap size (.*) is out of range\. Valid values are 128 MB to 3584 MB\.$', '低位 MMIO 间隙大小 $1 超出范围。有效值为 128 MB 到 3584 MB。'),
        @('^When dynamic memory is enabled and a device or GPU is assigned, startup memory size and minimum memory size must be equal\.$', '启用动态内存并分配了设备或 GPU 时，启动内存大小和最小内存大小必须相等。'),
        @('^''(.*)'' failed to start\. Virtual Pci Express Port \(Instance ID (.*)\): Failed to Power on with Error ''A hypervisor feature is not available to the user''\. \(0xC035001E\)$', '“$1”无法启动。虚拟 PCI Express 端口(实例 ID $2): 开机失败，错误为“用户无法使用虚拟机监控程序功能。”(0xC035001E)'),
        @('^''(.*)'' failed to start\. Virtual Pci Express Port \(Instance ID (.*)\): Failed to Power on with Error ''Insufficient system resources exist to complete the requested service\.'' \(0x800705AA\)$', '“$1”无法启动。虚拟 PCI Express 端口(实例 ID $2): 开机失败，错误为“系统资源不足，无法完成请求的服务。”(0x800705AA)'),
        @('^''(.*)'' failed to start\. Virtual Pci Express Port \(Instance ID (.*)\): Failed to Power on with Error ''Element not found\.'' \(0x80070490\)$', '“$1”无法启动。虚拟 PCI Express 端口(实例 ID $2): 开机失败，错误为“找不到元素。”(0x80070490)'),
        @('^The configuration of the virtual machine ''(.*)'' specifies an upper MMIO region that is above the supported physical address range\.$', '虚拟机“$1”的配置指定的高位 MMIO 区域超出了支持的物理地址范围。'),
        @('^Saving the virtual machine ''(.*)'' failed: a virtual machine with an assigned device cannot be saved\.$', '保存虚拟机“$1”失败: 分配了设备的虚拟机无法保存。'),
        @('^The virtual machine ''(.*)'' did not shut down: the guest operating system did not respond to the shutdown request\.$', '虚拟机“$1”未关闭: 来宾操作系统未响应关闭请求。'),
        @('^The virtual machine ''(.*)'' is not in the saved state\.$', '虚拟机“$1”不处于已保存状态。'),
        @('^The operation failed\. The specified device ''(.*)'' was not found\.$', '操作失败。找不到指定的设备“$1”。'),
        @('^The operation failed\. The device is already dismounted from the host\.$', '操作失败。该设备已从主机卸除。'),
        @('^The operation failed\. The current configuration does not allow for OS control of the PCI Express bus\. Please check your BIOS or UEFI settings\.$', '操作失败。当前配置不允许操作系统控制 PCI Express 总线。请检查 BIOS 或 UEFI 设置。'),
        @('^The operation failed\. The device must be disabled before it can be dismounted\. Disable it with Disable-PnpDevice and try again\.$', '操作失败。必须先禁用该设备才能将其卸除。请使用 Disable-PnpDevice 禁用后重试。'),
        @('^The operation failed\. The manufacturer of this device has not supplied any directives for securing this device while exposing it to a virtual machine\. The device should only be exposed to trusted virtual machines\. This device is not supported when passed through to a virtual machine\.$', '操作失败。此设备的制造商未提供在向虚拟机公开此设备时保护此设备的任何指令。此设备只应向受信任的虚拟机公开。将此设备传递到虚拟机时不受支持。'),
        @('^The operation failed\. No dismounted device was found at ''(.*)''\.$', '操作失败。在“$1”找不到已卸除的设备。'),
        @('^The operation failed\. The device is assigned to virtual machine ''(.*)'' and cannot be mounted to the host\. Remove it from the virtual machine first\.$', '操作失败。该设备已分配给虚拟机“$1”，无法装载到主机。请先将其从虚拟机中删除。'),
        @('^The operation failed\. The device ''(.*)'' is not available for assignment: dismount it from the host with Dismount-VMHostAssignableDevice first\.$', '操作失败。设备“$1”不可分配: 请先使用 Dismount-VMHostAssignableDevice 将其从主机卸除。'),
        @('^The operation failed\. The device is already assigned to virtual machine ''(.*)''\.$', '操作失败。该设备已分配给虚拟机“$1”。'),
        @('^The operation failed\. Virtual machine ''(.*)'' has no assigned device at ''(.*)''\.$', '操作失败。虚拟机“$1”在“$2”没有已分配的设备。'),
        @('^The operation failed\. Virtual machine ''(.*)'' has no assigned device ''(.*)''\.$', '操作失败。虚拟机“$1”没有已分配的设备“$2”。')
    )
}
$script:SimDismountedSuffix = @{ 'en-US' = ' - Dismounted'; 'zh-CN' = ' - 已卸除' }

function Get-SimLocalizedText([string]$Message) {
    $table = $script:SimTexts[$script:SimCulture]
    if ($null -eq $table) { return $Message }
    foreach ($pair in $table) { if ($Message -match $pair[0]) { return ($Message -replace $pair[0], $pair[1]) } }
    return $Message
}

function New-SimError {
    param([string]$Message, [string]$ErrorId, [string]$Category, [string]$Activity, $Target)
    $ex = New-Object System.Management.Automation.RuntimeException (Get-SimLocalizedText $Message)
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
    $script:SimCulture = 'en-US'
    if ($State.host.uiCulture) { $script:SimCulture = [string]$State.host.uiCulture }
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
    # $ClassName: a compiled cmdlet's class (its FullyQualifiedErrorId names it); empty for a CDXML
    # function, whose id gets the function's name appended by PowerShell itself.
    $id = 'AccessDenied'
    if ($ClassName) { $id = 'AccessDenied,' + $ClassName }
    if (-not $State.host.elevated) {
        throw (New-SimError -Message 'You do not have the required permission to complete this task. Contact the administrator of the authorization policy for the computer ''localhost''.' -ErrorId $id -Category 'PermissionDenied' -Activity $Activity)
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

function Get-SimDisks($State) {
    # The disks behind each controller that is on the host and enabled: a profile device's "disks", or,
    # for a controller marked hostsSystemDisk without them, one system disk (EFI system partition + C:
    # with the page file). Guess (labelled): the disk's PnP parent is the PCI\ controller itself (one
    # hop); a real host may have a port or RAID device between.
    $k = 0
    foreach ($d in @($State.devices)) {
        # Plain loops, not Where-Object: this runs per device on every disk query (a pipeline each costs
        # a big host a fifth of a second per query). ",$x" keeps an element whole, as Where-Object did.
        $list = @(foreach ($x in @($d.disks)) { if ($null -ne $x) { , $x } })
        if ($list.Count -eq 0 -and $d.hostsSystemDisk) {
            $list = @([pscustomobject]@{ number = $null; friendlyName = ('System disk behind ' + $d.friendlyName); isBoot = $true; isSystem = $true; pageFile = $true
                partitions = @([pscustomobject]@{ partitionNumber = 1; driveLetter = $null; isBoot = $false; isSystem = $true }, [pscustomobject]@{ partitionNumber = 2; driveLetter = 'C'; isBoot = $true; isSystem = $false }) })
        }
        foreach ($x in $list) {
            $n = $k
            if ($null -ne $x.number) { $n = [int]$x.number }
            $k = [Math]::Max($k, $n) + 1
            # A disabled, dismounted or assigned controller takes its disks away from the host (a system
            # disk's controller stays: a host without it would not be running).
            if (($d.dismounted -or -not $d.enabled) -and -not $d.hostsSystemDisk) { continue }
            @{ index = [uint32]$n; instanceId = ('SCSI\DISK&VEN_DDASIM&PROD_DISK_' + $n + '\5&1D0A0B0C&0&00000' + $n); parent = [string]$d.instanceId; caption = [string]$x.friendlyName
               isBoot = [bool]$x.isBoot; isSystem = [bool]$x.isSystem; pageFile = [bool]$x.pageFile; partitions = @(foreach ($p in @($x.partitions)) { if ($null -ne $p) { , $p } }); system = [bool]$d.hostsSystemDisk }
        }
    }
}

# A NIC's Get-NetAdapter InterfaceDescription (also its vSwitch's uplink description): the profile's
# netAdapter.interfaceDescription, else the device's friendly name.
function Get-SimAdapterDescription($d) {
    $n = $d.netAdapter
    if ($null -ne $n -and $n.interfaceDescription) { return [string]$n.interfaceDescription }
    return [string]$d.friendlyName
}

function Get-SimBusAdapters($State) {
    # NICs behind a vendor's bus driver: the PCI function runs the bus driver and the network adapter is
    # its child device, named by the profile's netAdapter.pnpDeviceId. Source for the pattern: OpenFabrics
    # WinOF's mlx4_bus.inf installs the ConnectX bus driver on PCI\VEN_15B3 as Class=System, and its
    # installer removes the children (MLX4\CONNECTX_HCA, IBA\IPOIB) before the PCI functions. Guess
    # (labelled): the child is present only while its function is on the host and enabled (a stopped bus
    # driver has no children), so a disabled one leaves Get-NetAdapter instead of showing Disabled.
    foreach ($d in @($State.devices)) {
        $n = $d.netAdapter
        if ($null -eq $n -or -not $n.pnpDeviceId -or $d.dismounted -or -not $d.enabled) { continue }
        @{ instanceId = [string]$n.pnpDeviceId; caption = (Get-SimAdapterDescription $d); parent = [string]$d.instanceId }
    }
}

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

function New-SimPnpDevice($d, [switch]$Phantom) {
    # A Get-PnpDevice object (Win32_PnPEntity through CDXML). ConfigManagerErrorCode is an enumeration:
    # [string] gives CM_PROB_DISABLED, ConvertTo-Json gives 22. A dismounted device shows as its present
    # PCIP\ twin ("- Dismounted"); with -Phantom, the original PCI\ entry that is no longer present.
    $id = $d.instanceId
    $name = $d.friendlyName
    $code = [ConfigManagerErrorCode]::CM_PROB_NONE
    $status = 'OK'
    $present = $true
    if ($Phantom) {
        $code = [ConfigManagerErrorCode]::CM_PROB_PHANTOM; $status = 'Unknown'; $present = $false
    } elseif ($d.dismounted) {
        $suffix = $script:SimDismountedSuffix[$script:SimCulture]
        if (-not $suffix) { $suffix = $script:SimDismountedSuffix['en-US'] }
        $id = Get-SimTwinId $d.instanceId; $name = $d.friendlyName + $suffix
    } elseif (-not $d.enabled) {
        $code = [ConfigManagerErrorCode]::CM_PROB_DISABLED; $status = 'Error'
    }
    $o = [pscustomobject]@{
        PSTypeName             = 'Microsoft.Management.Infrastructure.CimInstance#ROOT/cimv2/Win32_PnPEntity'
        InstanceId             = $id
        FriendlyName           = $name
        PNPDeviceID            = $id
        DeviceID               = $id
        Name                   = $name
        Status                 = $status
        Class                  = [string]$d.class
        Service                = $d.service
        Present                = $present
        ConfigManagerErrorCode = $code
        Problem                = $code
    }
    # A CIM instance also carries its base type name (Get-CimInstance -InputObject binds on it).
    $o.PSObject.TypeNames.Insert(1, 'Microsoft.Management.Infrastructure.CimInstance')
    return $o
}

# ---------------------------------------------------------------------------------------------------
# How the real modules report errors
# Hyper-V's cmdlets are compiled (Microsoft.HyperV.PowerShell.Cmdlets.dll): a compiled cmdlet honours
# -ErrorAction and the CALLER's $ErrorActionPreference. PnpDevice's are CDXML functions in a module:
# their errors are non-terminating and a preference set in the caller's script scope does not reach
# them (PowerShell issue 4568); only -ErrorAction or the global preference does. The simulator's
# functions live in a module too, so the CDXML behaviour is what a module function does anyway; the
# compiled behaviour is emulated by reading the caller's preference ($PSCmdlet.SessionState).
# Guess (no source): which Hyper-V failures are terminating. All are written as errors here, so a
# script that wants a failure to stop it says so (-ErrorAction Stop or its own preference), which works
# on both. A function appends its name to a non-terminating error's FullyQualifiedErrorId (",Get-VM"),
# a compiled cmdlet does not: compare the part before the first comma, never the whole id.
# ---------------------------------------------------------------------------------------------------

function Write-SimCmdletError {
    param($Cmdlet, $Record, [switch]$Compiled)
    if ($Record -isnot [System.Management.Automation.ErrorRecord]) { throw $Record }
    if ($Compiled) {
        $bound = $Cmdlet.MyInvocation.BoundParameters
        $pref = $null
        if ($bound.ContainsKey('ErrorAction')) { $pref = $bound['ErrorAction'] } else { $pref = $Cmdlet.SessionState.PSVariable.GetValue('ErrorActionPreference') }
        if ([string]$pref -eq 'Stop') { throw $Record }
        if ($null -ne $pref) { $ErrorActionPreference = $pref }
    }
    $Cmdlet.WriteError($Record)
}

function Assert-SimLocalTarget($Bound, [string]$Activity) {
    # The simulator is one host: -ComputerName may name it (or localhost / .); a CIM session or a
    # credential would reach another machine, which the simulator does not have.
    $state = Read-SimState
    if ($Bound.ContainsKey('CimSession') -or $Bound.ContainsKey('Credential')) {
        throw (New-SimError -Message ('The simulated host has no remote computers: ' + $Activity + ' was called with -CimSession or -Credential.') -ErrorId 'NotSimulated' -Category 'NotImplemented' -Activity $Activity)
    }
    foreach ($c in @($Bound['ComputerName'])) {
        if ($null -eq $c) { continue }
        $n = ([string]$c).ToUpperInvariant()
        if ($n -ne 'LOCALHOST' -and $n -ne '.' -and $n -ne ([string]$state.host.computerName).ToUpperInvariant()) {
            throw (New-SimError -Message ('The simulated host is ' + $state.host.computerName + '; it cannot reach computer ''' + $c + '''.') -ErrorId 'NotSimulated' -Category 'NotImplemented' -Activity $Activity -Target $c)
        }
    }
}

function Start-SimJob([string]$Command, $Bound) {
    # -AsJob: the simulator's cmdlets do not block, so the call runs here and now, and a background job
    # (a thread job where PowerShell has one, else a child process) hands back its output, or fails
    # with its error. Real Hyper-V returns its own job type; Wait-Job, Receive-Job and State work alike.
    # Guess (labelled): a real job whose cmdlet failed ends Failed, and Receive-Job re-raises the error.
    $p = @{}
    foreach ($k in @($Bound.Keys)) { if ($k -ne 'AsJob') { $p[$k] = $Bound[$k] } }
    $out = @()
    $err = $null
    try { $out = @(& $Command @p -ErrorAction Stop) } catch { $err = $_ }
    $body = { param($o, $e) if ($null -ne $e) { throw $e }; $o }
    if (Microsoft.PowerShell.Core\Get-Command -Name Start-ThreadJob -ErrorAction SilentlyContinue) { return (Start-ThreadJob -ScriptBlock $body -ArgumentList $out, $err) }
    return (Start-Job -ScriptBlock $body -ArgumentList $out, $err)
}

# ---------------------------------------------------------------------------------------------------
# PnpDevice module (CDXML over ROOT\cimv2 Win32_PnPEntity; Windows Server 2022/2025 reference)
# ---------------------------------------------------------------------------------------------------

function New-SimPnpNotFound([string]$Id, [string]$Activity) {
    New-SimError -Message ('No matching Win32_PnPEntity objects found by CIM query for instances of the ROOT\cimv2\Win32_PnPEntity class on the  CIM server: SELECT * FROM Win32_PnPEntity  WHERE ((DeviceId LIKE ''' + $Id.Replace('\', '\\') + ''')). Verify query parameters and retry.') -ErrorId 'CmdletizationQuery_NotFound_InstanceId' -Category 'ObjectNotFound' -Activity $Activity -Target $Id
}

function Get-PnpDevice {
    [CmdletBinding(DefaultParameterSetName = 'ByInstanceId')]
    param(
        [Parameter(ParameterSetName = 'ByInstanceId', Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('DeviceId')][string[]]$InstanceId,
        [Parameter(ParameterSetName = 'ByFriendlyName', ValueFromPipelineByPropertyName = $true)][string[]]$FriendlyName,
        [Parameter(ParameterSetName = 'ByInstanceId')][Parameter(ParameterSetName = 'ByFriendlyName')][Parameter(ParameterSetName = 'ByPresence')][Parameter(ParameterSetName = 'ByClass')][string[]]$Class,
        [Parameter(ParameterSetName = 'ByInstanceId')][Parameter(ParameterSetName = 'ByFriendlyName')][Parameter(ParameterSetName = 'ByPresence')][Parameter(ParameterSetName = 'ByClass')][switch]$PresentOnly,
        [Parameter(ParameterSetName = 'ByInstanceId')][Parameter(ParameterSetName = 'ByFriendlyName')][Parameter(ParameterSetName = 'ByPresence')][Parameter(ParameterSetName = 'ByStatus')][string[]]$Status,
        [Alias('Session')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    begin { $bound = $PSBoundParameters }
    process {
        try {
            if ($AsJob) { return (Start-SimJob 'Get-PnpDevice' $bound) }
            Assert-SimLocalTarget $bound 'Get-PnpDevice'
            $state = Enter-SimCall -Cmdlet 'Get-PnpDevice' -Subjects @($InstanceId)
            $all = New-Object System.Collections.Generic.List[object]
            foreach ($d in @($state.devices)) {
                $all.Add((New-SimPnpDevice $d))
                # The original PCI\ entry of a dismounted device is no longer present (Status Unknown).
                if ($d.dismounted) { $all.Add((New-SimPnpDevice $d -Phantom)) }
            }
            foreach ($k in @(Get-SimBusAdapters $state)) {
                $all.Add((New-SimPnpDevice ([pscustomobject]@{ instanceId = $k.instanceId; friendlyName = $k.caption; class = 'Net'; service = $null; enabled = $true; dismounted = $false })))
            }
            # CDXML: each value of -InstanceId / -FriendlyName is a WQL LIKE pattern (wildcards * ?).
            $found = @{}
            foreach ($o in $all) {
                if ($PresentOnly -and -not $o.Present) { continue }
                if ($Class -and -not ($Class | Where-Object { $o.Class -like $_ })) { continue }
                if ($Status -and -not ($Status | Where-Object { $o.Status -like $_ })) { continue }
                $hit = $true
                if ($InstanceId) { $hit = $false; foreach ($i in $InstanceId) { if ($o.InstanceId -like $i) { $hit = $true; $found[$i] = $true } } }
                if ($FriendlyName) { $hit = $false; foreach ($i in $FriendlyName) { if ($o.FriendlyName -like $i) { $hit = $true; $found[$i] = $true } } }
                if ($hit) { $o }
            }
            foreach ($i in @($InstanceId) + @($FriendlyName)) {
                if ($i -and -not $found.ContainsKey($i) -and -not [Management.Automation.WildcardPattern]::ContainsWildcardCharacters($i)) {
                    $PSCmdlet.WriteError((New-SimPnpNotFound $i 'Get-PnpDevice'))
                }
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ }
    }
}

# Keys and types: main/simulator/reference/pci-properties.json. A key is asked for by its DEVPKEY name or
# as "{fmtid} pid" (any case, any run of spaces); both resolve once per call to the DEVPKEY name the
# output carries (Resolve-SimPciKey), and each device's value is then read by that name.
$script:SimPciKeyNames = @{}
foreach ($pair in @(
        @(($script:PciKeySet + ' 1'), 'DEVPKEY_PciDevice_DeviceType'),
        @(($script:PciKeySet + ' 3'), 'DEVPKEY_PciDevice_BaseClass'),
        @(($script:PciKeySet + ' 31'), 'DEVPKEY_PciDevice_AcsCompatibleUpHierarchy'),
        @(($script:PciKeySet + ' 34'), 'DEVPKEY_PciDevice_RequiresReservedMemoryRegion'),
        @(($script:PciKeySet + ' 16'), 'DEVPKEY_PciDevice_BarTypes'),
        @('{A45C254E-DF1C-4EFD-8020-67D146A850E0} 37', 'DEVPKEY_Device_LocationPaths'),
        @('{4340A6C5-93FA-4706-972C-7B648008A5A7} 8', 'DEVPKEY_Device_Parent'),
        @('{A45C254E-DF1C-4EFD-8020-67D146A850E0} 14', 'DEVPKEY_Device_FriendlyName'))) {
    $script:SimPciKeyNames[$pair[0].ToUpperInvariant()] = $pair[1]
    $script:SimPciKeyNames[$pair[1].ToUpperInvariant()] = $pair[1]
}
function Resolve-SimPciKey([string]$KeyName) {
    # The DEVPKEY name of a key the simulator knows, or $null.
    return $script:SimPciKeyNames[($KeyName -replace '\s+', ' ').Trim().ToUpperInvariant()]
}

# Where a profile device keeps each key's value, and the DEVPROP type Get-PnpDeviceProperty reports it
# as: Data arrives as the real .NET type (Boolean, UInt32, String[], String). A key is read in the
# property call's own loop from this table (a function call per row cost a 256-function host 70-120 ms).
# 'presence': when a device has the key: its value is not $null ('notNull'), is not empty or 0
# ('nonEmpty'), or always (an absent name reads as an empty string). 'derive': the function that gives the
# value of a profile device without the field.
$script:SimPciProps = @{
    DEVPKEY_PciDevice_DeviceType                   = @{ field = 'deviceType'; type = 'UInt32'; presence = 'notNull' }
    DEVPKEY_PciDevice_BaseClass                    = @{ field = 'baseClass'; type = 'UInt32'; presence = 'notNull' }
    DEVPKEY_PciDevice_AcsCompatibleUpHierarchy     = @{ field = 'acsUpHierarchy'; type = 'UInt32'; presence = 'notNull' }
    # Profiles may say 0/1 or false/true; a real host hands out a Boolean.
    DEVPKEY_PciDevice_RequiresReservedMemoryRegion = @{ field = 'requiresReservedMemoryRegion'; type = 'Boolean'; presence = 'notNull' }
    # pciprop.h: a UINT32 of BAR counts (I/O; non-prefetchable, 32-bit prefetchable, 64-bit prefetchable
    # memory), one byte each. A profile without it gets one derived from its ranges (Get-SimBarTypes).
    DEVPKEY_PciDevice_BarTypes                     = @{ field = 'barTypes'; type = 'UInt32'; presence = 'notNull'; derive = 'Get-SimBarTypes' }
    DEVPKEY_Device_LocationPaths                   = @{ field = 'locationPath'; type = 'StringList'; presence = 'nonEmpty' }
    DEVPKEY_Device_Parent                          = @{ field = 'parent'; type = 'String'; presence = 'nonEmpty' }
    DEVPKEY_Device_FriendlyName                    = @{ field = 'friendlyName'; type = 'String'; presence = 'always' }
}

# Profile switch surfaceFaults (a deliberately broken host, for `dda doctor`): { pciProperty, type } hands
# out that key's Data as another DEVPROP type (e.g. RequiresReservedMemoryRegion as UInt32).
$script:SimPropertyTypes = @{ UInt32 = [uint32]; Byte = [byte]; Boolean = [bool]; String = [string] }
function ConvertTo-SimSurfaceFaultType($State, $Value) {
    if ($null -eq $Value) { return $null }
    foreach ($f in @($State.surfaceFaults)) {
        if ($null -eq $f -or $f.pciProperty -ne $Value.key) { continue }
        $t = $script:SimPropertyTypes[[string]$f.type]
        return @{ type = [string]$f.type; data = ($Value.data -as $t); key = $Value.key }
    }
    return $Value
}

# A CDXML cmdlet's -InstanceId values become ONE WQL query on Win32_PnPEntity, a condition per value joined
# by " OR " (PowerShell's cmdletization, CimQuery.GetMatchCondition). InstanceId takes no wildcards
# (reference/cmdlets.json), so each is "(DeviceID = '<id>')", the literal's \ and ' escaped with a \
# (GetMatchConditionForEqualityOperator). A WMI query may not be longer than WBEM_MAX_QUERY, 16,384
# characters (wbemcli.h, WBEM_LIMITS). Guess (no source says how a longer query fails): WBEM_E_QUOTA_VIOLATION
# (0x8004106C), the error Microsoft Learn's "Querying with WQL" names for a query too complex. The count
# adds a few characters for the WHERE clause's own parentheses, so this fails no later than a host would.
function Assert-SimWqlFits([string[]]$Ids, [string]$Activity) {
    # 36 ids of MAX_DEVICE_ID_LEN (200 characters, cfgmgr32.h), every character escaped, still fit.
    if ($Ids.Count -le 36) { return }
    $n = 'SELECT * FROM Win32_PnPEntity WHERE ()'.Length + 8 - 4
    foreach ($id in $Ids) {
        $n += 4 + "(DeviceID = '')".Length + $id.Length
        foreach ($c in @('\', "'")) { $n += $id.Length - $id.Replace($c, '').Length }
    }
    if ($n -gt 16384) { throw (New-SimError -Message 'Quota violation ' -ErrorId 'HRESULT 0x8004106c' -Category 'QuotaExceeded' -Activity $Activity) }
}

# The BarTypes of a profile device that does not state them (a labelled guess, reference/README.md): a
# range above 4 GiB is a 64-bit prefetchable BAR (bits 24-31), one below it a non-prefetchable BAR (bits
# 8-15), as on a host with Above 4G decoding. A profile states barTypes to model another host (null: the
# device has no such property).
function Get-SimBarTypes($d) {
    $high = 0
    $low = 0
    foreach ($r in @($d.memoryRanges)) {
        if ($null -eq $r) { continue }
        if ((ConvertTo-SimNumber $r.start) -ge 4294967296) { $high++ } else { $low++ }
    }
    return [uint32](([math]::Min($high, 255) * 16777216) + ([math]::Min($low, 255) * 256))
}

function Get-PnpDeviceProperty {
    [CmdletBinding(DefaultParameterSetName = 'ByInstanceId', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'ByInstanceId', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('DeviceId')][string[]]$InstanceId,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/cimv2/Win32_PnPEntity')][object[]]$InputObject,
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('Key')][string[]]$KeyName,
        [Alias('Session')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    begin {
        $bound = $PSBoundParameters
        $byId = $null
    }
    process {
        try {
            if ($AsJob) { return (Start-SimJob 'Get-PnpDeviceProperty' $bound) }
            if ($null -eq $byId) {
                Assert-SimLocalTarget $bound 'Get-PnpDeviceProperty'
                # A fault's "match" is looked for in the -InstanceId ids of the call (not in piped devices).
                $state = Enter-SimCall -Cmdlet 'Get-PnpDeviceProperty' -Subjects @($InstanceId)
                # Index by PCI\ and PCIP\ id once per call: a host has hundreds of functions.
                $byId = @{}
                foreach ($d in @($state.devices)) { $byId[$d.instanceId.ToUpperInvariant()] = $d; $byId[(Get-SimTwinId $d.instanceId).ToUpperInvariant()] = $d }
                # Child devices (a controller's disks, a bus driver's network adapters) have no PCIP\ twin.
                foreach ($k in @(Get-SimDisks $state) + @(Get-SimBusAdapters $state)) { $byId[$k.instanceId.ToUpperInvariant()] = [pscustomobject]@{ instanceId = $k.instanceId; friendlyName = $k.caption; parent = $k.parent; child = $true } }
                $faulty = @($state.surfaceFaults | Where-Object { $null -ne $_ }).Count -gt 0
            }
            # The keys of this input (pipeline input may name its own), each resolved once, not per device;
            # none asked: FriendlyName and LocationPaths.
            $asked = @($KeyName)
            if ($asked.Count -eq 0) { $asked = @('DEVPKEY_Device_FriendlyName', 'DEVPKEY_Device_LocationPaths') }
            # Each key once: its DEVPKEY name, where a device keeps it, and the name its rows carry (as
            # asked for "{fmtid} pid", else the DEVPKEY name).
            $keys = @(foreach ($a in $asked) {
                    $key = Resolve-SimPciKey $a
                    $spec = $null
                    $rowName = $a
                    if ($null -ne $key) { $spec = $script:SimPciProps[$key]; if ($a -notlike '{*') { $rowName = $key } }
                    @{ asked = $a; key = $key; spec = $spec; rowName = $rowName }
                })
            $ids = @($InstanceId)
            if ($PSCmdlet.ParameterSetName -ne 'ByInstanceId') { $ids = @($InputObject | ForEach-Object { [string]$_.InstanceId }) }
            else { Assert-SimWqlFits $ids 'Get-PnpDeviceProperty' }
            foreach ($id in $ids) {
                if (-not $id) { continue }
                $d = $byId[$id.ToUpperInvariant()]
                if ($null -eq $d) { $PSCmdlet.WriteError((New-SimPnpNotFound $id 'Get-PnpDeviceProperty')); continue }
                $outId = $d.instanceId
                if (-not $d.child -and ($d.dismounted -or $id -like 'PCIP\*')) { $outId = Get-SimTwinId $d.instanceId }
                foreach ($k in $keys) {
                    # A key the device does not have comes back with Type Empty and no Data, named as asked.
                    $type = 'Empty'; $data = $null; $name = $k.asked
                    $spec = $k.spec
                    if ($null -ne $spec) {
                        $raw = $d.($spec.field)
                        $presence = $spec.presence
                        if ($spec.derive -and $null -eq $d.PSObject.Properties[$spec.field]) { $raw = & $spec.derive $d }
                        if ($presence -eq 'always' -or ($presence -eq 'nonEmpty' -and $raw) -or ($presence -eq 'notNull' -and $null -ne $raw)) {
                            $type = $spec.type
                            if ($type -eq 'UInt32') { $data = [uint32]$raw }
                            elseif ($type -eq 'Boolean') { $data = [bool]$raw }
                            elseif ($type -eq 'StringList') { $data = [string[]]@($raw, ('ACPI(_SB_)#ACPI(PCI0)#' + $raw)) }
                            else { $data = [string]$raw }
                            if ($faulty) {
                                $v = ConvertTo-SimSurfaceFaultType $state @{ type = $type; data = $data; key = $k.key }
                                $type = $v.type; $data = $v.data
                            }
                            $name = $k.rowName
                        }
                    }
                    [pscustomobject]@{ PSTypeName = 'Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/GetDeviceProperty/Win32_PnPDeviceProperty'; InstanceId = $outId; DeviceID = $outId; KeyName = $name; Type = $type; Data = $data }
                }
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ }
    }
}

function Set-SimPnpEnabled($Cmdlet, $Bound, [string]$Activity, [bool]$Enable) {
    $ids = @($Bound['InstanceId'])
    if ($Cmdlet.ParameterSetName -ne 'ByInstanceId') { $ids = @($Bound['InputObject'] | ForEach-Object { [string]$_.InstanceId }) }
    foreach ($id in $ids) {
        try {
            if (-not $Cmdlet.ShouldProcess($id, $Activity)) { continue }
            Use-SimLock {
                $state = Enter-SimCall -Cmdlet $Activity -Subjects @($id)
                Assert-SimElevated $state $Activity ''
                $d = Find-SimDeviceById $state $id
                # A dismounted device's PCIP\ twin cannot be enabled or disabled; after Mount the PCI\
                # id is present again. Guess (no source): how a real host refuses the twin.
                if ($null -eq $d -or $d.dismounted -or $id -like 'PCIP\*') { throw (New-SimPnpNotFound $id $Activity) }
                $d.enabled = $Enable
                Write-SimState $state
            }
            if ($Bound['PassThru']) { New-SimPnpDevice (Find-SimDeviceById (Read-SimState) $id) }
        } catch { Write-SimCmdletError $Cmdlet $_ }
    }
}

function Disable-PnpDevice {
    [CmdletBinding(DefaultParameterSetName = 'ByInstanceId', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(ParameterSetName = 'ByInstanceId', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('DeviceId')][string[]]$InstanceId,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/cimv2/Win32_PnPEntity')][object[]]$InputObject,
        [Alias('Session')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob,
        [switch]$PassThru
    )
    process {
        if ($AsJob) { return (Start-SimJob 'Disable-PnpDevice' $PSBoundParameters) }
        try { Assert-SimLocalTarget $PSBoundParameters 'Disable-PnpDevice' } catch { Write-SimCmdletError $PSCmdlet $_; return }
        Set-SimPnpEnabled $PSCmdlet $PSBoundParameters 'Disable-PnpDevice' $false
    }
}

function Enable-PnpDevice {
    [CmdletBinding(DefaultParameterSetName = 'ByInstanceId', SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    param(
        [Parameter(ParameterSetName = 'ByInstanceId', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('DeviceId')][string[]]$InstanceId,
        [Parameter(ParameterSetName = 'InputObject (cdxml)', Mandatory = $true, ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/cimv2/Win32_PnPEntity')][object[]]$InputObject,
        [Alias('Session')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob,
        [switch]$PassThru
    )
    process {
        if ($AsJob) { return (Start-SimJob 'Enable-PnpDevice' $PSBoundParameters) }
        try { Assert-SimLocalTarget $PSBoundParameters 'Enable-PnpDevice' } catch { Write-SimCmdletError $PSCmdlet $_; return }
        Set-SimPnpEnabled $PSCmdlet $PSBoundParameters 'Enable-PnpDevice' $true
    }
}

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
        'WIN32_DISKDRIVE' {
            foreach ($k in @(Get-SimDisks $State)) { $rows.Add([pscustomobject]@{ Index = $k.index; PNPDeviceID = $k.instanceId; DeviceID = ('\\.\PHYSICALDRIVE' + $k.index); Caption = $k.caption }) }
        }
        'WIN32_DISKPARTITION' {
            # BootPartition (the active partition): the system partition of each disk (one per boot disk).
            foreach ($k in @(Get-SimDisks $State)) {
                $j = 0
                foreach ($p in $k.partitions) {
                    $rows.Add([pscustomobject]@{ DiskIndex = $k.index; Index = [uint32]$j; BootPartition = [bool]$p.isSystem; DeviceID = ('Disk #' + $k.index + ', Partition #' + $j) })
                    $j++
                }
            }
        }
        'WIN32_PAGEFILEUSAGE' {
            # Name is the page file's path; its drive letter names the volume (and so the disk) it is on.
            foreach ($k in @(Get-SimDisks $State)) {
                if (-not $k.pageFile) { continue }
                $letter = $null
                foreach ($p in $k.partitions) { if ($null -eq $letter -and $p.driveLetter) { $letter = [string]$p.driveLetter } }
                if ($letter) { $rows.Add([pscustomobject]@{ Name = ($letter + ':\pagefile.sys'); AllocatedBaseSize = [uint32]4096; CurrentUsage = [uint32]512 }) }
            }
        }
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
            throw (New-SimError -Message 'Invalid class ' -ErrorId 'HRESULT 0x80041010' -Category 'MetadataError' -Activity 'Get-CimInstance')
        }
    }
    $rows.ToArray()
}

function Test-SimWqlCondition($Row, [string]$Where) {
    # The WHERE clauses public DDA scripts write: comparisons (=, <>, !=, LIKE with % and _) joined by
    # AND; string values in single or double quotes, or numbers. Anything else is refused, not guessed.
    if (-not $Where) { return $true }
    foreach ($part in ($Where -split '\s+(?i:and)\s+')) {
        if ($part -notmatch '^\s*\(?\s*([A-Za-z0-9_]+)\s*(=|<>|!=|(?i:like))\s*(?:''((?:[^'']|'''')*)''|"((?:[^"]|"")*)"|(-?\d+))\s*\)?\s*$') {
            throw (New-SimError -Message ('Invalid query: the simulator evaluates comparisons joined by AND, not "' + $part + '".') -ErrorId 'HRESULT 0x80041017' -Category 'InvalidArgument' -Activity 'Get-CimInstance')
        }
        $name = $Matches[1]; $op = $Matches[2].ToUpperInvariant()
        $value = $Matches[3]
        if ($null -eq $value) { $value = $Matches[4] }
        if ($null -eq $value) { $value = $Matches[5] }
        # WQL strings escape backslashes (\\ is one backslash).
        $value = ([string]$value).Replace('\\', '\')
        $actual = [string]$Row.$name
        if ($op -eq 'LIKE') {
            $pattern = [Management.Automation.WildcardPattern]::Escape($value).Replace('%', '*').Replace('_', '?')
            if ($actual -notlike $pattern) { return $false }
        } elseif ($op -eq '=') {
            if ($actual -ne $value) { return $false }
        } elseif ($actual -eq $value) { return $false }
    }
    return $true
}

function Read-SimWql([string]$Query) {
    if ($Query -match '^\s*(?i:select)\s+(.+?)\s+(?i:from)\s+([A-Za-z0-9_]+)(?:\s+(?i:where)\s+(.+?))?\s*$') { return @{ class = $Matches[2]; where = $Matches[3] } }
    throw (New-SimError -Message ('Invalid query "' + $Query + '".') -ErrorId 'HRESULT 0x80041017' -Category 'InvalidArgument' -Activity 'Get-CimInstance')
}

function Get-SimWmiRows($Bound, [string]$Activity, [bool]$WmiStyle) {
    # One query against the simulated ROOT\cimv2; -ComputerName may name this host only.
    $b = @{}
    foreach ($k in @($Bound.Keys)) { $b[$k] = $Bound[$k] }
    if ($b.ContainsKey('ComputerName')) { Assert-SimLocalTarget @{ ComputerName = $b['ComputerName'] } $Activity }
    if ($b.ContainsKey('InputObject') -and [string]$b['InputObject'].CimClassName -eq 'Msvm_ConcreteJob') {
        # Get-CimInstance -InputObject reads the instance again from the server: how a job is polled.
        $state = Enter-SimCall -Cmdlet $Activity -Subjects @('Msvm_ConcreteJob')
        $id = [string]$b['InputObject'].InstanceID
        foreach ($j in @($state.sim.jobs)) { if ($null -ne $j -and $j.instanceId -eq $id) { return (New-SimJobInstance $j) } }
        throw (New-SimError -Message 'Not found ' -ErrorId 'HRESULT 0x80041002' -Category 'ObjectNotFound' -Activity $Activity)
    }
    foreach ($k in @('CimSession', 'Credential', 'ResourceUri', 'InputObject', 'Authority', 'List', 'Recurse')) {
        if ($b.ContainsKey($k)) { throw (New-SimError -Message ('The simulated host does not support ' + $Activity + ' -' + $k + '.') -ErrorId 'NotSimulated' -Category 'NotImplemented' -Activity $Activity) }
    }
    $ns = 'ROOT\CIMV2'
    if ($b['Namespace']) { $ns = ([string]$b['Namespace']).Replace('/', '\').TrimStart('\').ToUpperInvariant() }
    if ($ns -ne 'ROOT\CIMV2' -and $ns -ne 'ROOT\VIRTUALIZATION\V2') {
        throw (New-SimError -Message 'Invalid namespace ' -ErrorId 'HRESULT 0x8004100e' -Category 'MetadataError' -Activity $Activity -Target $b['Namespace'])
    }
    $class = [string]$b['ClassName']
    if ($b.ContainsKey('Class')) { $class = [string]$b['Class'] }
    $where = [string]$b['Filter']
    if ($b.ContainsKey('Query')) { $q = Read-SimWql ([string]$b['Query']); $class = $q.class; $where = $q.where }
    $state = Enter-SimCall -Cmdlet $Activity -Subjects @($class)
    $rows = $null
    if ($ns -eq 'ROOT\VIRTUALIZATION\V2') { $rows = @(Get-SimVirtualizationRows $state $class) } else { $rows = Get-SimCimRows $state $class $WmiStyle }
    foreach ($row in $rows) { if (Test-SimWqlCondition $row $where) { $row } }
}

function Get-CimInstance {
    # CimCmdlets (PowerShell 7.6 and 5.1 reference). The rows carry CIM-style references.
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet')]
    param(
        [Parameter(ParameterSetName = 'ResourceUriSessionSet', Mandatory = $true, ValueFromPipeline = $true)][Parameter(ParameterSetName = 'QuerySessionSet', Mandatory = $true, ValueFromPipeline = $true)][Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true, ValueFromPipeline = $true)][Parameter(ParameterSetName = 'CimInstanceSessionSet', Mandatory = $true, ValueFromPipeline = $true)][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string]$ClassName,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimInstanceComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)][Alias('CN', 'ServerName')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriSessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ClassNameSessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriComputerSet', ValueFromPipelineByPropertyName = $true)][string]$Filter,
        [Parameter(ParameterSetName = 'CimInstanceSessionSet', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Parameter(ParameterSetName = 'CimInstanceComputerSet', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('CimInstance')][PSTypeName('Microsoft.Management.Infrastructure.CimInstance')][object]$InputObject,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ResourceUriSessionSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][Parameter(ParameterSetName = 'ResourceUriComputerSet')][switch]$KeyOnly,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriSessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QuerySessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ClassNameSessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)][string]$Namespace,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ResourceUriSessionSet')][Parameter(ParameterSetName = 'QuerySessionSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][Parameter(ParameterSetName = 'CimInstanceSessionSet')][Parameter(ParameterSetName = 'CimInstanceComputerSet')][Parameter(ParameterSetName = 'ResourceUriComputerSet')][Parameter(ParameterSetName = 'QueryComputerSet')][Alias('OT')][uint32]$OperationTimeoutSec,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriSessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ClassNameSessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriComputerSet', ValueFromPipelineByPropertyName = $true)][Alias('SelectProperties')][string[]]$Property,
        [Parameter(ParameterSetName = 'QuerySessionSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QueryComputerSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][string]$Query,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QuerySessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ClassNameSessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)][string]$QueryDialect,
        [Parameter(ParameterSetName = 'ResourceUriSessionSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QuerySessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimInstanceSessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimInstanceComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriComputerSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)][uri]$ResourceUri,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ResourceUriSessionSet')][Parameter(ParameterSetName = 'QuerySessionSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][Parameter(ParameterSetName = 'ResourceUriComputerSet')][Parameter(ParameterSetName = 'QueryComputerSet')][switch]$Shallow
    )
    process {
        try { Get-SimWmiRows $PSBoundParameters 'Get-CimInstance' $false } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
    }
}

function Get-WmiObject {
    # Windows PowerShell 5.1 only (PowerShell 7 has no Get-WmiObject); SurveyDDA.ps1 calls it as gwmi.
    # The rows carry WMI-style string paths (__RELPATH, Antecedent, Dependent).
    [CmdletBinding(DefaultParameterSetName = 'query')]
    param(
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'list')][Parameter(ParameterSetName = 'WQLQuery')][Parameter(ParameterSetName = 'class')][Parameter(ParameterSetName = 'path')][switch]$Amended,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'list')][Parameter(ParameterSetName = 'WQLQuery')][Parameter(ParameterSetName = 'class')][Parameter(ParameterSetName = 'path')][switch]$AsJob,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'list')][Parameter(ParameterSetName = 'WQLQuery')][Parameter(ParameterSetName = 'class')][Parameter(ParameterSetName = 'path')][System.Management.AuthenticationLevel]$Authentication,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'list')][Parameter(ParameterSetName = 'WQLQuery')][Parameter(ParameterSetName = 'class')][Parameter(ParameterSetName = 'path')][string]$Authority,
        [Parameter(ParameterSetName = 'query', Mandatory = $true, Position = 0)][Parameter(ParameterSetName = 'list', Position = 0)][Alias('ClassName')][string]$Class,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'list')][Parameter(ParameterSetName = 'WQLQuery')][Parameter(ParameterSetName = 'class')][Parameter(ParameterSetName = 'path')][Alias('Cn')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'list')][Parameter(ParameterSetName = 'WQLQuery')][Parameter(ParameterSetName = 'class')][Parameter(ParameterSetName = 'path')][pscredential]$Credential,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'WQLQuery')][switch]$DirectRead,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'list')][Parameter(ParameterSetName = 'WQLQuery')][Parameter(ParameterSetName = 'class')][Parameter(ParameterSetName = 'path')][switch]$EnableAllPrivileges,
        [Parameter(ParameterSetName = 'query')][string]$Filter,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'list')][Parameter(ParameterSetName = 'WQLQuery')][Parameter(ParameterSetName = 'class')][Parameter(ParameterSetName = 'path')][System.Management.ImpersonationLevel]$Impersonation,
        [Parameter(ParameterSetName = 'list')][switch]$List,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'list')][Parameter(ParameterSetName = 'WQLQuery')][Parameter(ParameterSetName = 'class')][Parameter(ParameterSetName = 'path')][string]$Locale,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'list')][Parameter(ParameterSetName = 'WQLQuery')][Parameter(ParameterSetName = 'class')][Parameter(ParameterSetName = 'path')][Alias('NS')][string]$Namespace,
        [Parameter(ParameterSetName = 'query', Position = 1)][string[]]$Property,
        [Parameter(ParameterSetName = 'WQLQuery', Mandatory = $true)][string]$Query,
        [Parameter(ParameterSetName = 'list')][switch]$Recurse,
        [Parameter(ParameterSetName = 'query')][Parameter(ParameterSetName = 'list')][Parameter(ParameterSetName = 'WQLQuery')][Parameter(ParameterSetName = 'class')][Parameter(ParameterSetName = 'path')][int]$ThrottleLimit
    )
    try {
        if ($AsJob) { return (Start-SimJob 'Get-WmiObject' $PSBoundParameters) }
        Get-SimWmiRows $PSBoundParameters 'Get-WmiObject' $true
    } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
}

# Windows PowerShell's alias, for SurveyDDA.ps1. Set through the alias drive, not Set-Alias: that cmdlet
# lives in Microsoft.PowerShell.Utility, whose auto-load was most of this module's import time.
${alias:gwmi} = 'Get-WmiObject'

# ROOT\virtualization\v2: the Hyper-V WMI provider's classes DDA Studio calls directly. Source:
# Microsoft Learn, "Msvm_AssignableDeviceService class", "DismountAssignableDevice method of the
# Msvm_AssignableDeviceService class", "Msvm_AssignableDeviceDismountSettingData class" (Windows Server
# 2016+) and CIM_ConcreteJob's JobState values (DMTF CIM schema: 7 Completed, 10 Exception).
# Guesses (labelled, reference/README.md): the service row's key values; that the method answers 4096
# with a job (not 0) and a refusal ends the job in Exception with ErrorCode 32768 and the cmdlet's text.
function New-SimCimInstance([string]$Namespace, [string]$ClassName, [hashtable]$Properties) {
    $o = [pscustomobject]$Properties
    $o.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance')
    $o.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#' + $Namespace + '/' + $ClassName)
    $o | Add-Member -NotePropertyName 'CimClassName' -NotePropertyValue $ClassName
    return $o
}

function New-SimJobInstance($Job) {
    New-SimCimInstance 'root/virtualization/v2' 'Msvm_ConcreteJob' @{
        InstanceID = [string]$Job.instanceId; Name = 'Dismount Assignable Device'; JobState = [uint16]$Job.jobState
        ErrorCode = [uint16]$Job.errorCode; ErrorDescription = [string]$Job.errorDescription; PercentComplete = [uint16]100
    }
}

function Get-SimVirtualizationRows($State, [string]$ClassName) {
    switch ($ClassName.ToUpperInvariant()) {
        'MSVM_ASSIGNABLEDEVICESERVICE' {
            New-SimCimInstance 'root/virtualization/v2' 'Msvm_AssignableDeviceService' @{
                CreationClassName = 'Msvm_AssignableDeviceService'; Name = 'Microsoft:AssignableDeviceService'
                SystemCreationClassName = 'Msvm_ComputerSystem'; SystemName = [string]$State.host.computerName
            }
        }
        'MSVM_CONCRETEJOB' { foreach ($j in @($State.sim.jobs)) { if ($null -ne $j) { New-SimJobInstance $j } } }
        'MSVM_KVPEXCHANGECOMPONENT' {
            # Each VM's key/value pair exchange (Microsoft Learn, Msvm_KvpExchangeComponent and
            # Msvm_KvpExchangeDataItem classes): SystemName is the VM's GUID (Msvm_ComputerSystem.Name),
            # GuestIntrinsicExchangeItems the guest's own items (OSName among them) as embedded
            # Msvm_KvpExchangeDataItem instances in CIM-XML. Guess (labelled): only a running guest reports
            # them (its integration services write them); an Off VM's list is empty.
            foreach ($v in @($State.vms)) {
                if ($null -eq $v) { continue }
                $items = @()
                if ([string]$v.state -eq 'Running' -and $v.guestOs) { $items = @(New-SimKvpItem 'OSName' ([string]$v.guestOs)) }
                New-SimCimInstance 'root/virtualization/v2' 'Msvm_KvpExchangeComponent' @{
                    CreationClassName = 'Msvm_KvpExchangeComponent'; Name = 'Key-Value Pair Exchange'
                    SystemCreationClassName = 'Msvm_ComputerSystem'; SystemName = ([string]$v.id).ToUpperInvariant()
                    GuestIntrinsicExchangeItems = [string[]]$items
                }
            }
        }
        default { throw (New-SimError -Message 'Invalid class ' -ErrorId 'HRESULT 0x80041010' -Category 'MetadataError' -Activity 'Get-CimInstance') }
    }
}

# One Msvm_KvpExchangeDataItem as an embedded instance (CIM-XML, DMTF DSP0201); Source 2: the guest's
# intrinsic items (Microsoft Learn, Msvm_KvpExchangeDataItem).
function New-SimKvpItem([string]$Name, [string]$Data) {
    $e = { param($t) [System.Security.SecurityElement]::Escape($t) }
    '<INSTANCE CLASSNAME="Msvm_KvpExchangeDataItem"><PROPERTY NAME="Data" TYPE="string"><VALUE>' + (& $e $Data) +
    '</VALUE></PROPERTY><PROPERTY NAME="Name" TYPE="string"><VALUE>' + (& $e $Name) +
    '</VALUE></PROPERTY><PROPERTY NAME="Source" TYPE="uint16"><VALUE>2</VALUE></PROPERTY></INSTANCE>'
}

function Read-SimEmbeddedInstance([string]$Text, [string]$ClassName, [string[]]$Names) {
    # A CIM-XML INSTANCE element (DMTF DSP0201) as a method takes an EmbeddedInstance string. Returns
    # the properties, or $null when the text is not an instance of that class with known properties.
    $settings = New-Object System.Xml.XmlReaderSettings
    $settings.DtdProcessing = [System.Xml.DtdProcessing]::Prohibit
    $settings.XmlResolver = $null
    try {
        $reader = [System.Xml.XmlReader]::Create((New-Object System.IO.StringReader $Text), $settings)
        $doc = New-Object System.Xml.XmlDocument
        $doc.Load($reader)
    } catch { return $null }
    $root = $doc.DocumentElement
    if ($null -eq $root -or $root.Name -ne 'INSTANCE' -or $root.GetAttribute('CLASSNAME') -ne $ClassName) { return $null }
    $props = @{}
    foreach ($p in @($root.SelectNodes('PROPERTY'))) {
        $n = $p.GetAttribute('NAME')
        if ($Names -notcontains $n) { return $null }
        $v = $p.SelectSingleNode('VALUE')
        if ($null -eq $v) { continue }
        switch ($p.GetAttribute('TYPE')) {
            'string' { $props[$n] = [string]$v.InnerText }
            'boolean' {
                if ($v.InnerText -eq 'true') { $props[$n] = $true } elseif ($v.InnerText -eq 'false') { $props[$n] = $false } else { return $null }
            }
            default { return $null }
        }
    }
    return $props
}

function Invoke-SimDismountMethod($Arguments) {
    # Msvm_AssignableDeviceService.DismountAssignableDevice(DismountSettingData, out DismountedDeviceInstancePath, out Job)
    $result = @{ ReturnValue = [uint32]0; DismountedDeviceInstancePath = $null; Job = $null }
    $text = $null
    if ($null -ne $Arguments) { $text = $Arguments['DismountSettingData'] }
    $data = $null
    if ($text -is [string]) {
        $data = Read-SimEmbeddedInstance $text 'Msvm_AssignableDeviceDismountSettingData' @('DeviceInstancePath', 'DeviceLocationPath', 'RequireAcsSupport', 'RequireDeviceMitigations', 'Caption', 'Description', 'ElementName', 'InstanceID')
    }
    if ($null -eq $data -or -not ($data['DeviceLocationPath'] -or $data['DeviceInstancePath'])) { $result.ReturnValue = [uint32]32773; return $result }
    # Properties left out take the class defaults; the cmdlet without -Force requires both (guess: true).
    $acs = $true; if ($data.ContainsKey('RequireAcsSupport')) { $acs = [bool]$data['RequireAcsSupport'] }
    $mit = $true; if ($data.ContainsKey('RequireDeviceMitigations')) { $mit = [bool]$data['RequireDeviceMitigations'] }
    Use-SimLock {
        $state = Enter-SimCall -Cmdlet 'Msvm_AssignableDeviceService.DismountAssignableDevice' -Subjects @($data['DeviceLocationPath'], $data['DeviceInstancePath'])
        if (-not $state.host.elevated) { $result.ReturnValue = [uint32]32769; return }
        if ($null -eq $state.PSObject.Properties['sim'] -or $null -eq $state.sim) { Set-SimProp $state 'sim' ([pscustomobject]@{}) }
        if ($null -eq $state.sim.PSObject.Properties['jobs']) { Set-SimProp $state.sim 'jobs' @() }
        $job = [pscustomobject]@{ instanceId = [guid]::NewGuid().ToString().ToUpperInvariant(); jobState = 7; errorCode = 0; errorDescription = '' }
        try {
            $d = Invoke-SimDismount $state ([string]$data['DeviceLocationPath']) ([string]$data['DeviceInstancePath']) $acs $mit 'DismountAssignableDevice' ''
            $result.DismountedDeviceInstancePath = Get-SimTwinId $d.instanceId
        } catch {
            $job.jobState = 10; $job.errorCode = 32768; $job.errorDescription = $_.Exception.Message
        }
        $state.sim.jobs = @(@($state.sim.jobs) + @($job) | Where-Object { $null -ne $_ } | Microsoft.PowerShell.Utility\Select-Object -Last 16)
        Write-SimState $state
        $result.ReturnValue = [uint32]4096
        $result.Job = New-SimCimInstance 'root/virtualization/v2' 'Msvm_ConcreteJob' @{ InstanceID = $job.instanceId }
    }
    return $result
}

function Invoke-CimMethod {
    # CimCmdlets (PowerShell 7.6 and 5.1 reference). The simulated host has one method: the dismount
    # above, on the Msvm_AssignableDeviceService instance; anything else is refused, not faked.
    [CmdletBinding(DefaultParameterSetName = 'ClassNameComputerSet', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Position = 1, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ClassNameSessionSet', Position = 1, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriComputerSet', Position = 1, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimInstanceSessionSet', Position = 1, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimInstanceComputerSet', Position = 1, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriSessionSet', Position = 1, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimClassComputerSet', Position = 1, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimClassSessionSet', Position = 1, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QueryComputerSet', Position = 1, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QuerySessionSet', Position = 1, ValueFromPipelineByPropertyName = $true)][System.Collections.IDictionary]$Arguments,
        [Parameter(ParameterSetName = 'CimClassComputerSet', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Parameter(ParameterSetName = 'CimClassSessionSet', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimClass')][object]$CimClass,
        [Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true, ValueFromPipeline = $true)][Parameter(ParameterSetName = 'CimInstanceSessionSet', Mandatory = $true, ValueFromPipeline = $true)][Parameter(ParameterSetName = 'ResourceUriSessionSet', Mandatory = $true, ValueFromPipeline = $true)][Parameter(ParameterSetName = 'CimClassSessionSet', Mandatory = $true, ValueFromPipeline = $true)][Parameter(ParameterSetName = 'QuerySessionSet', Mandatory = $true, ValueFromPipeline = $true)][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('Class')][string]$ClassName,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimInstanceComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimClassComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)][Alias('CN', 'ServerName')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'CimInstanceSessionSet', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Parameter(ParameterSetName = 'CimInstanceComputerSet', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('CimInstance')][PSTypeName('Microsoft.Management.Infrastructure.CimInstance')][object]$InputObject,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ClassNameSessionSet', Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriComputerSet', Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimInstanceSessionSet', Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimInstanceComputerSet', Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriSessionSet', Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimClassComputerSet', Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimClassSessionSet', Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QueryComputerSet', Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QuerySessionSet', Mandatory = $true, Position = 2, ValueFromPipelineByPropertyName = $true)][Alias('Name')][string]$MethodName,
        [Parameter(ParameterSetName = 'ClassNameComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ClassNameSessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriSessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QuerySessionSet', ValueFromPipelineByPropertyName = $true)][string]$Namespace,
        [Parameter(ParameterSetName = 'ClassNameComputerSet')][Parameter(ParameterSetName = 'ClassNameSessionSet')][Parameter(ParameterSetName = 'ResourceUriComputerSet')][Parameter(ParameterSetName = 'CimInstanceSessionSet')][Parameter(ParameterSetName = 'CimInstanceComputerSet')][Parameter(ParameterSetName = 'ResourceUriSessionSet')][Parameter(ParameterSetName = 'CimClassComputerSet')][Parameter(ParameterSetName = 'CimClassSessionSet')][Parameter(ParameterSetName = 'QueryComputerSet')][Parameter(ParameterSetName = 'QuerySessionSet')][Alias('OT')][uint32]$OperationTimeoutSec,
        [Parameter(ParameterSetName = 'QueryComputerSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QuerySessionSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][string]$Query,
        [Parameter(ParameterSetName = 'QueryComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'QuerySessionSet', ValueFromPipelineByPropertyName = $true)][string]$QueryDialect,
        [Parameter(ParameterSetName = 'CimInstanceSessionSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'CimInstanceComputerSet', ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriComputerSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Parameter(ParameterSetName = 'ResourceUriSessionSet', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][uri]$ResourceUri

    )
    process {
        try {
            Assert-SimLocalTarget $PSBoundParameters 'Invoke-CimMethod'
            $class = $null
            if ($PSCmdlet.ParameterSetName -like 'CimInstance*') { $class = [string]$InputObject.CimClassName }
            if ($class -ne 'Msvm_AssignableDeviceService' -or $MethodName -ne 'DismountAssignableDevice') {
                throw (New-SimError -Message ('The simulated host does not implement ' + $class + '.' + $MethodName + ' through ' + $PSCmdlet.ParameterSetName + '.') -ErrorId 'NotSimulated' -Category 'NotImplemented' -Activity 'Invoke-CimMethod')
            }
            if (-not $PSCmdlet.ShouldProcess($class, $MethodName)) { return }
            $r = Invoke-SimDismountMethod $Arguments
            [pscustomobject]@{ DismountedDeviceInstancePath = $r.DismountedDeviceInstancePath; Job = $r.Job; ReturnValue = $r.ReturnValue; PSComputerName = $null }
        } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
    }
}

# ---------------------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------------------
# Hyper-V: host and VMs (parameter sets: main/simulator/reference/cmdlets.json)
# ---------------------------------------------------------------------------------------------------

function Get-VMHost {
    [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
    param(
        [Parameter(ParameterSetName = 'ComputerName', Position = 0, ValueFromPipeline = $true)][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'ComputerName', Position = 1, ValueFromPipeline = $true)][pscredential[]]$Credential,
        [Parameter(ParameterSetName = 'CimSession', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Microsoft.Management.Infrastructure.CimSession[]]$CimSession
    )
    try {
        Assert-SimLocalTarget $PSBoundParameters 'Get-VMHost'
        $state = Enter-SimCall -Cmdlet 'Get-VMHost' -Subjects @()
        [pscustomobject]@{
            PSTypeName        = 'Microsoft.HyperV.PowerShell.VMHost'
            ComputerName      = [string]$state.host.computerName
            Name              = [string]$state.host.computerName
            IovSupport        = [bool]$state.host.iovSupport
            IovSupportReasons = [string[]]@($state.host.iovSupportReasons | Where-Object { $_ })
        }
    } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
}

# The OS facts no cmdlet reports, which host-functions.ps1 reads through three primitives: the
# simulator defines exactly those (the process token, bcdedit's IOMMU policy, CPUID's address width);
# everything else Get-DdaPlatformFacts does runs as on a host.
function Test-DdaElevated { $state = Enter-SimCall -Cmdlet 'Test-DdaElevated' -Subjects @(); return [bool]$state.host.elevated }
function Get-DdaIommuPolicy { $state = Enter-SimCall -Cmdlet 'Get-DdaIommuPolicy' -Subjects @(); return [bool]$state.host.iommuPolicyEnabled }
function Get-DdaCpuAddressBits { $state = Enter-SimCall -Cmdlet 'Get-DdaCpuAddressBits' -Subjects @(); return [int]$state.host.physicalAddressBits }

function New-SimVmObject($v, $State) {
    # Property types as on a host: the type of the Set-VM / Set-VMMemory parameter that sets each one.
    $o = [pscustomobject]@{
        PSTypeName                  = 'Microsoft.HyperV.PowerShell.VirtualMachine'
        Name                        = [string]$v.name
        VMName                      = [string]$v.name
        Id                          = [Guid]$v.id
        VMId                        = [Guid]$v.id
        State                       = [Microsoft.HyperV.PowerShell.VMState][string]$v.state
        Generation                  = [int]$v.generation
        AutomaticStopAction         = [Microsoft.HyperV.PowerShell.StopAction][string]$v.automaticStopAction
        GuestControlledCacheTypes   = [bool]$v.guestControlledCacheTypes
        LowMemoryMappedIoSpace      = [uint32](ConvertTo-SimNumber $v.lowMemoryMappedIoSpace)
        HighMemoryMappedIoSpace     = [uint64](ConvertTo-SimNumber $v.highMemoryMappedIoSpace)
        DynamicMemoryEnabled        = [bool]$v.dynamicMemoryEnabled
        MemoryStartup               = [int64](ConvertTo-SimNumber $v.memoryStartup)
        MemoryMinimum               = [int64](ConvertTo-SimNumber $v.memoryMinimum)
        CheckpointType              = $null
        AutomaticCheckpointsEnabled = [bool]$v.automaticCheckpointsEnabled
        # Not a cmdlet parameter anywhere; public scripts read it as a Boolean (reference/object-shapes.json).
        IsClustered                 = [bool]$v.isClustered
        ComputerName                = [string]$State.host.computerName
        IsDeleted                   = $false
    }
    if ($v.checkpointType) { $o.CheckpointType = [Microsoft.HyperV.PowerShell.CheckpointType][string]$v.checkpointType }
    # Newer builds report where the high MMIO gap starts; Microsoft's reference does not list the property
    # yet (guess, labelled): a profile VM with highMemoryMappedIoBase stands for such a host.
    if ($null -ne $v.PSObject.Properties['highMemoryMappedIoBase'] -and $null -ne $v.highMemoryMappedIoBase) {
        $o | Add-Member -NotePropertyName 'HighMemoryMappedIoBaseAddress' -NotePropertyValue ([uint64](ConvertTo-SimNumber $v.highMemoryMappedIoBase))
    }
    # Settings the product does not model keep what Set-VM was given (Notes, ProcessorCount, ...).
    if ($null -ne $v.PSObject.Properties['settings'] -and $null -ne $v.settings) {
        foreach ($p in $v.settings.PSObject.Properties) { $o | Add-Member -NotePropertyName $p.Name -NotePropertyValue $p.Value -Force }
    }
    return $o
}

function Resolve-SimVms($State, [string]$Activity, [string]$ClassName, $Names, $VMs, [switch]$Wildcard) {
    # The VMs a call names: by name (-Name / -VMName; wildcards only where the reference says so), or
    # by the VirtualMachine objects piped in (matched by Id, so a renamed or deleted VM is noticed).
    $out = New-Object System.Collections.Generic.List[object]
    if ($null -ne $VMs) {
        foreach ($o in @($VMs)) {
            $hit = $null
            foreach ($v in @($State.vms)) { if ([string]$v.id -eq [string]$o.Id) { $hit = $v } }
            if ($null -eq $hit) { throw (New-SimError -Message ('Hyper-V was unable to find a virtual machine with ID ' + $o.Id + '.') -ErrorId ('InvalidParameter,' + $ClassName) -Category 'ObjectNotFound' -Activity $Activity -Target $o) }
            $out.Add($hit)
        }
        return $out.ToArray()
    }
    foreach ($n in @($Names)) {
        if ($null -eq $n) { continue }
        $matched = $false
        foreach ($v in @($State.vms)) {
            $fits = ($v.name -eq $n)
            if ($Wildcard -and [Management.Automation.WildcardPattern]::ContainsWildcardCharacters($n)) { $fits = ($v.name -like $n) }
            if ($fits) { $out.Add($v); $matched = $true }
        }
        if (-not $matched -and -not ($Wildcard -and [Management.Automation.WildcardPattern]::ContainsWildcardCharacters($n))) {
            throw (New-SimError -Message ('Hyper-V was unable to find a virtual machine with name "' + $n + '".') -ErrorId ('InvalidParameter,' + $ClassName) -Category 'ObjectNotFound' -Activity $Activity -Target $n)
        }
    }
    return $out.ToArray()
}

function Get-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name', Position = 0, ValueFromPipeline = $true)][Alias('VMName')][string[]]$Name,
        [Parameter(ParameterSetName = 'Id', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Guid]$Id,
        [Parameter(ParameterSetName = 'ClusterObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][psobject]$ClusterObject,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'Id')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'Id')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'Name')][Parameter(ParameterSetName = 'Id')][pscredential[]]$Credential
    )
    process {
        try {
            $cls = 'Microsoft.HyperV.PowerShell.Commands.GetVM'
            if ($PSCmdlet.ParameterSetName -eq 'ClusterObject') { throw (New-SimError -Message 'The simulated host is not in a failover cluster.' -ErrorId 'NotSimulated' -Category 'NotImplemented' -Activity 'Get-VM') }
            Assert-SimLocalTarget $PSBoundParameters 'Get-VM'
            $state = Enter-SimCall -Cmdlet 'Get-VM' -Subjects @($Name)
            if ($PSCmdlet.ParameterSetName -eq 'Id' -and $PSBoundParameters.ContainsKey('Id')) {
                $hit = $null
                foreach ($v in @($state.vms)) { if ([string]$v.id -eq [string]$Id) { $hit = $v } }
                if ($null -eq $hit) { throw (New-SimError -Message ('Hyper-V was unable to find a virtual machine with ID ' + $Id + '.') -ErrorId ('InvalidParameter,' + $cls) -Category 'ObjectNotFound' -Activity 'Get-VM' -Target $Id) }
                New-SimVmObject $hit $state
            } elseif ($Name) {
                foreach ($v in (Resolve-SimVms $state 'Get-VM' $cls $Name $null -Wildcard)) { New-SimVmObject $v $state }
            } else {
                foreach ($v in @($state.vms)) { New-SimVmObject $v $state }
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
    }
}

function Assert-SimVmOff($v, [string]$Activity, [string]$ClassName, [string]$What) {
    if ($v.state -ne 'Off') {
        throw (New-SimError -Message ($What + ' failed for virtual machine ''' + $v.name + '''. The operation cannot be performed while the virtual machine is in its current state. (Virtual machine ID ' + $v.id + ')') -ErrorId ('InvalidState,' + $ClassName) -Category 'InvalidOperation' -Activity $Activity -Target $v.name)
    }
}

function Set-SimVmSettings($Cmdlet, $Bound, [string]$Activity) {
    # Set-VM and Set-VMMemory share this: the settings of each VM named or piped, under the lock.
    $cls = 'Microsoft.HyperV.PowerShell.Commands.SetVM'
    $names = $Bound['Name']
    if ($Bound.ContainsKey('VMName')) { $names = $Bound['VMName'] }
    $targets = @()
    try {
        Assert-SimLocalTarget $Bound $Activity
        $targets = @(Resolve-SimVms (Read-SimState) $Activity $cls $names $Bound['VM'])
    } catch { Write-SimCmdletError $Cmdlet $_ -Compiled; return }
    foreach ($t in $targets) {
        if (-not $Cmdlet.ShouldProcess($t.name, $Activity)) { continue }
        try {
            Use-SimLock {
                $state = Enter-SimCall -Cmdlet $Activity -Subjects @($t.name)
                Assert-SimElevated $state $Activity $cls
                $v = @(Resolve-SimVms $state $Activity $cls $null @([pscustomobject]@{ Id = $t.id }))[0]
                # Documented as needing the VM off (Microsoft Learn, "Deploy devices by using Discrete Device Assignment", VM preparation): MMIO, cache types, memory.
                # Guess (labelled): ProcessorCount too, as in Hyper-V Manager.
                $needsOff = @('GuestControlledCacheTypes', 'LowMemoryMappedIoSpace', 'HighMemoryMappedIoSpace', 'StaticMemory', 'DynamicMemory', 'MemoryMinimumBytes', 'DynamicMemoryEnabled', 'MinimumBytes', 'ProcessorCount')
                foreach ($k in $needsOff) { if ($Bound.ContainsKey($k)) { Assert-SimVmOff $v $Activity $cls 'Modifying the virtual machine configuration'; break } }
                if ($Bound.ContainsKey('LowMemoryMappedIoSpace')) {
                    $low = [UInt64]$Bound['LowMemoryMappedIoSpace']
                    if ($low -lt 128MB -or $low -gt 3584MB) {
                        throw (New-SimError -Message ('The low MMIO gap size ' + $low + ' is out of range. Valid values are 128 MB to 3584 MB.') -ErrorId ('InvalidParameter,' + $cls) -Category 'InvalidArgument' -Activity $Activity -Target $v.name)
                    }
                }
                $newDynamic = [bool]$v.dynamicMemoryEnabled
                if ($Bound['StaticMemory']) { $newDynamic = $false }
                if ($Bound['DynamicMemory']) { $newDynamic = $true }
                if ($Bound.ContainsKey('DynamicMemoryEnabled')) { $newDynamic = [bool]$Bound['DynamicMemoryEnabled'] }
                $newStartup = ConvertTo-SimNumber $v.memoryStartup
                $newMinimum = ConvertTo-SimNumber $v.memoryMinimum
                foreach ($k in @('MemoryStartupBytes', 'StartupBytes')) { if ($Bound.ContainsKey($k)) { $newStartup = [UInt64]$Bound[$k] } }
                foreach ($k in @('MemoryMinimumBytes', 'MinimumBytes')) { if ($Bound.ContainsKey($k)) { $newMinimum = [UInt64]$Bound[$k] } }
                $memoryTouched = $Bound['DynamicMemory'] -or $Bound['DynamicMemoryEnabled'] -or $Bound.ContainsKey('MemoryStartupBytes') -or $Bound.ContainsKey('MemoryMinimumBytes') -or $Bound.ContainsKey('StartupBytes') -or $Bound.ContainsKey('MinimumBytes')
                if ($newDynamic -and @($v.assignedDevices).Count -gt 0 -and $newStartup -ne $newMinimum -and $memoryTouched) {
                    throw (New-SimError -Message 'When dynamic memory is enabled and a device or GPU is assigned, startup memory size and minimum memory size must be equal.' -ErrorId ('InvalidParameter,' + $cls) -Category 'InvalidArgument' -Activity $Activity -Target $v.name)
                }
                if ($Bound.ContainsKey('AutomaticStopAction')) { $v.automaticStopAction = [string]$Bound['AutomaticStopAction'] }
                if ($Bound.ContainsKey('GuestControlledCacheTypes')) { $v.guestControlledCacheTypes = [bool]$Bound['GuestControlledCacheTypes'] }
                if ($Bound.ContainsKey('LowMemoryMappedIoSpace')) { $v.lowMemoryMappedIoSpace = [UInt64]$Bound['LowMemoryMappedIoSpace'] }
                if ($Bound.ContainsKey('HighMemoryMappedIoSpace')) { $v.highMemoryMappedIoSpace = [UInt64]$Bound['HighMemoryMappedIoSpace'] }
                if ($Bound.ContainsKey('CheckpointType')) { Set-SimProp $v 'checkpointType' ([string]$Bound['CheckpointType']) }
                if ($Bound.ContainsKey('AutomaticCheckpointsEnabled')) { Set-SimProp $v 'automaticCheckpointsEnabled' ([bool]$Bound['AutomaticCheckpointsEnabled']) }
                $v.dynamicMemoryEnabled = $newDynamic
                $v.memoryStartup = $newStartup
                $v.memoryMinimum = $newMinimum
                # Documented settings the product does not model are kept as given, under "settings".
                $modelled = @('Name', 'VMName', 'VM', 'VMMemory', 'CimSession', 'ComputerName', 'Credential', 'Passthru', 'WhatIf', 'Confirm', 'AutomaticStopAction', 'GuestControlledCacheTypes', 'LowMemoryMappedIoSpace', 'HighMemoryMappedIoSpace', 'StaticMemory', 'DynamicMemory', 'DynamicMemoryEnabled', 'MemoryStartupBytes', 'StartupBytes', 'MemoryMinimumBytes', 'MinimumBytes', 'CheckpointType', 'AutomaticCheckpointsEnabled', 'NewVMName') + @([System.Management.Automation.PSCmdlet]::CommonParameters)
                foreach ($k in @($Bound.Keys)) {
                    if ($modelled -contains $k) { continue }
                    if ($null -eq $v.PSObject.Properties['settings'] -or $null -eq $v.settings) { Set-SimProp $v 'settings' ([pscustomobject]@{}) }
                    $value = $Bound[$k]
                    if ($value -is [System.Management.Automation.SwitchParameter]) { $value = [bool]$value } elseif ($value -is [enum]) { $value = [string]$value }
                    Set-SimProp $v.settings $k $value
                }
                if ($Bound.ContainsKey('NewVMName')) { $v.name = [string]$Bound['NewVMName'] }
                Write-SimState $state
                if ($Bound['Passthru']) { New-SimVmObject $v $state }
            }
        } catch { Write-SimCmdletError $Cmdlet $_ -Compiled }
    }
}

function Set-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('VMName')][string[]]$Name,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][object[]]$VM,
        [Parameter(ParameterSetName = 'Name')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'Name')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'Name')][pscredential[]]$Credential,
        [bool]$GuestControlledCacheTypes,
        [uint32]$LowMemoryMappedIoSpace,
        [uint64]$HighMemoryMappedIoSpace,
        [int64]$ProcessorCount,
        [switch]$DynamicMemory,
        [switch]$StaticMemory,
        [int64]$MemoryMinimumBytes,
        [int64]$MemoryMaximumBytes,
        [int64]$MemoryStartupBytes,
        [Microsoft.HyperV.PowerShell.StartAction]$AutomaticStartAction,
        [Microsoft.HyperV.PowerShell.StopAction]$AutomaticStopAction,
        [int]$AutomaticStartDelay,
        [Microsoft.HyperV.PowerShell.CriticalErrorAction]$AutomaticCriticalErrorAction,
        [int]$AutomaticCriticalErrorActionTimeout,
        [bool]$AutomaticCheckpointsEnabled,
        [Microsoft.HyperV.PowerShell.OnOffState]$LockOnDisconnect,
        [string]$Notes,
        [string]$NewVMName,
        [string]$SnapshotFileLocation,
        [string]$SmartPagingFilePath,
        [Microsoft.HyperV.PowerShell.CheckpointType]$CheckpointType,
        [switch]$Passthru,
        [switch]$AllowUnverifiedPaths
    )
    process { Set-SimVmSettings $PSCmdlet $PSBoundParameters 'Set-VM' }
}

function Set-VMMemory {
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][object[]]$VM,
        [Parameter(ParameterSetName = 'ResourceObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VMMemory')][object[]]$VMMemory,
        [Parameter(ParameterSetName = 'VMName')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'VMName')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'VMName')][pscredential[]]$Credential,
        [int]$Buffer,
        [bool]$DynamicMemoryEnabled,
        [int64]$MaximumBytes,
        [int64]$StartupBytes,
        [int64]$MinimumBytes,
        [int]$Priority,
        [int64]$MaximumAmountPerNumaNodeBytes,
        [string]$ResourcePoolName,
        [switch]$Passthru
    )
    process {
        $bound = @{}
        foreach ($k in @($PSBoundParameters.Keys)) { $bound[$k] = $PSBoundParameters[$k] }
        # A VMMemory object names its VM (VMName / VMId), as on a host.
        if ($bound.ContainsKey('VMMemory')) { $bound['VM'] = @($VMMemory | ForEach-Object { [pscustomobject]@{ Id = $_.VMId } }); $bound.Remove('VMMemory') }
        Set-SimVmSettings $PSCmdlet $bound 'Set-VMMemory'
    }
}

function Invoke-SimVmPower($Cmdlet, $Bound, [string]$Activity, [scriptblock]$Change) {
    $cls = 'Microsoft.HyperV.PowerShell.Commands.' + $Activity.Replace('-', '')
    if ($Bound['AsJob']) { return (Start-SimJob $Activity $Bound) }
    $targets = @()
    try {
        Assert-SimLocalTarget $Bound $Activity
        $targets = @(Resolve-SimVms (Read-SimState) $Activity $cls $Bound['Name'] $Bound['VM'])
    } catch { Write-SimCmdletError $Cmdlet $_ -Compiled; return }
    foreach ($t in $targets) {
        if (-not $Cmdlet.ShouldProcess($t.name, $Activity)) { continue }
        try {
            Use-SimLock {
                $state = Enter-SimCall -Cmdlet $Activity -Subjects @($t.name)
                Assert-SimElevated $state $Activity $cls
                $v = @(Resolve-SimVms $state $Activity $cls $null @([pscustomobject]@{ Id = $t.id }))[0]
                & $Change $state $v $cls
                Write-SimState $state
                if ($Bound['Passthru']) { New-SimVmObject $v $state }
            }
        } catch { Write-SimCmdletError $Cmdlet $_ -Compiled }
    }
}

function Start-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('VMName')][string[]]$Name,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][object[]]$VM,
        [Parameter(ParameterSetName = 'Name')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'Name')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'Name')][pscredential[]]$Credential,
        [switch]$AsJob,
        [switch]$Passthru
    )
    process {
        Invoke-SimVmPower $PSCmdlet $PSBoundParameters 'Start-VM' {
            param($state, $v, $cls)
            if ($v.state -eq 'Running') { return }
            $paths = @($v.assignedDevices | Where-Object { $_ })
            if ($paths.Count -gt 0) {
                # Each refusal is also written to the Hyper-V-Worker-Admin log (Add-SimWorkerEvent), as a
                # real host's worker process records a failed power-on, so Get-WinEvent finds it later.
                $port = '''' + $v.name + ''' failed to start. Virtual Pci Express Port (Instance ID ' + $v.id + '): Failed to Power on with Error '
                if ($state.host.productType -eq 'WinNT' -or -not $state.host.iommuPolicyEnabled) {
                    Stop-SimStart $state $v $cls ($port + '''A hypervisor feature is not available to the user''. (0xC035001E)') 'OperationFailed' 'NotSpecified' 0xC035001E
                }
                # The whole high MMIO gap, base + size, must end below 2^bits. Guess (labelled in
                # reference/README.md, shared/mmio.ts DEFAULT_HIGH_MMIO_BASE): a VM whose base the host
                # does not report starts its gap at 0xFE0000000 (63.5 GiB), as public reports show.
                $limit = [Math]::Pow(2, [int]$state.host.physicalAddressBits)
                $base = [double]0xFE0000000
                if ($null -ne $v.PSObject.Properties['highMemoryMappedIoBase'] -and $null -ne $v.highMemoryMappedIoBase) { $base = [double](ConvertTo-SimNumber $v.highMemoryMappedIoBase) }
                if ($base + [double](ConvertTo-SimNumber $v.highMemoryMappedIoSpace) -gt $limit) {
                    Stop-SimStart $state $v $cls ('The configuration of the virtual machine ''' + $v.name + ''' specifies an upper MMIO region that is above the supported physical address range.') 'InvalidParameter' 'InvalidArgument' $null
                }
                $seen = @{}
                $low = [double]0
                $high = [double]0
                foreach ($p in $paths) {
                    $k = ([string]$p).ToUpperInvariant()
                    $dev = Find-SimDeviceByPath $state $p
                    if ($seen.ContainsKey($k) -or $null -eq $dev) {
                        Stop-SimStart $state $v $cls ($port + '''Element not found.'' (0x80070490)') 'OperationFailed' 'NotSpecified' 0x80070490
                    }
                    $seen[$k] = $true
                    foreach ($r in @($dev.memoryRanges)) {
                        $size = [double](ConvertTo-SimNumber $r.end) - [double](ConvertTo-SimNumber $r.start) + 1
                        if ([double](ConvertTo-SimNumber $r.end) -lt [double]4294967296) { $low += $size } else { $high += $size }
                    }
                }
                # The devices' ranges must fit the VM's MMIO gaps (Learn, "Plan for deploying devices by
                # using DDA": MMIO space). Guess (labelled): the check is the ranges alone against each gap,
                # and the refusal is ERROR_NO_SYSTEM_RESOURCES on the port, as admins report it.
                if ($low -gt [double](ConvertTo-SimNumber $v.lowMemoryMappedIoSpace) -or $high -gt [double](ConvertTo-SimNumber $v.highMemoryMappedIoSpace)) {
                    Stop-SimStart $state $v $cls ($port + '''Insufficient system resources exist to complete the requested service.'' (0x800705AA)') 'OperationFailed' 'NotSpecified' 0x800705AA
                }
                if ($v.dynamicMemoryEnabled -and (ConvertTo-SimNumber $v.memoryStartup) -ne (ConvertTo-SimNumber $v.memoryMinimum)) {
                    throw (New-SimError -Message 'When dynamic memory is enabled and a device or GPU is assigned, startup memory size and minimum memory size must be equal.' -ErrorId ('InvalidParameter,' + $cls) -Category 'InvalidArgument' -Activity 'Start-VM' -Target $v.name)
                }
            }
            $v.state = 'Running'
            Add-SimWorkerEvent $state $v 18500 ('''' + $v.name + ''' started successfully. (Virtual machine ID ' + $v.id + ')') $null 4
        }
    }
}

# ---------------------------------------------------------------------------------------------------
# The Microsoft-Windows-Hyper-V-Worker-Admin event log (issue 18). Its records carry the VM's name and
# id and, for a device that failed to power on, the HRESULT as event data. A failed start writes the
# cause's event and then a "'<VM>' failed to start. (Virtual machine ID ...)" line of its own (Microsoft's
# KB 2249906 shows the two lines); a start that works writes "'<VM>' started successfully". Guesses
# (labelled in reference/README.md): the ids (12010 a device's power-on failure, 3040 a configuration
# refusal, 12030 the failed-start line, 18500 a start that worked), the order of the data (name, id,
# then the code), and that the upper-MMIO refusal carries no code. DDA Studio reads no id but 18500 and no
# order: it finds the VM's id and a failure code among the values.
# ---------------------------------------------------------------------------------------------------

function Add-SimWorkerEvent($State, $v, [int]$Id, [string]$Message, $Code, [int]$Level = 2) {
    $data = @([string]$v.name, [string]$v.id)
    # PowerShell reads a hex literal such as 0x80070490 as a negative Int32: the code travels as that Int32.
    if ($null -ne $Code) { $data += [int32]$Code }
    $events = @($State.events) + @([pscustomobject]@{ id = $Id; level = $Level; timeCreated = [DateTime]::UtcNow.ToString('o'); message = (Get-SimLocalizedText $Message); data = $data })
    Set-SimProp $State 'events' @($events | Microsoft.PowerShell.Utility\Select-Object -Last 500)
}

function Stop-SimStart($State, $v, [string]$cls, [string]$Message, [string]$Id, [string]$Category, $Code) {
    # Records the refusal, keeps it (the throw below leaves the caller without writing), then fails.
    $eventId = 3040
    if ($null -ne $Code) { $eventId = 12010 }
    Add-SimWorkerEvent $State $v $eventId $Message $Code
    Add-SimWorkerEvent $State $v 12030 ('''' + $v.name + ''' failed to start. (Virtual machine ID ' + $v.id + ')') $null
    Write-SimState $State
    throw (New-SimError -Message $Message -ErrorId ($Id + ',' + $cls) -Category $Category -Activity 'Start-VM' -Target $v.name)
}

# An event query's XPath (-FilterXPath), as far as the simulated log needs: *[System[<condition>]], the
# condition Level=n and EventID=n joined by 'and' / 'or', in parentheses or not (the subset of XPath 1.0
# Microsoft Learn's "Event Queries and Event XML" describes). Returned as the hashtable queries' form: a
# list of queries, an event matching any; anything else is NotSimulated, never read loosely.
function ConvertFrom-SimEventXPath([string]$XPath) {
    $notModelled = { throw (New-SimError -Message ('The simulated host does not model the event query ' + $XPath + '.') -ErrorId 'NotSimulated' -Category 'NotImplemented' -Activity 'Get-WinEvent') }
    $m = [regex]::Match($XPath, '^\s*\*\s*\[\s*System\s*\[(.*)\]\s*\]\s*$')
    if (-not $m.Success) { & $notModelled }
    $tokens = @([regex]::Matches($m.Groups[1].Value, '\(|\)|=|[A-Za-z]+|\d+|\S') | ForEach-Object { $_.Value })
    # Disjunctive form: a list of conjunctions, each a hashtable { levels; ids } as the hashtable queries'.
    # Each reader returns a List (one object, never unrolled: callers assign it, never @() it). The readers
    # share the position in $cursor, a local of this call they see by scope.
    $cursor = @{ at = 0 }
    function Read-Or {
        $out = New-Object System.Collections.Generic.List[object]
        $first = Read-And
        $out.AddRange($first)
        while ($cursor.at -lt $tokens.Count -and $tokens[$cursor.at] -eq 'or') {
            $cursor.at++
            $next = Read-And
            $out.AddRange($next)
        }
        return , $out
    }
    function Read-And {
        $out = Read-Factor
        while ($cursor.at -lt $tokens.Count -and $tokens[$cursor.at] -eq 'and') {
            $cursor.at++
            $right = Read-Factor
            $joined = New-Object System.Collections.Generic.List[object]
            foreach ($l in $out) { foreach ($r in $right) { $joined.Add((Join-SimXPathTerms $l $r)) } }
            $out = $joined
        }
        return , $out
    }
    function Read-Factor {
        if ($cursor.at -ge $tokens.Count) { & $notModelled }
        $t = $tokens[$cursor.at]
        if ($t -eq '(') {
            $cursor.at++
            $inner = Read-Or
            if ($cursor.at -ge $tokens.Count -or $tokens[$cursor.at] -ne ')') { & $notModelled }
            $cursor.at++
            return , $inner
        }
        $out = New-Object System.Collections.Generic.List[object]
        if (($t -ceq 'Level' -or $t -ceq 'EventID') -and $cursor.at + 2 -lt $tokens.Count -and $tokens[$cursor.at + 1] -eq '=' -and $tokens[$cursor.at + 2] -match '^\d+$') {
            $n = [int]$tokens[$cursor.at + 2]
            $cursor.at += 3
            if ($t -ceq 'Level') { $out.Add(@{ levels = @($n); ids = $null }) } else { $out.Add(@{ levels = $null; ids = @($n) }) }
            return , $out
        }
        & $notModelled
    }
    $queries = Read-Or
    if ($cursor.at -ne $tokens.Count) { & $notModelled }
    return , $queries
}
# Both conditions of an 'and': a value each key must equal (two different values of one key match nothing).
function Join-SimXPathTerms($a, $b) {
    $q = @{ levels = $a.levels; ids = $a.ids }
    foreach ($k in @('levels', 'ids')) {
        if ($null -eq $b[$k]) { continue }
        if ($null -eq $q[$k]) { $q[$k] = $b[$k] } else { $q[$k] = @($q[$k] | Where-Object { $b[$k] -contains $_ }) }
    }
    return $q
}

function Get-WinEvent {
    # Parameters as Microsoft's reference (PowerShell-Docs 5.1 / 7.6, reference/cmdlets.json). Only the
    # Hyper-V-Worker-Admin log is simulated, read by -FilterHashtable (LogName, Level, Id) or -LogName (with
    # -FilterXPath: ConvertFrom-SimEventXPath).
    [CmdletBinding(DefaultParameterSetName = 'GetLogSet')]
    param(
        [Parameter(ParameterSetName = 'ListLogSet', Mandatory = $true, Position = 0)][AllowEmptyCollection()][string[]]$ListLog,
        [Parameter(ParameterSetName = 'GetLogSet', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]]$LogName,
        [Parameter(ParameterSetName = 'ListProviderSet', Mandatory = $true, Position = 0)][AllowEmptyCollection()][string[]]$ListProvider,
        [Parameter(ParameterSetName = 'GetProviderSet', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][string[]]$ProviderName,
        [Parameter(ParameterSetName = 'FileSet', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('PSPath')][string[]]$Path,
        [Parameter(ParameterSetName = 'FileSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'HashQuerySet')][Parameter(ParameterSetName = 'XmlQuerySet')][ValidateRange(1, 9223372036854775807)][long]$MaxEvents,
        [Parameter(ParameterSetName = 'ListProviderSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'ListLogSet')][Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'HashQuerySet')][Parameter(ParameterSetName = 'XmlQuerySet')][Alias('Cn')][ValidateNotNullOrEmpty()][string]$ComputerName,
        [Parameter(ParameterSetName = 'ListProviderSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'ListLogSet')][Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'HashQuerySet')][Parameter(ParameterSetName = 'XmlQuerySet')][Parameter(ParameterSetName = 'FileSet')][pscredential]$Credential,
        [Parameter(ParameterSetName = 'FileSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'GetLogSet')][ValidateNotNull()][string]$FilterXPath,
        [Parameter(ParameterSetName = 'XmlQuerySet', Mandatory = $true, Position = 0)][xml]$FilterXml,
        [Parameter(ParameterSetName = 'HashQuerySet', Mandatory = $true, Position = 0)][hashtable[]]$FilterHashtable,
        [Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'ListLogSet')][Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'HashQuerySet')][switch]$Force,
        [Parameter(ParameterSetName = 'FileSet')][Parameter(ParameterSetName = 'GetProviderSet')][Parameter(ParameterSetName = 'GetLogSet')][Parameter(ParameterSetName = 'HashQuerySet')][Parameter(ParameterSetName = 'XmlQuerySet')][switch]$Oldest
    )
    process {
        $cls = 'Microsoft.PowerShell.Commands.GetWinEventCommand'
        try {
            Assert-SimNotSimulatedSet $PSCmdlet @('ListLogSet', 'ListProviderSet', 'GetProviderSet', 'FileSet', 'XmlQuerySet') 'Get-WinEvent'
            Assert-SimLocalTarget $PSBoundParameters 'Get-WinEvent'
            $state = Enter-SimCall -Cmdlet 'Get-WinEvent' -Subjects @()
            # Each hashtable is a query of its own, its keys all met; an event matching any of them is
            # returned (Get-WinEvent's reference: -FilterHashtable takes an array of hash tables).
            $logs = @($LogName)
            $queries = @(@{ levels = $null; ids = $null })
            if ($PSBoundParameters.ContainsKey('FilterXPath')) { $queries = (ConvertFrom-SimEventXPath $FilterXPath).ToArray() }
            if ($PSCmdlet.ParameterSetName -eq 'HashQuerySet') {
                $logs = @()
                $queries = @(foreach ($h in $FilterHashtable) {
                        $q = @{ levels = $null; ids = $null }
                        foreach ($key in @($h.Keys)) {
                            switch ([string]$key) {
                                'LogName' { $logs += @($h[$key]) }
                                'Level' { $q.levels = @($h[$key] | ForEach-Object { [int]$_ }) }
                                'Id' { $q.ids = @($h[$key] | ForEach-Object { [int]$_ }) }
                                default { throw (New-SimError -Message ('The simulated host does not model the filter key ' + $key + '.') -ErrorId 'NotSimulated' -Category 'NotImplemented' -Activity 'Get-WinEvent') }
                            }
                        }
                        $q
                    })
            }
            $worker = 'Microsoft-Windows-Hyper-V-Worker-Admin'
            foreach ($l in $logs) {
                if ([string]$l -ne $worker) {
                    throw (New-SimError -Message ('There is not an event log on the localhost computer that matches "' + $l + '".') -ErrorId ('NoMatchingLogsFound,' + $cls) -Category 'ObjectNotFound' -Activity 'Get-WinEvent' -Target $l)
                }
            }
            $rows = @(foreach ($r in @($state.events)) {
                    if ($null -eq $r) { continue }
                    $hit = $false
                    foreach ($q in $queries) {
                        if (($null -eq $q.levels -or $q.levels -contains [int]$r.level) -and ($null -eq $q.ids -or $q.ids -contains [int]$r.id)) { $hit = $true }
                    }
                    if ($hit) { $r }
                })
            if (-not $Oldest) { [array]::Reverse($rows) }
            if ($PSBoundParameters.ContainsKey('MaxEvents')) { $rows = @($rows | Microsoft.PowerShell.Utility\Select-Object -First $MaxEvents) }
            if ($rows.Count -eq 0) {
                throw (New-SimError -Message 'No events were found that match the specified selection criteria.' -ErrorId ('NoMatchingEventsFound,' + $cls) -Category 'ObjectNotFound' -Activity 'Get-WinEvent')
            }
            foreach ($r in $rows) {
                $props = @(foreach ($x in @($r.data)) { [pscustomobject]@{ PSTypeName = 'System.Diagnostics.Eventing.Reader.EventProperty'; Value = $x } })
                $levelName = 'Error'
                if ([int]$r.level -ne 2) { $levelName = 'Information' }
                [pscustomobject]@{
                    PSTypeName = 'System.Diagnostics.Eventing.Reader.EventLogRecord'; Id = [int]$r.id; Level = [byte]$r.level; LevelDisplayName = $levelName
                    LogName = $worker; ProviderName = 'Microsoft-Windows-Hyper-V-Worker'; MachineName = [string]$state.host.computerName
                    TimeCreated = [datetime]::Parse([string]$r.timeCreated, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind).ToLocalTime()
                    Message = [string]$r.message; Properties = $props
                }
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
    }
}

function Stop-VM {
    [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Name', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('VMName')][string[]]$Name,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][object[]]$VM,
        [Parameter(ParameterSetName = 'Name')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'Name')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'Name')][pscredential[]]$Credential,
        [switch]$Save,
        [switch]$TurnOff,
        [switch]$Force,
        [switch]$AsJob,
        [switch]$Passthru
    )
    process {
        $save = [bool]$Save
        $turnOff = [bool]$TurnOff
        Invoke-SimVmPower $PSCmdlet $PSBoundParameters 'Stop-VM' {
            param($state, $v, $cls)
            if ($v.state -eq 'Off') { return }
            if ($save) {
                if (@($v.assignedDevices).Count -gt 0) { throw (New-SimError -Message ('Saving the virtual machine ''' + $v.name + ''' failed: a virtual machine with an assigned device cannot be saved.') -ErrorId ('OperationFailed,' + $cls) -Category 'InvalidOperation' -Activity 'Stop-VM') }
                $v.state = 'Saved'
            } elseif ($turnOff) {
                # Guess (labelled): turning off a saved VM discards its saved state.
                $v.state = 'Off'
            } else {
                # A guest that ignores the shutdown request (no integration services, hung) keeps
                # running. Guess (labelled): how a refused graceful shutdown is reported.
                if ($v.guestIgnoresShutdown -or $v.state -ne 'Running') {
                    throw (New-SimError -Message ('The virtual machine ''' + $v.name + ''' did not shut down: the guest operating system did not respond to the shutdown request.') -ErrorId ('ShutdownFailed,' + $cls) -Category 'OperationTimeout' -Activity 'Stop-VM' -Target $v.name)
                }
                $v.state = 'Off'
            }
        }
    }
}

function Remove-VMSavedState {
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][object[]]$VM,
        [Parameter(ParameterSetName = 'VMSnapshot', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('VMCheckpoint')][PSTypeName('Microsoft.HyperV.PowerShell.VMSnapshot')][object]$VMSnapshot,
        [Parameter(ParameterSetName = 'VMName')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'VMName')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'VMName')][pscredential[]]$Credential
    )
    process {
        if ($PSCmdlet.ParameterSetName -eq 'VMSnapshot') {
            Write-SimCmdletError $PSCmdlet (New-SimError -Message 'The simulated host has no checkpoints.' -ErrorId 'NotSimulated' -Category 'NotImplemented' -Activity 'Remove-VMSavedState') -Compiled
            return
        }
        $bound = @{}
        foreach ($k in @($PSBoundParameters.Keys)) { $bound[$k] = $PSBoundParameters[$k] }
        if ($bound.ContainsKey('VMName')) { $bound['Name'] = $bound['VMName']; $bound.Remove('VMName') }
        Invoke-SimVmPower $PSCmdlet $bound 'Remove-VMSavedState' {
            param($state, $v, $cls)
            if ($v.state -ne 'Saved') {
                throw (New-SimError -Message ('The virtual machine ''' + $v.name + ''' is not in the saved state.') -ErrorId ('InvalidState,' + $cls) -Category 'InvalidOperation' -Activity 'Remove-VMSavedState' -Target $v.name)
            }
            $v.state = 'Off'
        }
    }
}

# ---------------------------------------------------------------------------------------------------
# Hyper-V: assignable devices
# ---------------------------------------------------------------------------------------------------

function Find-SimDeviceByPathOrId($State, [string]$LocationPath, [string]$InstancePath) {
    if ($LocationPath) { return (Find-SimDeviceByPath $State $LocationPath) }
    if ($InstancePath) { return (Find-SimDeviceById $State $InstancePath) }
    return $null
}

function Get-SimPoolOf($d) {
    # The default pool every dismounted device is in is "Primordial" (Get-VMHostAssignableDevice's
    # ResourcePoolName); Add-VMHostAssignableDevice -ResourcePoolName puts one in a named pool (2025 docs).
    if ($d.resourcePoolName) { return [string]$d.resourcePoolName }
    return 'Primordial'
}

function Get-SimPools($State) {
    # The PciExpress resource pools (New-VMResourcePool -ResourcePoolType PciExpress): the profile's
    # host.resourcePools plus every pool a device is in.
    $names = New-Object System.Collections.Generic.List[string]
    foreach ($n in @($State.host.resourcePools)) { if ($n -and -not $names.Contains([string]$n)) { $names.Add([string]$n) } }
    foreach ($d in @($State.devices)) { if ($d.resourcePoolName -and -not $names.Contains([string]$d.resourcePoolName)) { $names.Add([string]$d.resourcePoolName) } }
    $names.ToArray()
}

function New-SimHostAssignableDevice($d, $State) {
    [pscustomobject]@{ PSTypeName = 'Microsoft.HyperV.PowerShell.VMHostAssignableDevice'; InstanceID = (Get-SimTwinId $d.instanceId); LocationPath = [string]$d.locationPath; ResourcePoolName = (Get-SimPoolOf $d); ComputerName = [string]$State.host.computerName; IsDeleted = $false }
}

function Get-VMHostAssignableDevice {
    [CmdletBinding(PositionalBinding = $false)]
    param(
        [string]$InstancePath,
        [string]$LocationPath,
        [string[]]$ResourcePoolName,
        [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [string[]]$ComputerName,
        [pscredential[]]$Credential
    )
    try {
        Assert-SimLocalTarget $PSBoundParameters 'Get-VMHostAssignableDevice'
        $state = Enter-SimCall -Cmdlet 'Get-VMHostAssignableDevice' -Subjects @($LocationPath, $InstancePath)
        foreach ($d in @($state.devices)) {
            if (-not $d.dismounted) { continue }
            if ($LocationPath -and $d.locationPath -ne $LocationPath) { continue }
            if ($InstancePath -and (Get-SimTwinId $d.instanceId) -ne $InstancePath -and $d.instanceId -ne $InstancePath) { continue }
            if ($ResourcePoolName -and -not ($ResourcePoolName -contains (Get-SimPoolOf $d))) { continue }
            New-SimHostAssignableDevice $d $state
        }
    } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
}

function New-SimAssignedDevice($v, $State, [string]$Path, [int]$Index) {
    $dev = Find-SimDeviceByPath $State $Path
    # A stale entry (physical device gone): empty InstanceID. Guess (labelled): the simulator keeps
    # the recorded LocationPath; a real host may show it empty. The product copes with both.
    $iid = ''
    $name = 'PCI Express Device'
    if ($null -ne $dev) { $iid = Get-SimTwinId $dev.instanceId; $name = $dev.friendlyName }
    [pscustomobject]@{ PSTypeName = 'Microsoft.HyperV.PowerShell.VMAssignedDevice'; Name = $name; Id = ('Microsoft:' + $v.id + '\' + $Index); InstanceID = $iid; LocationPath = $Path; ResourcePoolName = 'Primordial'; VirtualFunction = [uint16]0; VMId = [Guid]$v.id; VMName = [string]$v.name; ComputerName = [string]$State.host.computerName; IsDeleted = $false }
}

function New-SimPoolAssignedDevice($v, $State, [string]$Pool, [int]$Index) {
    # An entry made with Add-VMAssignableDevice -ResourcePoolName: the VM gets a device of the pool.
    # Guess (labelled in reference/README.md): it names no device (InstanceID and LocationPath empty);
    # a real host may fill them in. The product never judges a pool entry by its path.
    [pscustomobject]@{ PSTypeName = 'Microsoft.HyperV.PowerShell.VMAssignedDevice'; Name = 'PCI Express Device'; Id = ('Microsoft:' + $v.id + '\' + $Index); InstanceID = ''; LocationPath = ''; ResourcePoolName = $Pool; VirtualFunction = [uint16]0; VMId = [Guid]$v.id; VMName = [string]$v.name; ComputerName = [string]$State.host.computerName; IsDeleted = $false }
}

function Get-VMAssignableDevice {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][object[]]$VM,
        [Parameter(ParameterSetName = 'VMName')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'VMName')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'VMName')][pscredential[]]$Credential,
        [string]$InstancePath,
        [string]$LocationPath
    )
    process {
        try {
            $cls = 'Microsoft.HyperV.PowerShell.Commands.GetVMAssignableDevice'
            Assert-SimLocalTarget $PSBoundParameters 'Get-VMAssignableDevice'
            $state = Enter-SimCall -Cmdlet 'Get-VMAssignableDevice' -Subjects @($VMName)
            foreach ($v in (Resolve-SimVms $state 'Get-VMAssignableDevice' $cls $VMName $VM)) {
                $i = 0
                foreach ($p in @($v.assignedDevices)) {
                    if (-not $p) { continue }
                    $o = New-SimAssignedDevice $v $state ([string]$p) $i
                    $i++
                    if ($LocationPath -and $o.LocationPath -ne $LocationPath) { continue }
                    if ($InstancePath -and $o.InstanceID -ne $InstancePath) { continue }
                    $o
                }
                foreach ($pool in @($v.poolAssignments)) {
                    if (-not $pool) { continue }
                    $o = New-SimPoolAssignedDevice $v $state ([string]$pool) $i
                    $i++
                    if ($LocationPath -or $InstancePath) { continue }
                    $o
                }
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
    }
}

function Invoke-SimDismount($State, [string]$LocationPath, [string]$InstancePath, [bool]$RequireAcsSupport, [bool]$RequireDeviceMitigations, [string]$Activity, [string]$ClassName) {
    # What vmms checks on a dismount, shared by Dismount-VMHostAssignableDevice and the WMI method
    # Msvm_AssignableDeviceService.DismountAssignableDevice, whose setting data names the two checks
    # (RequireAcsSupport, RequireDeviceMitigations) that the cmdlet's -Force drops together.
    # Guess (labelled): a refusal for missing ACS reads like the documented mitigation refusal.
    # $ClassName: the compiled cmdlet's class for its error ids; empty for the WMI method.
    $target = $LocationPath
    if (-not $target) { $target = $InstancePath }
    $suffix = ''
    if ($ClassName) { $suffix = ',' + $ClassName }
    $d = Find-SimDeviceByPathOrId $State $LocationPath $InstancePath
    if ($null -eq $d) {
        throw (New-SimError -Message ('The operation failed. The specified device ''' + $target + ''' was not found.') -ErrorId ('ObjectNotFound' + $suffix) -Category 'ObjectNotFound' -Activity $Activity -Target $target)
    }
    if ($d.dismounted) {
        throw (New-SimError -Message 'The operation failed. The device is already dismounted from the host.' -ErrorId ('InvalidOperation' + $suffix) -Category 'InvalidOperation' -Activity $Activity -Target $target)
    }
    if (-not $State.host.osPcieControl) {
        throw (New-SimError -Message 'The operation failed. The current configuration does not allow for OS control of the PCI Express bus. Please check your BIOS or UEFI settings.' -ErrorId ('InvalidOperation' + $suffix) -Category 'InvalidOperation' -Activity $Activity -Target $target)
    }
    # Guess (labelled): whether a host enforces disable-before-dismount is a profile switch.
    if ($State.host.requireDisableBeforeDismount -and $d.enabled) {
        throw (New-SimError -Message 'The operation failed. The device must be disabled before it can be dismounted. Disable it with Disable-PnpDevice and try again.' -ErrorId ('InvalidState' + $suffix) -Category 'InvalidOperation' -Activity $Activity -Target $target)
    }
    if (($RequireDeviceMitigations -and -not $d.hasMitigationDriver) -or ($RequireAcsSupport -and $d.acsUpHierarchy -eq 0)) {
        throw (New-SimError -Message 'The operation failed. The manufacturer of this device has not supplied any directives for securing this device while exposing it to a virtual machine. The device should only be exposed to trusted virtual machines. This device is not supported when passed through to a virtual machine.' -ErrorId ('InvalidOperation' + $suffix) -Category 'InvalidOperation' -Activity $Activity -Target $target)
    }
    Set-SimProp $d 'dismounted' $true
    $d.enabled = $false
    Write-SimState $State
    return $d
}

function Dismount-VMHostAssignableDevice {
    [CmdletBinding(SupportsShouldProcess = $true, PositionalBinding = $false)]
    param(
        [string]$InstancePath,
        [string]$LocationPath,
        [switch]$Force,
        [switch]$Passthru,
        [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [string[]]$ComputerName,
        [pscredential[]]$Credential
    )
    $target = $LocationPath
    if (-not $target) { $target = $InstancePath }
    if (-not $PSCmdlet.ShouldProcess($target, 'Dismount-VMHostAssignableDevice')) { return }
    try {
        Assert-SimLocalTarget $PSBoundParameters 'Dismount-VMHostAssignableDevice'
        Use-SimLock {
            $state = Enter-SimCall -Cmdlet 'Dismount-VMHostAssignableDevice' -Subjects @($LocationPath, $InstancePath)
            $cls = 'Microsoft.HyperV.PowerShell.Commands.DismountVMHostAssignableDevice'
            Assert-SimElevated $state 'Dismount-VMHostAssignableDevice' $cls
            # -Force skips exactly the two checks: ACS on the path and the vendor's mitigation driver.
            $d = Invoke-SimDismount $state $LocationPath $InstancePath (-not $Force) (-not $Force) 'Dismount-VMHostAssignableDevice' $cls
            if ($Passthru) { New-SimHostAssignableDevice $d $state }
        }
    } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
}

function Mount-VMHostAssignableDevice {
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'Path')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'Path')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'Path')][pscredential[]]$Credential,
        [Parameter(ParameterSetName = 'Path')][string]$InstancePath,
        [Parameter(ParameterSetName = 'Path')][string]$LocationPath,
        [Parameter(ParameterSetName = 'Object', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('VMHostAssignableDevice')][PSTypeName('Microsoft.HyperV.PowerShell.VMHostAssignableDevice')][object[]]$HostAssignableDevice,
        [switch]$Passthru
    )
    process {
        $items = @(@{ path = $LocationPath; id = $InstancePath })
        if ($PSCmdlet.ParameterSetName -eq 'Object') { $items = @($HostAssignableDevice | ForEach-Object { @{ path = [string]$_.LocationPath; id = [string]$_.InstanceID } }) }
        foreach ($item in $items) {
            $target = $item.path
            if (-not $target) { $target = $item.id }
            if (-not $PSCmdlet.ShouldProcess($target, 'Mount-VMHostAssignableDevice')) { continue }
            try {
                Assert-SimLocalTarget $PSBoundParameters 'Mount-VMHostAssignableDevice'
                Use-SimLock {
                    $state = Enter-SimCall -Cmdlet 'Mount-VMHostAssignableDevice' -Subjects @($item.path, $item.id)
                    $cls = 'Microsoft.HyperV.PowerShell.Commands.MountVMHostAssignableDevice'
                    Assert-SimElevated $state 'Mount-VMHostAssignableDevice' $cls
                    $d = Find-SimDeviceByPathOrId $state $item.path $item.id
                    if ($null -eq $d -or -not $d.dismounted) {
                        throw (New-SimError -Message ('The operation failed. No dismounted device was found at ''' + $target + '''.') -ErrorId ('ObjectNotFound,' + $cls) -Category 'ObjectNotFound' -Activity 'Mount-VMHostAssignableDevice' -Target $target)
                    }
                    $holders = @(Get-SimHolders $state $d.locationPath)
                    if ($holders.Count -gt 0) {
                        throw (New-SimError -Message ('The operation failed. The device is assigned to virtual machine ''' + $holders[0] + ''' and cannot be mounted to the host. Remove it from the virtual machine first.') -ErrorId ('InvalidState,' + $cls) -Category 'InvalidOperation' -Activity 'Mount-VMHostAssignableDevice' -Target $target)
                    }
                    # Guess (labelled): a mounted device comes back disabled (the PCI\ id is present
                    # again, still disabled). The product enables it in any case.
                    $d.dismounted = $false
                    $d.enabled = $false
                    Write-SimState $state
                    if ($Passthru) { New-SimHostAssignableDevice $d $state }
                }
            } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
        }
    }
}

function Add-VMAssignableDevice {
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][object[]]$VM,
        [Parameter(ParameterSetName = 'VMName')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'VMName')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'VMName')][pscredential[]]$Credential,
        [string]$InstancePath,
        [string]$LocationPath,
        [uint16]$VirtualFunction,
        [string]$ResourcePoolName,
        [switch]$Passthru
    )
    process {
        $cls = 'Microsoft.HyperV.PowerShell.Commands.AddVMAssignableDevice'
        $targets = @()
        try {
            Assert-SimLocalTarget $PSBoundParameters 'Add-VMAssignableDevice'
            if ($ResourcePoolName -and $ResourcePoolName -ne 'Primordial' -and -not ((Get-SimPools (Read-SimState)) -contains $ResourcePoolName)) { throw (New-SimError -Message ('The resource pool ''' + $ResourcePoolName + ''' was not found.') -ErrorId ('ObjectNotFound,' + $cls) -Category 'ObjectNotFound' -Activity 'Add-VMAssignableDevice' -Target $ResourcePoolName) }
            if ($VirtualFunction) { throw (New-SimError -Message 'The simulated host has no SR-IOV virtual functions.' -ErrorId 'NotSimulated' -Category 'NotImplemented' -Activity 'Add-VMAssignableDevice') }
            $targets = @(Resolve-SimVms (Read-SimState) 'Add-VMAssignableDevice' $cls $VMName $VM)
        } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled; return }
        foreach ($t in $targets) {
            if (-not $PSCmdlet.ShouldProcess($t.name, 'Add-VMAssignableDevice')) { continue }
            try {
                Use-SimLock {
                    $state = Enter-SimCall -Cmdlet 'Add-VMAssignableDevice' -Subjects @($t.name, $LocationPath, $InstancePath)
                    Assert-SimElevated $state 'Add-VMAssignableDevice' $cls
                    $v = @(Resolve-SimVms $state 'Add-VMAssignableDevice' $cls $null @([pscustomobject]@{ Id = $t.id }))[0]
                    # Guess (labelled): a profile switch says whether the VM must be off.
                    if ($state.host.requireVmOffForAssignment) { Assert-SimVmOff $v 'Add-VMAssignableDevice' $cls 'Adding a device' }
                    if ($ResourcePoolName -and $ResourcePoolName -ne 'Primordial') {
                        # Guess (labelled): an assignment through a pool names the pool only; the VM gets
                        # one of its devices when it starts (a path given with it is not modelled).
                        Set-SimProp $v 'poolAssignments' @(@($v.poolAssignments | Where-Object { $_ }) + @($ResourcePoolName))
                        Write-SimState $state
                        if ($Passthru) { New-SimPoolAssignedDevice $v $state $ResourcePoolName (@($v.assignedDevices).Count + @($v.poolAssignments).Count - 1) }
                        return
                    }
                    $d = Find-SimDeviceByPathOrId $state $LocationPath $InstancePath
                    if ($null -eq $d -or -not $d.dismounted) {
                        throw (New-SimError -Message ('The operation failed. The device ''' + $LocationPath + $InstancePath + ''' is not available for assignment: dismount it from the host with Dismount-VMHostAssignableDevice first.') -ErrorId ('InvalidParameter,' + $cls) -Category 'InvalidArgument' -Activity 'Add-VMAssignableDevice' -Target ($LocationPath + $InstancePath))
                    }
                    $others = @(Get-SimHolders $state $d.locationPath | Where-Object { $_ -ne $v.name })
                    if ($others.Count -gt 0) {
                        throw (New-SimError -Message ('The operation failed. The device is already assigned to virtual machine ''' + $others[0] + '''.') -ErrorId ('InvalidState,' + $cls) -Category 'ResourceUnavailable' -Activity 'Add-VMAssignableDevice' -Target $d.locationPath)
                    }
                    # The seed's trap: adding a device the VM already holds succeeds and leaves a duplicate entry.
                    $v.assignedDevices = @(@($v.assignedDevices) + @($d.locationPath))
                    Write-SimState $state
                    if ($Passthru) { New-SimAssignedDevice $v $state $d.locationPath (@($v.assignedDevices).Count - 1) }
                }
            } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
        }
    }
}

function Remove-VMAssignableDevice {
    # Two parameter sets only: VMName (no pipeline input) and Object (VMAssignedDevice[] by value).
    # There is no -VM: a VirtualMachine piped in binds to nothing and fails, as on a host.
    [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)][string[]]$VMName,
        [Parameter(ParameterSetName = 'Object', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VMAssignedDevice')][object[]]$VMAssignableDevice,
        [Parameter(ParameterSetName = 'VMName')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'VMName')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'VMName')][pscredential[]]$Credential,
        [Parameter(ParameterSetName = 'VMName')][string]$InstancePath,
        [Parameter(ParameterSetName = 'VMName')][string]$LocationPath,
        [switch]$Passthru
    )
    process {
        $cls = 'Microsoft.HyperV.PowerShell.Commands.RemoveVMAssignableDevice'
        # Each item: a VM (by id) and which entries: one entry's path, or every entry (no path given).
        $items = New-Object System.Collections.Generic.List[object]
        try {
            Assert-SimLocalTarget $PSBoundParameters 'Remove-VMAssignableDevice'
            if ($PSCmdlet.ParameterSetName -eq 'Object') {
                foreach ($o in @($VMAssignableDevice)) {
                    $pool = [string]$o.ResourcePoolName
                    if ($pool -eq 'Primordial') { $pool = '' }
                    $items.Add(@{ id = [string]$o.VMId; name = [string]$o.VMName; path = [string]$o.LocationPath; instance = [string]$o.InstanceID; one = $true; pool = $pool })
                }
            } else {
                foreach ($v in (Resolve-SimVms (Read-SimState) 'Remove-VMAssignableDevice' $cls $VMName $null)) { $items.Add(@{ id = [string]$v.id; name = [string]$v.name; path = $LocationPath; instance = $InstancePath; one = $false }) }
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled; return }
        foreach ($item in $items) {
            if (-not $PSCmdlet.ShouldProcess($item.name, 'Remove-VMAssignableDevice')) { continue }
            try {
                Use-SimLock {
                    $state = Enter-SimCall -Cmdlet 'Remove-VMAssignableDevice' -Subjects @($item.name, $item.path)
                    Assert-SimElevated $state 'Remove-VMAssignableDevice' $cls
                    $v = @(Resolve-SimVms $state 'Remove-VMAssignableDevice' $cls $null @([pscustomobject]@{ Id = $item.id }))[0]
                    Assert-SimVmOff $v 'Remove-VMAssignableDevice' $cls 'Removing a device'
                    $path = $item.path
                    if (-not $path -and $item.instance) {
                        $dev = Find-SimDeviceById $state $item.instance
                        if ($null -ne $dev) { $path = $dev.locationPath }
                    }
                    $before = @($v.assignedDevices | Where-Object { $_ })
                    $removed = @()
                    if ($item.pool) {
                        # A pool entry (its own object) removes one assignment through that pool.
                        $pools = New-Object System.Collections.Generic.List[object]
                        $gone = $false
                        foreach ($pn in @($v.poolAssignments | Where-Object { $_ })) { if (-not $gone -and [string]$pn -eq $item.pool) { $gone = $true } else { $pools.Add($pn) } }
                        if (-not $gone) {
                            throw (New-SimError -Message ('The operation failed. Virtual machine ''' + $v.name + ''' has no device assigned through resource pool ''' + $item.pool + '''.') -ErrorId ('ObjectNotFound,' + $cls) -Category 'ObjectNotFound' -Activity 'Remove-VMAssignableDevice' -Target $item.pool)
                        }
                        $v.poolAssignments = $pools.ToArray()
                        Write-SimState $state
                        if ($Passthru) { New-SimPoolAssignedDevice $v $state $item.pool 0 }
                        return
                    }
                    if ($path) {
                        $keep = New-Object System.Collections.Generic.List[object]
                        foreach ($p in $before) {
                            # An object removes its own entry (one); -VMName -LocationPath every entry with that path.
                            if (([string]$p).ToUpperInvariant() -eq $path.ToUpperInvariant() -and -not ($item.one -and $removed.Count -gt 0)) { $removed += $p } else { $keep.Add($p) }
                        }
                        if ($removed.Count -eq 0) {
                            throw (New-SimError -Message ('The operation failed. Virtual machine ''' + $v.name + ''' has no assigned device at ''' + $path + '''.') -ErrorId ('ObjectNotFound,' + $cls) -Category 'ObjectNotFound' -Activity 'Remove-VMAssignableDevice' -Target $path)
                        }
                        $v.assignedDevices = $keep.ToArray()
                    } elseif ($item.instance) {
                        throw (New-SimError -Message ('The operation failed. Virtual machine ''' + $v.name + ''' has no assigned device ''' + $item.instance + '''.') -ErrorId ('ObjectNotFound,' + $cls) -Category 'ObjectNotFound' -Activity 'Remove-VMAssignableDevice' -Target $item.instance)
                    } else {
                        # Guess (labelled): -VMName with neither path removes every entry of that VM.
                        $removed = $before
                        $v.assignedDevices = @()
                    }
                    Write-SimState $state
                    if ($Passthru) { $i = 0; foreach ($p in $removed) { New-SimAssignedDevice $v $state ([string]$p) $i; $i++ } }
                }
            } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
        }
    }
}

# ---------------------------------------------------------------------------------------------------
# The host's lifelines: NetAdapter, NetTCPIP and Storage (CDXML over ROOT/StandardCimv2 and
# ROOT/Microsoft/Windows/Storage), and Hyper-V's virtual switches and network adapters. Parameter sets:
# reference/cmdlets.json; objects: reference/object-shapes.json. Backed by optional profile fields: a
# device's "netAdapter" (name, interfaceIndex, macAddress, ipAddresses; optional pnpDeviceId for an
# adapter that is its function's child under a vendor's bus driver, interfaceDescription) and "disks" (number, isBoot,
# isSystem, pageFile, partitions), host.vmSwitches (name, id, switchType, uplinks by location path,
# allowManagementOS, managementAdapter) and each VM's networkAdapters (name, switchName, macAddress).
# ---------------------------------------------------------------------------------------------------

function New-SimCimObject([string]$ClassPath, [hashtable]$Properties) {
    $o = [pscustomobject]$Properties
    $o.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#' + $ClassPath)
    $o.PSObject.TypeNames.Insert(1, 'Microsoft.Management.Infrastructure.CimInstance')
    return $o
}

function New-SimCdxmlNotFound([string]$Class, [string]$Property, [string]$Value, [string]$Activity) {
    # CDXML's not-found: ObjectNotFound, id CmdletizationQuery_NotFound_<Property> (the function's name
    # is appended by PowerShell). The text is never read by the product.
    New-SimError -Message ('No ' + $Class + ' objects found with property ''' + $Property + ''' equal to ''' + $Value + '''. Verify the value of the property and retry.') -ErrorId ('CmdletizationQuery_NotFound_' + $Property) -Category 'ObjectNotFound' -Activity $Activity -Target $Value
}

function Assert-SimNotSimulatedSet($Cmdlet, [string[]]$Sets, [string]$Activity) {
    if ($Sets -contains $Cmdlet.ParameterSetName) {
        throw (New-SimError -Message ('The simulated host does not model ' + $Activity + ' by ' + $Cmdlet.ParameterSetName + '.') -ErrorId 'NotSimulated' -Category 'NotImplemented' -Activity $Activity)
    }
}

function Test-SimLike($Value, $Patterns) {
    foreach ($p in @($Patterns)) { if ([string]$Value -like [string]$p) { return $true } }
    return $false
}

function Get-SimNetAdapterRows($State) {
    # Each PCI NIC with a "netAdapter" that is on the host (a dismounted one is gone; a disabled one shows
    # Status Disabled and carries no addresses, or is gone with its bus driver: Get-SimBusAdapters), then
    # the host's vNIC on each switch that allows the management OS (Hyper-V Virtual Ethernet Adapter, a
    # ROOT\VMS_MP\ device).
    $i = 0
    foreach ($d in @($State.devices)) {
        $n = $d.netAdapter
        if ($null -eq $n -or $d.dismounted) { continue }
        $pnp = [string]$d.instanceId
        if ($n.pnpDeviceId) { if (-not $d.enabled) { continue }; $pnp = [string]$n.pnpDeviceId }
        $status = 'Up'
        if (-not $d.enabled) { $status = 'Disabled' }
        @{ name = [string]$n.name; description = (Get-SimAdapterDescription $d); index = [uint32]$n.interfaceIndex; mac = [string]$n.macAddress; pnp = $pnp
           virtual = $false; status = $status; ips = @($n.ipAddresses | Where-Object { $null -ne $_ -and $d.enabled }); guid = ('{0D0A0B0C-0000-4000-8000-' + ('{0:D12}' -f $i) + '}') }
        $i++
    }
    $j = 0
    foreach ($s in @($State.host.vmSwitches)) {
        if ($null -eq $s -or -not $s.allowManagementOS -or $null -eq $s.managementAdapter) { continue }
        $m = $s.managementAdapter
        $desc = 'Hyper-V Virtual Ethernet Adapter'
        if ($j -gt 0) { $desc = $desc + ' #' + ($j + 1) }
        @{ name = ('vEthernet (' + $s.name + ')'); description = $desc; index = [uint32]$m.interfaceIndex; mac = [string]$m.macAddress; pnp = ('ROOT\VMS_MP\' + ('{0:D4}' -f $j))
           virtual = $true; status = 'Up'; ips = @($m.ipAddresses | Where-Object { $null -ne $_ }); guid = ('{0D0A0B0C-0000-4000-9000-' + ('{0:D12}' -f $j) + '}') }
        $j++
    }
}

function New-SimNetAdapter($r, $State) {
    New-SimCimObject 'ROOT/StandardCimv2/MSFT_NetAdapter' ([ordered]@{
        Name                 = $r.name
        InterfaceAlias       = $r.name
        InterfaceDescription = $r.description
        InterfaceIndex       = $r.index
        ifIndex              = $r.index
        MacAddress           = $r.mac
        PnPDeviceID          = $r.pnp
        DeviceID             = $r.guid
        InterfaceGuid        = $r.guid
        Status               = $r.status
        Virtual              = [bool]$r.virtual
        HardwareInterface    = (-not $r.virtual)
        SystemName           = [string]$State.host.computerName
    })
}

function Get-NetAdapter {
    [CmdletBinding(DefaultParameterSetName = 'ByName')]
    param(
        [Parameter(ParameterSetName = 'ByName', Position = 0)][Alias('ifAlias', 'InterfaceAlias')][string[]]$Name,
        [Parameter(ParameterSetName = 'ByInstanceID', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('ifDesc')][string[]]$InterfaceDescription,
        [Parameter(ParameterSetName = 'ByIfIndex', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('ifIndex')][uint32[]]$InterfaceIndex,
        [switch]$IncludeHidden,
        [switch]$Physical,
        [Alias('Session')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        try {
            if ($AsJob) { return (Start-SimJob 'Get-NetAdapter' $PSBoundParameters) }
            Assert-SimLocalTarget $PSBoundParameters 'Get-NetAdapter'
            $state = Enter-SimCall -Cmdlet 'Get-NetAdapter' -Subjects @($Name + $InterfaceDescription)
            $found = @{}
            foreach ($r in @(Get-SimNetAdapterRows $state)) {
                if ($Physical -and $r.virtual) { continue }
                $hit = $true
                foreach ($v in @($Name)) { if ($v) { $hit = $false } }
                foreach ($v in @($Name)) { if ($v -and $r.name -like $v) { $hit = $true; $found[[string]$v] = $true } }
                if ($InterfaceDescription) { $hit = $false; foreach ($v in $InterfaceDescription) { if ($r.description -like $v) { $hit = $true; $found[[string]$v] = $true } } }
                if ($InterfaceIndex) { $hit = $false; foreach ($v in $InterfaceIndex) { if ($r.index -eq $v) { $hit = $true; $found[[string]$v] = $true } } }
                if ($hit) { New-SimNetAdapter $r $state }
            }
            $asked = @(); $prop = 'Name'
            if ($Name) { $asked = $Name } elseif ($InterfaceDescription) { $asked = $InterfaceDescription; $prop = 'InterfaceDescription' } elseif ($InterfaceIndex) { $asked = $InterfaceIndex; $prop = 'InterfaceIndex' }
            foreach ($v in $asked) {
                if (-not $found.ContainsKey([string]$v) -and -not [Management.Automation.WildcardPattern]::ContainsWildcardCharacters([string]$v)) {
                    $PSCmdlet.WriteError((New-SimCdxmlNotFound 'MSFT_NetAdapter' $prop ([string]$v) 'Get-NetAdapter'))
                }
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ }
    }
}

function Get-NetIPAddress {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('LocalAddress')][string[]]$IPAddress,
        [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('ifIndex')][uint32[]]$InterfaceIndex,
        [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('ifAlias')][string[]]$InterfaceAlias,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily[]]$AddressFamily,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.Type[]]$Type,
        [byte[]]$PrefixLength,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.PrefixOrigin[]]$PrefixOrigin,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.SuffixOrigin[]]$SuffixOrigin,
        [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressState[]]$AddressState,
        [TimeSpan[]]$ValidLifetime,
        [TimeSpan[]]$PreferredLifetime,
        [bool[]]$SkipAsSource,
        [Parameter(ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/StandardCimv2/MSFT_NetIPInterface')][object]$AssociatedIPInterface,
        [string]$PolicyStore,
        [switch]$IncludeAllCompartments,
        [Alias('Session')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        try {
            if ($AsJob) { return (Start-SimJob 'Get-NetIPAddress' $PSBoundParameters) }
            Assert-SimLocalTarget $PSBoundParameters 'Get-NetIPAddress'
            $state = Enter-SimCall -Cmdlet 'Get-NetIPAddress' -Subjects @($IPAddress + $InterfaceAlias)
            $rows = New-Object System.Collections.Generic.List[object]
            # The loopback pseudo-interface is on every host.
            $rows.Add(@{ ip = '127.0.0.1'; len = 8; index = [uint32]1; alias = 'Loopback Pseudo-Interface 1'; origin = 'WellKnown' })
            $rows.Add(@{ ip = '::1'; len = 128; index = [uint32]1; alias = 'Loopback Pseudo-Interface 1'; origin = 'WellKnown' })
            foreach ($r in @(Get-SimNetAdapterRows $state)) {
                foreach ($a in $r.ips) { $rows.Add(@{ ip = [string]$a.address; len = [int]$a.prefixLength; index = $r.index; alias = $r.name; origin = 'Manual' }) }
            }
            foreach ($x in $rows) {
                $family = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily]::IPv4
                if ($x.ip.Contains(':')) { $family = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily]::IPv6 }
                if ($IPAddress -and -not (Test-SimLike $x.ip $IPAddress)) { continue }
                if ($InterfaceIndex -and -not ($InterfaceIndex -contains $x.index)) { continue }
                if ($InterfaceAlias -and -not (Test-SimLike $x.alias $InterfaceAlias)) { continue }
                if ($AddressFamily -and -not ($AddressFamily -contains $family)) { continue }
                if ($PrefixLength -and -not ($PrefixLength -contains [byte]$x.len)) { continue }
                New-SimCimObject 'ROOT/StandardCimv2/MSFT_NetIPAddress' ([ordered]@{
                    IPAddress      = $x.ip
                    InterfaceIndex = $x.index
                    InterfaceAlias = $x.alias
                    AddressFamily  = $family
                    Type           = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.Type]::Unicast
                    PrefixLength   = [byte]$x.len
                    PrefixOrigin   = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.PrefixOrigin]$x.origin
                    SuffixOrigin   = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.SuffixOrigin]$x.origin
                    AddressState   = [Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressState]::Preferred
                    SkipAsSource   = $false
                    PolicyStore    = 'ActiveStore'
                })
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ }
    }
}

function New-SimDisk($k) {
    $path = '\\?\' + $k.instanceId.Replace('\', '#').ToLowerInvariant() + '#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}'
    New-SimCimObject 'ROOT/Microsoft/Windows/Storage/MSFT_Disk' ([ordered]@{
        Number            = [uint32]$k.index
        FriendlyName      = [string]$k.caption
        SerialNumber      = ('DDASIM' + $k.index)
        UniqueId          = ('DDASIM-DISK-' + $k.index)
        Path              = $path
        IsBoot            = [bool]$k.isBoot
        IsSystem          = [bool]$k.isSystem
        IsOffline         = $false
        IsReadOnly        = $false
        PartitionStyle    = 'GPT'
        OperationalStatus = 'Online'
    })
}

function New-SimPartition($k, $p) {
    # DriveLetter is a Char; a partition without a letter has the NUL character, not $null.
    $letter = [char]0
    $paths = New-Object System.Collections.Generic.List[string]
    if ($p.driveLetter) { $letter = [char]([string]$p.driveLetter)[0]; $paths.Add(([string]$letter) + ':\') }
    foreach ($a in @($p.accessPaths)) { if ($a) { $paths.Add([string]$a) } }
    $paths.Add('\\?\Volume{0d0a0b0c-' + ('{0:D4}' -f [int]$k.index) + '-4000-8000-' + ('{0:D12}' -f [int]$p.partitionNumber) + '}\')
    New-SimCimObject 'ROOT/Microsoft/Windows/Storage/MSFT_Partition' ([ordered]@{
        DiskNumber      = [uint32]$k.index
        PartitionNumber = [uint32]$p.partitionNumber
        DriveLetter     = $letter
        AccessPaths     = [string[]]$paths.ToArray()
        IsBoot          = [bool]$p.isBoot
        IsSystem        = [bool]$p.isSystem
        IsActive        = $false
        IsHidden        = [bool]$p.isSystem
        UniqueId        = ('{00000000-0000-0000-0000-' + ('{0:D12}' -f [int]$p.partitionNumber) + '}DDASIM-DISK-' + $k.index)
        DiskId          = ('\\?\' + $k.instanceId.Replace('\', '#').ToLowerInvariant() + '#{53f56307-b6bf-11d0-94f2-00a0c91efb8b}')
    })
}

function Get-Disk {
    [CmdletBinding(DefaultParameterSetName = 'ByNumber')]
    param(
        [Parameter(ParameterSetName = 'ByNumber', Position = 0, ValueFromPipelineByPropertyName = $true)][Alias('DeviceId')][uint32[]]$Number,
        [Parameter(ParameterSetName = 'ByUniqueId')][Alias('Id')][string[]]$UniqueId,
        [Parameter(ParameterSetName = 'ByName')][string[]]$FriendlyName,
        [Parameter(ParameterSetName = 'ByName')][string[]]$SerialNumber,
        [Parameter(ParameterSetName = 'ByPath', ValueFromPipelineByPropertyName = $true)][string[]]$Path,
        [Parameter(ParameterSetName = 'ByPartition', ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Partition')][object]$Partition,
        [Parameter(ParameterSetName = 'ByVirtualDisk', ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_VirtualDisk')][object]$VirtualDisk,
        [Parameter(ParameterSetName = 'ByiSCSISession', ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_iSCSISession')][object]$iSCSISession,
        [Parameter(ParameterSetName = 'ByiSCSIConnection', ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_iSCSIConnection')][object]$iSCSIConnection,
        [Parameter(ParameterSetName = 'ByStorageSubSystem', ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_StorageSubSystem')][object]$StorageSubSystem,
        [Parameter(ParameterSetName = 'ByStorageNode', ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_StorageNode')][object]$StorageNode,
        [Parameter(ParameterSetName = 'ByStorageJob', ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_StorageJob')][object]$StorageJob,
        [Alias('Session')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        try {
            if ($AsJob) { return (Start-SimJob 'Get-Disk' $PSBoundParameters) }
            Assert-SimLocalTarget $PSBoundParameters 'Get-Disk'
            Assert-SimNotSimulatedSet $PSCmdlet @('ByVirtualDisk', 'ByiSCSISession', 'ByiSCSIConnection', 'ByStorageSubSystem', 'ByStorageNode', 'ByStorageJob') 'Get-Disk'
            $state = Enter-SimCall -Cmdlet 'Get-Disk' -Subjects @()
            $found = @{}
            foreach ($k in @(Get-SimDisks $state)) {
                $o = New-SimDisk $k
                if ($PSBoundParameters.ContainsKey('Number') -and -not ($Number -contains $o.Number)) { continue }
                if ($UniqueId -and -not (Test-SimLike $o.UniqueId $UniqueId)) { continue }
                if ($FriendlyName -and -not (Test-SimLike $o.FriendlyName $FriendlyName)) { continue }
                if ($SerialNumber -and -not (Test-SimLike $o.SerialNumber $SerialNumber)) { continue }
                if ($Path -and -not (Test-SimLike $o.Path $Path)) { continue }
                if ($null -ne $Partition -and $o.Number -ne [uint32]$Partition.DiskNumber) { continue }
                $found[[string]$o.Number] = $true
                $o
            }
            foreach ($v in @($Number)) {
                if ($PSBoundParameters.ContainsKey('Number') -and -not $found.ContainsKey([string]$v)) { $PSCmdlet.WriteError((New-SimCdxmlNotFound 'MSFT_Disk' 'Number' ([string]$v) 'Get-Disk')) }
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ }
    }
}

function Get-Partition {
    [CmdletBinding(DefaultParameterSetName = 'ByUniqueId')]
    param(
        [Parameter(ParameterSetName = 'ByUniqueId', ValueFromPipelineByPropertyName = $true)][string[]]$UniqueId,
        [Parameter(ParameterSetName = 'ById', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('DiskPath')][string[]]$DiskId,
        [Parameter(ParameterSetName = 'ById', ValueFromPipelineByPropertyName = $true)][uint64[]]$Offset,
        [Parameter(ParameterSetName = 'ByNumber', Position = 0, ValueFromPipelineByPropertyName = $true)][uint32[]]$DiskNumber,
        [Parameter(ParameterSetName = 'ByNumber', Position = 1)][Alias('Number')][uint32[]]$PartitionNumber,
        [Parameter(ParameterSetName = 'ByDriveLetter', ValueFromPipelineByPropertyName = $true)][char[]]$DriveLetter,
        [Parameter(ParameterSetName = 'ByDisk', ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Disk')][object]$Disk,
        [Parameter(ParameterSetName = 'ByVolume', ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_Volume')][object]$Volume,
        [Parameter(ParameterSetName = 'ByStorageSubSystem', ValueFromPipeline = $true)][PSTypeName('Microsoft.Management.Infrastructure.CimInstance#ROOT/Microsoft/Windows/Storage/MSFT_StorageSubSystem')][object]$StorageSubSystem,
        [Alias('Session')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [int]$ThrottleLimit,
        [switch]$AsJob
    )
    process {
        try {
            if ($AsJob) { return (Start-SimJob 'Get-Partition' $PSBoundParameters) }
            Assert-SimLocalTarget $PSBoundParameters 'Get-Partition'
            Assert-SimNotSimulatedSet $PSCmdlet @('ByVolume', 'ByStorageSubSystem') 'Get-Partition'
            $state = Enter-SimCall -Cmdlet 'Get-Partition' -Subjects @()
            foreach ($k in @(Get-SimDisks $state)) {
                foreach ($p in $k.partitions) {
                    $o = New-SimPartition $k $p
                    if ($UniqueId -and -not (Test-SimLike $o.UniqueId $UniqueId)) { continue }
                    if ($DiskId -and -not (Test-SimLike $o.DiskId $DiskId)) { continue }
                    if ($PSBoundParameters.ContainsKey('DiskNumber') -and -not ($DiskNumber -contains $o.DiskNumber)) { continue }
                    if ($PSBoundParameters.ContainsKey('PartitionNumber') -and -not ($PartitionNumber -contains $o.PartitionNumber)) { continue }
                    if ($DriveLetter -and -not ($DriveLetter -contains $o.DriveLetter)) { continue }
                    if ($null -ne $Disk -and $o.DiskNumber -ne [uint32]$Disk.Number) { continue }
                    $o
                }
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ }
    }
}

function New-SimVmSwitch($s, $State) {
    $uplinks = New-Object System.Collections.Generic.List[string]
    foreach ($p in @($s.uplinks)) { $d = $null; if ($p) { $d = Find-SimDeviceByPath $State ([string]$p) }; if ($null -ne $d) { $uplinks.Add((Get-SimAdapterDescription $d)) } }
    $first = $null
    if ($uplinks.Count -gt 0) { $first = $uplinks[0] }
    [pscustomobject]@{
        PSTypeName                      = 'Microsoft.HyperV.PowerShell.VMSwitch'
        Name                            = [string]$s.name
        Id                              = [Guid]$s.id
        SwitchType                      = [Microsoft.HyperV.PowerShell.VMSwitchType][string]$s.switchType
        NetAdapterInterfaceDescription  = $first
        NetAdapterInterfaceDescriptions = [string[]]$uplinks.ToArray()
        AllowManagementOS               = [bool]$s.allowManagementOS
        ComputerName                    = [string]$State.host.computerName
        IsDeleted                       = $false
    }
}

function Get-VMSwitch {
    [CmdletBinding(DefaultParameterSetName = 'Name')]
    param(
        [Parameter(ParameterSetName = 'Name', Position = 0)][Alias('SwitchName')][string]$Name,
        [Parameter(ParameterSetName = 'Id', Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Alias('SwitchId')][Guid[]]$Id,
        [Parameter(Position = 1)][string[]]$ResourcePoolName,
        [Microsoft.HyperV.PowerShell.VMSwitchType[]]$SwitchType,
        [Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [string[]]$ComputerName,
        [pscredential[]]$Credential
    )
    process {
        try {
            $cls = 'Microsoft.HyperV.PowerShell.Commands.GetVMSwitch'
            Assert-SimLocalTarget $PSBoundParameters 'Get-VMSwitch'
            $state = Enter-SimCall -Cmdlet 'Get-VMSwitch' -Subjects @($Name)
            $any = $false
            foreach ($s in @($state.host.vmSwitches)) {
                if ($null -eq $s) { continue }
                if ($Name -and -not ([string]$s.name -like $Name)) { continue }
                if ($Id -and -not ($Id | Where-Object { [string]$_ -eq [string]$s.id })) { continue }
                if ($SwitchType -and -not ($SwitchType -contains [Microsoft.HyperV.PowerShell.VMSwitchType][string]$s.switchType)) { continue }
                $any = $true
                New-SimVmSwitch $s $state
            }
            if (-not $any -and $Name -and -not [Management.Automation.WildcardPattern]::ContainsWildcardCharacters($Name)) {
                throw (New-SimError -Message ('Hyper-V was unable to find a virtual switch with name "' + $Name + '".') -ErrorId ('ObjectNotFound,' + $cls) -Category 'ObjectNotFound' -Activity 'Get-VMSwitch' -Target $Name)
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
    }
}

function ConvertTo-SimVmMac([string]$Mac) { return ($Mac -replace '[-:]', '').ToUpperInvariant() }

function Get-VMNetworkAdapter {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][string[]]$VMName,
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][object[]]$VM,
        [Parameter(ParameterSetName = 'VMSnapshot', Mandatory = $true, Position = 0, ValueFromPipeline = $true)][Alias('VMCheckpoint')][PSTypeName('Microsoft.HyperV.PowerShell.VMSnapshot')][object]$VMSnapshot,
        [Parameter(ParameterSetName = 'ManagementOS', Mandatory = $true)][switch]$ManagementOS,
        [Parameter(ParameterSetName = 'All', Mandatory = $true)][switch]$All,
        [Parameter(Position = 1)][Alias('VMNetworkAdapterName')][string]$Name,
        [Parameter(ParameterSetName = 'ManagementOS')][string]$SwitchName,
        [Parameter(ParameterSetName = 'VMName')][Parameter(ParameterSetName = 'VMObject')][bool]$IsLegacy,
        [Parameter(ParameterSetName = 'VMName')][Parameter(ParameterSetName = 'ManagementOS')][Parameter(ParameterSetName = 'All')][Microsoft.Management.Infrastructure.CimSession[]]$CimSession,
        [Parameter(ParameterSetName = 'VMName')][Parameter(ParameterSetName = 'ManagementOS')][Parameter(ParameterSetName = 'All')][string[]]$ComputerName,
        [Parameter(ParameterSetName = 'VMName')][Parameter(ParameterSetName = 'ManagementOS')][Parameter(ParameterSetName = 'All')][pscredential[]]$Credential
    )
    process {
        try {
            $cls = 'Microsoft.HyperV.PowerShell.Commands.GetVMNetworkAdapter'
            Assert-SimNotSimulatedSet $PSCmdlet @('VMSnapshot') 'Get-VMNetworkAdapter'
            Assert-SimLocalTarget $PSBoundParameters 'Get-VMNetworkAdapter'
            $state = Enter-SimCall -Cmdlet 'Get-VMNetworkAdapter' -Subjects @($VMName)
            $set = $PSCmdlet.ParameterSetName
            if ($set -eq 'ManagementOS' -or $set -eq 'All') {
                foreach ($s in @($state.host.vmSwitches)) {
                    if ($null -eq $s -or -not $s.allowManagementOS -or $null -eq $s.managementAdapter) { continue }
                    if ($SwitchName -and -not ([string]$s.name -like $SwitchName)) { continue }
                    if ($Name -and -not ([string]$s.name -like $Name)) { continue }
                    [pscustomobject]@{
                        PSTypeName = 'Microsoft.HyperV.PowerShell.VMInternalNetworkAdapter'; Name = [string]$s.name; VMName = ''; SwitchName = [string]$s.name
                        MacAddress = (ConvertTo-SimVmMac ([string]$s.managementAdapter.macAddress)); IsManagementOs = $true; IsLegacy = $false
                        ComputerName = [string]$state.host.computerName; IsDeleted = $false
                    }
                }
            }
            if ($set -eq 'ManagementOS') { return }
            $vms = @($state.vms)
            if ($set -ne 'All') { $vms = @(Resolve-SimVms $state 'Get-VMNetworkAdapter' $cls $VMName $VM -Wildcard) }
            foreach ($v in $vms) {
                $i = 0
                foreach ($a in @($v.networkAdapters)) {
                    if ($null -eq $a) { continue }
                    $i++
                    $n = 'Network Adapter'
                    if ($a.name) { $n = [string]$a.name }
                    if ($Name -and -not ($n -like $Name)) { continue }
                    if ($PSBoundParameters.ContainsKey('IsLegacy') -and $IsLegacy) { continue }
                    $mac = '00155D' + ('{0:X6}' -f $i)
                    if ($a.macAddress) { $mac = ConvertTo-SimVmMac ([string]$a.macAddress) }
                    $sw = $null
                    if ($a.switchName) { $sw = [string]$a.switchName }
                    [pscustomobject]@{
                        PSTypeName = 'Microsoft.HyperV.PowerShell.VMNetworkAdapter'; Name = $n; VMName = [string]$v.name; VMId = [Guid]$v.id; SwitchName = $sw
                        MacAddress = $mac; IsManagementOs = $false; IsLegacy = $false; ComputerName = [string]$state.host.computerName; IsDeleted = $false
                    }
                }
            }
        } catch { Write-SimCmdletError $PSCmdlet $_ -Compiled }
    }
}

# The address the current remote session arrived on, in host-functions.ps1's shape (it reads SSH_CONNECTION /
# WinRM's connection string and listener connections on a host): the profile's host.sessionArrivedOn (one
# address or several candidates), or none (a local session).
function Get-DdaSessionArrival {
    $state = Enter-SimCall -Cmdlet 'Get-DdaSessionArrival' -Subjects @()
    $a = $null
    if ($null -ne $state.host.PSObject.Properties['sessionArrivedOn']) { $a = $state.host.sessionArrivedOn }
    if ($null -eq $a) { return @{ remote = $false; address = $null; addresses = @(); hostName = $null } }
    $all = @(@($a) | ForEach-Object { [string]$_ })
    $one = $null
    if ($all.Count -eq 1) { $one = $all[0] }
    return @{ remote = $true; address = $one; addresses = $all; hostName = $null }
}

$DdaSimCmdlets = @(
    'Get-PnpDevice', 'Get-PnpDeviceProperty', 'Disable-PnpDevice', 'Enable-PnpDevice', 'Get-CimInstance', 'Get-WmiObject', 'Invoke-CimMethod',
    'Get-VMHost', 'Get-VM', 'Set-VM', 'Set-VMMemory', 'Start-VM', 'Stop-VM', 'Remove-VMSavedState', 'Get-VMHostAssignableDevice', 'Get-VMAssignableDevice',
    'Dismount-VMHostAssignableDevice', 'Mount-VMHostAssignableDevice', 'Add-VMAssignableDevice', 'Remove-VMAssignableDevice',
    'Get-NetAdapter', 'Get-NetIPAddress', 'Get-Disk', 'Get-Partition', 'Get-VMSwitch', 'Get-VMNetworkAdapter', 'Get-WinEvent',
    'Test-DdaElevated', 'Get-DdaIommuPolicy', 'Get-DdaCpuAddressBits', 'Get-DdaSessionArrival'
)
# Profile switch surfaceFaults { cmdlet, removeParameterSet }: the simulated host's cmdlet lacks that
# parameter set (and the parameters only it had), as Get-Command and the binder see it. Applied when the
# module is imported: a host's surface is fixed for a session. The function is redefined from its own
# syntax tree (profile values are compared with the tree, never spliced into code).
function Remove-SimParameterSet([string]$Name, [string]$Set) {
    $body = (Get-Item -LiteralPath ('function:' + $Name)).ScriptBlock.Ast.Body
    $pb = $body.ParamBlock
    $kept = New-Object System.Collections.Generic.List[string]
    foreach ($p in $pb.Parameters) {
        $text = $p.Extent.Text
        $attrs = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.Language.AttributeAst] -and $_.TypeName.Name -eq 'Parameter' })
        $drop = @($attrs | Where-Object { @($_.NamedArguments | Where-Object { $_.ArgumentName -eq 'ParameterSetName' -and $_.Argument.Value -eq $Set }).Count -gt 0 })
        if ($attrs.Count -gt 0 -and $drop.Count -eq $attrs.Count) { continue }
        foreach ($a in @($drop | Sort-Object { $_.Extent.StartOffset } -Descending)) { $text = $text.Remove($a.Extent.StartOffset - $p.Extent.StartOffset, $a.Extent.EndOffset - $a.Extent.StartOffset) }
        $kept.Add($text)
    }
    $newParam = (@($pb.Attributes | ForEach-Object { $_.Extent.Text }) -join "`n") + "`nparam(`n" + ($kept -join ",`n") + "`n)"
    $at = $pb.Extent.StartOffset - $body.Extent.StartOffset
    $text = $body.Extent.Text.Remove($at, $pb.Extent.EndOffset - $pb.Extent.StartOffset).Insert($at, $newParam)
    . ([ScriptBlock]::Create('function script:' + $Name + ' ' + $text))
}
# Only a state that names the switch is parsed here (the import stays as fast as without it).
if ($env:DDA_SIM_STATE -and [IO.File]::Exists($env:DDA_SIM_STATE) -and [IO.File]::ReadAllText($env:DDA_SIM_STATE).Contains('removeParameterSet')) {
    # A state that cannot be read is reported by the first call, as before.
    $simSurfaceState = $null
    try { $simSurfaceState = Read-SimState } catch { $simSurfaceState = $null }
    foreach ($f in @($simSurfaceState.surfaceFaults)) {
        if ($null -eq $f -or -not $f.removeParameterSet) { continue }
        if ($DdaSimCmdlets -notcontains [string]$f.cmdlet) { throw ('surfaceFaults: ' + [string]$f.cmdlet + ' is not a simulated cmdlet') }
        Remove-SimParameterSet ([string]$f.cmdlet) ([string]$f.removeParameterSet)
    }
}
