# DDAStudio.Host: DDA Studio's operations on the Hyper-V host, each whole, for a least-privilege
# endpoint. A caller can do two things and nothing else (no script text, no commands, no single step):
#  - Invoke-DdaHostOperation -Name inventory|doctor|capture: read the host (the read operations);
#  - Invoke-DdaHostPlan -RequestJson: run a whole plan (assign, revert, move, repair, repoint, return-orphans,
#    start-vm, enable-device, fit-vm)
#    that the endpoint re-checks against the host as it is now, with every refusal of the planner that
#    guards the host, and runs with rollback here (DDAStudio.Host.Plan.ps1 says what it checks).
# Each returns one JSON envelope string: the same contract as the app's full endpoint.
#
# Layout (written by main/hosts/jea-module.ts, `dda hosts jea-module <folder>`):
#   DDAStudio.Host.psd1, DDAStudio.Host.psm1    this module
#   dispatcher.ps1                               the app's dispatcher (Invoke-DdaScript and its helpers)
#   scripts\host-functions.ps1                   helpers our scripts use (loaded here, not an operation)
#   scripts\inventory.ps1, doctor.ps1, capture.ps1  the read operations Invoke-DdaHostOperation runs
#   scripts\op-*.ps1                             the steps; run only inside a checked plan, never alone
#   DDAStudio.Host.Plan.ps1                      the host-side checks and the run with rollback
#   DDAStudio.Host.Policy.psd1 (optional)        an administrator's allow list of VMs and device classes
#   RoleCapabilities\DDAStudioOperator.psrc      the JEA role (only the three functions below)
#   DDAStudio.pssc, DDAStudio.Host.ssh.pssc      session configurations (WinRM JEA; SSH subsystem)
#   Register-DDAStudioEndpoint.ps1               the one-command registration on the host
#
# Scope: the dispatcher and the host functions are written for a plain session and define their
# functions and state as `global:`. Here their text is loaded into THIS module's scope with nothing
# changed but that: `function global:` becomes `function` and `$global:Dda` becomes `$script:Dda`.
# So a restricted (JEA) session sees only the three exported functions, and no Dda* variables.
#
# Simulated hosts (tests, demos): when BOTH DDA_SIM_STATE (the simulator's state file) and
# DDA_SIM_MODULE (the path of DdaSim.psm1) are set in the environment of the process that imports this
# module, the simulator is imported first, into this module's scope: its Get-VM, Get-PnpDevice,
# Get-DdaPlatformFacts... then shadow the real cmdlets for our scripts only, and Get-DdaHostInfo says
# `simulated = $true`. On Windows only the MACHINE environment counts (an administrator's setting): a
# value that reached the session's own environment (an ssh client's SetEnv that sshd accepted, a user
# variable) is replaced by the machine's, or removed, so no caller can make this module, running as the
# endpoint's privileged account, import a module of their choosing. Elsewhere (the Linux tests, where
# sshd's SetEnv stands in for that setting) the process environment is used.
#
# Windows PowerShell 5.1 compatible (no ternary, ??, ::new(), -AsHashtable).

$script:ModuleRoot = $PSScriptRoot
if ([Environment]::OSVersion.Platform -eq [PlatformID]::Win32NT) {
    foreach ($name in @('DDA_SIM_STATE', 'DDA_SIM_MODULE')) {
        [Environment]::SetEnvironmentVariable($name, [Environment]::GetEnvironmentVariable($name, 'Machine'), 'Process')
    }
}
$script:Simulated = [bool]($env:DDA_SIM_STATE -and $env:DDA_SIM_MODULE)

# Every shipped script by its path relative to this folder ('/'-separated), read once. With .NET only:
# until the dispatcher has filtered the module path, a cmdlet from a module (Join-Path, Get-ChildItem)
# would be looked up on it, the user's own folder first. (GetFiles' '*.ps1' also matches '.ps1xml' on
# .NET Framework: the name is checked.)
$script:ShippedScripts = @{}
$script:ShippedScripts['dispatcher.ps1'] = [IO.File]::ReadAllText([IO.Path]::Combine($script:ModuleRoot, 'dispatcher.ps1'))
foreach ($file in [IO.Directory]::GetFiles([IO.Path]::Combine($script:ModuleRoot, 'scripts'), '*.ps1')) {
    if (-not $file.EndsWith('.ps1', [StringComparison]::OrdinalIgnoreCase)) { continue }
    $script:ShippedScripts['scripts/' + [IO.Path]::GetFileName($file)] = [IO.File]::ReadAllText($file)
}
if (-not $script:ShippedScripts.ContainsKey('scripts/host-functions.ps1')) {
    throw "DDAStudio.Host is incomplete: scripts\host-functions.ps1 is missing in $script:ModuleRoot. Write the module again with 'dda hosts jea-module <folder>'."
}

