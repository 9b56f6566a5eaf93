/**
 * Issue 17 #2-#4 in the browser: "Also assign <sibling>" (on for a GPU's audio function), the plan dialog
 * as a real modal (focus kept and given back, Escape), the PowerShell behind a toggle, Run and Cancel in
 * a footer that stays in view, "Start the VM again" on by default, the VM's state after the run and its
 * Start when it is off, and the Activity line that opens the operation's step log; the
 * details drawer's Verdict -> Why -> What you can do; the "Assign to…" menu button; the keyboard drag
 * from card to card with announcements made of names and verdicts, in English and Chinese.
 */
import { expect, firstArrowToCard, test } from './fixtures';
import type { Locator, Page } from '@playwright/test';

const GPU = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const GPU_AUDIO = 'PCIROOT(0)#PCI(0100)#PCI(0001)';
const CX4_2 = 'PCIROOT(0)#PCI(0100)#PCI(0001)';
const ILO = 'PCIROOT(0)#PCI(1C04)#PCI(0002)';

/** Whether the focused element is inside the locator's element. */
const focusInside = (l: Locator) => l.evaluate((el) => el.contains(document.activeElement));
/** dnd-kit's live region: what a screen reader hears during a drag. */
const liveRegion = (page: Page) => page.locator('[id^="DndLiveRegion"]');

test.describe('gpu-workstation: a GPU and its audio function', () => {
  test.use({ profile: 'gpu-workstation' });

  test('"Also assign" is on for the GPU\'s audio function; off plans the GPU alone; Run assigns both', async ({
    app,
    sim,
  }) => {
    await app.drag(app.deviceAt(GPU).getByTestId('device-handle'), app.vmCard('GPU-Render'));
    const also = app.dialog.getByTestId('also-assign');
    await expect(also).toContainText('Also assign NVIDIA High Definition Audio Controller');
    await expect(also.getByRole('checkbox')).toBeChecked();
    const steps = app.dialog.getByTestId('plan-step');
    await expect(
      steps.filter({ hasText: "Assign NVIDIA High Definition Audio Controller to 'GPU-Render'" }),
    ).toHaveCount(1);
    await expect(steps.filter({ hasText: "Assign NVIDIA RTX A4000 to 'GPU-Render'" })).toHaveCount(1);

    // Controlled by the plan: a click asks for a new plan; the box follows when it arrives.
    await also.getByRole('checkbox').click();
    await expect(also.getByRole('checkbox')).not.toBeChecked();
    await expect(steps.filter({ hasText: 'NVIDIA High Definition Audio Controller' })).toHaveCount(0);
    await expect(
      app.dialog
        .getByTestId('plan-warning')
        .filter({ hasText: 'shares its card with NVIDIA High Definition Audio Controller' }),
    ).toHaveCount(1);

    await app.page.getByTestId('language').selectOption('zh-CN');
    await expect(also).toContainText('同时分配 NVIDIA High Definition Audio Controller');
    await app.page.getByTestId('language').selectOption('en');

    await also.getByRole('checkbox').click();
    await expect(also.getByRole('checkbox')).toBeChecked();
    await expect(steps.filter({ hasText: 'NVIDIA High Definition Audio Controller' }).first()).toBeVisible();
    expect(await app.runAndWait()).toBe('succeeded');
    expect([...sim.vm('GPU-Render').assignedDevices].sort()).toEqual([GPU, GPU_AUDIO]);
  });

  test('the audio function alone: offered, not ticked', async ({ app }) => {
    await app.drag(app.deviceAt(GPU_AUDIO).getByTestId('device-handle'), app.vmCard('GPU-Render'));
    await expect(app.dialog.getByTestId('also-assign')).toContainText('Also assign NVIDIA RTX A4000');
    await expect(app.dialog.getByTestId('also-assign').getByRole('checkbox')).not.toBeChecked();
  });
});

