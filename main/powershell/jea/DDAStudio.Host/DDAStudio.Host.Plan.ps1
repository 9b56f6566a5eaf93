# DDAStudio.Host's whole operations: what the endpoint checks ON THE HOST before it runs a plan, and the
# run with rollback. Dot-sourced into the module's scope by DDAStudio.Host.psm1 (nothing here is visible
# to a JEA session; only Invoke-DdaHostPlan, defined in the .psm1, is).
#
# The client plans in TypeScript (main/host/planner.ts) as it does for every host and hands the endpoint
# the whole plan. The endpoint trusts none of it but the admin's consents (choices.consents): the plan's
# own `blocked` and `consents` are ignored, the host is read again here (inventory.ps1, the same facts the
# client's inventory is built from), and the plan is refused unless
#  - every step is a step of its intent's kind, runs its kind's own script (and undo), with exactly the
#    parameters that script takes from a plan (the rules of main/host/recovery-checks.ts);
#  - it names no VM and no device beyond its intent (the intent's VM(s), the intent device's card);
#  - nothing takes from the host (disable or dismount, forward or undo) a device the host does not have,
#    the system disk's controller, a device the survey refuses (SurveyDDA's rules, shared/survey.ts), or a
#    host lifeline the planner refuses (the session's NIC, boot/system/page-file disks, any storage
#    controller while the host's disks are unknown: planner.ts checkLifelines); a lifeline the planner
#    asks about needs take-host-lifeline, the host's last enabled display adapter take-last-display;
#  - a VM is turned off (op-stop-vm) only with turn-off-vm, a saved state discarded only with
#    discard-saved-state, a dismount drops ACS only with force-insecure and the mitigation check only
#    with skip-device-mitigations (-Force, which drops both, only with both), except the undo of a
#    mount, which puts back a device that is off the host now as it is now;
#  - the role's allow list (DDAStudio.Host.Policy.psd1 beside the module, when present) names every VM
#    and device class the plan touches;
#  - this PowerShell runs Hyper-V's own module, not through Windows PowerShell compatibility (PowerShell 7
#    on Windows Server 2016), whose deserialized objects the step scripts cannot pipe into its cmdlets.
# Then the steps run here, in order; when one fails, it is undone when the host shows its effect, and the
# completed ones in reverse, and the step log goes back to the client (which journals it and re-reads the
# host to verify the rollback).
#
# Windows PowerShell 5.1 compatible (no ternary, ??, ::new(), -AsHashtable).

$script:ConsentIds = @('turn-off-vm', 'discard-saved-state', 'force-insecure', 'skip-device-mitigations', 'take-last-display', 'take-host-lifeline', 'unknown-address-width', 'unknown-mmio')

# Each step kind's script, and the scripts its undo may be (recovery-checks.ts stepScripts).
$script:StepScripts = @{
    'stop-vm'            = @{ action = 'op-stop-vm'; undo = @('op-start-vm') }
    'start-vm'           = @{ action = 'op-start-vm'; undo = @('op-stop-vm') }
    'remove-saved-state' = @{ action = 'op-remove-saved-state'; undo = @() }
    'disable-device'     = @{ action = 'op-disable-device'; undo = @('op-enable-device') }
    'enable-device'      = @{ action = 'op-enable-device'; undo = @('op-disable-device') }
    'dismount-device'    = @{ action = 'op-dismount-device'; undo = @('op-mount-device') }
    'mount-device'       = @{ action = 'op-mount-device'; undo = @('op-dismount-device') }
    'set-vm-stop-action' = @{ action = 'op-set-vm'; undo = @('op-set-vm') }
    'set-vm-cache-types' = @{ action = 'op-set-vm'; undo = @('op-set-vm') }
    'set-vm-mmio'        = @{ action = 'op-set-vm'; undo = @('op-set-vm') }
    'set-vm-memory'      = @{ action = 'op-set-vm-memory'; undo = @('op-set-vm-memory') }
    'add-device'         = @{ action = 'op-add-device'; undo = @('op-remove-device') }
    'remove-device'      = @{ action = 'op-remove-device'; undo = @('op-add-device') }
    'remove-all-devices' = @{ action = 'op-remove-device'; undo = @('op-add-devices') }
}

# The step kinds each intent's plans are made of.
$script:IntentSteps = @{
    # An assign of a device another VM holds is a move (planner.ts planAssign): remove-device too.
    'assign'         = @('stop-vm', 'remove-saved-state', 'disable-device', 'dismount-device', 'remove-device', 'set-vm-stop-action', 'set-vm-cache-types', 'set-vm-mmio', 'set-vm-memory', 'add-device', 'start-vm')
    'revert'         = @('stop-vm', 'remove-saved-state', 'remove-device', 'mount-device', 'enable-device', 'set-vm-stop-action', 'set-vm-cache-types', 'set-vm-mmio', 'set-vm-memory', 'start-vm')
    'move'           = @('stop-vm', 'remove-saved-state', 'remove-device', 'set-vm-stop-action', 'set-vm-cache-types', 'set-vm-mmio', 'set-vm-memory', 'add-device', 'start-vm')
    'repair'         = @('stop-vm', 'remove-saved-state', 'remove-all-devices', 'add-device', 'start-vm')
    # Re-point a VM's entries to moved cards (plan-reconcile.ts planRepoint): repair's steps, and each
    # moved card taken from the host (the take checks below) and fitted like an assign.
    'repoint'        = @('stop-vm', 'remove-saved-state', 'remove-all-devices', 'add-device', 'disable-device', 'dismount-device', 'set-vm-stop-action', 'set-vm-cache-types', 'set-vm-mmio', 'set-vm-memory', 'start-vm')
    'return-orphans' = @('mount-device', 'enable-device')
    'start-vm'       = @('start-vm')
    'enable-device'  = @('enable-device')
    'fit-vm'         = @('stop-vm', 'remove-saved-state', 'set-vm-stop-action', 'set-vm-cache-types', 'set-vm-mmio', 'set-vm-memory', 'start-vm')
}

