/** The VMs pane: the answer to a refused drop, the host's changes, the VM cards (vm-grid.tsx) and the orphans. */
import { memo, useState } from 'react';
import type { Inventory } from '../../../shared/inventory';
import { useStore } from '../store';
import { useT } from '../i18n';
import { DropRefusal } from './drag-preview';
import { ReconcilePanel } from './reconcile-panel';
import { VmGrid } from './vm-grid';

/** Memoized on the inventory: the window renders again for its own state (loading, hosts), the pane only for its own. */
export const VmsPane = memo(function VmsPane({ inventory }: { inventory: Inventory }) {
  const { t } = useT();
  const openPlan = useStore((s) => s.openPlan);
  // The pane scrolls the list; held as state so that the list renders again once it is there.
  const [pane, setPane] = useState<HTMLElement | null>(null);
  const orphans = inventory.devices.filter((d) => d.owner.kind === 'dismounted');
  return (
    <section className="pane vms-pane" aria-labelledby="vms-title" ref={setPane}>
      <div className="pane-head">
        <h2 id="vms-title">{t('vms')}</h2>
      </div>
      <DropRefusal />
      <ReconcilePanel />
      <VmGrid vms={inventory.vms} scroller={pane} />
      {orphans.length > 0 && (
        <div className="orphans" data-testid="orphans">
          <h3>{t('orphans')}</h3>
          <ul>
            {orphans.map((d) => (
              <li key={d.instanceId}>{d.friendlyName}</li>
            ))}
          </ul>
          <button onClick={() => void openPlan({ kind: 'return-orphans' })}>{t('returnAll')}</button>
        </div>
      )}
    </section>
  );
});
