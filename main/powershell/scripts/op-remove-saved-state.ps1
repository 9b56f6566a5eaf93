# Step: discard a saved VM's saved state (Remove-VMSavedState), so that its settings and devices can
# change. The VM is then Off. It cannot be undone. The plan asks for the discard-saved-state consent.
# Not Stop-VM -TurnOff: whether turning off a saved VM discards its state is not documented.
param([Parameter(Mandatory = $true)][string]$VmId)
$vm = Get-VM -Id $VmId -ErrorAction Stop
# -Confirm:$false: whether the cmdlet asks (its ConfirmImpact) is not documented; a prompt would hang a
# session nobody types into. The admin consented in the plan.
if ([string]$vm.State -eq 'Saved') { $vm | Remove-VMSavedState -Confirm:$false -ErrorAction Stop }
$state = [string](Get-VM -Id $VmId -ErrorAction Stop).State
if ($state -ne 'Off') {
    $ex = New-Object System.Management.Automation.RuntimeException ("The VM is " + $state + " after its saved state was removed, not Off.")
    throw (New-Object System.Management.Automation.ErrorRecord $ex, 'DdaNotOff', ([System.Management.Automation.ErrorCategory]::InvalidResult), $VmId)
}
@{ state = $state }