# The parameters each step script takes from a plan: type, and '!' when required. Nothing else.
$script:StepParams = @{
    'op-stop-vm'            = @{ VmId = 'guid!'; TimeoutSec = 'seconds!' }
    'op-start-vm'           = @{ VmId = 'guid!' }
    'op-remove-saved-state' = @{ VmId = 'guid!' }
    'op-disable-device'     = @{ InstanceId = 'path!' }
    'op-enable-device'      = @{ InstanceId = 'path!' }
    'op-dismount-device'    = @{ LocationPath = 'path!'; InstanceId = 'id!'; RequireAcsSupport = 'bool!'; RequireDeviceMitigations = 'bool!'; RetryWithoutMitigations = 'bool!' }
    'op-mount-device'       = @{ LocationPath = 'path!' }
    'op-add-device'         = @{ VmId = 'guid!'; LocationPath = 'path!' }
    'op-add-devices'        = @{ VmId = 'guid!'; LocationPaths = 'paths!' }
    'op-remove-device'      = @{ VmId = 'guid!'; LocationPath = 'path' }
    'op-set-vm'             = @{ VmId = 'guid!'; AutomaticStopAction = 'stop-action'; GuestControlledCacheTypes = 'bool'; LowMemoryMappedIoSpace = 'low-mmio'; HighMemoryMappedIoSpace = 'high-mmio' }
    'op-set-vm-memory'      = @{ VmId = 'guid!'; DynamicMemoryEnabled = 'bool!' }
}

function Test-DdaPlanInteger {
    param($Value)
    ($Value -is [int]) -or ($Value -is [long]) -or (($Value -is [decimal] -or $Value -is [double]) -and [Math]::Floor([double]$Value) -eq [double]$Value)
}

function Test-DdaPlanValue {
    param([string]$Type, $Value)
    switch ($Type) {
        'guid' { return ($Value -is [string]) -and ($Value -match '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$') }
        'path' { return ($Value -is [string]) -and $Value.Length -ge 1 -and $Value.Length -le 512 }
        'id' { return ($Value -is [string]) -and $Value.Length -le 512 }
        'bool' { return $Value -is [bool] }
        'seconds' { return (Test-DdaPlanInteger $Value) -and [double]$Value -ge 1 -and [double]$Value -le 3600 }
        'stop-action' { return ($Value -is [string]) -and (@('TurnOff', 'Save', 'ShutDown') -ccontains $Value) }
        'low-mmio' { return (Test-DdaPlanInteger $Value) -and [double]$Value -ge 0 -and [double]$Value -le 4294967295 }
        'high-mmio' { return (Test-DdaPlanInteger $Value) -and [double]$Value -ge 1 }
        'paths' {
            if ($Value -isnot [array] -or $Value.Count -lt 1 -or $Value.Count -gt 64) { return $false }
            foreach ($p in $Value) { if (-not (Test-DdaPlanValue 'path' $p)) { return $false } }
            return $true
        }
    }
    return $false
}

# Why an action's parameters are not exactly what its script takes from a plan, or $null.
function Test-DdaPlanParams {
    param([string]$Script, $Params)
    $spec = $script:StepParams[$Script]
    if ($null -eq $spec) { return "$Script is not a step script" }
    if ($Params -isnot [hashtable]) { return 'its parameters are not an object' }
    foreach ($key in @($Params.Keys)) {
        if (-not $spec.ContainsKey([string]$key)) { return "$Script takes no parameter '$key'" }
        if (-not (Test-DdaPlanValue $spec[$key].TrimEnd('!') $Params[$key])) { return "$Script's parameter '$key' is not a valid value" }
    }
    foreach ($key in @($spec.Keys)) {
        if ($spec[$key].EndsWith('!') -and -not $Params.ContainsKey($key)) { return "$Script needs its parameter '$key'" }
    }
    $null
}

