/**
 * What changed on the host since DDA Studio last saw it (issue 18): the reconcile list each inventory
 * carries, each item with its one-click fix, which opens the plan dialog like every other operation.
 */
import type { LocalizedText } from '../../../shared/plan';
import { useStore } from '../store';
import { useT } from '../i18n';

const title: LocalizedText = { en: 'Changes on this host', 'zh-CN': '此主机上的变化' };
const intro: LocalizedText = {
  en: "Found when the host was opened: compared with what DDA Studio recorded of its assignments and with the host's start-failure log.",
  'zh-CN': '打开主机时发现：与 DDA Studio 记录的直通分配以及主机的启动失败日志对比得出。',
};

export function ReconcilePanel() {
  const { tx } = useT();
  const items = useStore((s) => s.inventory?.reconcile) ?? [];
  const openPlan = useStore((s) => s.openPlan);
  if (items.length === 0) return null;
  return (
    <section className="reconcile" aria-labelledby="reconcile-title" data-testid="reconcile">
      <h3 id="reconcile-title">
        {tx(title)} ({items.length})
      </h3>
      <p className="muted small">{tx(intro)}</p>
      <ul>
        {items.map((i, n) => (
          <li
            key={`${i.kind}-${i.vmName ?? ''}-${i.locationPath ?? ''}-${n}`}
            className={`reconcile-item ${i.severity}`}
            data-testid="reconcile-item"
            data-kind={i.kind}
            data-vm={i.vmName ?? undefined}
          >
            <span className={`badge small ${i.severity === 'danger' ? 'red' : 'amber'}`}>{i.kind}</span>{' '}
            <span>{tx(i.text)}</span>
            {i.fix && i.fixLabel && (
              <button className="small" onClick={() => void openPlan(i.fix!)} data-testid="reconcile-fix">
                {tx(i.fixLabel)}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
