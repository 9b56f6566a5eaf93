/**
 * The e2e workers share one PowerShell, pointed at each test's own simulated host (fixtures.ts,
 * SharedSimHost). A session that starts again mid-test (its process died, a call timed out) must load
 * this test's host, not the one the worker's PowerShell first started on (a copy of the ML30).
 */
import { hostServices } from '../main/host/host-services';
import { expect, test } from './fixtures';

test.use({ profile: 'r910-x520' });

test("a PowerShell that dies mid-test starts again on this test's host", async ({ served }) => {
  const { readInventory } = hostServices(served.host);
  expect((await readInventory()).host.computerName).toBe('R910');
  const pid = served.host.runner.pid!;
  process.kill(pid, 'SIGKILL');
  await expect.poll(() => served.host.runner.pid).toBeUndefined();
  const read = await readInventory();
  expect(served.host.runner.pid).not.toBe(pid);
  expect(read.host.computerName).toBe('R910');
});
