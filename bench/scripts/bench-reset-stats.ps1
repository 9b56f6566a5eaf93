# Benchmark probe: zero the simulator's call and CIM-query counters.
Reset-DdaSimStats
@{ reset = $true }
