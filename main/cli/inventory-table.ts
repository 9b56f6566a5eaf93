/** The readable form of `dda inventory`: host readiness, devices by card, VMs, hygiene problems. */
import type { Device, Inventory } from '../../shared/inventory';
import { psString } from '../../shared/ps-literal';
import type { ReconcileItem } from '../../shared/reconcile-item';

const verdictText: Record<Device['verdict']['code'], string> = {
  assignable: 'Assignable',
  'assignable-less-secure': 'Assignable, less secure',
  'assignable-legacy-graphics': 'Assignable (legacy graphics)',
  'force-insecure': 'Needs -Force, insecure',
  'disabled-unknown': "Disabled, can't check",
  'not-assignable': 'Not assignable',
  unknown: 'Unknown',
};

function ownerText(d: Device): string {
  switch (d.owner.kind) {
    case 'host':
      return 'Host';
    case 'dismounted':
      return d.resourcePoolName ? `In pool ${d.resourcePoolName}` : 'Dismounted';
    case 'vm':
      return `VM ${d.owner.vmName}`;
  }
}

/** Pads a table of rows to aligned columns (by code points, so CJK names do not break alignment badly). */
export function formatTable(header: string[], rows: string[][]): string {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uFFFF]/.test(ch) ? 2 : 1), 0);
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Control characters (and bidirectional overrides) in host-supplied text must not reach the terminal. */
export function clean(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
}

