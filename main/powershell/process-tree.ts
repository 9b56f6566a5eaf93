// Killing a PowerShell process with everything it started (session.ts, defect 8).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { system32File } from '../packaged-trust';

/** Kills a process and its descendants; see defect 8. */
export function killProcessTree(pid: number): void {
  if (process.platform === 'win32') {
    // By full path: a bare name is looked up in the current folder first (libuv), then PATH.
    const r = spawnSync(system32File(process.env, 'taskkill.exe'), ['/pid', String(pid), '/T', '/F'], {
      windowsHide: true,
    });
    if (r.status !== 0) signal(pid, 'SIGKILL');
    return;
  }
  const first = [pid, ...descendants(pid)];
  for (const p of first) signal(p, 'SIGSTOP'); // a stopped process cannot fork while we look again
  const all = new Set([...first, ...descendants(pid)]);
  for (const p of all) signal(p, 'SIGKILL');
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Descendant pids of `root`, from /proc on Linux, else from ps. */
function descendants(root: number): number[] {
  const parentOf = new Map<number, number>();
  if (existsSync('/proc/self/stat')) {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parentOf.set(Number(name), ppid);
      } catch {
        // exited while we read
      }
    }
  } else {
    const r = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
    for (const line of (r.stdout ?? '').split('\n')) {
      const [p, pp] = line.trim().split(/\s+/).map(Number);
      if (p && pp !== undefined) parentOf.set(p, pp);
    }
  }
  const out: number[] = [];
  const frontier = [root];
  while (frontier.length) {
    const parent = frontier.pop();
    for (const [p, pp] of parentOf) {
      if (pp === parent && p !== root && !out.includes(p)) {
        out.push(p);
        frontier.push(p);
      }
    }
  }
  return out;
}
