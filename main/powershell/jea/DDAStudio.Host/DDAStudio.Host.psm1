# DDAStudio.Host: runs DDA Studio's own scripts (shipped beside this file) by name, with their
# parameters as one JSON string, and returns one JSON envelope string: the same contract as the app's
# full endpoint, but the caller can name an operation and nothing else (no script text, no commands).
#
# The dispatcher and the host functions are loaded into THIS module's scope ('function global:' made
# module-private), so a restricted (JEA) session sees only the two exported functions.
# A simulated host (tests, demos) names the simulator in its environment (DDA_SIM_STATE and
# DDA_SIM_MODULE); the simulator is then imported into this module's scope first, so its functions
# shadow the real cmdlets for our scripts only.
# Windows PowerShell 5.1 compatible.

$script:ModuleRoot = $PSScriptRoot
$script:Simulated = [bool]($env:DDA_SIM_STATE -and $env:DDA_SIM_MODULE)
if ($script:Simulated) { Import-Module -Name $env:DDA_SIM_MODULE -DisableNameChecking -Force }

function Import-DdaModuleScopedScript {
    param([string]$Path)
    $text = [IO.File]::ReadAllText($Path) -replace '(?m)^(\s*)function global:', '$1function '
    . ([scriptblock]::Create($text))
}
. Import-DdaModuleScopedScript (Join-Path $script:ModuleRoot 'dispatcher.ps1')
. Import-DdaModuleScopedScript (Join-Path (Join-Path $script:ModuleRoot 'scripts') 'host-functions.ps1')

# The operations: every shipped script but the host functions, read once.
$script:Operations = @{}
foreach ($file in (Get-ChildItem -LiteralPath (Join-Path $script:ModuleRoot 'scripts') -Filter '*.ps1')) {
    $name = [IO.Path]::GetFileNameWithoutExtension($file.Name)
    if ($name -ne 'host-functions') { $script:Operations[$name] = [IO.File]::ReadAllText($file.FullName) }
}
$script:ScriptsHash = & {
    $sha = [Security.Cryptography.SHA256]::Create()
    $all = ($script:Operations.Keys | Sort-Object | ForEach-Object { $_ + "`n" + $script:Operations[$_] }) -join "`n"
    ([BitConverter]::ToString($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($all))) -replace '-', '').ToLowerInvariant()
}

function Invoke-DdaHostOperation {
    <# Runs one DDA Studio operation by name with its parameters (JSON); returns the envelope (JSON). #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][ValidatePattern('^[a-z][a-z0-9-]{0,63}$')][string]$Name,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$ParametersJson
    )
    if (-not $script:Operations.ContainsKey($Name)) {
        $known = ($script:Operations.Keys | Sort-Object) -join ', '
        return (ConvertTo-DdaEnvelopeJson @{ ok = $false; errors = @(); error = @{ kind = 'protocol'; message = "DDAStudio.Host has no operation '$Name' (it has: $known)."; fullyQualifiedErrorId = 'UnknownOperation,DDAStudio.Host' } })
    }
    if (-not $ParametersJson) { $ParametersJson = '{}' }
    Invoke-DdaScript -Text $script:Operations[$Name] -Path ($Name + '.ps1') -ParamsJson $ParametersJson -ScriptHash ('DDAStudio.Host:' + $Name)
}

function Get-DdaHostInfo {
    <# What the client shows and checks: the host, its PowerShell, this module's version and scripts. #>
    [CmdletBinding()]
    param()
    @{
        computerName  = [Environment]::MachineName
        version       = [string]$PSVersionTable.PSVersion
        edition       = [string]$PSVersionTable.PSEdition
        simulated     = $script:Simulated
        moduleVersion = [string]$MyInvocation.MyCommand.Module.Version
        scriptsHash   = $script:ScriptsHash
        operations    = @($script:Operations.Keys | Sort-Object)
    }
}

Export-ModuleMember -Function Invoke-DdaHostOperation, Get-DdaHostInfo