function Get-DdaPciId { param([string]$InstanceId) $InstanceId -replace '^(?i)PCIP\\', 'PCI\' }

# The card of a function: its location path up to the device number (shared/location-path.ts cardOf).
function Get-DdaCard {
    param([string]$LocationPath)
    if ($LocationPath -match '^(.*)#PCI\(([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})\)$') { return ($Matches[1] + '#PCI(' + $Matches[2] + 'xx)').ToUpperInvariant() }
    $LocationPath.ToUpperInvariant()
}

# The survey's hard refusals (shared/survey.ts surveyVerdict: the `not-assignable` verdicts), from live facts.
# A property no call could read ($Unreadable: inventory.ps1's unreadableProps) is not one the device lacks;
# the endpoint still refuses (it plans nothing it cannot check), and says why.
function Get-DdaSurveyRefusal {
    param($Device, [string[]]$Unreadable = @())
    foreach ($name in @('rmrr', 'deviceType', 'baseClass')) {
        if ($null -eq $Device.$name -and $Unreadable -contains $name) { return "its survey property $name could not be read" }
    }
    $rmrr = $Device.rmrr
    if ($rmrr -is [bool]) { $rmrr = [int]$rmrr }
    if ($null -eq $rmrr -or $rmrr -ne 0) { return 'the BIOS requires that it stay attached to BIOS-owned memory (RMRR)' }
    $type = $Device.deviceType
    if ($type -is [string]) { $type = [int]$type }
    if ($type -eq 3 -and $Device.baseClass -ne 3) { return 'it is a legacy PCIe endpoint that is not a display adapter' }
    if ($type -eq 5) { return 'the BIOS keeps control of its PCIe features' }
    if ($type -ne 2 -and $type -ne 3 -and $type -ne 4) { return "it is an old-style PCI device, a bridge or a switch port" }
    if ($Device.disabled -or -not $Device.resourcesKnown -or $null -eq $Device.irqs) { return $null }
    $irqs = @($Device.irqs)
    if ($irqs.Count -gt 0 -and @($irqs | Where-Object { ([string]$_).StartsWith('42949') }).Count -eq 0) { return 'all of its interrupts are line-based' }
    $null
}

# The host as the checks need it, from inventory.ps1's raw facts (the joins of inventory-service.ts).
function Get-DdaHostView {
    $json = Invoke-DdaScript -Text $script:Operations['inventory'] -Path 'inventory.ps1' -ParamsJson '{}' -ScriptHash 'DDAStudio.Host:inventory'
    $envelope = ConvertFrom-DdaJson $json
    if (-not $envelope.ok) { throw ("The host could not be read: " + [string]$envelope.error.message) }
    $raw = $envelope.value
    $up = { param($s) ([string]$s).ToUpperInvariant() }
    $twinPath = @{}; $dismounted = @{}; $held = @{}
    foreach ($h in @($raw.hostAssignable)) { if ($h) { $twinPath[(& $up $h.instanceId)] = $h.locationPath; $dismounted[(& $up $h.locationPath)] = $true } }
    foreach ($vm in @($raw.vms)) {
        foreach ($a in @($vm.assigned)) {
            if (-not $a -or -not $a.locationPath) { continue }
            if ($a.resourcePoolName -and ([string]$a.resourcePoolName) -ne 'Primordial') { continue }
            $held[(& $up $a.locationPath)] = $vm.name
        }
    }
    $p = $raw.platform
    # Read here, before any loop below could reuse a name: PowerShell 7 running Hyper-V through Windows
    # PowerShell compatibility refuses every plan (Get-DdaPlanRefusal).
    $compat = [bool]($p -and $p.windowsPowerShellCompat)
    $sysIds = @{}; $sysPaths = @{}
    if ($p) {
        foreach ($i in @($p.systemDiskInstanceIds)) { if ($i) { $sysIds[(& $up $i)] = $true } }
        foreach ($i in @($p.systemDiskLocationPaths)) { if ($i) { $sysPaths[(& $up $i)] = $true } }
    }
    $systemDiskKnown = [bool]($p -and $p.systemDiskKnown -ne $false -and ($null -ne $p.systemDiskInstanceIds -or $null -ne $p.systemDiskLocationPaths))
    $l = $raw.lifelines
    $nics = @{}; $disks = @{}
    if ($l) {
        foreach ($n in @($l.nics)) { if ($n) { $nics[(& $up $n.instanceId)] = $n } }
        foreach ($k in @($l.disks)) { if ($k -and $k.controller) { $key = & $up $k.controller; if (-not $disks.ContainsKey($key)) { $disks[$key] = @() }; $disks[$key] += , $k } }
    }
    $storageKnown = [bool]($l -and $l.storageKnown -and $systemDiskKnown)
    $networkKnown = [bool]($l -and $l.networkKnown)
    $sessionUnplaced = (-not $l) -or ($l.session -and $l.session.remote -and -not $l.session.placed)
    $devices = @()
    foreach ($d in @($raw.devices)) {
        if (-not $d) { continue }
        $isTwin = ([string]$d.instanceId) -match '^(?i)PCIP\\'
        $pciId = Get-DdaPciId $d.instanceId
        $path = $d.locationPath
        if (-not $path) { $path = $twinPath[(& $up $d.instanceId)] }
        $key = $null
        if ($path) { $key = & $up $path }
        $owner = 'host'
        if ($key -and $held.ContainsKey($key)) { $owner = 'vm' } elseif ($isTwin -or ($key -and $dismounted.ContainsKey($key))) { $owner = 'dismounted' }
        $onHost = $owner -eq 'host'
        $isNet = $d.class -eq 'Net' -or $d.baseClass -eq 2
        $isStorage = $d.class -eq 'SCSIAdapter' -or $d.class -eq 'HDC' -or $d.baseClass -eq 1
        $view = @{
            instanceId = $pciId; path = $path; name = [string]$d.friendlyName; class = [string]$d.class; onHost = $onHost; owner = $owner
            enabled = $onHost -and -not $d.disabled; isDisplay = $d.class -eq 'Display'
            systemDisk = $sysIds.ContainsKey((& $up $d.instanceId)) -or $sysIds.ContainsKey((& $up $pciId)) -or ($key -and $sysPaths.ContainsKey($key))
            refusal = $null; needsLifelineConsent = $false
        }
        if ($onHost) {
            # The host's lifelines, as planner.ts checkLifelines decides them.
            $own = @(); if ($disks.ContainsKey((& $up $pciId))) { $own = @($disks[(& $up $pciId)]) }
            if ($isStorage -or $own.Count -gt 0) {
                if (-not $storageKnown) { $view.refusal = "it is a storage controller, and which of the host's disks sit behind it could not be determined" }
                elseif (@($own | Where-Object { $_.isBoot -or $_.isSystem }).Count -gt 0) { $view.refusal = "it controls the host's boot/system disk" }
                elseif (@($own | Where-Object { $_.pageFile }).Count -gt 0) { $view.refusal = "it holds the host's page file" }
                elseif (@($own | Where-Object { @($_.volumes).Count -gt 0 }).Count -gt 0) { $view.needsLifelineConsent = $true }
            }
            if ($isNet -and -not $view.refusal) {
                $nic = $nics[(& $up $pciId)]
                $ips = @(); $switches = @()
                if ($nic) { $ips = @($nic.ipAddresses | Where-Object { $_ }); $switches = @($nic.vSwitches | Where-Object { $_ }) }
                $hostIps = $ips + @($switches | ForEach-Object { @($_.hostIpAddresses) } | Where-Object { $_ })
                if ($nic -and $nic.carriesSession) { $view.refusal = 'it carries the connection this session arrived on' }
                elseif ($sessionUnplaced -and ($hostIps.Count -gt 0 -or -not $networkKnown)) { $view.refusal = "the session's NIC cannot be told, and it may carry the host's addresses" }
                elseif (-not $networkKnown -or $ips.Count -gt 0 -or $switches.Count -gt 0) { $view.needsLifelineConsent = $true }
            }
            if (-not $view.refusal) {
                $why = Get-DdaSurveyRefusal $d @($raw.unreadableProps | Where-Object { $_ })
                if ($why) { $view.refusal = 'the survey says it is not assignable: ' + $why }
            }
        }
        $devices += , $view
    }
    # VMs with what a step's effect is judged by (Get-DdaEffectLeft): state, entries (pool entries too, by
    # path or name, as inventory-service.ts lists them) and the settings the set-vm steps change.
    $vms = @()
    foreach ($v in @($raw.vms)) {
        if (-not $v) { continue }
        $entries = @(foreach ($a in @($v.assigned)) { if ($a) { $entryPath = $a.locationPath; if (-not $entryPath) { $entryPath = $a.name }; @{ path = [string]$entryPath } } })
        $vms += , @{
            name = [string]$v.name; id = ([string]$v.id).ToLowerInvariant(); state = [string]$v.state; entries = $entries
            AutomaticStopAction = $v.automaticStopAction; GuestControlledCacheTypes = $v.guestControlledCacheTypes
            LowMemoryMappedIoSpace = $v.lowMemoryMappedIoSpace; HighMemoryMappedIoSpace = $v.highMemoryMappedIoSpace; DynamicMemoryEnabled = $v.dynamicMemoryEnabled
        }
    }
    @{ devices = $devices; vms = $vms; windowsPowerShellCompat = $compat }
}

function Find-DdaHostDevice {
    param($View, [string]$Path, [string]$InstanceId)
    foreach ($d in $View.devices) {
        if ($Path) { if ($d.path -and $d.path -eq $Path) { return $d } }
        elseif ($InstanceId -and $d.instanceId -eq (Get-DdaPciId $InstanceId)) { return $d }
    }
    $null
}

# Why taking a device from the host (op-disable-device, op-dismount-device) is refused, or $null.
function Get-DdaTakeRefusal {
    param($View, $Action, [string[]]$Consents)
    $path = $Action.params.LocationPath
    $id = $Action.params.InstanceId
    $what = [string]$path; if (-not $what) { $what = [string]$id }
    $d = Find-DdaHostDevice $View $path $id
    if (-not $d) { return "it would take $what from the host, and the host has no such device" }
    if ($path -and $id -and $d.instanceId -ne (Get-DdaPciId $id)) { return "it names $what and the instance $id, which are not the same device" }
    if ($d.systemDisk) { return "it would take $($d.name) ($what), the controller of the host's system disk, from the host" }
    if (-not $d.onHost) { return $null }
    if ($d.refusal) { return "it would take $($d.name) ($what) from the host: $($d.refusal)" }
    if ($d.needsLifelineConsent -and $Consents -notcontains 'take-host-lifeline') { return "it would take $($d.name) ($what), which the host itself uses, without the consent take-host-lifeline" }
    if ($d.isDisplay -and $d.enabled -and $Consents -notcontains 'take-last-display') {
        $others = @($View.devices | Where-Object { $_ -ne $d -and $_.isDisplay -and $_.enabled })
        if ($others.Count -eq 0) { return "it would take $($d.name) ($what), the host's last display adapter, without the consent take-last-display" }
    }
    $null
}

# The role's allow list (DDAStudio.Host.Policy.psd1 beside this module, written by an administrator):
# @{ AllowedVms = @('Router-*'); AllowedDeviceClasses = @('Net', 'Display') }, wildcards allowed; a key
# that is absent allows everything of its kind. Its keys are compared without case or culture: the
# table SafeGetValue builds compares keys by the host's culture, so on a Turkish host ALLOWEDDEVICECLASSES
# is not AllowedDeviceClasses, and a key not found allows everything. Any other key (a typo such as
# AllowedVM) is refused rather than ignored.
function Get-DdaHostPolicy {
    $policy = New-Object System.Collections.Hashtable ([StringComparer]::OrdinalIgnoreCase)
    $file = Join-Path $script:ModuleRoot 'DDAStudio.Host.Policy.psd1'
    if (-not (Test-Path -LiteralPath $file)) { return $policy }
    $read = Read-DdaDataFile $file
    foreach ($key in @($read.Keys)) {
        $name = [string]$key
        if (@('AllowedVms', 'AllowedDeviceClasses') -notcontains $name) { throw "$file names '$name': only AllowedVms and AllowedDeviceClasses are known." }
        $policy[$name] = @($read[$key])
    }
    $policy
}

# Whether a name matches one of the allow list's wildcard patterns, ignoring case the invariant way:
# -like compares by the host's culture (on a Turkish host 'Build-Agent' is not like 'BUILD-*').
function Test-DdaAllowed([string]$Name, $Patterns) {
    $options = [System.Management.Automation.WildcardOptions]'IgnoreCase, CultureInvariant'
    foreach ($p in @($Patterns)) {
        if ($null -ne $p -and (New-Object System.Management.Automation.WildcardPattern ([string]$p), $options).IsMatch($Name)) { return $true }
    }
    $false
}

# A .psd1's hashtable, as Import-PowerShellDataFile reads it (the parser, then SafeGetValue: literals
# only, nothing runs). Not that cmdlet: in Windows PowerShell 5.1 it is a script function of the
# Microsoft.PowerShell.Utility module, which a restricted (JEA) session does not load.
function Read-DdaDataFile([string]$Path) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
    if ($errors.Count -gt 0) { throw ("$Path is not a valid data file: " + $errors[0].Message) }
    $table = $ast.Find({ param($a) $a -is [System.Management.Automation.Language.HashtableAst] }, $false)
    if ($null -eq $table) { throw "$Path holds no hashtable." }
    return $table.SafeGetValue()
}

