# Test fixture: the PowerShell process id and a value, to observe restarts.
param()
@{ pid = $PID }
