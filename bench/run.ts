/** `npm run bench`: prints the performance tables (numbers, not assertions). */
import { benchInventory } from './inventory-bench';
import { benchOperations } from './operations-bench';
import { benchRemote } from './remote-bench';
import { benchSession } from './session-bench';
import { benchStartup } from './startup-bench';
import { benchUi } from './ui-bench';

function table(title: string, rows: Array<Record<string, string | number>>): void {
  process.stdout.write(`\n## ${title}\n\n`);
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  process.stdout.write(`| ${cols.join(' | ')} |\n|${cols.map(() => '---').join('|')}|\n`);
  for (const r of rows) process.stdout.write(`| ${cols.map((c) => String(r[c] ?? '')).join(' | ')} |\n`);
}

const only = process.argv[2];
if (!only || only === 'startup')
  table("Start-up, whole process, against its baseline (the issue's goals)", await benchStartup());
if (!only || only === 'inventory')
  table('Inventory (simulated hosts, warm session unless noted)', await benchInventory());
if (!only || only === 'operations') table('Operations (gpu-workstation simulator)', await benchOperations());
if (!only || only === 'session') table('PowerShell session', await benchSession());
if (!only || only === 'remote')
  table('Remote host over SSH (loopback sshd, simulated host) vs the local session, ms', await benchRemote());
if (!only || only === 'ui') table('UI (browser mode, Debian Chromium)', await benchUi());