# Why the plan must not run on this host, or $null when every check passes.
function Get-DdaPlanRefusal {
    param($Plan, $View, $Policy)
    if ($Plan -isnot [hashtable]) { return 'the plan is not an object' }
    # The step scripts pipe Hyper-V's objects into its cmdlets: deserialized ones bind to nothing.
    if ($View.windowsPowerShellCompat) { return "PowerShell 7 runs this host's Hyper-V module through Windows PowerShell compatibility (Windows Server 2016); connect over WinRM, whose endpoint is Windows PowerShell 5.1" }
    $intent = $Plan.intent
    if ($intent -isnot [hashtable] -or -not ($intent.kind -is [string]) -or -not $script:IntentSteps.ContainsKey($intent.kind)) { return 'its intent is not an assign, revert, move, repair, repoint, return-orphans, start-vm, enable-device or fit-vm' }
    $choices = $Plan.choices
    if ($choices -isnot [hashtable] -or ($null -ne $choices.consents -and $choices.consents -isnot [array])) { return 'its choices are not an object with a list of consents' }
    $consents = [string[]]@($choices.consents | Where-Object { $null -ne $_ })
    foreach ($c in $consents) { if ($script:ConsentIds -cnotcontains $c) { return "it names the unknown consent '$c'" } }
    $steps = $Plan.steps
    if ($steps -isnot [array] -or $steps.Count -lt 1 -or $steps.Count -gt 64) { return 'it has no steps, or too many' }
    $ids = @{}
    $vmIds = @{}
    $actions = @()
    $stepNo = 0
    foreach ($s in $steps) {
        $stepNo++
        if ($s -isnot [hashtable] -or -not ($s.id -is [string]) -or $s.id.Length -lt 1 -or $s.id.Length -gt 200 -or $ids.ContainsKey($s.id)) { return 'a step has no id of its own' }
        $ids[$s.id] = $true
        $allowed = $null; if ($s.kind -is [string]) { $allowed = $script:StepScripts[$s.kind] }
        if (-not $allowed -or $script:IntentSteps[$intent.kind] -cnotcontains $s.kind) { return "step $($s.id) ($($s.kind)) is not a step of $($intent.kind)" }
        if ($s.action -isnot [hashtable] -or $s.action.script -cne $allowed.action) { return "step $($s.id) ($($s.kind)) does not run $($allowed.action)" }
        if ($null -ne $s.undo -and ($s.undo -isnot [hashtable] -or $allowed.undo -cnotcontains $s.undo.script)) { return "the undo of step $($s.id) ($($s.kind)) is not one of its kind's" }
        foreach ($pair in @(@($s.action, 'step'), @($s.undo, 'the undo of step'))) {
            $a = $pair[0]; $which = $pair[1]
            if ($null -eq $a) { continue }
            $bad = Test-DdaPlanParams $a.script $a.params
            if ($bad) { return "$which $($s.id): $bad" }
            if ($a.params.VmId) { $vmIds[([string]$a.params.VmId).ToLowerInvariant()] = $true }
            $actions += , @{ action = $a; step = $s; undo = ($which -ne 'step'); lastUndo = ($which -ne 'step' -and $stepNo -eq $steps.Count) }
        }
    }
    foreach ($x in $actions) {
        $a = $x.action; $s = $x.step; $which = 'step'; if ($x.undo) { $which = 'the undo of step' }
        # Turning a VM off (a guest that does not shut down in time is turned off) needs its consent, but
        # for the last step's undo, which runs only after that step failed, and then only in a plan that turns
        # a VM off and has the consent (Invoke-DdaHostPlanSteps; the endpoint never runs a step alone): a plan
        # that only starts a VM asks for none.
        if ($a.script -eq 'op-stop-vm' -and -not $x.lastUndo -and $consents -notcontains 'turn-off-vm') { return "$which $($s.id) turns a VM off without the consent turn-off-vm" }
        if ($a.script -eq 'op-remove-saved-state' -and $consents -notcontains 'discard-saved-state') { return "$which $($s.id) discards a saved state without the consent discard-saved-state" }
        if ($a.script -eq 'op-dismount-device') {
            # Each of Hyper-V's dismount checks is dropped only with its consent (-Force drops both), or by
            # the undo of a mount, which puts back a device that is off the host now, as it is now.
            $putsBack = $false
            if ($x.undo -and $s.kind -eq 'mount-device') {
                $now = Find-DdaHostDevice $View $a.params.LocationPath $null
                $putsBack = $null -ne $now -and -not $now.onHost
            }
            if (-not $putsBack) {
                if ($a.params.RequireAcsSupport -eq $false -and $consents -notcontains 'force-insecure') { return "$which $($s.id) dismounts without the ACS check and without the consent force-insecure" }
                if (($a.params.RequireDeviceMitigations -eq $false -or $a.params.RetryWithoutMitigations -eq $true) -and $consents -notcontains 'skip-device-mitigations') { return "$which $($s.id) dismounts without the mitigation check and without the consent skip-device-mitigations" }
            }
        }
        if ($a.script -eq 'op-disable-device' -or $a.script -eq 'op-dismount-device') {
            # Nor does the undo of an enable that disables a device disabled now take anything from the
            # host: it puts the device back as it is now (a NIC a failed revert left disabled is enabled
            # without take-host-lifeline, which the client's plan does not ask for).
            $putsBack = $false
            if ($x.undo -and $s.kind -eq 'enable-device' -and $a.script -eq 'op-disable-device') {
                $now = Find-DdaHostDevice $View $a.params.LocationPath $a.params.InstanceId
                $putsBack = $null -ne $now -and $now.onHost -and -not $now.enabled
            }
            $why = $null
            if (-not $putsBack) { $why = Get-DdaTakeRefusal $View $a $consents }
            if ($why) { return "$which $($s.id) is refused: $why" }
        }
    }
    # Scope: the VM the intent names (a move's target), plus at most one it does not (the device's
    # holder, for revert and move, and an assign of a device a VM holds); devices on the card of the
    # intent's device.
    $named = $null
    if ($intent.vmName -is [string]) { $named = $intent.vmName } elseif ($intent.toVm -is [string]) { $named = $intent.toVm }
    $namedIds = @($View.vms | Where-Object { $_.name -ceq $named } | ForEach-Object { $_.id })
    # Hyper-V allows two VMs one name; an intent names its VM, so with two it is unknown which is meant.
    if ($namedIds.Count -gt 1) { return "$($namedIds.Count) VMs are named '$named': which one the intent means is unknown" }
    $others = @($vmIds.Keys | Where-Object { $namedIds -notcontains $_ })
    $othersAllowed = 0; if ($intent.kind -eq 'revert' -or $intent.kind -eq 'move') { $othersAllowed = 1 }
    if ($intent.kind -eq 'assign' -and $intent.locationPath -is [string]) {
        $held = Find-DdaHostDevice $View $intent.locationPath $null
        if ($held -and $held.owner -eq 'vm') { $othersAllowed = 1 }
    }
    if ($others.Count -gt $othersAllowed) { return "it names $($others.Count) VM(s) its intent does not ($($others -join ', '))" }
    $touched = @()
    foreach ($x in $actions) {
        $pa = $x.action.params
        foreach ($path in @(@($pa.LocationPath) + @($pa.LocationPaths) | Where-Object { $_ })) { $touched += , @{ path = [string]$path; device = (Find-DdaHostDevice $View $path $null) } }
        if ($pa.InstanceId) { $touched += , @{ path = $null; id = [string]$pa.InstanceId; device = (Find-DdaHostDevice $View $null $pa.InstanceId) } }
    }
    if ($intent.locationPath -is [string]) {
        $card = Get-DdaCard $intent.locationPath
        foreach ($t in $touched) {
            if ($t.path -and (Get-DdaCard $t.path) -ne $card) { return "it names the device $($t.path), which is not on the card of $($intent.locationPath)" }
            if (-not $t.path -and (-not $t.device -or -not $t.device.path -or (Get-DdaCard $t.device.path) -ne $card)) { return "it names the device $($t.id), which is not on the card of $($intent.locationPath)" }
        }
    }
    # The role's allow list.
    if ($Policy.ContainsKey('AllowedVms')) {
        foreach ($id in @($vmIds.Keys)) {
            $vm = @($View.vms | Where-Object { $_.id -eq $id })[0]
            $vmName = ''; if ($vm) { $vmName = $vm.name }
            if (-not (Test-DdaAllowed $vmName $Policy.AllowedVms)) { return "the VM '$vmName' ($id) is not in this role's allow list" }
        }
    }
    if ($Policy.ContainsKey('AllowedDeviceClasses')) {
        foreach ($t in $touched) {
            $class = ''; if ($t.device) { $class = $t.device.class }
            if (-not (Test-DdaAllowed $class $Policy.AllowedDeviceClasses)) { return "the device $($t.path)$($t.id) (class '$class') is not in this role's allow list" }
        }
    }
    $null
}

