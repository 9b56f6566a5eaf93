/**
 * "Prepare this host": the exact PowerShell an admin runs on a remote Hyper-V host and on this machine
 * so that DDA Studio can reach it, for each setup (domain, workgroup over HTTPS, workgroup with
 * TrustedHosts, SSH, JEA). Pure: the UI shows and copies the result, the CLI prints it.
 *
 * SECURITY: every value that comes from the target or the client's situation (computer name, user,
 * port, paths, a public key) becomes PowerShell text only through psLiteral (shared/ps-literal.ts).
 * Everything else in these commands is our own constant text. Do not build a command with a template
 * string that contains a value.
 */
import { type RemoteTarget, type RemoteTargetInput, type SshTarget, type WinRmTarget } from '../../shared/hosts';
import { type HostSetup, type HostSetupKind } from '../../shared/prepare-host';
import { parseTarget, type ClientSituation } from './setup-commands';

import { domainSetup, httpsSetup, trustedHostsSetup } from './prepare-host-winrm';
import { sshSetup } from './prepare-host-ssh';
import { jeaSetup } from './prepare-host-jea';

export type { ClientSituation } from './setup-commands';

/** The setups that fit a target's transport. */
export function setupKindsFor(target: Pick<RemoteTarget, 'transport'>): HostSetupKind[] {
  return target.transport === 'ssh' ? ['ssh', 'jea'] : ['domain', 'workgroup-https', 'workgroup-trustedhosts', 'jea'];
}

/** The setup(s) the target's own settings point at: the transport's, then JEA when it uses that endpoint. */
export function recommendedSetupKinds(input: RemoteTargetInput): HostSetupKind[] {
  const target = parseTarget(input);
  let base: HostSetupKind;
  if (target.transport === 'ssh') base = 'ssh';
  else if (target.useSsl) base = 'workgroup-https';
  else if (target.userName && target.authentication !== 'Kerberos') base = 'workgroup-trustedhosts';
  else base = 'domain';
  return target.endpoint === 'jea' ? [base, 'jea'] : [base];
}
// ---- the setups ----

/**
 * The setups for a host: every kind that fits its transport (or only those asked for). Throws on an
 * invalid target, a kind that does not fit it, or a public key that is not one OpenSSH key line.
 */
export function prepareHost(
  input: RemoteTargetInput,
  situation: ClientSituation = {},
  kinds?: readonly HostSetupKind[],
): HostSetup[] {
  const target = parseTarget(input);
  const fits = setupKindsFor(target);
  const wanted = kinds ?? fits;
  const misfit = wanted.find((k) => !fits.includes(k));
  if (misfit)
    throw new Error(
      `The ${misfit} setup does not apply to a ${target.transport} host; choose one of: ${fits.join(', ')}.`,
    );
  return wanted.map((kind): HostSetup => {
    switch (kind) {
      case 'domain':
        return domainSetup(target as WinRmTarget, situation);
      case 'workgroup-https':
        return httpsSetup(target as WinRmTarget, situation);
      case 'workgroup-trustedhosts':
        return trustedHostsSetup(target as WinRmTarget, situation);
      case 'ssh':
        return sshSetup(target as SshTarget, situation);
      case 'jea':
        return jeaSetup(target, situation);
    }
  });
}
