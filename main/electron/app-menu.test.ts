/** The app menu: "Export activity log" asks the window (an event of the contract) and exports nothing itself. */
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { eventSchema, type DdaEvent } from '../../shared/contract';
import { appMenuTemplate } from './app-menu';

function menu() {
  const emitted: DdaEvent[] = [];
  const done: string[] = [];
  const template = appMenuTemplate(
    { emit: (e) => emitted.push(e) },
    { reload: () => done.push('reload'), openLogFolder: () => done.push('logs'), about: () => done.push('about') },
  );
  const items = template.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : [])) as MenuItemConstructorOptions[];
  const click = (label: string) => (items.find((i) => i.label === label)!.click as () => void)();
  return { emitted, done, click, items };
}

describe('app menu', () => {
  it('"Export activity log" sends the window the contract\'s export-activity-requested event, naming no host', () => {
    const { emitted, done, click } = menu();
    click('Export activity log…');
    expect(emitted).toEqual([{ type: 'export-activity-requested' }]);
    expect(eventSchema.parse(emitted[0])).toEqual({ type: 'export-activity-requested' });
    expect(done).toEqual([]);
  });

  it('the other items do their own thing and send no event', () => {
    const { emitted, done, click, items } = menu();
    for (const label of ['Refresh', 'Open log folder', 'About DDA Studio']) click(label);
    expect(done).toEqual(['reload', 'logs', 'about']);
    expect(emitted).toEqual([]);
    expect(items.some((i) => i.role === 'quit')).toBe(true);
  });
});