# Runs one shipped step script with its parameters; returns @{ ok; ms; error; value }.
function Invoke-DdaHostStep {
    param($Action)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $paramsJson = ConvertTo-Json -InputObject $Action.params -Depth 5 -Compress
    $json = Invoke-DdaScript -Text $script:Operations[$Action.script] -Path ($Action.script + '.ps1') -ParamsJson $paramsJson -ScriptHash ('DDAStudio.Host:' + $Action.script)
    $envelope = ConvertFrom-DdaJson $json
    @{ ok = [bool]$envelope.ok; ms = [int]$clock.ElapsedMilliseconds; error = $envelope.error; value = $envelope.value }
}

# Whether two values from JSON are the same, as TypeScript's === has them: no conversion between a
# boolean, a string and a number (PowerShell's -eq would take 'x' for $true, '5' for 5); strings by case.
function Test-DdaSameValue($A, $B) {
    if ($A -is [bool] -or $B -is [bool]) { return ($A -is [bool]) -and ($B -is [bool]) -and $A -eq $B }
    if ($A -is [string] -or $B -is [string]) { return ($A -is [string]) -and ($B -is [string]) -and $A -ceq $B }
    if ($null -eq $A -or $null -eq $B) { return ($null -eq $A) -and ($null -eq $B) }
    [double]$A -eq [double]$B
}

