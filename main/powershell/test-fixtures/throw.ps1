# Test fixture: a terminating error from a cmdlet, on a known line (4).
param()
$x = 1
Get-Item -LiteralPath '/definitely/not/here/dda-test' -ErrorAction Stop
@{ unreachable = $x }