/** The whole inventory as text for a terminal. */
export function formatInventory(inv: Inventory): string {
  const h = inv.host;
  const yesNo = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');
  const out: string[] = [];
  out.push(`Host ${clean(h.computerName)} · ${clean(h.osCaption ?? 'unknown OS')}${h.simulated ? ' · SIMULATED' : ''}`);
  out.push(
    `  Server SKU: ${yesNo(h.isServerSku)}   Hyper-V: ${yesNo(h.hyperVPresent)}   IOV support: ${yesNo(h.iovSupport)}   PCIe control: ${yesNo(h.osPcieControl)}   IOMMU policy: ${yesNo(h.iommuPolicyEnabled)}   Elevated: ${yesNo(h.elevated)}   PowerShell: ${clean(h.psEdition)} ${clean(h.psVersion)}`,
  );
  for (const r of h.iovSupportReasons) out.push(`  ! ${clean(r)}`);
  out.push('');
  const devices = [...inv.devices].sort(
    (a, b) =>
      (a.card?.path ?? a.locationPath ?? '').localeCompare(b.card?.path ?? b.locationPath ?? '') ||
      (a.card?.functionNumber ?? 0) - (b.card?.functionNumber ?? 0),
  );
  out.push(
    formatTable(
      ['Device', 'Location path', 'Verdict', 'Reason', 'MMIO MB', 'Owner'],
      devices.map((d) => [
        clean(d.friendlyName) + (d.hostsSystemDisk ? ' [system disk]' : ''),
        clean(d.locationPath ?? '-'),
        verdictText[d.verdict.code] + (d.verdict.remembered ? ' (remembered)' : ''),
        d.verdict.reason ?? '',
        d.mmioMB === null ? 'unknown' : d.mmioMB.toLocaleString('en-US'),
        clean(ownerText(d)),
      ]),
    ),
  );
  const lifelines = devices.flatMap((d) => {
    if (d.owner.kind !== 'host') return [];
    const l = d.lifelines;
    const what = [
      ...(l.carriesSession === true ? ["this session's connection"] : []),
      ...(!l.networkKnown ? ['host network unknown'] : []),
      ...(l.ipAddresses.length > 0 ? [`host IP ${l.ipAddresses.join(', ')}`] : []),
      ...l.vSwitches.map(
        (s) =>
          `vSwitch ${s.name}${s.vms.length > 0 ? ` (VMs ${s.vms.join(', ')})` : ''}${s.hostIpAddresses.length > 0 ? ` with host IP ${s.hostIpAddresses.join(', ')}` : ''}`,
      ),
      ...(!l.storageKnown ? ['host disks unknown'] : []),
      ...l.disks.map(
        (k) =>
          `disk ${k.number}${k.volumes.length > 0 ? ` ${k.volumes.join(', ')}` : ''}${k.isBoot || k.isSystem ? ' boot/system' : ''}${k.pageFile ? ' page file' : ''}`,
      ),
    ];
    return what.length > 0 ? [`  ${clean(d.friendlyName)}: ${clean(what.join('; '))}`] : [];
  });
  if (lifelines.length > 0) out.push('', 'What the host itself uses:', ...lifelines);
  out.push('');
  out.push(
    formatTable(
      ['VM', 'State', 'Gen', 'Stop action', 'Low MMIO MB', 'High MMIO MB', 'Dyn. memory', 'Devices'],
      inv.vms.map((v) => [
        clean(v.name),
        clean(v.state) + (v.isClustered ? ' (clustered)' : ''),
        String(v.generation),
        clean(v.automaticStopAction),
        String(Math.round(v.lowMemoryMappedIoSpace / 1048576)),
        String(Math.round(v.highMemoryMappedIoSpace / 1048576)),
        v.dynamicMemoryEnabled ? 'on' : 'off',
        v.assignedDevices
          .map(
            (a) =>
              (a.resourcePoolName ? `pool ${clean(a.resourcePoolName)}` : clean(a.locationPath)) +
              (a.stale ? ' (stale)' : '') +
              (a.duplicate ? ' (duplicate)' : ''),
          )
          .join(', ') || '-',
      ]),
    ),
  );
  if (inv.problems.length > 0) {
    out.push('');
    for (const p of inv.problems) {
      if (p.kind === 'orphan')
        out.push(`! Orphan: ${clean(p.locationPath)} is dismounted and held by no VM (dda return-orphans)`);
      if (p.kind === 'stale')
        out.push(`! Stale entry in VM ${clean(p.vmName)}: ${clean(p.locationPath)} (dda repair --vm ...)`);
      if (p.kind === 'duplicate')
        out.push(
          `! Duplicate: ${clean(p.locationPath)} held ${p.vmNames.length > 1 ? `by ${p.vmNames.map(clean).join(', ')}` : 'twice'}`,
        );
    }
  }
  out.push(...formatReconcile(inv));
  for (const n of inv.notes) out.push(`note: ${clean(n)}`);
  return out.join('\n');
}

/** The fix of a reconcile item as the command that plans it. */
function fixCommand(fix: NonNullable<ReconcileItem['fix']>): string {
  switch (fix.kind) {
    case 'repoint':
    case 'repair':
      return `dda repair --vm ${psString(fix.vmName)}`;
    case 'revert':
      return `dda revert --device ${psString(fix.locationPath)}`;
    case 'enable-device':
      return `dda enable-device --device ${psString(fix.locationPath)}`;
    case 'fit-vm':
    case 'start-vm':
      return `dda ${fix.kind} --vm ${psString(fix.vmName)}`;
    case 'return-orphans':
      return 'dda return-orphans';
    case 'assign':
    case 'move':
      return `dda ${fix.kind} --device ${psString(fix.locationPath)}`;
  }
}

/** What changed since DDA Studio last saw the host (reconcile on connect), each with the command of its fix. */
export function formatReconcile(inv: Inventory): string[] {
  const items = inv.reconcile ?? [];
  if (items.length === 0) return [];
  const out = ['', `Changes on this host (${items.length}):`];
  for (const i of items) {
    out.push(
      `${i.severity === 'danger' ? '!!' : i.severity === 'warning' ? '! ' : '- '} [${i.kind}] ${clean(i.text.en)}`,
    );
    if (i.fix) out.push(`     fix: ${fixCommand(i.fix)}`);
  }
  return out;
}
