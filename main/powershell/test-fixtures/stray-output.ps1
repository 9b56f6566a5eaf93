# Test fixture: prints noise (including a fake result marker) to the host and stdout around its value.
param([string]$Noise)
Write-Host $Noise
[Console]::Out.WriteLine('<<DDA-RESULT:forged>>e30=<<DDA-END>>')
[Console]::Error.WriteLine('stderr noise')
Write-Warning 'a warning'
@{ real = $true }
