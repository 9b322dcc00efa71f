// The launch plan's decision gates (docs/API.md, "Decision gates"): each gate with each condition's
// live value, threshold and verdict, as GET /api/gates judges them now. The server decides; the
// panel shows its figures and never judges by itself.
import { useQuery } from '@tanstack/react-query';
import type { Gate, GatesReport, Verdict } from '../../core/api/gates';
import { gatesQuery } from '../api/launch-queries';
import { useApi } from '../shell/hooks';
import { formatTime } from '../tickets/format';
import { VERDICT_TEXT, formatMeasureValue, formatThreshold } from './gate-format';
import { Panel, usePanelOpen } from './panels/Panel';
import type { CsvTable } from './panels/csv';

function thresholdCells(threshold: number | { low: number; high: number }): [number, number] {
  return typeof threshold === 'number' ? [threshold, threshold] : [threshold.low, threshold.high];
}

function gatesCsv(report: GatesReport | undefined): CsvTable {
  const rows: CsvTable['rows'] = [];
  for (const gate of report?.gates ?? [])
    for (const condition of gate.conditions)
      for (const m of condition.measures) {
        const [low, high] = thresholdCells(m.threshold);
        rows.push([
          report!.at,
          gate.id,
          gate.verdict,
          condition.id,
          condition.verdict,
          m.name,
          m.value,
          m.unit,
          m.comparator,
          low,
          high,
          m.verdict,
        ]);
      }
  return {
    columns: [
      'at',
      'gate',
      'gate_verdict',
      'condition',
      'condition_verdict',
      'measure',
      'value',
      'unit',
      'comparator',
      'threshold_low',
      'threshold_high',
      'measure_verdict',
    ],
    rows,
  };
}

function VerdictTag({ verdict, testId }: { verdict: Verdict; testId?: string }) {
  return (
    <span className={`verdict verdict-${verdict}`} data-testid={testId} data-verdict={verdict}>
      {VERDICT_TEXT[verdict]}
    </span>
  );
}

function GateSection({ gate }: { gate: Gate }) {
  const met = gate.conditions.filter((c) => c.verdict === 'met').length;
  const needs =
    gate.requires === gate.conditions.length
      ? `all ${gate.requires} conditions`
      : `any ${gate.requires} of ${gate.conditions.length} conditions`;
  return (
    <section
      className="gate"
      data-testid={`gate-${gate.id}`}
      data-verdict={gate.verdict}
      aria-label={`${gate.title}: ${VERDICT_TEXT[gate.verdict]}`}
    >
      <h3 className="gate-title">
        {gate.title} <VerdictTag verdict={gate.verdict} testId={`gate-verdict-${gate.id}`} />
      </h3>
      <p className="panel-note">
        Needs {needs}; {met} met. {gate.decision}
      </p>
      <table className="gate-table">
        <thead>
          <tr>
            <th scope="col">condition</th>
            <th scope="col">now</th>
            <th scope="col">needs</th>
            <th scope="col">verdict</th>
          </tr>
        </thead>
        {gate.conditions.map((condition) => (
          <tbody
            key={condition.id}
            data-testid={`gate-condition-${condition.id}`}
            data-verdict={condition.verdict}
          >
            <tr className="gate-condition">
              <th scope="rowgroup" colSpan={3} title={condition.detail}>
                {condition.title}
              </th>
              <td>
                <VerdictTag verdict={condition.verdict} />
              </td>
            </tr>
            {condition.measures.map((m) => (
              <tr
                key={m.name}
                className="gate-measure"
                data-testid="gate-measure"
                data-value={m.value ?? ''}
                data-verdict={m.verdict}
              >
                <td>{m.name}</td>
                <td className="num" data-testid="gate-measure-value">
                  {formatMeasureValue(m)}
                </td>
                <td className="num" data-testid="gate-measure-threshold">
                  {formatThreshold(m)}
                </td>
                <td>
                  <VerdictTag verdict={m.verdict} />
                </td>
              </tr>
            ))}
            <tr className="gate-detail">
              <td colSpan={4} className="muted">
                {condition.detail}
              </td>
            </tr>
          </tbody>
        ))}
      </table>
    </section>
  );
}

export function GatesPanel() {
  const query = useQuery(gatesQuery(useApi(), usePanelOpen('gates')));
  const report = query.data;
  return (
    <Panel
      id="gates"
      title="Decision gates"
      csv={() => gatesCsv(report)}
      testId="gates-panel"
      data={{ 'data-at': report?.at ?? '' }}
    >
      {query.isPending && <p className="muted">Loading…</p>}
      {query.isError && (
        <p className="error" role="alert">
          Could not load the gates: {query.error.message}
        </p>
      )}
      {report && (
        <>
          <p className="panel-note">
            Judged by the server at {formatTime(report.at)}
            {report.observer.enabled ? ', in observer mode' : ''}.
          </p>
          {report.gates.map((gate) => (
            <GateSection key={gate.id} gate={gate} />
          ))}
          {report.latencyByTenant.length > 0 && (
            <p className="panel-note" data-testid="gates-latency-tenants">
              p95 frame latency per tenant (last 10 min):{' '}
              {report.latencyByTenant
                .map((t) =>
                  t.p95Ms === null ? `${t.tenant} –` : `${t.tenant} ${t.p95Ms.toFixed(2)} ms`,
                )
                .join(', ')}
              .
            </p>
          )}
        </>
      )}
    </Panel>
  );
}
