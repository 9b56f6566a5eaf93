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
# Enumerations with the real names and values, so that output objects behave as on a host:
# [string] gives the name, ConvertTo-Json gives the number (Windows PowerShell 5.1 and 7 alike).
# Values: Hyper-V's enums mirror the Msvm_* WMI values (Msvm_ComputerSystem EnabledState,
# Msvm_VirtualSystemSettingData AutomaticStartupAction / AutomaticShutdownAction / UserSnapshotType,
# Msvm_VirtualEthernetSwitchSettingData's switch types); Win32 ConfigManagerErrorCode from the CM_PROB_*
# constants in cfg.h. See reference/README.md.
# Full names: the Hyper-V ones are Microsoft.HyperV.PowerShell.* (the parameter types' full names in
# reference/cmdlets.json). The NetTCPIP ones are CDXML-generated types, named
# Microsoft.PowerShell.Cmdletization.GeneratedTypes.<enum name of the .cdxml> (NetIPAddress.AddressFamily,
# ...). PnP's ConfigManagerErrorCode keeps its short name (no source gives its full name: a guess).
# They are made with Reflection.Emit in one dynamic assembly, not with the `enum` keyword: PowerShell's
# type definer costs about 55 ms at import (a third of the module's own load), Emit a few. PowerShell
# resolves types in dynamic assemblies, so [Microsoft.HyperV.PowerShell.VMState] works in scripts.
# ---------------------------------------------------------------------------------------------------
$script:SimEnums = [ordered]@{
    'Microsoft.HyperV.PowerShell.VMState'             = [ordered]@{ Other = 1; Running = 2; Off = 3; Stopping = 4; Saved = 6; Paused = 9; Starting = 10; Reset = 11; Saving = 32773; Pausing = 32776; Resuming = 32777; FastSaved = 32779; FastSaving = 32780 }
    'Microsoft.HyperV.PowerShell.StopAction'          = [ordered]@{ TurnOff = 2; Save = 3; ShutDown = 4 }
    'Microsoft.HyperV.PowerShell.StartAction'         = [ordered]@{ Nothing = 2; StartIfRunning = 3; Start = 4 }
    'Microsoft.HyperV.PowerShell.CriticalErrorAction' = [ordered]@{ None = 0; Pause = 1 }
    'Microsoft.HyperV.PowerShell.OnOffState'          = [ordered]@{ On = 0; Off = 1 }
    'Microsoft.HyperV.PowerShell.CheckpointType'      = [ordered]@{ Disabled = 2; Production = 3; ProductionOnly = 4; Standard = 5 }
    'Microsoft.HyperV.PowerShell.VMSwitchType'        = [ordered]@{ Private = 0; Internal = 1; External = 2 }
    'ConfigManagerErrorCode'                          = [ordered]@{ CM_PROB_NONE = 0; CM_PROB_DISABLED = 22; CM_PROB_PHANTOM = 45 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressFamily' = [ordered]@{ IPv4 = 2; IPv6 = 23 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.AddressState'  = [ordered]@{ Invalid = 0; Tentative = 1; Duplicate = 2; Deprecated = 3; Preferred = 4 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.PrefixOrigin'  = [ordered]@{ Other = 0; Manual = 1; WellKnown = 2; Dhcp = 3; RouterAdvertisement = 4 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.SuffixOrigin'  = [ordered]@{ Other = 0; Manual = 1; WellKnown = 2; Dhcp = 3; Link = 4; Random = 5 }
    'Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetIPAddress.Type'          = [ordered]@{ Unicast = 1; Anycast = 2 }
}
# A second import in one process (Import-Module -Force) reuses the types made by the first, and a type a
# loaded module already has (Hyper-V's own, where the simulator is loaded beside it) is not made again: each is
# looked for by its exact name, not with -as [type] (PowerShell looks for a name it cannot find in every
# loaded assembly without case, which costs 20-25 ms the first time in a process).
$simTypesMissing = [System.Collections.Generic.List[string]]@()
$simAssemblies = [AppDomain]::CurrentDomain.GetAssemblies()
foreach ($name in $script:SimEnums.Keys) {
    $made = $false
    foreach ($assembly in $simAssemblies) { if ($null -ne $assembly.GetType($name, $false, $false)) { $made = $true; break } }
    if (-not $made) { $simTypesMissing.Add($name) }
}
if ($simTypesMissing.Count -gt 0) {
    $simTypesModule = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly([System.Reflection.AssemblyName]('DdaSim.Types.' + [guid]::NewGuid().ToString('N')), [System.Reflection.Emit.AssemblyBuilderAccess]::Run).DefineDynamicModule('DdaSim.Types')
    foreach ($name in $simTypesMissing) {
        $builder = $simTypesModule.DefineEnum($name, [System.Reflection.TypeAttributes]::Public, [int])
        foreach ($literal in $script:SimEnums[$name].GetEnumerator()) { $null = $builder.DefineLiteral($literal.Key, [int]$literal.Value) }
        $null = $builder.CreateTypeInfo()
    }
}

# ---------------------------------------------------------------------------------------------------
# The simulated host itself is in DdaSim.Host.ps1, read here, after the enums exist. PowerShell resolves
# every type name of a script when it parses it; a name it cannot find yet (the enums above, in the same
# file) is looked for in each loaded assembly without case, each time. Parsed after they exist, the
# host's functions find them at once: 70 ms less of every import (measured 2026-12-02, pwsh 7.6.9).
# ---------------------------------------------------------------------------------------------------
$script:SimModuleFiles = @($PSCommandPath, [IO.Path]::Combine($PSScriptRoot, 'DdaSim.Host.ps1'))
. $script:SimModuleFiles[1]
Export-ModuleMember -Function ($DdaSimCmdlets + @('Get-DdaSimStats', 'Reset-DdaSimStats', 'Test-DdaSimProfile')) -Alias 'gwmi' -Variable 'DdaSimCmdlets'
