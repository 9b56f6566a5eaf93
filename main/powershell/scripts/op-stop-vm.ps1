# Step: turn a VM off. A graceful shutdown first; if the guest does not shut down, turn it off
# (only planned when the admin consented to turning the VM off).
param([Parameter(Mandatory = $true)][string]$VmId)
$vm = Get-VM -Id $VmId
if ([string]$vm.State -eq 'Off') { return @{ state = 'Off'; how = 'already off' } }
$how = 'shut down'
try {
    $vm | Stop-VM -Force -ErrorAction Stop
} catch {
    $how = 'turned off after the guest did not shut down: ' + $_.Exception.Message
    $vm | Stop-VM -TurnOff -Force
}
@{ state = [string](Get-VM -Id $VmId).State; how = $how }
