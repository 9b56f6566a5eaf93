# Registers DDA Studio's least-privilege JEA endpoint on this Hyper-V host. From an elevated Windows
# PowerShell, in the DDAStudio.Host folder that `dda hosts jea-module <folder>` wrote:
#   .\Register-DDAStudioEndpoint.ps1 [-OperatorGroup 'CONTOSO\DDA Operators']   # register (or update)
#     (without -OperatorGroup: the host's Administrators group, whatever its name in the host's language)
#   .\Register-DDAStudioEndpoint.ps1 -Unregister                                # remove the endpoint
#   .\Register-DDAStudioEndpoint.ps1 -SaveConfigurationTo .\review.pssc         # only write the .pssc
# Registering installs this module to Program Files\WindowsPowerShell\Modules\DDAStudio.Host, writes
# the session configuration from DDAStudio.pssc (RestrictedRemoteServer, a temporary virtual
# administrator account, transcripts in ProgramData\DDAStudio\Transcripts readable by administrators
# only, the DDAStudioOperator role for -OperatorGroup) and registers it as 'DDAStudio'.
# Registering and unregistering RESTART WinRM: open remote sessions to this host drop once.
# Windows PowerShell 5.1 compatible.
[CmdletBinding()]
param(
    # Who may connect: a local or domain group (or user), e.g. 'CONTOSO\DDA Operators'. Default: this
    # host's Administrators group, named in the host's language (below).
    [ValidateNotNullOrEmpty()][string]$OperatorGroup,
    [ValidatePattern('^[A-Za-z][A-Za-z0-9._-]*$')][string]$Name = 'DDAStudio',
    [switch]$Unregister,
    # Write the session configuration to this file and stop: nothing is installed or registered.
    [string]$SaveConfigurationTo
)
$ErrorActionPreference = 'Stop'
if (-not $OperatorGroup) {
    # The local Administrators group by its well-known SID, S-1-5-32-544: its name is localized
    # ('Administratoren' on a German host: Microsoft Learn's German Well-known SIDs page), and a role whose
    # name does not resolve fails the registration (Register-PSSessionConfiguration:
    # CouldNotResolveRoleDefinitionPrincipal); JEA also matches roles by name at connect time. Off Windows
    # (only -SaveConfigurationTo runs there) the English name is written.
    try { $OperatorGroup = ([Security.Principal.SecurityIdentifier]'S-1-5-32-544').Translate([Security.Principal.NTAccount]).Value } catch { $OperatorGroup = 'BUILTIN\Administrators' }
}
$moduleName = 'DDAStudio.Host'
$programData = $env:ProgramData
if (-not $programData) { $programData = 'C:\ProgramData' }   # -SaveConfigurationTo on another system
$transcripts = $programData.TrimEnd('\') + '\DDAStudio\Transcripts'

function New-DdaSessionConfigurationFile {
    param([string]$Path, [string]$Transcripts)
    # The template's settings, with this host's group and transcript folder.
    $config = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'DDAStudio.pssc')
    $config.TranscriptDirectory = $Transcripts
    $config.RoleDefinitions = @{ $OperatorGroup = @{ RoleCapabilities = 'DDAStudioOperator' } }
    New-PSSessionConfigurationFile -Path $Path @config
}

if ($SaveConfigurationTo) {
    New-DdaSessionConfigurationFile -Path $SaveConfigurationTo -Transcripts $transcripts
    Write-Output "Wrote $SaveConfigurationTo. Nothing was installed or registered."
    return
}

