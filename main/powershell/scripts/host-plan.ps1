# The name of one request to the DDAStudio.Host JEA endpoint: "check this whole plan on the host and run
# it there with rollback". main/hosts/jea-module-run.ts sends it with the plan as data; use-remote.ps1
# forwards it as Invoke-DdaHostPlan -RequestJson, and the endpoint runs its own checked code, never this
# text. Anywhere else (this machine, a full endpoint) plans run step by step (main/host/executor.ts), so
# this refuses. Not shipped in the module (jea-module.ts).
param($Plan)
throw 'host-plan is a request to the DDAStudio.Host JEA endpoint (Invoke-DdaHostPlan); nothing runs it elsewhere.'
