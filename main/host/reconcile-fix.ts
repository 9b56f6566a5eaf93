/**
 * The CLI's `dda repair --vm X` plans the same fix as the reconcile list's button (issue 18): when the
 * list knows where the VM's stale cards moved, the repair is a re-point; otherwise the entries are removed.
 */
import type { Inventory } from '../../shared/inventory';
import type { Intent } from '../../shared/plan';

/** The intent to plan for what the admin asked, given the host's reconcile list. */
export function reconciledIntent(intent: Intent, inv: Inventory): Intent {
  if (intent.kind !== 'repair') return intent;
  const moved = (inv.reconcile ?? []).find(
    (i) => i.kind === 'moved' && i.vmName === intent.vmName && i.fix?.kind === 'repoint',
  );
  return moved?.fix ?? intent;
}
