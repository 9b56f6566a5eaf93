/**
 * `dda --host` for real, against the private sshd of main/remote/ssh-test-hosts.ts (two simulated
 * Hyper-V hosts on 127.0.0.2 and 127.0.0.3): hosts added from the command line, inventory, hosts test,
 * an assignment whose journal lands in the host's own data folder, and a wrong key.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostTestResultSchema } from '../../shared/contract';
import { inventorySchema } from '../../shared/inventory';
import type { SshTarget } from '../../shared/hosts';
import { readState } from '../../testing/test-support';
import { startSshTestHosts, sshTestHostsUnavailable, type SshTestHosts } from '../../testing/ssh-test-hosts';
import { main } from './dda';

const unavailable = sshTestHostsUnavailable();
if (unavailable && process.env.CI) throw new Error(`The remote CLI tests must run in CI, but: ${unavailable}`);
const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';

async function dda(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

const addArgs = (t: SshTarget, id: string) => [
  'hosts',
  'add',
  id,
  '--ssh',
  t.hostName,
  '--port',
  String(t.port),
  '--user',
  t.userName!,
  '--key',
  t.keyFilePath!,
  '--known-hosts',
  t.knownHostsFile!,
  '--name',
  t.name,
  '--connect-timeout',
  String(t.connectTimeoutMs),
];

describe.skipIf(!!unavailable)(
  `dda --host against remote hosts over SSH${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let sshd: SshTestHosts;
    let data: string;

    beforeAll(async () => {
      sshd = await startSshTestHosts({ profiles: ['ml30-connectx4', 'gpu-workstation'] });
      data = mkdtempSync(join(tmpdir(), 'dda-remote-cli-'));
      for (const [t, id] of [
        [sshd.hosts[0]!.target, 'host-a'],
        [sshd.hosts[1]!.target, 'host-b'],
        [sshd.wrongKeyTarget(0), 'bad-key'],
      ] as const) {
        const r = await dda([...addArgs(t, id), '--data-dir', data]);
        expect(r.code, r.err).toBe(0);
      }
    });
    afterAll(async () => {
      await sshd?.close();
    });

    it('dda inventory --host reads the remote host', async () => {
      const a = await dda(['inventory', '--host', 'host-a', '--json', '--data-dir', data]);
      expect(a.code, a.err).toBe(0);
      const invA = inventorySchema.parse(JSON.parse(a.out));
      expect(invA.host.computerName).toBe('ML30-GEN10');
      expect(invA.devices.find((d) => d.locationPath === CX4)?.verdict.code).toBe('assignable');
    });

    it('dda hosts test names what answered', async () => {
      const r = await dda(['hosts', 'test', 'host-a', '--data-dir', data]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/^host-a \(ssh root@127\.0\.0\.2:\d+\): connected in \d+ ms$/m);
      expect(r.out).toMatch(/PowerShell +Core 7\./);
      expect(r.out).toMatch(/Computer +ML30-GEN10/);
      expect(r.out).toMatch(/Hyper-V +present/);
      expect(r.out).toMatch(/Elevated +yes/);
      expect(r.out).toMatch(/IOMMU \(IovSupport\) +yes/);
      expect(r.out).toMatch(/Host +simulated/);
      // --json: the app's testHost result (hosts/host-test.ts serves both)
      const json = hostTestResultSchema.parse(
        JSON.parse((await dda(['hosts', 'test', 'host-b', '--json', '--data-dir', data])).out),
      );
      expect(json).toMatchObject({
        host: 'host-b',
        connectMs: expect.any(Number),
        readiness: { simulated: true, elevated: true },
      });
      expect(json.computerName).not.toBe('ML30-GEN10');
    });

    it("an operation with --host journals in that host's own data folder", async () => {
      const run = await dda([
        'assign',
        '--device',
        CX4,
        '--vm',
        'Router-01',
        '--host',
        'host-a',
        '--yes',
        '--data-dir',
        data,
      ]);
      expect(run.code, run.err + run.out).toBe(0);
      expect(readState(sshd.hosts[0]!.stateFile).vms.find((v) => v.name === 'Router-01')?.assignedDevices).toEqual([
        CX4,
      ]);
      expect(readFileSync(join(data, 'hosts', 'host-a', 'journal.jsonl'), 'utf8')).toContain(CX4);
      expect(existsSync(join(data, 'journal.jsonl'))).toBe(false);
      expect(existsSync(join(data, 'hosts', 'host-b', 'journal.jsonl'))).toBe(false);
      const back = await dda(['revert', '--device', CX4, '--host', 'host-a', '--yes', '--data-dir', data]);
      expect(back.code, back.err + back.out).toBe(0);
    }, 180_000); // a hang guard: an assign and a revert, each a new session over ssh

    it('a host that refuses the key: exit 1 and an error that names the host', async () => {
      const r = await dda(['hosts', 'test', 'bad-key', '--data-dir', data]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/could not reach bad-key \(ssh root@127\.0\.0\.2:\d+\)/);
    });
  },
);
