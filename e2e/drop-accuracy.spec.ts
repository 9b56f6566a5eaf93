/**
 * Issue 17, point 1: a pointer drop plans for the VM under the pointer, wherever the row was grabbed
 * (left edge, middle, right edge), never for a neighbour whose card overlaps the row's rectangle more;
 * a drop beside every card plans nothing; a blocked card says why; an overlay follows the cursor.
 */
import type { Locator } from '@playwright/test';
import { comparable, expect, test, type MainWindow, type SimHost } from './fixtures';

type Box = { x: number; y: number; width: number; height: number };
type Point = { x: number; y: number };

/** Where the device row's drag handle is grabbed: a few px inside each edge, and its middle. */
const GRABS: Array<[string, (b: Box) => number]> = [
  ['left', (b) => b.x + 6],
  ['middle', (b) => b.x + b.width / 2],
  ['right', (b) => b.x + b.width - 6],
];

/** What one drop did, as the admin would see it. */
interface Drop {
  grab: string;
  target: string;
  /** The VM the opened plan adds the device to (read from the plan's op-add-device step). */
  plannedFor: string | null;
  /** Whether the plan title puts exactly that VM and its state first, in bold. */
  titleOk: boolean | null;
  /** The announced "not dropped" message, if one appeared. */
  refused: string | null;
  /** The cards highlighted as "over" just before the release. */
  highlighted: string[];
  /**
   * Whether, mid-drag, the overlay was visible beside the pointer and inside the window, named the device
   * (and the VM, when over one), and no earlier refusal was still shown.
   */
  overlayOk: boolean;
}

const centre = (b: Box): Point => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

async function frames(app: MainWindow): Promise<void> {
  await app.page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );
}

/**
 * Presses the mouse on the handle at the grab point, moves in steps to `to`, releases, and reports what
 * happened; closes the plan dialog if one opened.
 */
async function drop(
  app: MainWindow,
  sim: SimHost,
  opts: {
    handle: Locator;
    device: string;
    grab: [string, (b: Box) => number];
    target: string;
    to: Point;
    shots?: { mid: string; after: string };
  },
): Promise<Drop> {
  const { page } = app;
  const a = (await opts.handle.boundingBox())!;
  const x0 = opts.grab[1](a);
  const y0 = a.y + a.height / 2;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x0 + 8, y0 + 8, { steps: 4 }); // past the sensor's 4 px activation distance
  await page.mouse.move(opts.to.x, opts.to.y, { steps: 10 });
  await frames(app);
  const highlighted = await page
    .locator('[data-testid="vm-card"].over')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-vm') ?? ''));
  const overlay = page.getByTestId('drag-overlay');
  const overlayText = (await overlay.isVisible()) ? await overlay.innerText() : null;
  const overVm = highlighted.length === 1 ? highlighted[0]! : null;
  // It follows the cursor: beside the pointer (within 30 px of it), whole inside the window.
  const ob = overlayText === null ? null : await overlay.boundingBox();
  const view = page.viewportSize()!;
  const besidePointer =
    !!ob &&
    Math.max(ob.x - opts.to.x, opts.to.x - (ob.x + ob.width), 0) <= 30 &&
    Math.max(ob.y - opts.to.y, opts.to.y - (ob.y + ob.height), 0) <= 30;
  const inWindow = !!ob && ob.x >= 0 && ob.y >= 0 && ob.x + ob.width <= view.width && ob.y + ob.height <= view.height;
  const overlayOk =
    overlayText !== null &&
    overlayText.includes(opts.device) &&
    (overVm === null || overlayText.includes(overVm)) &&
    besidePointer &&
    inWindow &&
    !(await page.getByTestId('drop-refused').isVisible());
  if (opts.shots) await app.screenshot(opts.shots.mid);
  await page.mouse.up();

  const refusal = page.getByTestId('drop-refused');
  await expect(app.dialog.or(refusal).first())
    .toBeVisible({ timeout: 2_000 })
    .catch(() => undefined); // neither: the drop planned nothing and said nothing
  let plannedFor: string | null = null;
  let titleOk: boolean | null = null;
  let refused: string | null = null;
  if (await app.dialog.isVisible()) {
    const add = app.dialog.locator('pre', { hasText: 'op-add-device' }).first();
    await expect(add).toBeAttached();
    const id = /-VmId '([^']+)'/.exec((await add.textContent()) ?? '')?.[1];
    plannedFor =
      (sim.state().vms as Array<{ name: string; id?: string }>).find((v) => v.id === id)?.name ?? `unknown VM id ${id}`;
    const state = sim.state().vms.find((v) => v.name === plannedFor)?.state ?? '?';
    const title = (await app.dialog.locator('#plan-title').innerText()).trim();
    const bold = await app.dialog.locator('#plan-title strong').allInnerTexts();
    titleOk =
      bold.length === 1 &&
      bold[0] === `${plannedFor} (${state})` &&
      title.startsWith(`${plannedFor} (${state}) ←`) &&
      title.includes(opts.device);
    if (opts.shots) await app.screenshot(opts.shots.after);
    await app.dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(app.dialog).toHaveCount(0);
  }
  if (await refusal.isVisible()) {
    refused = await refusal.innerText();
    if (opts.shots) await app.screenshot(opts.shots.after);
  }
  return { grab: opts.grab[0], target: opts.target, plannedFor, titleOk, refused, highlighted, overlayOk };
}