$principal = New-Object Security.Principal.WindowsPrincipal ([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) { throw 'Run this from an elevated PowerShell (Run as administrator).' }

if ($Unregister) {
    if (Get-PSSessionConfiguration -Name $Name -ErrorAction SilentlyContinue) {
        Write-Warning "Unregistering '$Name' restarts WinRM: open remote sessions to this host drop once."
        Unregister-PSSessionConfiguration -Name $Name -Force
    }
    Write-Output "The '$Name' endpoint is not registered. The module stays in Program Files\WindowsPowerShell\Modules\$moduleName; remove that folder if you wish."
    return
}

foreach ($f in @("$moduleName.psd1", 'dispatcher.ps1', 'scripts\inventory.ps1', 'scripts\host-functions.ps1', 'DDAStudio.pssc')) {
    if (-not (Test-Path -LiteralPath (Join-Path $PSScriptRoot $f))) {
        throw "$f is missing beside this script: run it from the module folder that 'dda hosts jea-module <folder>' wrote."
    }
}

# The module, where JEA's ModulesToImport and RoleCapabilities find it (writable by administrators only).
# Program Files as the system knows it, not $env:ProgramFiles (a user variable an elevated console inherits).
$target = Join-Path ([Environment]::GetFolderPath([Environment+SpecialFolder]::ProgramFiles)) "WindowsPowerShell\Modules\$moduleName"
# Is this script already there? Asked of the file system, not of the path's text (8.3 names, junctions
# and case spell one folder many ways): a marker written here is looked for there.
# (Run from read-only media, where no marker can be written, it is not there.)
$marker = 'dda-register-' + [guid]::NewGuid().ToString('n')
$inPlace = $false
try { [IO.File]::WriteAllText((Join-Path $PSScriptRoot $marker), '') } catch { $marker = $null }
if ($null -ne $marker) {
    try { $inPlace = Test-Path -LiteralPath (Join-Path $target $marker) } finally { Remove-Item -LiteralPath (Join-Path $PSScriptRoot $marker) -Force }
}
if (-not $inPlace) {
    # The old module is moved aside, not deleted, until the new one is in place: an administrator's allow
    # list (DDAStudio.Host.Policy.psd1) in it stays (an upgrade must not widen the role to every VM and
    # device class; one that comes with the new module replaces it), and a copy that fails leaves it there.
    $policyName = "$moduleName.Policy.psd1"
    $aside = $null
    if (Test-Path -LiteralPath $target) {
        $aside = $target + '.old-' + (Get-Date -Format 'yyyyMMddHHmmss')
        Rename-Item -LiteralPath $target -NewName (Split-Path -Leaf $aside)
    }
    Copy-Item -LiteralPath $PSScriptRoot -Destination $target -Recurse
    if ($null -ne $aside) {
        if ((Test-Path -LiteralPath (Join-Path $aside $policyName)) -and -not (Test-Path -LiteralPath (Join-Path $target $policyName))) {
            Copy-Item -LiteralPath (Join-Path $aside $policyName) -Destination (Join-Path $target $policyName)
            Write-Output "Kept the allow list $policyName of the module that was replaced."
        }
        Remove-Item -LiteralPath $aside -Recurse -Force
    }
}

# Transcripts of every JEA session: owned by and readable to Administrators and SYSTEM only, and so is
# the DDAStudio folder above them. ProgramData lets any user create a folder there: one who made (and so
# owns) ProgramData\DDAStudio first could swap the Transcripts folder below it for one of their own, or
# have made either a junction to a folder they own: such a folder is refused, for an administrator to
# look at and remove.
New-Item -ItemType Directory -Path $transcripts -Force | Out-Null
foreach ($folder in @((Split-Path -Parent $transcripts), $transcripts)) {
    if (((Get-Item -LiteralPath $folder -Force).Attributes -band [IO.FileAttributes]::ReparsePoint) -ne 0) {
        throw "$folder is a junction or link, which DDA Studio did not make: remove it (and check who made it), then run this again."
    }
}
$admins = New-Object Security.Principal.SecurityIdentifier 'S-1-5-32-544'
$acl = New-Object Security.AccessControl.DirectorySecurity
$acl.SetAccessRuleProtection($true, $false)
$acl.SetOwner($admins)
foreach ($sid in @($admins, (New-Object Security.Principal.SecurityIdentifier 'S-1-5-18'))) {
    $acl.AddAccessRule((New-Object Security.AccessControl.FileSystemAccessRule $sid, 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow'))
}
foreach ($folder in @((Split-Path -Parent $transcripts), $transcripts)) { Set-Acl -LiteralPath $folder -AclObject $acl }

# Written to this administrator's own temp folder; Register-PSSessionConfiguration keeps its own copy.
$pssc = Join-Path $env:TEMP ('DDAStudio-' + [guid]::NewGuid().ToString('n') + '.pssc')
try {
    New-DdaSessionConfigurationFile -Path $pssc -Transcripts $transcripts
    if (-not (Test-PSSessionConfigurationFile -Path $pssc)) { throw "The generated session configuration $pssc is not valid." }
    Write-Warning "Registering '$Name' restarts WinRM: open remote sessions to this host drop once."
    Register-PSSessionConfiguration -Name $Name -Path $pssc -Force | Out-Null
} finally {
    Remove-Item -LiteralPath $pssc -Force -ErrorAction SilentlyContinue
}
Write-Output "Registered the '$Name' JEA endpoint for $OperatorGroup (module $target). In DDA Studio, tick 'Use the DDA Studio JEA endpoint' for this host (CLI: dda hosts add ... --jea)."
