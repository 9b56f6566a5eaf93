/**
 * Host targets: the local host plus any number of remote Hyper-V hosts reached over PowerShell
 * remoting (WinRM or SSH). Every value here reaches New-PSSession as a parameter (data), never as
 * script text; the patterns below still refuse what ssh could read as an option (a leading '-').
 * Passwords are never part of a target: they live in the OS credential store, keyed by the host id.
 */
import { z } from 'zod';
import { isLocalPath, LOCAL_PATH_MESSAGE } from './local-path';

export const LOCAL_HOST_ID = 'local';

/** A host id: short, lower-case, stable; names files and credential entries. */
export const hostIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a host id is 1-63 characters: a-z, 0-9 and -, not starting with -');
export type HostId = z.infer<typeof hostIdSchema>;

/** A DNS name, NetBIOS name, IPv4 or IPv6 address; never starts with '-' (ssh would read an option). */
export const computerNameSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9_[:][A-Za-z0-9._:%[\]-]*$/, 'a host name or address: letters, digits, . - _ : [ ] only');

/** A user name as Windows and ssh accept it: user, DOMAIN\user or user@domain. */
export const userNameSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(
    /^[^\s\-"'`$;|&<>()][^\s"'`$;|&<>()]*$/,
    'a user name (user, DOMAIN\\user or user@domain), no spaces or quotes',
  );

const pathSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !/[\r\n\0]/.test(p), 'a file path on one line')
  .refine(isLocalPath, LOCAL_PATH_MESSAGE);
/** Remote endpoint: the full PowerShell endpoint, or our JEA endpoint that exposes only DDAStudio.Host. */
export const endpointKindSchema = z.enum(['full', 'jea']);
export type EndpointKind = z.infer<typeof endpointKindSchema>;

const common = {
  id: hostIdSchema,
  /** What the admin calls it in the host switcher. */
  name: z.string().trim().min(1).max(100),
  endpoint: endpointKindSchema.default('full'),
  /** Limit for opening the connection (New-PSSession -ConnectingTimeout / OpenTimeout), ms. */
  connectTimeoutMs: z.number().int().min(1000).max(300_000).default(20_000),
};

const portSchema = z.number().int().min(1).max(65_535);

export const sshTargetSchema = z
  .object({
    ...common,
    transport: z.literal('ssh'),
    hostName: computerNameSchema,
    port: portSchema.optional(),
    userName: userNameSchema.optional(),
    /** Private key (ssh -i); without it ssh uses its own configuration and agent. */
    keyFilePath: pathSchema
      .refine((p) => !p.includes('"'), 'a key file path without double quotes (ssh would split it)')
      .optional(),
    /** A known_hosts file to trust (UserKnownHostsFile); host keys are always checked (StrictHostKeyChecking=yes). */
    knownHostsFile: pathSchema
      // ssh reads it as an option's value, in double quotes (sshKnownHostsValue): a space is fine there (a
      // profile folder such as C:\Users\John Smith), a double quote cannot be quoted, and % starts a token.
      .refine(
        (p) => !/["%\r\n]/.test(p),
        'a known_hosts path without double quotes, % or line breaks (ssh reads it as an option)',
      )
      .optional(),
    /** The sshd subsystem: 'powershell' for the full endpoint; the JEA-shaped one is named by the host's admin. */
    subsystem: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
  })
  .strict();

export const winrmAuthenticationSchema = z.enum(['Default', 'Kerberos', 'Negotiate']);

export const winrmTargetSchema = z
  .object({
    ...common,
    transport: z.literal('winrm'),
    computerName: computerNameSchema,
    port: portSchema.optional(),
    /** HTTPS listener (5986): needed for NTLM to workgroup hosts unless they are in TrustedHosts. */
    useSsl: z.boolean().default(false),
    /** Accept a self-signed HTTPS certificate (SkipCACheck + SkipCNCheck): workgroup labs only. */
    skipCertificateChecks: z.boolean().default(false),
    authentication: winrmAuthenticationSchema.default('Default'),
    /** With a user, the password comes from the OS credential store; without, the current logon (Kerberos). */
    userName: userNameSchema.optional(),
    /** The session configuration (endpoint) name; default Microsoft.PowerShell, or our JEA endpoint's name. */
    configurationName: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,128}$/)
      .optional(),
  })
  .strict();

export const remoteTargetSchema = z.discriminatedUnion('transport', [sshTargetSchema, winrmTargetSchema]);
export type SshTarget = z.infer<typeof sshTargetSchema>;
export type WinRmTarget = z.infer<typeof winrmTargetSchema>;
export type RemoteTarget = z.infer<typeof remoteTargetSchema>;
/** What the admin types (defaults not yet applied). */
export type RemoteTargetInput = z.input<typeof remoteTargetSchema>;

/** The default JEA endpoint names our registration script creates. */
export const JEA_CONFIGURATION_NAME = 'DDAStudio';
export const JEA_SSH_SUBSYSTEM = 'powershell-dda';

/** Where a host is shown: its connection state next to its name in the switcher. */
export const connectionStateSchema = z.enum(['idle', 'connecting', 'connected', 'failed']);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

/** The human description of a target, e.g. "ssh root@10.0.0.5:22" or "winrm hv01 (HTTPS)". */
export function describeTarget(t: RemoteTarget): string {
  if (t.transport === 'ssh')
    return `ssh ${t.userName ? `${t.userName}@` : ''}${t.hostName}${t.port ? `:${t.port}` : ''}${t.endpoint === 'jea' ? ' (JEA)' : ''}`;
  return `winrm ${t.userName ? `${t.userName}@` : ''}${t.computerName}${t.port ? `:${t.port}` : ''}${t.useSsl ? ' (HTTPS)' : ''}${t.endpoint === 'jea' ? ' (JEA)' : ''}`;
}
