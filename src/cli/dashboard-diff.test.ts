// The dashboard review on fixtures: each kind of change shows up, side by side, and nothing else.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir';
import { diffDashboards, diffMarkdown, parseDashboard } from './dashboard-diff';
import { runKaizen } from './kaizen';

const ds = { type: 'prometheus', uid: '${datasource}' };
const stat = (id: number, title: string, expr: string, extra: object = {}) => ({
  id,
  type: 'stat',
  title,
  datasource: ds,
  gridPos: { x: 0, y: id, w: 6, h: 4 },
  targets: [{ refId: 'A', datasource: ds, expr }],
  fieldConfig: {
    defaults: {
      unit: 's',
      thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] },
      links: [{ title: 'tickets', url: '/?view=tickets' }],
    },
  },
  ...extra,
});

const before = {
  title: 'Ops',
  templating: { list: [{ name: 'tenant', type: 'query', query: 'label_values(tenant_id)' }] },
  panels: [
    { id: 100, type: 'row', title: 'Top', panels: [] },
    stat(1, 'MTTR', 'kaizen_mttr_seconds{stat="median"}'),
    stat(2, 'Old panel', 'up'),
    stat(3, 'Latency', 'histogram_quantile(0.95, x)'),
    stat(4, 'Unchanged', 'ws_clients'),
  ],
};

function edited() {
  const after = structuredClone(before);
  const [, mttr, , latency] = after.panels as ReturnType<typeof stat>[];
  mttr!.targets[0]!.expr = 'kaizen_mttr_seconds{stat="p90"}';
  mttr!.fieldConfig.defaults.unit = 'ms';
  mttr!.fieldConfig.defaults.thresholds.steps.push({ color: 'red', value: 600 as never });
  mttr!.fieldConfig.defaults.links = [
    { title: 'tickets', url: '/?view=tickets&severity=critical' },
  ];
  latency!.gridPos = { x: 12, y: 3, w: 6, h: 4 };
  after.panels.splice(2, 1); // Old panel removed
  after.panels.push(stat(5, 'Dollars | saved', 'x / 1e9 * $price'));
  after.templating.list.push({ name: 'price', type: 'textbox', query: '0.09' });
  return after;
}

describe('dashboard-diff', () => {
  it('lists added, removed, moved and changed panels, and changed variables', () => {
    const diff = diffDashboards(before, edited());
    expect(diff.added.map((p) => p.title)).toEqual(['Dollars | saved']);
    expect(diff.removed.map((p) => p.title)).toEqual(['Old panel']);
    expect(diff.moved).toEqual([
      {
        title: 'Latency',
        changes: [['position', 'row "Top", x 0, y 3, 6×4', 'row "Top", x 12, y 3, 6×4']],
      },
    ]);
    expect(diff.changed).toEqual([
      {
        title: 'MTTR',
        changes: [
          ['unit', 's', 'ms'],
          ['thresholds', 'green from -∞', 'green from -∞; red from 600'],
          ['links', 'tickets → /?view=tickets', 'tickets → /?view=tickets&severity=critical'],
          ['query A', 'kaizen_mttr_seconds{stat="median"}', 'kaizen_mttr_seconds{stat="p90"}'],
        ],
      },
    ]);
    expect(diff.variables.map((v) => v.title)).toEqual(['$price']);
  });

  it('prints Markdown tables with the before and after side by side, pipes escaped', () => {
    const text = diffMarkdown(diffDashboards(before, edited()), 'old.json', 'new.json');
    expect(text).toContain(
      '`old.json` → `new.json`: 1 panel added, 1 removed, 1 moved, 1 changed, 1 variable changed',
    );
    expect(text).toContain(
      '| MTTR | query A | `kaizen_mttr_seconds{stat="median"}` | `kaizen_mttr_seconds{stat="p90"}` |',
    );
    expect(text).toContain('| Dollars \\| saved | stat | Top | `A: x / 1e9 * $price` |');
    expect(text).toContain('#### Removed');
    expect(text).toContain('| $price | variable | – | `textbox: 0.09` |');
  });

  it('says so when nothing changed', () => {
    const text = diffMarkdown(diffDashboards(before, structuredClone(before)), 'a', 'b');
    expect(text).toMatch(/No panel changes\.$/);
  });

  it('refuses files that are not dashboards, naming them, with exit code 2', async () => {
    expect(() => parseDashboard('{"title": 1}', 'x.json')).toThrow(
      'x.json: not a Grafana dashboard (no "panels" array)',
    );
    const dir = tempDir('dashdiff');
    const good = path.join(dir, 'good.json');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(good, JSON.stringify(before));
    writeFileSync(bad, '{"panels": [');
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => void err.push(t) };
    expect(await runKaizen(['dashboard-diff', good, bad], {}, io)).toBe(2);
    expect(err.join('\n')).toMatch(/bad\.json: not valid JSON/);
    expect(await runKaizen(['dashboard-diff', good], {}, io)).toBe(2);
    expect(await runKaizen(['dashboard-diff', good, path.join(dir, 'missing.json')], {}, io)).toBe(
      2,
    );
    expect(err.join('\n')).toMatch(/cannot read .*missing\.json: ENOENT/);
    const out: string[] = [];
    expect(
      await runKaizen(
        ['dashboard-diff', good, good],
        {},
        { out: (t) => void out.push(t), err: () => {} },
      ),
    ).toBe(0);
    expect(out.join('\n')).toContain('No panel changes.');
  });
});
