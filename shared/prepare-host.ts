/**
 * "Prepare this host": the shape of the setups the admin is shown (the UI shows and copies them, the
 * CLI prints them) and the names of the JEA module's files. The commands themselves are generated on the
 * privileged side, `main/hosts/prepare-host.ts`.
 */
import { z } from 'zod';
import { localizedTextSchema } from './plan';

export const hostSetupKinds = ['domain', 'workgroup-https', 'workgroup-trustedhosts', 'ssh', 'jea'] as const;
export const hostSetupKindSchema = z.enum(hostSetupKinds);
export type HostSetupKind = z.infer<typeof hostSetupKindSchema>;

/** One setup: what to run on the host, then on this machine, and what to know. */
export const hostSetupSchema = z.object({
  kind: hostSetupKindSchema,
  title: localizedTextSchema,
  /**
   * Run first, in order, in one PowerShell window on this machine: what the host commands need (a key
   * to authorize, the module they register). Absent: nothing comes before the host commands.
   */
  clientCommandsFirst: z.array(z.string()).optional(),
  /** Run in order, in one elevated PowerShell window on the Hyper-V host. */
  hostCommands: z.array(z.string()),
  /** Run in order, in one PowerShell window on this machine (the same as clientCommandsFirst), after the host commands. */
  clientCommands: z.array(z.string()),
  notes: z.array(localizedTextSchema),
});
export type HostSetup = z.infer<typeof hostSetupSchema>;

/** The module, its registration script and its files, as installed on the host. */
export const JEA_MODULE_NAME = 'DDAStudio.Host';
export const JEA_REGISTER_SCRIPT = 'Register-DDAStudioEndpoint.ps1';
/** The session configuration file for the SSH JEA-shaped subsystem (pwsh -ConfigurationFile), inside the module. */
export const JEA_SSH_CONFIGURATION_FILE = 'DDAStudio.Host.ssh.pssc';
/** An administrator's allow list of VMs and device classes for the endpoint, inside the module. */
export const JEA_POLICY_FILE = 'DDAStudio.Host.Policy.psd1';
