/** The Add/Edit host form's draft: from a saved host, to the shared schema's input, and its errors per field. */
import { hostTargetInputSchema, type HostSummary, type HostTargetInput } from '../../shared/contract';
import type { MessageKey } from '../../shared/i18n/messages';

export interface Draft {
  transport: 'ssh' | 'winrm';
  name: string;
  address: string;
  port: string;
  userName: string;
  keyFilePath: string;
  knownHostsFile: string;
  subsystem: string;
  useSsl: boolean;
  skipCertificateChecks: boolean;
  authentication: 'Default' | 'Kerberos' | 'Negotiate';
  configurationName: string;
  jea: boolean;
  timeoutSec: string;
  password: string;
  forgetPassword: boolean;
}

/** A new host's draft is WinRM on Windows (the only place WinRM sessions open), SSH elsewhere. */
export function draftOf(h: HostSummary | undefined, platform = ''): Draft {
  const d: Draft = {
    transport: platform === 'win32' ? 'winrm' : 'ssh',
    name: '',
    address: '',
    port: '',
    userName: '',
    keyFilePath: '',
    knownHostsFile: '',
    subsystem: '',
    useSsl: false,
    skipCertificateChecks: false,
    authentication: 'Default',
    configurationName: '',
    jea: false,
    timeoutSec: '20',
    password: '',
    forgetPassword: false,
  };
  const tg = h?.target;
  if (!tg) return d;
  const common = {
    ...d,
    name: tg.name,
    port: tg.port ? String(tg.port) : '',
    userName: tg.userName ?? '',
    jea: tg.endpoint === 'jea',
    timeoutSec: String(Math.round(tg.connectTimeoutMs / 1000)),
  };
  if (tg.transport === 'ssh')
    return {
      ...common,
      transport: 'ssh',
      address: tg.hostName,
      keyFilePath: tg.keyFilePath ?? '',
      knownHostsFile: tg.knownHostsFile ?? '',
      subsystem: tg.subsystem ?? '',
    };
  return {
    ...common,
    transport: 'winrm',
    address: tg.computerName,
    useSsl: tg.useSsl,
    skipCertificateChecks: tg.skipCertificateChecks,
    authentication: tg.authentication,
    configurationName: tg.configurationName ?? '',
  };
}

export function samePair(a: Draft, b: Draft): boolean {
  const same = (x: string, y: string) => x.trim().toLowerCase() === y.trim().toLowerCase();
  return a.transport === b.transport && same(a.address, b.address) && same(a.userName, b.userName);
}

/** What the form says, as the contract's input (empty optional fields left out; numbers as numbers). */
export function inputOf(d: Draft, id: string | undefined): HostTargetInput {
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s.trim()));
  const opt = (s: string) => (s.trim() === '' ? undefined : s.trim());
  const timeout = num(d.timeoutSec);
  const common = {
    ...(id ? { id } : {}),
    name: d.name,
    endpoint: d.jea ? ('jea' as const) : ('full' as const),
    ...(timeout !== undefined ? { connectTimeoutMs: Number.isFinite(timeout) ? Math.round(timeout * 1000) : NaN } : {}),
    ...(num(d.port) !== undefined ? { port: num(d.port)! } : {}),
    ...(opt(d.userName) ? { userName: opt(d.userName)! } : {}),
  };
  if (d.transport === 'ssh') {
    return {
      ...common,
      transport: 'ssh',
      hostName: d.address.trim(),
      ...(opt(d.keyFilePath) ? { keyFilePath: opt(d.keyFilePath)! } : {}),
      ...(opt(d.knownHostsFile) ? { knownHostsFile: opt(d.knownHostsFile)! } : {}),
      ...(opt(d.subsystem) ? { subsystem: opt(d.subsystem)! } : {}),
    };
  }
  return {
    ...common,
    transport: 'winrm',
    computerName: d.address.trim(),
    useSsl: d.useSsl,
    skipCertificateChecks: d.useSsl && d.skipCertificateChecks,
    authentication: d.authentication,
    ...(opt(d.configurationName) ? { configurationName: opt(d.configurationName)! } : {}),
  };
}

export type Field =
  | 'name'
  | 'address'
  | 'port'
  | 'userName'
  | 'keyFilePath'
  | 'knownHostsFile'
  | 'subsystem'
  | 'configurationName'
  | 'timeoutSec'
  | 'password';

/** The schema's verdict, per form field, as message keys. */
export function errorsOf(d: Draft, id: string | undefined): Partial<Record<Field, MessageKey>> {
  const out: Partial<Record<Field, MessageKey>> = {};
  if (d.name.trim() === '') out.name = 'errRequired';
  if (d.address.trim() === '') out.address = 'errRequired';
  if (d.password.length > 1024) out.password = 'errPassword';
  const parsed = hostTargetInputSchema.safeParse(inputOf(d, id));
  if (parsed.success) return out;
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '');
    const map: Record<string, [Field, MessageKey]> = {
      name: ['name', 'errName'],
      hostName: ['address', 'errHostName'],
      computerName: ['address', 'errHostName'],
      port: ['port', 'errPort'],
      userName: ['userName', 'errUser'],
      keyFilePath: ['keyFilePath', 'errPath'],
      knownHostsFile: ['knownHostsFile', 'errPath'],
      subsystem: ['subsystem', 'errEndpointName'],
      configurationName: ['configurationName', 'errEndpointName'],
      connectTimeoutMs: ['timeoutSec', 'errTimeout'],
    };
    const m = map[key];
    if (m && !out[m[0]]) out[m[0]] = m[1];
  }
  return out;
}