function ConvertTo-DdaModuleScopedBlock {
    param([string]$Text)
    [scriptblock]::Create(($Text -replace '(?m)^(\s*)function global:', '$1function ' -replace '\$global:Dda', '$$script:Dda'))
}
# Dot-sourced here, so their functions and variables land in the module's scope. The dispatcher first:
# it keeps only trusted folders (Program Files, System32's WindowsPowerShell, $PSHOME) on PSModulePath.
. (ConvertTo-DdaModuleScopedBlock $script:ShippedScripts['dispatcher.ps1'])

# The modules of the cmdlets our scripts call, imported into this module's scope, by name from those
# folders. A restricted (JEA) session autoloads nothing ($PSModuleAutoLoadingPreference None once
# the role makes anything visible) and holds only PowerShell's own snap-ins (InitialSessionState,
# PowerShell/PowerShell@60b3b304f2; Microsoft's JEA maintainers: "add every module the functions call to
# ModulesToImport", PowerShell/JEA#42): without this, Get-VM, Get-PnpDevice... are not found on a real
# host. Imported here rather than in the role, so a host without one of them still reads what it can
# (the inventory says what is missing) and the operator still sees only the three functions.
foreach ($m in @('Hyper-V', 'PnpDevice', 'CimCmdlets', 'NetAdapter', 'NetTCPIP', 'Storage', 'Microsoft.PowerShell.Diagnostics')) {
    Import-Module -Name $m -ErrorAction SilentlyContinue
}
# The simulator after them: its functions shadow theirs (a CDXML module's are functions too), and before
# the host functions, which define their primitives only when the simulator has not.
if ($script:Simulated) { Import-Module -Name $env:DDA_SIM_MODULE -DisableNameChecking -Force }
. (ConvertTo-DdaModuleScopedBlock $script:ShippedScripts['scripts/host-functions.ps1'])

# The checks and the run of whole plans, in this module's scope.
. (Join-Path $script:ModuleRoot 'DDAStudio.Host.Plan.ps1')

# Every shipped script but the host functions, by name: the read operations and the steps.
$script:Operations = @{}
foreach ($path in @($script:ShippedScripts.Keys)) {
    if ($path -like 'scripts/*' -and $path -ne 'scripts/host-functions.ps1') {
        $script:Operations[[IO.Path]::GetFileNameWithoutExtension($path)] = $script:ShippedScripts[$path]
    }
}
# What a caller may run: the read operations by name (the inventory, and the app's Help > Check this host
# and Save host report, read-only as well), and whole plans of these intents (never a step).
$script:ReadOperations = @('inventory', 'doctor', 'capture')
$script:OperationNames = [string[]]@('capture', 'doctor', 'inventory', 'plan:assign', 'plan:enable-device', 'plan:fit-vm', 'plan:move', 'plan:repair', 'plan:repoint', 'plan:return-orphans', 'plan:revert', 'plan:start-vm')

# Version skew check for the client: SHA-256 (lowercase hex) of the UTF-8 concatenation, in ordinal
# order of the relative paths, of "<path>`n<text>`n" for every shipped script (BOM not included).
# main/hosts/jea-module.ts (jeaScriptsHash) computes the same from the app's own files.
$script:ScriptsHash = & {
    $paths = [string[]]@($script:ShippedScripts.Keys)
    [Array]::Sort($paths, [StringComparer]::Ordinal)
    $sb = New-Object System.Text.StringBuilder
    foreach ($p in $paths) { $null = $sb.Append($p).Append("`n").Append($script:ShippedScripts[$p]).Append("`n") }
    $sha = [Security.Cryptography.SHA256]::Create()
    try { $bytes = $sha.ComputeHash((New-Object System.Text.UTF8Encoding $false).GetBytes($sb.ToString())) } finally { $sha.Dispose() }
    ([BitConverter]::ToString($bytes) -replace '-', '').ToLowerInvariant()
}

