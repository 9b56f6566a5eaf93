# Test fixture: traces every parameter binding of this process to -File (what module logging would
# record), flushed line by line.
param([string]$File)
[System.Diagnostics.Trace]::AutoFlush = $true
Set-TraceSource -Name ParameterBinding -Option All -FilePath $File
