# Step: mount a dismounted device back to the host.
param([Parameter(Mandatory = $true)][string]$LocationPath)
Mount-VMHostAssignableDevice -LocationPath $LocationPath
@{ mounted = $LocationPath }