# Whether any of a step's effect is left on the host for its undo to take back, judged from a fresh
# Get-DdaHostView: $true, $false, or $null when it cannot be told. The rules of effectLeft in
# main/host/executor-effects.ts, by which the client judges the same step afterwards.
function Get-DdaEffectLeft {
    param($Step, $View)
    $p = $Step.action.params
    $vm = $null
    if ($p.VmId) { $want = ([string]$p.VmId).ToLowerInvariant(); foreach ($x in @($View.vms)) { if ($x.id -eq $want) { $vm = $x; break } } }
    $holds = { param($path) [bool]($path -is [string] -and @($vm.entries | Where-Object { $_.path -eq $path }).Count -gt 0) }
    # A VM on its way between states: where it ends is not known yet.
    $settling = $vm -and $vm.state -match '^(Starting|Stopping|Saving|Pausing|Resuming|FastSaving|Reset)(Critical)?$|^Force(Shutdown|Reboot)$'
    $d = $null
    if (@('disable-device', 'enable-device', 'dismount-device', 'mount-device') -ccontains $Step.kind) { $d = Find-DdaHostDevice $View $p.LocationPath $p.InstanceId }
    switch -CaseSensitive ($Step.kind) {
        'stop-vm' { if (-not $vm -or $settling) { return $null }; return $vm.state -eq 'Off' }
        'start-vm' { if (-not $vm -or $settling) { return $null }; return $vm.state -eq 'Running' }
        'remove-saved-state' { if (-not $vm) { return $null }; return $vm.state -ne 'Saved' }
        'disable-device' { if (-not $d) { return $null }; return (-not $d.enabled) -or $d.owner -ne 'host' }
        'enable-device' { if (-not $d) { return $null }; return $d.enabled -and $d.owner -eq 'host' }
        'dismount-device' { if (-not $d) { return $null }; return $d.owner -ne 'host' }
        'mount-device' { if (-not $d) { return $null }; return $d.owner -eq 'host' }
        'add-device' { if (-not $vm) { return $null }; return (& $holds $p.LocationPath) }
        'remove-device' { if (-not $vm) { return $null }; return -not (& $holds $p.LocationPath) }
        # A removal may stop halfway: its effect is left while the VM lacks any entry the undo adds back.
        'remove-all-devices' {
            $paths = $null; if ($Step.undo) { $paths = $Step.undo.params.LocationPaths }
            if (-not $vm -or $paths -isnot [array]) { return $null }
            return @($paths | Where-Object { -not (& $holds $_) }).Count -gt 0
        }
        default {
            if ($Step.kind -notmatch '^set-vm-' -or -not $vm) { return $null }
            $checked = 0
            foreach ($name in @('AutomaticStopAction', 'GuestControlledCacheTypes', 'LowMemoryMappedIoSpace', 'HighMemoryMappedIoSpace', 'DynamicMemoryEnabled')) {
                if (-not $p.ContainsKey($name)) { continue }
                $checked++
                if (-not (Test-DdaSameValue $vm[$name] $p[$name])) { return $false }
            }
            if ($checked -eq 0) { return $null }
            return $true
        }
    }
}

