# Test fixture: receives hostile values and only returns them; if any value ever executed as code,
# the canary file named by the test would appear.
param($Values)
@{ values = $Values }
