# Benchmark probe: the simulator's counters (calls per cmdlet, queries per CIM class).
Get-DdaSimStats