# Runs the checked steps in order; on a failure undoes the completed ones in reverse, and first the failed
# step itself when it may have changed the host: real cmdlets fail after their change too (a dismount done
# but its PCIP\ device not listed yet, a removal stopped halfway). Its undo runs unless the host, read
# again, shows none of its effect (a host that cannot be read cannot tell: the undo runs), and never when
# it turns a VM off without the consent turn-off-vm (a VM running after a failed start may have been
# started by someone else). The rules of the client's executor (main/host/executor.ts stepsToUndo).
# The log lists every step and undo as it ended: @{ stepId; phase = 'step' | 'undo'; ok; ms; error }.
function Invoke-DdaHostPlanSteps {
    param($Steps, [string[]]$Consents)
    $log = New-Object System.Collections.Generic.List[object]
    $completed = New-Object System.Collections.Generic.List[object]
    # Consented to as the planner asks it (plan.consents lists turn-off-vm only for a plan that turns a VM
    # off, and the endpoint trusts only choices.consents): given, and the plan has a step that turns one off.
    $turnOffAsked = ($Consents -contains 'turn-off-vm') -and (@($Steps | Where-Object { $_.kind -eq 'stop-vm' }).Count -gt 0)
    # The rollback: the steps to undo, newest first, how far it got, and whether each undo worked.
    $rollback = @{ steps = $null; next = 0; allUndone = $true }
    $running = $null
    $outcome = $null
    try {
        foreach ($s in $Steps) {
            $running = $s
            $r = Invoke-DdaHostStep $s.action
            $running = $null
            $log.Add(@{ stepId = $s.id; phase = 'step'; ok = $r.ok; ms = $r.ms; error = $r.error; output = $r.value })
            if ($r.ok) { $completed.Add($s); continue }
            $rollback.steps = Get-DdaUndoList $s $completed $turnOffAsked
            Invoke-DdaRollback $rollback $log
            $status = 'rolled-back'; if (-not $rollback.allUndone) { $status = 'rollback-failed' }
            $outcome = @{ status = $status; failedStepId = $s.id; error = $r.error; log = $log.ToArray() }
            break
        }
        if ($null -eq $outcome) { $outcome = @{ status = 'succeeded'; failedStepId = $null; error = $null; log = $log.ToArray() } }
    } finally {
        # Stopped before it ended: PowerShell stops the plan's pipeline when the client's time limit passes
        # (Stop-Job) or its connection closes, and then runs only finally blocks. Nobody else can roll the
        # plan back (the client only judges a JEA plan afterwards), so it is done here, from where it got:
        # the step that was running is undone when the host shows its effect, then the steps done.
        if ($null -eq $outcome) {
            if ($null -eq $rollback.steps) { $rollback.steps = Get-DdaUndoList $running $completed $turnOffAsked }
            Invoke-DdaRollback $rollback $log
        }
    }
    $outcome
}