test.describe('ml30-connectx4', () => {
  test('"Assign to…" is a menu button: first item focused, arrows, Escape, a click outside; each VM with its state and need', async ({
    app,
  }) => {
    const button = app.deviceAt(CX4_2).getByTestId('assign-menu');
    await button.focus();
    await app.page.keyboard.press('Enter');
    const items = app.page.getByRole('menuitem');
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    await expect(items.first()).toBeFocused();
    await expect(items).toHaveText([
      'Router-01 Off · ready',
      'File-Server Running: will be shut down',
      'Build-Agent Off · ready',
    ]);
    await app.page.keyboard.press('ArrowDown');
    await expect(items.nth(1)).toBeFocused();
    await app.page.keyboard.press('ArrowUp');
    await app.page.keyboard.press('ArrowUp');
    await expect(items.nth(2)).toBeFocused(); // wraps
    await app.page.keyboard.press('Escape');
    await expect(items).toHaveCount(0);
    await expect(button).toBeFocused();
    await expect(button).toHaveAttribute('aria-expanded', 'false');

    await button.click();
    await expect(items).toHaveCount(3);
    await app.page.locator('#vms-title').click();
    await expect(items).toHaveCount(0);

    await app.page.getByTestId('language').selectOption('zh-CN');
    await button.click();
    await expect(items.nth(1)).toHaveText('File-Server 正在运行：将被关机');
    await app.page.keyboard.press('Escape');
  });

  test('the plan dialog keeps focus, shows PowerShell on request, keeps Run in view, starts the VM again by default, and gives focus back', async ({
    app,
    sim,
  }) => {
    await app.page.setViewportSize({ width: 1000, height: 560 });
    const button = app.deviceAt(CX4_2).getByTestId('assign-menu');
    await button.click();
    await app.page.getByRole('menuitem', { name: /File-Server/ }).click();
    await expect(app.dialog.getByTestId('plan-target')).toHaveText('File-Server (Running)');
    expect(await focusInside(app.dialog)).toBe(true);

    // "Start the VM again" starts ticked for a VM that was running.
    await expect(app.dialog.getByTestId('start-after').getByRole('checkbox')).toBeChecked();

    // Tab and Shift+Tab never leave the dialog.
    for (let i = 0; i < 25; i++) {
      await app.page.keyboard.press(i % 5 === 4 ? 'Shift+Tab' : 'Tab');
      expect(await focusInside(app.dialog)).toBe(true);
    }

    // The PowerShell is behind a visible toggle.
    const toggle = app.dialog.getByTestId('show-powershell');
    const commands = app.dialog.getByTestId('step-command');
    await expect(toggle).toHaveText('Show PowerShell');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(commands.first()).toBeHidden();
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(commands.first()).toBeVisible();
    await expect(commands.filter({ hasText: 'op-stop-vm' }).first()).toBeVisible();

    // With every step expanded the body scrolls; the footer with Run and Cancel stays in the window.
    const body = app.dialog.locator('.plan-body');
    expect(await body.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    for (const b of [app.runButton, app.dialog.getByTestId('cancel')]) {
      const box = (await b.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(560);
      expect(box.y).toBeGreaterThanOrEqual(0);
    }
    await app.page.screenshot({ path: 'test-results/screenshots/plan-dialog-expanded.png' });

    // Escape closes it; focus goes back to the menu button it came from.
    await app.page.keyboard.press('Escape');
    await expect(app.dialog).toHaveCount(0);
    await expect(button).toBeFocused();

    // Run with "Start the VM again" unticked: the outcome says the VM is off now.
    await button.click();
    await app.page.getByRole('menuitem', { name: /File-Server/ }).click();
    await app.dialog.locator('[data-consent="turn-off-vm"]').click();
    await expect(app.dialog.locator('[data-consent="turn-off-vm"]')).toBeChecked();
    await app.dialog.getByTestId('start-after').getByRole('checkbox').click();
    await expect(app.dialog.getByTestId('start-after').getByRole('checkbox')).not.toBeChecked();
    await expect(app.dialog.getByTestId('plan-step').filter({ hasText: 'Start' })).toHaveCount(0);
    expect(await app.runAndWait()).toBe('succeeded');
    await expect(app.dialog.getByTestId('outcome-vm')).toHaveText(/VM File-Server is now Off\. It was running before/);
    expect(sim.vm('File-Server').state).toBe('Off');

    // The outcome offers to start it: the start plan opens in the same dialog, runs, and the VM is running.
    await app.dialog.getByTestId('outcome-start-vm').click();
    await expect(app.dialog.getByTestId('plan-title')).toHaveText('Start File-Server');
    await expect(app.dialog.getByTestId('plan-step')).toHaveCount(1);
    await expect(app.outcome).toHaveCount(0);
    expect(await app.runAndWait()).toBe('succeeded');
    await expect(app.dialog.getByTestId('outcome-vm')).toHaveAttribute('data-state', 'Running');
    await expect(app.dialog.getByTestId('outcome-start-vm')).toHaveCount(0);
    expect(sim.vm('File-Server').state).toBe('Running');

    // Activity: a click on the operation's line opens its step log (from the journal); Escape closes it.
    await app.dialog.getByTestId('cancel').click();
    await expect(app.dialog).toHaveCount(0);
    const line = app.page.getByTestId('activity-open').first();
    await expect(line).toContainText('Start File-Server: succeeded');
    await line.click();
    const log = app.page.getByTestId('operation-log');
    await expect(log.getByTestId('oplog-title')).toHaveText('Start File-Server');
    await expect(log.getByTestId('oplog-summary')).toHaveAttribute('data-status', 'succeeded');
    await expect(log.getByTestId('oplog-step')).toHaveCount(1);
    await expect(log.getByTestId('oplog-step').first()).toHaveAttribute('data-state', 'done');
    await expect(log.getByTestId('oplog-step').first()).toContainText('op-start-vm');
    await expect(log.getByTestId('oplog-close')).toBeFocused();
    await app.page.keyboard.press('Escape');
    await expect(log).toHaveCount(0);
    await expect(line).toBeFocused();
    // The assignment before it: its log has the turn-off step and every other one done, the exported lines folded.
    await app.page.getByTestId('activity-open').nth(1).click();
    await expect(log.getByTestId('oplog-title')).toContainText('File-Server');
    await expect(log.getByTestId('oplog-step').filter({ hasText: 'op-stop-vm' })).toHaveCount(1);
    await expect(log.locator('[data-testid="oplog-step"]:not([data-state="done"])')).toHaveCount(0);
    await expect(log.getByTestId('oplog-text')).toBeHidden();
    await log.getByTestId('oplog-close').click();
    await expect(log).toHaveCount(0);
  });

  test('the details drawer: Verdict, Why, What you can do, the DDA planning page, raw facts folded; focus and Escape', async ({
    app,
  }) => {
    const details = app.deviceAt(ILO).getByRole('button', { name: /Details/ });
    await details.click();
    const drawer = app.page.getByTestId('details');
    await expect(drawer).toBeFocused();
    await expect(drawer.getByRole('heading', { level: 3 })).toHaveText(['Verdict', 'Why', 'What you can do']);
    await expect(drawer.getByTestId('details-why')).toContainText(
      'The firmware did not hand PCI Express control to Windows',
    );
    await expect(drawer.getByTestId('details-what')).toContainText(
      'Update the BIOS or turn on native PCIe (OS) control',
    );
    await expect(drawer.getByTestId('details-learn')).toHaveAttribute(
      'href',
      'https://learn.microsoft.com/en-us/windows-server/virtualization/hyper-v/plan/plan-for-deploying-devices-using-discrete-device-assignment',
    );
    await expect(drawer.getByText('RequiresReservedMemoryRegion (pid 34)')).toBeHidden();
    await drawer.getByTestId('raw-facts').locator('summary').click();
    await expect(drawer.getByText('RequiresReservedMemoryRegion (pid 34)')).toBeVisible();
    await drawer.getByTestId('raw-facts').locator('summary').click();
    await app.page.screenshot({ path: 'test-results/screenshots/details-drawer.png' });
    await app.page.keyboard.press('Escape');
    await expect(drawer).toHaveCount(0);
    await expect(details).toBeFocused();

    await app.page.getByTestId('language').selectOption('zh-CN');
    await app.deviceAt(ILO).getByRole('button', { name: /详情/ }).click();
    await expect(drawer.getByRole('heading', { level: 3 })).toHaveText(['检测结论', '原因', '你可以怎么做']);
    await expect(drawer.getByTestId('details-why')).toContainText('固件没有把 PCIe 控制权交给 Windows');
  });

  test('keyboard drag moves card to card; announcements are names and verdicts, never ids, in both languages', async ({
    app,
  }) => {
    const handle = app.deviceAt(CX4_2).getByTestId('device-handle');
    // An assignable row is offered as draggable, named by what it shows; a row no VM can take is not.
    await expect(handle).toHaveAttribute('aria-roledescription', 'draggable device');
    await expect(handle).not.toHaveAttribute('aria-label', /.*/);
    const ilo = app.deviceAt(ILO).getByTestId('device-handle');
    await expect(ilo).not.toHaveAttribute('aria-roledescription', /.*/);
    await expect(ilo).not.toHaveAttribute('tabindex', /.*/);

    const overlay = app.page.getByTestId('drag-overlay');
    const live = liveRegion(app.page);
    await handle.focus();
    await app.page.keyboard.press('Space');
    await expect(live).toHaveText(
      'Picked up Mellanox ConnectX-4 Lx Ethernet Adapter #2. Arrow keys move it from one VM to the next.',
    );
    await firstArrowToCard(app.page, 'Router-01');
    await expect(live).toHaveText(
      'Mellanox ConnectX-4 Lx Ethernet Adapter #2 over Router-01, Off: Drop to plan the assignment.',
    );
    await app.page.keyboard.press('ArrowRight');
    await expect(overlay).toHaveAttribute('data-over', 'File-Server');
    await expect(live).toHaveText(
      'Mellanox ConnectX-4 Lx Ethernet Adapter #2 over File-Server, Running: needs the VM turned off.',
    );
    await app.page.keyboard.press('ArrowRight');
    await expect(overlay).toHaveAttribute('data-over', 'Build-Agent');
    await app.page.keyboard.press('ArrowLeft');
    await expect(overlay).toHaveAttribute('data-over', 'File-Server');
    await expect(live).not.toContainText('PCIROOT');
    await app.page.keyboard.press('Escape');
    await expect(live).toHaveText('Drag of Mellanox ConnectX-4 Lx Ethernet Adapter #2 cancelled.');
    await expect(app.dialog).toHaveCount(0);

    await app.page.getByTestId('language').selectOption('zh-CN');
    await expect(handle).toHaveAttribute('aria-roledescription', '可拖动的设备');
    await handle.focus();
    await app.page.keyboard.press('Space');
    // As in English above: the arrows work once the pick-up is announced (dnd-kit listens for them from
    // the next task on), and each move is measured before the next key.
    await expect(live).toHaveText('已拿起 Mellanox ConnectX-4 Lx Ethernet Adapter #2。用方向键在虚拟机之间移动。');
    await firstArrowToCard(app.page, 'Router-01');
    await app.page.keyboard.press('ArrowRight');
    await expect(overlay).toHaveAttribute('data-over', 'File-Server');
    await expect(live).toHaveText(
      'Mellanox ConnectX-4 Lx Ethernet Adapter #2 位于 File-Server（正在运行）上方：需要先关闭虚拟机。',
    );
    await app.page.keyboard.press('Space');
    await expect(live).toHaveText(
      '已将 Mellanox ConnectX-4 Lx Ethernet Adapter #2 放到 File-Server 上：正在打开计划。',
    );
    await expect(app.dialog.getByTestId('plan-target')).toHaveText('File-Server（正在运行）');
  });
});
