# Step: dismount a device from the host, with exactly the checks the admin left in place.
# Hyper-V checks two things before it lets a device go (Microsoft Learn, Msvm_AssignableDeviceDismountSettingData):
# ACS on the device's path (RequireAcsSupport) and the vendor's mitigation driver (RequireDeviceMitigations).
# The cmdlet's -Force drops both at once, so:
#   both required                 -> Dismount-VMHostAssignableDevice
#   neither (both consents given) -> Dismount-VMHostAssignableDevice -Force
#   one of them                   -> Msvm_AssignableDeviceService.DismountAssignableDevice (root\virtualization\v2)
#                                    with the setting data, the other check still enforced.
# $RetryWithoutMitigations (the admin's consent): a dismount refused while the mitigation check was on is
# tried once more without it, every other check unchanged. Without that consent a refusal the consent
# could lift is re-raised with the error id DdaDismountRefused (and the host's own message), so the app can
# offer it. No refusal is recognised by its text (hosts answer in Chinese, German, Japanese): it counts as
# liftable when the facts leave nothing else: the device is still on the host, disabled (the plan disabled
# it), and the error was not a missing device or denied access.
# Windows PowerShell 5.1 compatible.
param(
    [Parameter(Mandatory = $true)][string]$LocationPath,
    [string]$InstanceId = '',
    [bool]$RequireAcsSupport = $true,
    [bool]$RequireDeviceMitigations = $true,
    [bool]$RetryWithoutMitigations = $false
)

# DismountAssignableDevice's documented return values (Microsoft Learn).
$returnValues = @{
    32768 = 'Failed'; 32769 = 'Access Denied'; 32770 = 'Not Supported'; 32771 = 'Status is unknown'; 32772 = 'Timeout'
    32773 = 'Invalid parameter'; 32774 = 'System is in use'; 32775 = 'Invalid state for this operation'
    32776 = 'Incorrect data type'; 32777 = 'System is not available'; 32778 = 'Out of memory'; 32779 = 'File not found'
}

function New-StepError([string]$Message, [string]$ErrorId, [string]$Category) {
    $ex = New-Object System.Management.Automation.RuntimeException $Message
    New-Object System.Management.Automation.ErrorRecord $ex, $ErrorId, ([System.Management.Automation.ErrorCategory]$Category), $LocationPath
}