# What a rollback undoes, newest first: the step that failed (or was running) when the host shows its
# effect (or cannot say), then the steps done. A VM is turned off by the failed step's undo only in a plan
# that turns one off and has the consent.
function Get-DdaUndoList($Failed, $Completed, [bool]$TurnOffAsked) {
    $toUndo = New-Object System.Collections.Generic.List[object]
    if ($null -ne $Failed -and $null -ne $Failed.undo -and ($Failed.undo.script -ne 'op-stop-vm' -or $TurnOffAsked)) {
        $left = $null
        try { $left = Get-DdaEffectLeft $Failed (Get-DdaHostView) } catch { $left = $null }
        if ($left -ne $false) { $toUndo.Add($Failed) }
    }
    for ($i = $Completed.Count - 1; $i -ge 0; $i--) { $toUndo.Add($Completed[$i]) }
    , $toUndo.ToArray()
}

# Runs the rollback's undos from where it got (a rollback stopped halfway goes on from its next undo).
function Invoke-DdaRollback($Rollback, $Log) {
    while ($Rollback.next -lt $Rollback.steps.Count) {
        $c = $Rollback.steps[$Rollback.next]
        $Rollback.next++
        if ($null -eq $c.undo) { continue }
        $u = Invoke-DdaHostStep $c.undo
        $Log.Add(@{ stepId = $c.id; phase = 'undo'; ok = $u.ok; ms = $u.ms; error = $u.error })
        if (-not $u.ok) { $Rollback.allUndone = $false }
    }
}
