# Benchmark probe: the bare cost of the cmdlet calls inventory.ps1 makes, with nothing joined or shaped.
$ids = @(Get-PnpDevice -PresentOnly | Where-Object { $_.InstanceId -like 'PCI*' } | ForEach-Object { $_.InstanceId })
$null = Get-CimInstance -ClassName Win32_OperatingSystem
$null = Get-VMHost
$null = Get-DdaPlatformFacts
foreach ($k in @('{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  1', '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  3', '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  31', '{3AB22E31-8264-4b4e-9AF5-A8D2D8E33E62}  34', 'DEVPKEY_Device_LocationPaths')) {
    $null = Get-PnpDeviceProperty -InstanceId $ids -KeyName $k -ErrorAction SilentlyContinue
}
$null = Get-CimInstance -ClassName Win32_DeviceMemoryAddress
$null = Get-CimInstance -ClassName Win32_PnPAllocatedResource
$null = Get-VMHostAssignableDevice
foreach ($v in @(Get-VM)) { $null = Get-VMAssignableDevice -VM $v }
@{ done = $true }
