// The review of a Grafana dashboard change: panels added, removed, moved, and what changed in
// each (queries, thresholds, units, links, title, type), as Markdown with the before and after
// side by side, for a pull request comment (`npm run kaizen -- dashboard-diff OLD NEW`).

/** A dashboard file that is not a dashboard: the message names the file and the fault. */
export class DashboardError extends Error {}

interface PanelFacts {
  key: string;
  id: number | null;
  title: string;
  type: string;
  /** The row it sits under, '' at the top. */
  row: string;
  position: string;
  queries: Map<string, string>;
  thresholds: string;
  unit: string;
  links: string;
}

export interface PanelChange {
  title: string;
  /** Property, before, after. */
  changes: [string, string, string][];
}

export interface DashboardDiff {
  title: string;
  added: PanelFacts[];
  removed: PanelFacts[];
  moved: PanelChange[];
  changed: PanelChange[];
  variables: PanelChange[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Parses a dashboard file's text; `name` names it in errors. */
export function parseDashboard(source: string, name: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new DashboardError(`${name}: not valid JSON (${(error as Error).message})`);
  }
  // An export wrapped for the HTTP API: {"dashboard": {...}}.
  if (isObject(value) && isObject(value.dashboard)) value = value.dashboard;
  if (!isObject(value) || !Array.isArray(value.panels)) {
    throw new DashboardError(`${name}: not a Grafana dashboard (no "panels" array)`);
  }
  return value;
}

function facts(panel: Json, row: string, seen: Map<string, number>): PanelFacts {
  const title = text(panel.title) || '(untitled)';
  const id = typeof panel.id === 'number' ? panel.id : null;
  // Grafana keeps ids stable across edits; a title is the fallback for panels without one.
  let key = id !== null ? `id:${id}` : `title:${title}`;
  const n = (seen.get(key) ?? 0) + 1;
  seen.set(key, n);
  if (n > 1) key = `${key}#${n}`;
  const grid = isObject(panel.gridPos) ? panel.gridPos : {};
  const defaults =
    isObject(panel.fieldConfig) && isObject(panel.fieldConfig.defaults)
      ? panel.fieldConfig.defaults
      : {};
  const targets = Array.isArray(panel.targets) ? panel.targets.filter(isObject) : [];
  const queries = new Map<string, string>();
  targets.forEach((t, i) => {
    const query = text(t.expr ?? t.query ?? t.rawSql ?? '');
    queries.set(text(t.refId) || String.fromCharCode(65 + i), query.replace(/\s+/g, ' ').trim());
  });
  const links = [
    ...(Array.isArray(defaults.links) ? defaults.links : []),
    ...(Array.isArray(panel.links) ? panel.links : []),
  ]
    .filter(isObject)
    .map((l) => `${text(l.title)} → ${text(l.url)}`);
  const steps =
    isObject(defaults.thresholds) && Array.isArray(defaults.thresholds.steps)
      ? defaults.thresholds.steps.filter(isObject)
      : [];
  return {
    key,
    id,
    title,
    type: text(panel.type),
    row,
    position: `x ${text(grid.x)}, y ${text(grid.y)}, ${text(grid.w)}×${text(grid.h)}`,
    queries,
    thresholds: steps
      .map((s) => `${text(s.color)} from ${s.value === null ? '-∞' : text(s.value)}`)
      .join('; '),
    unit: text(defaults.unit),
    links: links.join('; '),
  };
}

/** Every panel, those inside collapsed rows included, with the row each sits under. */
function panelsOf(dashboard: Json): Map<string, PanelFacts> {
  const out = new Map<string, PanelFacts>();
  const seen = new Map<string, number>();
  let row = '';
  for (const panel of (dashboard.panels as unknown[]).filter(isObject)) {
    if (panel.type === 'row') {
      row = text(panel.title);
      for (const inner of (Array.isArray(panel.panels) ? panel.panels : []).filter(isObject)) {
        const f = facts(inner, row, seen);
        out.set(f.key, f);
      }
      continue;
    }
    const f = facts(panel, row, seen);
    out.set(f.key, f);
  }
  return out;
}

function variablesOf(dashboard: Json): Map<string, string> {
  const templating = isObject(dashboard.templating) ? dashboard.templating : {};
  const list = Array.isArray(templating.list) ? templating.list.filter(isObject) : [];
  return new Map(
    list.map((v) => [text(v.name), `${text(v.type)}: ${text(v.query ?? v.definition)}`]),
  );
}

export function diffDashboards(before: Json, after: Json): DashboardDiff {
  const old = panelsOf(before);
  const now = panelsOf(after);
  const diff: DashboardDiff = {
    title: text(after.title) || text(before.title),
    added: [...now.values()].filter((p) => !old.has(p.key)),
    removed: [...old.values()].filter((p) => !now.has(p.key)),
    moved: [],
    changed: [],
    variables: [],
  };
  for (const [key, a] of old) {
    const b = now.get(key);
    if (!b) continue;
    const place = (p: PanelFacts) => `${p.row ? `row "${p.row}", ` : ''}${p.position}`;
    if (place(a) !== place(b)) {
      diff.moved.push({ title: b.title, changes: [['position', place(a), place(b)]] });
    }
    const changes: [string, string, string][] = [];
    for (const field of ['title', 'type', 'unit', 'thresholds', 'links'] as const) {
      if (a[field] !== b[field]) changes.push([field, a[field], b[field]]);
    }
    for (const refId of new Set([...a.queries.keys(), ...b.queries.keys()])) {
      const was = a.queries.get(refId) ?? '';
      const is = b.queries.get(refId) ?? '';
      if (was !== is) changes.push([`query ${refId}`, was, is]);
    }
    if (changes.length > 0) diff.changed.push({ title: b.title, changes });
  }
  const oldVars = variablesOf(before);
  const newVars = variablesOf(after);
  for (const name of new Set([...oldVars.keys(), ...newVars.keys()])) {
    const was = oldVars.get(name) ?? '';
    const is = newVars.get(name) ?? '';
    if (was !== is) diff.variables.push({ title: `$${name}`, changes: [['variable', was, is]] });
  }
  return diff;
}

/** A table cell: one line, pipes escaped, code in backticks. */
function cell(value: string): string {
  if (value === '') return '–';
  const line = value.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  return '`' + line.replace(/`/g, "'") + '`';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function diffMarkdown(diff: DashboardDiff, oldName: string, newName: string): string {
  const counts = [
    plural(diff.added.length, 'panel') + ' added',
    `${diff.removed.length} removed`,
    `${diff.moved.length} moved`,
    `${diff.changed.length} changed`,
  ];
  const lines = [
    `### Dashboard diff: ${diff.title || newName}`,
    '',
    `\`${oldName}\` → \`${newName}\`: ${counts.join(', ')}` +
      (diff.variables.length > 0 ? `, ${plural(diff.variables.length, 'variable')} changed` : ''),
  ];
  const nothing =
    diff.added.length + diff.removed.length + diff.moved.length + diff.changed.length === 0 &&
    diff.variables.length === 0;
  if (nothing) return [...lines, '', 'No panel changes.'].join('\n');

  const listed = (heading: string, panels: PanelFacts[]) => {
    if (panels.length === 0) return;
    lines.push(
      '',
      `#### ${heading}`,
      '',
      '| panel | type | row | queries |',
      '| --- | --- | --- | --- |',
    );
    for (const p of panels) {
      const queries = [...p.queries].map(([ref, q]) => `${ref}: ${q}`).join(' ; ');
      lines.push(
        `| ${p.title.replace(/\|/g, '\\|')} | ${p.type} | ${p.row || '–'} | ${cell(queries)} |`,
      );
    }
  };
  const sideBySide = (heading: string, changes: PanelChange[]) => {
    if (changes.length === 0) return;
    lines.push(
      '',
      `#### ${heading}`,
      '',
      '| panel | what | before | after |',
      '| --- | --- | --- | --- |',
    );
    for (const c of changes) {
      for (const [what, was, is] of c.changes) {
        lines.push(`| ${c.title.replace(/\|/g, '\\|')} | ${what} | ${cell(was)} | ${cell(is)} |`);
      }
    }
  };
  listed('Added', diff.added);
  listed('Removed', diff.removed);
  sideBySide('Moved', diff.moved);
  sideBySide('Changed', diff.changed);
  sideBySide('Variables', diff.variables);
  return lines.join('\n');
}
