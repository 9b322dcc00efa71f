// "Now vs baseline" (docs/API.md, "Baselines"): a chosen baseline, an immutable snapshot made with
// `npm run kaizen -- baseline create`, beside the same figures over a window as long ending now,
// as GET /api/baselines/{name}/comparison computes them. Per-tenant rows are the tenants the
// caller may see.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { BaselineComparison } from '../../core/api/baselines';
import { baselineComparisonQuery, baselinesQuery } from '../api/launch-queries';
import { useApi } from '../shell/hooks';
import { formatDuration, formatTime } from '../tickets/format';
import { changeOf, comparisonRows, ruleRows, type ComparisonRow } from './baseline-rows';
import { Panel, usePanelOpen } from './panels/Panel';
import type { CsvTable } from './panels/csv';

function figure(row: ComparisonRow, value: number | null): string {
  if (value === null) return '–';
  switch (row.unit) {
    case 'seconds':
      return formatDuration(value);
    case 'percent':
      return `${value.toFixed(1)} %`;
    case 'ms':
      return `${value.toFixed(2)} ms`;
    case 'tickets':
      return value.toLocaleString('en-US');
  }
}

function comparisonCsv(data: BaselineComparison | undefined): CsvTable {
  const rows: CsvTable['rows'] = data
    ? comparisonRows(data.baseline.snapshot, data.now).map((r) => [
        data.baseline.name,
        r.key,
        r.unit,
        r.baseline,
        r.now,
        changeOf(r)?.direction ?? null,
      ])
    : [];
  return { columns: ['baseline', 'figure', 'unit', 'baseline_value', 'now_value', 'change'], rows };
}

function ComparisonTable({ data }: { data: BaselineComparison }) {
  const rows = comparisonRows(data.baseline.snapshot, data.now);
  const rules = ruleRows(data.baseline.snapshot, data.now);
  return (
    <>
      <table className="figure-table" data-testid="baseline-table">
        <thead>
          <tr>
            <th scope="col">figure</th>
            <th scope="col">{data.baseline.name}</th>
            <th scope="col">now</th>
            <th scope="col">change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const change = changeOf(r);
            return (
              <tr
                key={r.key}
                data-testid={`baseline-row-${r.key}`}
                data-baseline={r.baseline ?? ''}
                data-now={r.now ?? ''}
              >
                <th scope="row">
                  {r.label}
                  {r.basis && (
                    <span className="muted">
                      {' '}
                      ({r.basis.baseline} then, {r.basis.now} now {r.basis.of})
                    </span>
                  )}
                </th>
                <td className="num">{figure(r, r.baseline)}</td>
                <td className="num">{figure(r, r.now)}</td>
                <td className={`num change-${change?.direction ?? 'none'}`}>
                  {change?.text ?? '–'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rules.length > 0 && (
        <table className="figure-table" data-testid="baseline-rules">
          <caption className="muted">Alarms per rule</caption>
          <thead>
            <tr>
              <th scope="col">rule</th>
              <th scope="col">{data.baseline.name}</th>
              <th scope="col">now</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.rule}>
                <th scope="row">{r.rule}</th>
                <td className="num">{r.baseline}</td>
                <td className="num">{r.now}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function BaselinePanel() {
  const api = useApi();
  const open = usePanelOpen('baseline');
  const list = useQuery(baselinesQuery(api, open));
  const baselines = list.data?.baselines ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  // The newest baseline until the operator picks another (the list is oldest first).
  const name =
    chosen !== null && baselines.some((b) => b.name === chosen)
      ? chosen
      : (baselines.at(-1)?.name ?? null);
  const comparison = useQuery(baselineComparisonQuery(api, name, open));
  const data = comparison.data?.baseline.name === name ? comparison.data : undefined;
  const summary = baselines.find((b) => b.name === name);
  return (
    <Panel
      id="baseline"
      title="Now vs baseline"
      csv={() => comparisonCsv(data)}
      testId="baseline-panel"
      data={{ 'data-baseline': name ?? '' }}
      headerExtra={
        baselines.length > 0 ? (
          <select
            aria-label="Baseline"
            data-testid="baseline-select"
            value={name ?? ''}
            onChange={(e) => setChosen(e.target.value)}
          >
            {baselines.map((b) => (
              <option key={b.name} value={b.name}>
                {b.name}
              </option>
            ))}
          </select>
        ) : undefined
      }
    >
      {list.isPending && <p className="muted">Loading…</p>}
      {list.isError && (
        <p className="error" role="alert">
          Could not list the baselines: {list.error.message}
        </p>
      )}
      {list.data && baselines.length === 0 && (
        <p className="muted" data-testid="baseline-empty">
          No baseline yet. Make one with <code>npm run kaizen -- baseline create --name v1.1</code>{' '}
          (the last 24 h by default).
        </p>
      )}
      {summary && (
        <p className="panel-note" data-testid="baseline-about">
          “{summary.name}”: {summary.window.label} from {formatTime(summary.window.from)} to{' '}
          {formatTime(summary.window.to)}, made {formatTime(summary.createdAt)} by{' '}
          {summary.createdBy}; sha256{' '}
          <code title={summary.sha256}>{summary.sha256.slice(0, 12)}</code>
          {summary.intact ? (
            ' (intact)'
          ) : (
            <strong className="error" data-testid="baseline-damaged">
              {' '}
              — the file no longer matches its hash: edited or damaged
            </strong>
          )}
          . “Now” is the last {summary.window.label} ending now.
        </p>
      )}
      {comparison.isError && (
        <p className="error" role="alert" data-testid="baseline-error">
          Could not compare with “{name}”: {comparison.error.message}
        </p>
      )}
      {name !== null && comparison.isPending && <p className="muted">Comparing…</p>}
      {data && <ComparisonTable data={data} />}
    </Panel>
  );
}
