/** Test helpers: a fresh simulated host per test, one session per test file. */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHost, type HostConnection } from '../main/host/host-connection';
import { profilePath } from '../main/simulator/profiles';

/** A temp copy of a profile, optionally changed. */
export function freshState(profile: string, edit?: (state: SimJson) => void): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dda-test-')), 'state.json');
  copyFileSync(profilePath(profile), file);
  if (edit) {
    const s = JSON.parse(readFileSync(file, 'utf8')) as SimJson;
    edit(s);
    writeFileSync(file, JSON.stringify(s));
  }
  return file;
}

export type SimJson = {
  host: Record<string, unknown>;
  devices: Array<Record<string, unknown> & { locationPath: string; friendlyName: string }>;
  vms: Array<Record<string, unknown> & { name: string; assignedDevices: string[] }>;
  faults: Array<Record<string, unknown>>;
  latencyMs?: Record<string, number>;
};

/** An edit for freshState: the device at `path` starts dismounted and disabled, held by no VM (an orphan). */
export const startsDismounted =
  (path: string) =>
  (s: SimJson): void => {
    Object.assign(
      s.devices.find((d) => d.locationPath === path)!,
      { dismounted: true, enabled: false },
    );
  };

/**
 * An edit for freshState: the NIC at `path` becomes a function that runs its vendor's bus driver (PnP
 * class System) with the network adapter as its child device `MLX4\CONNECTX-3_ETH&00000000\<child>`,
 * as a ConnectX-3 behind mlx4_bus.
 */
export const behindBusDriver =
  (path: string, child: string) =>
  (s: SimJson): void => {
    const d = s.devices.find((x) => x.locationPath === path)!;
    const nic = d.netAdapter as Record<string, unknown>;
    d.class = 'System';
    nic.pnpDeviceId = `MLX4\\CONNECTX-3_ETH&00000000\\${child}`;
    nic.interfaceDescription = `Mellanox ConnectX-3 Ethernet Adapter #${child}`;
  };

export function readState(file: string): SimJson {
  return JSON.parse(readFileSync(file, 'utf8')) as SimJson;
}

/** A state without runtime bookkeeping, for "exactly as before" comparisons (the e2e fixtures use it too). */
export function comparableSim(
  s: Pick<SimJson, 'vms' | 'faults'> & { devices: Array<{ locationPath: string; dismounted?: unknown }> },
): unknown {
  // A profile's held devices start dismounted; the simulator records that on its first write.
  const held = new Set(s.vms.flatMap((v) => v.assignedDevices.map((p) => p.toUpperCase())));
  // The order of a VM's device entries carries no meaning (an undone remove re-adds at the end).
  const vms = s.vms.map((v) => ({ ...v, assignedDevices: [...v.assignedDevices].sort() }));
  // The simulator's own bookkeeping (finished WMI jobs) is not host state.
  const { sim: _sim, ...host } = s as typeof s & { sim?: unknown; events?: unknown[] };
  // The simulator writes an empty Hyper-V-Worker-Admin log on its first write: none and empty are the same log.
  // Its Information records ("started successfully") tell what ran, not what the host is: a rollback that
  // starts a VM again adds one. Its errors stay compared (a step that made the host refuse a start).
  const events = ((s as { events?: Array<{ level?: number }> }).events ?? []).filter((e) => e.level === 2);
  return {
    ...host,
    vms,
    faults: [],
    events,
    devices: s.devices.map((d) => ({
      ...d,
      dismounted: d.dismounted === undefined ? held.has(d.locationPath.toUpperCase()) : !!d.dismounted,
    })),
  };
}

/** The state file without runtime bookkeeping. */
export function comparableState(file: string): unknown {
  return comparableSim(readState(file));
}

/**
 * One pwsh for a whole test file, pointed at a new state file per test: the simulator reads
 * DDA_SIM_STATE on every call, so a test switches hosts by setting it inside the session.
 */
export function sharedHost(): { host: HostConnection; use(stateFile: string): Promise<void> } {
  const first = freshState('ml30-connectx4');
  const host = openHost({
    simState: first,
    extraScriptDirs: [join(import.meta.dirname, '..', 'main', 'host', 'test-fixtures')],
  });
  return {
    host,
    async use(stateFile: string) {
      const r = await host.runner.invoke('set-sim-state', { Path: stateFile });
      if (!r.ok) throw new Error(r.error.message);
    },
  };
}
