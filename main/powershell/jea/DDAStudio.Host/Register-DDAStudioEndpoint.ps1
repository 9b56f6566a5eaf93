# Registers DDA Studio's least-privilege JEA endpoint on this Hyper-V host (elevated Windows PowerShell):
#   .\Register-DDAStudioEndpoint.ps1 [-OperatorGroup 'CONTOSO\DDA Operators'] [-Unregister]
# Installs this module to Program Files, writes the session configuration (RestrictedRemoteServer, a
# temporary virtual account, transcripts, the DDAStudioOperator role for -OperatorGroup) and registers
# it as 'DDAStudio'. Registering restarts WinRM: open remote sessions to this host drop once.
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$OperatorGroup = 'BUILTIN\Administrators',
    [string]$Name = 'DDAStudio',
    [switch]$Unregister
)
$ErrorActionPreference = 'Stop'
$principal = New-Object Security.Principal.WindowsPrincipal ([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { throw 'Run this from an elevated PowerShell (Run as administrator).' }

if ($Unregister) {
    if (Get-PSSessionConfiguration -Name $Name -ErrorAction SilentlyContinue) { Unregister-PSSessionConfiguration -Name $Name -Force }
    Write-Output "The '$Name' endpoint is unregistered. The module stays in Program Files; remove it by hand if you wish."
    return
}

$target = Join-Path $env:ProgramFiles 'WindowsPowerShell\Modules\DDAStudio.Host'
if ((Resolve-Path -LiteralPath $PSScriptRoot).Path.TrimEnd('\') -ne $target) {
    if (Test-Path -LiteralPath $target) { Remove-Item -LiteralPath $target -Recurse -Force }
    Copy-Item -LiteralPath $PSScriptRoot -Destination $target -Recurse
}
$transcripts = Join-Path $env:ProgramData 'DDAStudio\Transcripts'
New-Item -ItemType Directory -Path $transcripts -Force | Out-Null
$pssc = Join-Path $target 'DDAStudio.pssc'
New-PSSessionConfigurationFile -Path $pssc -SessionType RestrictedRemoteServer -RunAsVirtualAccount `
    -TranscriptDirectory $transcripts -RoleDefinitions @{ $OperatorGroup = @{ RoleCapabilities = 'DDAStudioOperator' } }
if (-not (Test-PSSessionConfigurationFile -Path $pssc)) { throw "The generated session configuration $pssc is not valid." }
Register-PSSessionConfiguration -Name $Name -Path $pssc -Force | Out-Null
Write-Output "Registered the '$Name' JEA endpoint for $OperatorGroup. In DDA Studio, tick 'Use the DDA Studio JEA endpoint' for this host."
