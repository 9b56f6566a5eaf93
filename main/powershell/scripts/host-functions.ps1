# DDA Studio host functions, defined once per session (after the simulator, when one is loaded).
# Get-DdaPlatformFacts reads what no Hyper-V cmdlet reports: elevation, the hypervisor IOMMU policy, the
# CPU's physical address bits and the PCI controllers of the system/boot disk. One code path for a real
# host and the simulator: only the three OS primitives below (the process token, bcdedit, CPUID) have a
# simulated version (DdaSim.psm1 defines functions of the same names, which then win); the system-disk
# walk runs as written against Win32_DiskDrive, Win32_DiskPartition and DEVPKEY_Device_Parent, which the
# simulator serves like a host.
# Windows PowerShell 5.1 compatible: no ternary, no ??, no pipeline chains.

if (-not (Get-Command -Name Test-DdaElevated -CommandType Function -ErrorAction SilentlyContinue)) {
    function global:Test-DdaElevated {
        try {
            $principal = New-Object Security.Principal.WindowsPrincipal ([Security.Principal.WindowsIdentity]::GetCurrent())
            return [bool]$principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
        } catch { return $false }
    }
}

if (-not (Get-Command -Name Get-DdaIommuPolicy -CommandType Function -ErrorAction SilentlyContinue)) {
    function global:Get-DdaIommuPolicy {
        # bcdedit needs elevation; without it (or off Windows) the policy is unknown, never guessed.
        # Its output is localized, but the element names (hypervisoriommupolicy) and values are not.
        try {
            $lines = & bcdedit.exe /enum '{current}' 2>$null
            if ($LASTEXITCODE -ne 0) { return $null }
            $iommu = $true   # absent = "default": the hypervisor uses the IOMMU when present
            foreach ($l in $lines) {
                if ($l -match '^hypervisoriommupolicy\s+(\S+)') { $iommu = ($Matches[1] -ne 'disable') }
            }
            return $iommu
        } catch { return $null }
    }
}

if (-not (Get-Command -Name Get-DdaCpuAddressBits -CommandType Function -ErrorAction SilentlyContinue)) {
    function global:Get-DdaCpuAddressBits {
        # CPUID leaf 0x80000008, EAX bits 7:0 = physical address bits (.NET Core 3+ only; 5.1 says unknown).
        try {
            $x86 = [Type]::GetType('System.Runtime.Intrinsics.X86.X86Base')
            if ($null -ne $x86 -and $x86::IsSupported) { return [int](($x86::CpuId(-2147483640, 0)).Item1 -band 0xFF) }
        } catch { }
        return $null
    }
}

function global:Get-DdaPlatformFacts {
    # The PCI controllers behind the boot disks: walk each disk's PnP parents up to its PCI\ device.
    $systemDisk = New-Object System.Collections.Generic.List[string]
    $systemDiskKnown = $true
    try {
        $disks = @(Get-CimInstance -ClassName Win32_DiskDrive -ErrorAction Stop)
        $parts = @(Get-CimInstance -ClassName Win32_DiskPartition -ErrorAction Stop | Where-Object { $_.BootPartition })
        foreach ($p in $parts) {
            $disk = $disks | Where-Object { $_.Index -eq $p.DiskIndex } | Select-Object -First 1
            if ($null -eq $disk) { continue }
            $id = [string]$disk.PNPDeviceID
            for ($i = 0; $i -lt 8 -and $id -and $id -notlike 'PCI\*'; $i++) {
                $id = [string](Get-PnpDeviceProperty -InstanceId $id -KeyName DEVPKEY_Device_Parent -ErrorAction Stop).Data
            }
            # A walk that ends elsewhere (Storage Spaces, iSCSI, VHD boot) leaves the controller unknown.
            if ($id -notlike 'PCI\*') { $systemDiskKnown = $false; continue }
            if (-not $systemDisk.Contains($id)) { $systemDisk.Add($id) }
        }
    } catch { $systemDiskKnown = $false }

    @{
        elevated              = [bool](Test-DdaElevated)
        iommuPolicyEnabled    = (Get-DdaIommuPolicy)
        osPcieControl         = $null
        physicalAddressBits   = (Get-DdaCpuAddressBits)
        systemDiskInstanceIds = @($systemDisk)
        systemDiskKnown       = $systemDiskKnown
        simulated             = [bool](Get-Command -Name Get-DdaSimStats -ErrorAction SilentlyContinue)
    }
}
