# Test fixture: a non-terminating error (written with -ErrorAction Continue) on line 3, then a value.
param()
Write-Error -Message 'soft failure' -ErrorId 'DdaSoft' -Category InvalidData -ErrorAction Continue
@{ after = 'still ran' }