function Invoke-DdaHostOperation {
    <#
    .SYNOPSIS
    Runs one of DDA Studio's read operations (inventory, doctor, capture) with its parameters as JSON; returns the result
    envelope as one JSON string: {"ok":true,"value":...,"errors":[...]} or {"ok":false,"error":{...},"errors":[...]}.
    A step (op-*) is never run alone: changes go through Invoke-DdaHostPlan.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][ValidatePattern('^[a-z][a-z0-9-]{0,63}$')][string]$Name,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$ParametersJson
    )
    if ($script:Operations.ContainsKey($Name) -and $script:ReadOperations -notcontains $Name) {
        return (ConvertTo-DdaEnvelopeJson @{ ok = $false; errors = @(); error = @{ kind = 'protocol'; message = "DDAStudio.Host never runs the step '$Name' alone: it runs whole plans (Invoke-DdaHostPlan), checked on this host."; fullyQualifiedErrorId = 'StepNotExposed,DDAStudio.Host' } })
    }
    if ($script:ReadOperations -notcontains $Name) {
        $known = $script:ReadOperations -join ', '
        return (ConvertTo-DdaEnvelopeJson @{ ok = $false; errors = @(); error = @{ kind = 'protocol'; message = "DDAStudio.Host has no operation '$Name' (it has: $known)."; fullyQualifiedErrorId = 'UnknownOperation,DDAStudio.Host' } })
    }
    if (-not $ParametersJson) { $ParametersJson = '{}' }
    # The text is ours (read at import); the hash only names its parsed block in the dispatcher's cache.
    Invoke-DdaScript -Text $script:Operations[$Name] -Path ($Name + '.ps1') -ParamsJson $ParametersJson -ScriptHash ('DDAStudio.Host:' + $Name)
}

function Invoke-DdaHostPlan {
    <#
    .SYNOPSIS
    Runs one whole DDA Studio plan on this host: -RequestJson is {"Plan": <the plan as DDA Studio made
    it>}. The host is read again and the plan refused unless every check of DDAStudio.Host.Plan.ps1
    passes (error id PlanRefused,DDAStudio.Host; nothing ran); otherwise its steps run in order and a
    failure undoes the failed step (when the host shows its effect) and the completed ones in reverse. Returns the envelope as one JSON string, its value
    {status, failedStepId, error, log: [{stepId, phase: step|undo, ok, ms, error}]}.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][ValidateLength(2, 8388608)][string]$RequestJson)
    $refuse = {
        param([string]$Why, [string]$Id)
        ConvertTo-DdaEnvelopeJson @{ ok = $false; errors = @(); error = @{ kind = 'powershell'; category = 'PermissionDenied'; message = "DDAStudio.Host refused the plan on $([Environment]::MachineName): $Why. Nothing was changed."; fullyQualifiedErrorId = "$Id,DDAStudio.Host" } }
    }
    $request = $null
    try { $request = ConvertFrom-DdaJson $RequestJson } catch { $request = $null }
    if ($request -isnot [hashtable] -or $request.Plan -isnot [hashtable]) { return (& $refuse 'the request is not {"Plan": {...}}' 'PlanMalformed') }
    try { $view = Get-DdaHostView } catch { return (& $refuse ('the host could not be read to check it: ' + $_.Exception.Message) 'HostUnreadable') }
    try { $policy = Get-DdaHostPolicy } catch { return (& $refuse ("this role's allow list could not be read: " + $_.Exception.Message) 'PolicyUnreadable') }
    $why = Get-DdaPlanRefusal $request.Plan $view $policy
    if ($why) { return (& $refuse $why 'PlanRefused') }
    ConvertTo-DdaEnvelopeJson @{ ok = $true; value = (Invoke-DdaHostPlanSteps $request.Plan.steps ([string[]]@($request.Plan.choices.consents | Where-Object { $null -ne $_ }))); errors = @() }
}

function Get-DdaHostInfo {
    <#
    .SYNOPSIS
    What the client shows and checks on connect: the host, its PowerShell, this module's version, the
    hash of its scripts (see $script:ScriptsHash), its operations, and whether the host is simulated.
    #>
    [CmdletBinding()]
    param()
    @{
        computerName  = [Environment]::MachineName
        version       = [string]$PSVersionTable.PSVersion
        edition       = [string]$PSVersionTable.PSEdition
        simulated     = $script:Simulated
        moduleVersion = [string]$MyInvocation.MyCommand.Module.Version
        scriptsHash   = $script:ScriptsHash
        operations    = $script:OperationNames
    }
}

Export-ModuleMember -Function Invoke-DdaHostOperation, Invoke-DdaHostPlan, Get-DdaHostInfo