function ConvertTo-DismountSettingData([string]$Path, [string]$Instance, [bool]$Acs, [bool]$Mitigations) {
    # The setting data as an embedded instance (CIM-XML INSTANCE, DMTF DSP0201); values escaped by XmlWriter.
    $sb = New-Object System.Text.StringBuilder
    $settings = New-Object System.Xml.XmlWriterSettings
    $settings.OmitXmlDeclaration = $true
    $settings.NewLineHandling = [System.Xml.NewLineHandling]::Entitize
    $w = [System.Xml.XmlWriter]::Create($sb, $settings)
    $w.WriteStartElement('INSTANCE')
    $w.WriteAttributeString('CLASSNAME', 'Msvm_AssignableDeviceDismountSettingData')
    $props = @()
    # Public callers of this method name the device by its instance path; the location path as well.
    if ($Instance) { $props += , @('DeviceInstancePath', 'string', $Instance) }
    $props += , @('DeviceLocationPath', 'string', $Path)
    $props += , @('RequireAcsSupport', 'boolean', $Acs.ToString().ToLowerInvariant())
    $props += , @('RequireDeviceMitigations', 'boolean', $Mitigations.ToString().ToLowerInvariant())
    foreach ($p in $props) {
        $w.WriteStartElement('PROPERTY')
        $w.WriteAttributeString('NAME', $p[0])
        $w.WriteAttributeString('TYPE', $p[1])
        $w.WriteElementString('VALUE', [string]$p[2])
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.Flush()
    $sb.ToString()
}

function Invoke-DismountMethod([bool]$Acs, [bool]$Mitigations) {
    $service = @(Get-CimInstance -Namespace 'root/virtualization/v2' -ClassName 'Msvm_AssignableDeviceService' -ErrorAction Stop)
    if ($service.Count -ne 1) { throw (New-StepError ('Expected one Msvm_AssignableDeviceService, found ' + $service.Count + '.') 'DdaWmiNoService' 'ObjectNotFound') }
    $r = $service[0] | Invoke-CimMethod -MethodName 'DismountAssignableDevice' -Arguments @{ DismountSettingData = (ConvertTo-DismountSettingData $LocationPath $InstanceId $Acs $Mitigations) } -ErrorAction Stop
    if ($null -eq $r -or $null -eq $r.ReturnValue) { throw (New-StepError 'DismountAssignableDevice returned nothing.' 'DdaWmiNoResult' 'InvalidResult') }
    $code = [int]$r.ReturnValue
    if ($code -eq 0) { return }
    if ($code -ne 4096) {
        $name = $returnValues[$code]
        if (-not $name) { $name = 'undocumented' }
        $category = 'InvalidOperation'
        if ($code -eq 32769) { $category = 'PermissionDenied' }
        if ($code -eq 32779) { $category = 'ObjectNotFound' }
        throw (New-StepError ('Msvm_AssignableDeviceService.DismountAssignableDevice returned ' + $code + ' (' + $name + ').') ('DdaWmiReturnValue,' + $code) $category)
    }
    if ($null -eq $r.Job) { throw (New-StepError 'DismountAssignableDevice started a job (4096) but returned no job to wait for.' 'DdaWmiNoJob' 'InvalidResult') }
    # 4096: a job. CIM_ConcreteJob.JobState: 2 New, 3 Starting, 4 Running, 5 Suspended, 6 Shutting Down,
    # 7 Completed, 8 Terminated, 9 Killed, 10 Exception, 11 Service, 12 Query Pending.
    # The session gives this step longer than this wait (executor.ts, DISMOUNT_JOB_WAIT_SEC).
    $jobWaitSec = 300
    $job = Get-CimInstance -InputObject $r.Job -ErrorAction Stop
    $deadline = [DateTime]::UtcNow.AddSeconds($jobWaitSec)
    while (@(2, 3, 4, 5, 6, 11, 12) -contains [int]$job.JobState) {
        if ([DateTime]::UtcNow -gt $deadline) { throw (New-StepError ('The dismount job ' + $job.InstanceID + ' did not finish within ' + $jobWaitSec + ' s (JobState ' + $job.JobState + ').') 'DdaWmiJobTimeout' 'OperationTimeout') }
        Start-Sleep -Milliseconds 250
        $job = Get-CimInstance -InputObject $job -ErrorAction Stop
    }
    if ($null -eq $job.JobState) { throw (New-StepError ('The dismount job ' + $job.InstanceID + ' has no state.') 'DdaWmiNoResult' 'InvalidResult') }
    if ([int]$job.JobState -ne 7) {
        # The host's own ErrorDescription (in its language) is shown as it came; the codes identify it.
        throw (New-StepError ([string]$job.ErrorDescription + ' (job state ' + $job.JobState + ', error ' + $job.ErrorCode + ')') ('DdaWmiJobFailed,' + [int]$job.ErrorCode) 'InvalidOperation')
    }
}

function Invoke-Dismount([bool]$Acs, [bool]$Mitigations) {
    if ($Acs -and $Mitigations) { Dismount-VMHostAssignableDevice -LocationPath $LocationPath -Confirm:$false -ErrorAction Stop }
    elseif (-not $Acs -and -not $Mitigations) { Dismount-VMHostAssignableDevice -LocationPath $LocationPath -Force -Confirm:$false -ErrorAction Stop }
    else { Invoke-DismountMethod $Acs $Mitigations }
}

# Whether the device is listed as dismounted, asked again for up to $Sec seconds.
function Test-DdaDismounted([int]$Sec) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Sec)
    while ($true) {
        # An error the listing writes about another device does not count (as in op-mount-device).
        try { if (@(Get-VMHostAssignableDevice -ErrorAction SilentlyContinue | Where-Object { [string]$_.LocationPath -eq $LocationPath }).Count -gt 0) { return $true } } catch { }
        if ([DateTime]::UtcNow -ge $deadline) { return $false }
        Start-Sleep -Milliseconds 500
    }
}

# Dismounts with the checks asked for. The cmdlet can fail after its dismount: it looks the new PCIP\
# device up once, at once, and says ObjectNotFound when the host has not listed it yet (a public
# decompilation of the Hyper-V module; a labelled guess). A dismount the host lists is done, whatever the
# error said; after ObjectNotFound the host gets 15 s to list it. Returns the error of a dismount that did
# not happen ($null when it did), and the text of a late listing.
function Invoke-DdaDismountChecked([bool]$Mitigations) {
    try { Invoke-Dismount $RequireAcsSupport $Mitigations; return @{ error = $null; lateListing = $null } } catch { $failed = $_ }
    $waitSec = 0
    if ([string]$failed.CategoryInfo.Category -eq 'ObjectNotFound') { $waitSec = 15 }
    if (Test-DdaDismounted $waitSec) { return @{ error = $null; lateListing = [string]$failed.Exception.Message } }
    return @{ error = $failed; lateListing = $null }
}
function New-DdaDismounted([bool]$Mitigations, $Attempt) {
    $r = @{ dismounted = $LocationPath; requireAcsSupport = $RequireAcsSupport; requireDeviceMitigations = $Mitigations }
    if ($null -ne $Attempt.lateListing) { $r.lateListing = $Attempt.lateListing }
    return $r
}

