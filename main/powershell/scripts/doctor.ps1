# DDA Studio doctor: the facts `dda doctor` judges (main/host/doctor-checks.ts), read-only.
# The command surface as PowerShell's binder sees it (Get-Command metadata, the shape of
# main/simulator/reference/cmdlets.json), the DEVPROP type of each PCI property key on the present PCI
# functions, the PowerShell edition and version, the Hyper-V module, the UI culture, elevation, the IOMMU
# policy, Get-VMHost's IovSupport and what the inventory's survey reads. Nothing here changes the host;
# nothing reads an error's text (only that a read failed, and its FullyQualifiedErrorId).
# Windows PowerShell 5.1 compatible: no ternary, no ??, no pipeline chains, no ::new().
param(
    [Parameter(Mandatory = $true)][string[]]$Commands,
    [Parameter(Mandatory = $true)][string[]]$PropertyKeys
)

function Get-DdaFailure($err) {
    $id = ''
    if ($null -ne $err -and $null -ne $err.FullyQualifiedErrorId) { $id = [string]$err.FullyQualifiedErrorId }
    return @{ failed = $true; errorId = $id }
}

$common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
function Get-DdaCommandSurface([string]$Name) {
    # The same reading as the simulator's surface test, for cmdlets, CDXML functions and functions alike:
    # a [PSTypeName('X')] parameter is reported as X (what the binder checks for), minus a CIM class suffix;
    # a Nullable<T> one as T, as Microsoft's references print it (a compiled cmdlet's bool? or long?).
    $c = Microsoft.PowerShell.Core\Get-Command -Name $Name -ErrorAction SilentlyContinue | Microsoft.PowerShell.Utility\Select-Object -First 1
    if ($null -eq $c) { return @{ found = $false } }
    $sets = @($c.ParameterSets | ForEach-Object { $_.Name })
    $params = @{}
    foreach ($p in $c.Parameters.Values) {
        if ($common -contains $p.Name) { continue }
        $type = $p.ParameterType
        $underlying = [Nullable]::GetUnderlyingType($type)
        if ($null -ne $underlying) { $type = $underlying }
        $typeName = $type.Name
        $named = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.PSTypeNameAttribute] } | Microsoft.PowerShell.Utility\Select-Object -First 1
        if ($null -ne $named) {
            $typeName = (([string]$named.PSTypeName -split '#')[0]).Split('.')[-1]
            if ($p.ParameterType.IsArray) { $typeName += '[]' }
        }
        $inSets = @()
        foreach ($k in $p.ParameterSets.Keys) {
            if ($k -eq '__AllParameterSets') { $inSets += $sets } else { $inSets += [string]$k }
        }
        $params[$p.Name] = @{ type = $typeName; sets = @($inSets | Sort-Object -Unique) }
    }
    $module = ''
    $version = ''
    if ($c.ModuleName) { $module = [string]$c.ModuleName }
    if ($null -ne $c.Module -and $null -ne $c.Module.Version) { $version = [string]$c.Module.Version }
    return @{
        found                 = $true
        commandType           = [string]$c.CommandType
        module                = $module
        moduleVersion         = $version
        parameterSets         = $sets
        supportsShouldProcess = [bool]($c.Parameters.ContainsKey('WhatIf') -and $c.Parameters.ContainsKey('Confirm'))
        parameters            = $params
    }
}

$surface = @{}
foreach ($n in $Commands) { $surface[$n] = Get-DdaCommandSurface $n }

# --- The PCI property keys' types, on every present PCI function --------------------------------------
$pci = @()
$pciRead = @{ failed = $false; errorId = '' }
try { $pci = @(Get-PnpDevice -PresentOnly -ErrorAction Stop | Where-Object { ([string]$_.InstanceId) -like 'PCI\*' }) } catch { $pciRead = Get-DdaFailure $_ }
$ids = @($pci | ForEach-Object { [string]$_.InstanceId })
$properties = @{}
foreach ($key in $PropertyKeys) {
    $types = @{}
    $dataTypes = @{}
    $count = 0
    $read = @{ failed = $false; errorId = '' }
    if ($ids.Count -gt 0) {
        # A device gone since Get-PnpDevice is "not found" for itself only (Get-DdaCallFailure); any other
        # error makes the key's read failed, whatever was read before it.
        $propErrors = $null
        try {
            foreach ($r in @(Get-DdaPnpDeviceProperty -InstanceId $ids -KeyName $key -ErrorAction SilentlyContinue -ErrorVariable propErrors)) {
                $t = [string]$r.Type
                if ($t -eq 'Empty' -or $null -eq $r.Data) { continue }
                $count++
                $types[$t] = $true
                $dataTypes[$r.Data.GetType().FullName] = $true
            }
            $failure = Get-DdaCallFailure $propErrors
            if ($null -ne $failure) { $read = Get-DdaFailure $failure }
        } catch { $read = Get-DdaFailure $_ }
    }
    $properties[$key] = @{ types = @($types.Keys | Sort-Object); dataTypes = @($dataTypes.Keys | Sort-Object); devices = $count; read = $read }
}

# --- Hyper-V: the module that serves Get-VMHost, and IOV support -------------------------------------
$vmHost = @{ found = $false; iovSupport = $null; iovSupportReasons = @(); read = @{ failed = $false; errorId = '' } }
if (Microsoft.PowerShell.Core\Get-Command -Name Get-VMHost -ErrorAction SilentlyContinue) {
    $vmHost.found = $true
    try {
        $h = Get-VMHost -ErrorAction Stop
        $vmHost.iovSupport = [bool]$h.IovSupport
        $vmHost.iovSupportReasons = @($h.IovSupportReasons | Where-Object { $_ } | ForEach-Object { [string]$_ })
    } catch { $vmHost.read = Get-DdaFailure $_ }
}

# --- What the inventory's survey reads (one CIM query per class) --------------------------------------
$cim = @{}
$computerName = ''
foreach ($class in @('Win32_OperatingSystem', 'Win32_PnPAllocatedResource', 'Win32_DeviceMemoryAddress', 'Win32_DiskDrive')) {
    try {
        $rows = @(Get-CimInstance -ClassName $class -ErrorAction Stop)
        $cim[$class] = @{ failed = $false; errorId = ''; rows = $rows.Count }
        if ($class -eq 'Win32_OperatingSystem' -and $rows.Count -gt 0) { $computerName = [string]$rows[0].CSName }
    }
    catch { $f = Get-DdaFailure $_; $cim[$class] = @{ failed = $true; errorId = $f.errorId; rows = 0 } }
}

$platform = $null
$platformRead = @{ failed = $false; errorId = '' }
try { $platform = Get-DdaPlatformFacts } catch { $platformRead = Get-DdaFailure $_ }

@{
    computerName = $computerName
    psEdition    = [string]$PSVersionTable.PSEdition
    psVersion    = [string]$PSVersionTable.PSVersion
    os           = [string][Environment]::OSVersion.Platform
    uiCulture    = [string][Globalization.CultureInfo]::CurrentUICulture.Name
    surface      = $surface
    pciDevices   = $ids.Count
    pciRead      = $pciRead
    properties   = $properties
    vmHost       = $vmHost
    cim          = $cim
    platform     = $platform
    platformRead = $platformRead
}
