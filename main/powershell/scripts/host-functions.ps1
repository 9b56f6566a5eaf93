# DDA Studio host functions, defined once per session (after the simulator, when one is loaded).
# Get-DdaPlatformFacts reads what no Hyper-V cmdlet reports: elevation, the hypervisor IOMMU policy, the
# CPU's physical address bits and the controllers of the system/boot disk. The simulator exports a
# function of the same name; when it is loaded, its version wins and nothing here touches real hardware.
# Windows PowerShell 5.1 compatible: no ternary, no ??, no pipeline chains.

if (-not (Get-Command -Name Get-DdaPlatformFacts -CommandType Function -ErrorAction SilentlyContinue)) {
    function global:Get-DdaPlatformFacts {
        $elevated = $false
        try {
            $principal = New-Object Security.Principal.WindowsPrincipal ([Security.Principal.WindowsIdentity]::GetCurrent())
            $elevated = $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
        } catch { $elevated = $false }

        # bcdedit needs elevation; without it (or off Windows) the policy is unknown, never guessed.
        $iommu = $null
        try {
            $lines = & bcdedit.exe /enum '{current}' 2>$null
            if ($LASTEXITCODE -eq 0) {
                $iommu = $true   # absent = "default": the hypervisor uses the IOMMU when present
                foreach ($l in $lines) {
                    if ($l -match '^hypervisoriommupolicy\s+(\S+)') { $iommu = ($Matches[1] -ne 'disable') }
                }
            }
        } catch { $iommu = $null }

        # CPUID leaf 0x80000008, EAX bits 7:0 = physical address bits (.NET Core 3+ only; 5.1 says unknown).
        $bits = $null
        try {
            $x86 = [Type]::GetType('System.Runtime.Intrinsics.X86.X86Base')
            if ($null -ne $x86 -and $x86::IsSupported) { $bits = ($x86::CpuId(-2147483640, 0)).Item1 -band 0xFF }
        } catch { $bits = $null }

        # The PCI controllers behind the boot and system disks: walk the PnP parents up to the PCI\ device.
        $systemDisk = New-Object System.Collections.Generic.List[string]
        $systemDiskKnown = $true
        try {
            $disks = @(Get-CimInstance -ClassName Win32_DiskDrive)
            $parts = @(Get-CimInstance -ClassName Win32_DiskPartition | Where-Object { $_.BootPartition })
            foreach ($p in $parts) {
                $disk = $disks | Where-Object { $_.Index -eq $p.DiskIndex } | Select-Object -First 1
                if ($null -eq $disk) { continue }
                $id = $disk.PNPDeviceID
                for ($i = 0; $i -lt 8 -and $id -and $id -notlike 'PCI\*'; $i++) {
                    $id = (Get-PnpDeviceProperty -InstanceId $id -KeyName DEVPKEY_Device_Parent).Data
                }
                if ($id -like 'PCI\*' -and -not $systemDisk.Contains($id)) { $systemDisk.Add($id) }
            }
        } catch { $systemDiskKnown = $false }

        @{
            elevated              = [bool]$elevated
            iommuPolicyEnabled    = $iommu
            osPcieControl         = $null
            physicalAddressBits   = $bits
            systemDiskInstanceIds = @($systemDisk)
            systemDiskKnown       = $systemDiskKnown
            simulated             = $false
        }
    }
}