$first = Invoke-DdaDismountChecked $RequireDeviceMitigations
if ($null -eq $first.error) { return (New-DdaDismounted $RequireDeviceMitigations $first) }
$refused = $first.error
if (-not $RequireDeviceMitigations) { throw $refused }
$liftable = $false
try {
    $category = [string]$refused.CategoryInfo.Category
    $dismounted = @(Get-VMHostAssignableDevice -ErrorAction Stop | Where-Object { [string]$_.LocationPath -eq $LocationPath })
    $devices = @(Get-PnpDevice -PresentOnly -ErrorAction Stop | Where-Object { ([string]$_.InstanceId) -like 'PCI\*' })
    # The device the plan names, when it does (another device vanishing meanwhile is none of this step's
    # business); else every PCI function, 64 ids per call (one WQL query may not name many more: WBEM_MAX_QUERY;
    # the loop of Get-DdaPnpDeviceProperty, written here: an exported plan runs without host-functions.ps1).
    if ($InstanceId) { $devices = @($devices | Where-Object { [string]$_.InstanceId -eq $InstanceId }) }
    $disabled = $false
    $ids = [string[]]@($devices | ForEach-Object { [string]$_.InstanceId })
    for ($at = 0; $at -lt $ids.Count; $at += 64) {
        foreach ($p in @(Get-PnpDeviceProperty -InstanceId ([string[]]$ids[$at..([Math]::Min($at + 64, $ids.Count) - 1)]) -KeyName DEVPKEY_Device_LocationPaths -ErrorAction Stop)) {
            if (@($p.Data) -notcontains $LocationPath) { continue }
            # The row's device: InstanceId, else DeviceID, Win32_PnPDeviceProperty's own name for it (that the
            # PnpDevice module adds InstanceId is a guess: host-functions.ps1 Get-DdaPnpDeviceProperty).
            $rowId = $null
            foreach ($n in @('InstanceId', 'DeviceID')) { if (-not $rowId -and $null -ne $p.PSObject.Properties[$n]) { $rowId = [string]$p.PSObject.Properties[$n].Value } }
            $d = $devices | Where-Object { [string]$_.InstanceId -eq $rowId } | Microsoft.PowerShell.Utility\Select-Object -First 1
            $code = [string]$d.ConfigManagerErrorCode
            $disabled = ($code -eq 'CM_PROB_DISABLED' -or $code -eq '22')
        }
    }
    # Only a refusal can be lifted: the cmdlet's (an error of the Hyper-V module, not a missing device or
    # denied access), or the method's job ending Exception/Terminated with 32768 (Failed) or its return 32768.
    # A timeout, a missing class, a rejected argument or any other code is the step's own failure.
    $id = [string]$refused.FullyQualifiedErrorId
    $ours = ($id -match '^DdaWmi')
    $methodRefusal = ($id -eq 'DdaWmiJobFailed,32768' -or $id -eq 'DdaWmiReturnValue,32768')
    $cmdletRefusal = (-not $ours -and $id -like '*Microsoft.HyperV.PowerShell.Commands.DismountVMHostAssignableDevice' -and @('ObjectNotFound', 'PermissionDenied') -notcontains $category)
    $liftable = ($dismounted.Count -eq 0 -and $disabled -and ($methodRefusal -or $cmdletRefusal))
} catch {
    $liftable = $false
}
if ($liftable -and $RetryWithoutMitigations) {
    # The retry may meet the same late listing as any dismount.
    $again = Invoke-DdaDismountChecked $false
    if ($null -ne $again.error) { throw $again.error }
    $r = New-DdaDismounted $false $again
    $r.refusal = [string]$refused.Exception.Message
    return $r
}
if ($liftable) {
    $record = New-Object System.Management.Automation.ErrorRecord $refused.Exception, 'DdaDismountRefused', $refused.CategoryInfo.Category, $LocationPath
    throw $record
}
throw $refused