function report(drops: Drop[], expected: Drop[]): void {
  const wrong = drops.filter((d) => d.plannedFor !== null && d.plannedFor !== d.target);
  const summary =
    `${wrong.length} of ${drops.length} drops planned for another VM than the one under the pointer` +
    (wrong.length ? `: ${wrong.map((d) => `${d.grab}→${d.target} planned ${d.plannedFor}`).join('; ')}` : '');
  test.info().annotations.push({ type: 'wrong drops', description: summary });
  console.log(summary);
  expect(wrong, summary).toEqual([]);
  expect(drops).toEqual(expected);
}

/**
 * Drags the device from every grab point onto the centre of every card, one drop at a time, and checks
 * each against what that card should do (screenshots at the middle grab over `shots.vm`).
 */
async function dropOnEveryCard(
  app: MainWindow,
  sim: SimHost,
  opts: {
    path: string;
    device: string;
    vms: string[];
    shots: { vm: string; mid: string; after: string };
    expected: (vm: string) => Omit<Drop, 'grab' | 'target'>;
  },
): Promise<void> {
  const handle = app.deviceAt(opts.path).getByTestId('device-handle');
  const drops: Drop[] = [];
  const expected: Drop[] = [];
  for (const grab of GRABS)
    for (const vm of opts.vms) {
      const to = centre((await app.vmCard(vm).boundingBox())!);
      const shots =
        grab[0] === 'middle' && vm === opts.shots.vm ? { mid: opts.shots.mid, after: opts.shots.after } : undefined;
      drops.push(await drop(app, sim, { handle, device: opts.device, grab, target: vm, to, shots }));
      expected.push({ grab: grab[0], target: vm, ...opts.expected(vm) });
    }
  report(drops, expected);
}

test.describe('HPE ML30: three VM cards, one of them running', () => {
  const DEVICE = 'Mellanox ConnectX-4 Lx Ethernet Adapter #2';
  const PATH = 'PCIROOT(0)#PCI(0100)#PCI(0001)';
  const VMS = ['Router-01', 'File-Server', 'Build-Agent'];

  test('a drop at the centre of each card plans for exactly that card, wherever the row was grabbed', async ({
    app,
    sim,
  }) => {
    test.setTimeout(180_000);
    await dropOnEveryCard(app, sim, {
      path: PATH,
      device: DEVICE,
      vms: VMS,
      shots: { vm: 'File-Server', mid: 'drag-overlay', after: 'plan-dialog-title' },
      expected: (vm) => ({ plannedFor: vm, titleOk: true, refused: null, highlighted: [vm], overlayOk: true }),
    });
  });

  test('a drop between two cards plans nothing (no rectangle-overlap guess)', async ({ app, sim }) => {
    const handle = app.deviceAt(PATH).getByTestId('device-handle');
    const r1 = (await app.vmCard('Router-01').boundingBox())!;
    const r2 = (await app.vmCard('File-Server').boundingBox())!;
    expect(r2.x).toBeGreaterThan(r1.x + r1.width); // side by side, with a gap
    const gap = { x: (r1.x + r1.width + r2.x) / 2, y: r1.y + r1.height / 2 };
    const drops: Drop[] = [];
    for (const grab of GRABS)
      drops.push(await drop(app, sim, { handle, device: DEVICE, grab, target: '(gap)', to: gap }));
    expect(drops).toEqual(
      GRABS.map(([g]) => ({
        grab: g,
        target: '(gap)',
        plannedFor: null,
        titleOk: null,
        refused: null,
        highlighted: [],
        overlayOk: true,
      })),
    );
    await expect(app.page.getByTestId('drop-refused')).toHaveCount(0);
  });
});

