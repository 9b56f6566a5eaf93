/** PowerShell session: cold start to first result, and the warm per-call overhead. */
import { join } from 'node:path';
import { findPowerShell } from '../main/powershell/find-pwsh';
import { PowerShellSession } from '../main/powershell/session';
import { projectRoot } from '../main/project-root';
import { median } from './stats';

export async function benchSession(): Promise<Array<Record<string, string | number>>> {
  const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform });
  if (!pwsh) throw new Error('PowerShell not found');
  const dirs = [join(projectRoot(), 'main', 'powershell', 'test-fixtures')];
  const colds: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = new PowerShellSession({ executable: pwsh.path, scriptDirs: dirs });
    const t = performance.now();
    await s.invoke('echo', { Value: 1 });
    colds.push(performance.now() - t);
    await s.dispose();
  }
  const s = new PowerShellSession({ executable: pwsh.path, scriptDirs: dirs });
  await s.invoke('echo', { Value: 1 });
  const warm: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    await s.invoke('echo', { Value: 'x'.repeat(100), Other: i });
    warm.push(performance.now() - t);
  }
  await s.dispose();
  return [
    { metric: 'cold start to first result (median of 3)', ms: Math.round(median(colds)) },
    { metric: 'warm call, echo script (median of 200)', ms: Number(median(warm).toFixed(2)) },
  ];
}