test.describe('HPE ML30 with two VMs of one name (Hyper-V allows it)', () => {
  const DEVICE = 'Mellanox ConnectX-4 Lx Ethernet Adapter #2';
  const PATH = 'PCIROOT(0)#PCI(0100)#PCI(0001)';
  test.use({
    prepare: { apply: (sim) => sim.edit((s) => (s.vms.find((v) => v.name === 'Build-Agent')!.name = 'Router-01')) },
  });

  test('each of the two cards is its own drop target, says before the drop that the name is shared, and plans nothing', async ({
    app,
    sim,
  }) => {
    const before = comparable(sim.state());
    const twins = app.vmCard('Router-01');
    await expect(twins).toHaveCount(2);
    const handle = app.deviceAt(PATH).getByTestId('device-handle');
    const grab = GRABS[1]!;
    const refused = `Router-01 cannot take ${DEVICE}: blocked: another VM has this name (give each its own, Rename-VM). Nothing was planned.`;
    for (const card of [twins.nth(0), twins.nth(1)]) {
      const to = centre((await card.boundingBox())!);
      const d = await drop(app, sim, { handle, device: DEVICE, grab, target: 'Router-01', to });
      expect(d).toEqual({
        grab: grab[0],
        target: 'Router-01',
        plannedFor: null,
        titleOk: null,
        refused,
        highlighted: ['Router-01'],
        overlayOk: true,
      });
    }
    // Mid-drag, both cards say why (each its own verdict, by the VM's Id); the third card is open.
    const a = (await handle.boundingBox())!;
    await app.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await app.page.mouse.down();
    await app.page.mouse.move(a.x + a.width / 2 + 12, a.y + a.height / 2 + 12, { steps: 4 });
    await expect(twins.getByTestId('drop-note')).toHaveText([/another VM has this name/, /another VM has this name/]);
    await expect(app.vmCard('File-Server').getByTestId('drop-note')).toHaveText('needs the VM turned off');
    await app.page.keyboard.press('Escape');
    await app.page.mouse.up();
    expect(comparable(sim.state())).toEqual(before);
  });
});

test.describe('GPU workstation: four cards on two rows, the dragged NVMe already on one of them', () => {
  test.use({ profile: 'gpu-workstation' });
  const DEVICE = 'Samsung PM9A3 3.84TB (NVM Express)';
  const PATH = 'PCIROOT(0)#PCI(1B00)#PCI(0000)';
  const VMS = ['GPU-Render', 'Storage-VM', 'Dev-Linux', 'Prod-SQL01'];

  test('each drop moves it to the card under the pointer; its own card says why not and plans nothing', async ({
    app,
    sim,
  }) => {
    test.setTimeout(180_000);
    await dropOnEveryCard(app, sim, {
      path: PATH,
      device: DEVICE,
      vms: VMS,
      shots: { vm: 'Storage-VM', mid: 'drag-overlay-blocked', after: 'drop-refused' },
      expected: (vm) => {
        const here = vm === 'Storage-VM';
        return {
          plannedFor: here ? null : vm,
          titleOk: here ? null : true,
          refused: here ? `Storage-VM cannot take ${DEVICE}: already assigned here. Nothing was planned.` : null,
          highlighted: [vm],
          overlayOk: true,
        };
      },
    });
  });

  test('zh-CN: the plan title puts the VM and its state first; a refused drop is explained in Chinese', async ({
    app,
    sim,
  }) => {
    await app.page.getByTestId('language').selectOption('zh-CN');
    const handle = app.deviceAt(PATH).getByTestId('device-handle');
    await app.drag(handle, app.vmCard('Prod-SQL01'));
    await expect(app.dialog.locator('#plan-title strong')).toHaveText('Prod-SQL01（正在运行）');
    await expect(app.dialog.locator('#plan-title')).toHaveText(
      `Prod-SQL01（正在运行） ← 把 ${DEVICE} 从 Storage-VM 移过来`,
    );
    await app.screenshot('plan-title-zh-CN');
    await app.dialog.getByRole('button', { name: '取消' }).click();
    await app.drag(handle, app.vmCard('Storage-VM'));
    await expect(app.page.getByTestId('drop-refused')).toHaveText(
      `Storage-VM 不能接收 ${DEVICE}：已分配给此虚拟机。未做任何规划。`,
    );
    await expect(app.dialog).toHaveCount(0);
    expect(sim.vm('Storage-VM').assignedDevices).toContain(PATH);
  });
});
