// The alert overlap report: near-duplicates score high and clearly different rules low, on the
// measures alone and through the command, where a real Prometheus reads the rule files and the
// tickets of a data directory say which rules fired together.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTicketStore } from '../server/incidents/store';
import { openDatabase } from '../server/storage/database';
import { tempDir } from '../testing/temp-dir';
import {
  expressionTokens,
  overlapReport,
  scorePair,
  sequenceSimilarity,
  type AlertRule,
} from './alert-overlap';
import { runKaizen } from './kaizen';

const NEAR = 'src/cli/testdata/near-duplicates.yml';
const DISTINCT = 'src/cli/testdata/distinct.yml';
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const hasPrometheus = existsSync(PROMETHEUS) && spawnSync(PROMETHEUS, ['--version']).status === 0;
if (!hasPrometheus) console.warn('prometheus not found: skipping alert-overlap command tests');

const rule = (name: string, query: string, forSeconds = 300, severity = 'critical'): AlertRule => ({
  name,
  query,
  forSeconds,
  labels: { severity },
  origin: 'test',
});

describe('alert overlap measures', () => {
  it('reads label matchers in any order and spacing as the same expression', () => {
    expect(expressionTokens('x{b="1", a="2"} > 0')).toEqual(expressionTokens('x{a="2",b="1"} > 0'));
    expect(sequenceSimilarity(['a', 'b'], ['a', 'b'])).toBe(1);
    expect(sequenceSimilarity(['a'], ['b'])).toBe(0);
  });

  it('scores a near-duplicate high and a different rule low; history adds its weight', () => {
    const a = rule('A', 'sum by (tenant_id) (rate(x[1m])) == 0');
    const b = rule('B', 'sum by (tenant_id) (rate(x[2m])) == 0', 600);
    const c = rule('C', 'up{job="phase-console"} == 0', 60, 'warning');
    const near = scorePair(a, b, []);
    expect(near.firedTogether).toBeNull();
    expect(near.similarity).toBeGreaterThan(0.85);
    expect(scorePair(a, c, []).similarity).toBeLessThan(0.5);
    // Tickets of A and B overlapping on one tenant: they fire together, the score rises.
    const firings = [
      { rule: 'A', tenant: 'demo', fromMs: 0, toMs: 100 },
      { rule: 'B', tenant: 'demo', fromMs: 50, toMs: 150 },
      { rule: 'A', tenant: 'demo', fromMs: 1000, toMs: 1100 },
      { rule: 'B', tenant: 'live', fromMs: 1000, toMs: 1100 },
    ];
    const withHistory = scorePair(a, b, firings);
    expect(withHistory.together).toEqual({ a: 1, b: 1, aTotal: 2, bTotal: 2 });
    expect(withHistory.firedTogether).toBe(0.5);
  });

  it('prints "no overlapping alerts" when no pair reaches the threshold', () => {
    const report = overlapReport({
      rules: [rule('A', 'up == 0'), rule('B', 'rate(x[5m]) > 3', 60, 'info')],
      files: ['rules.yml'],
      threshold: 0.9,
      firings: [],
      history: null,
    });
    expect(report.overlapping).toBe(0);
    expect(report.markdown).toMatch(/no overlapping alerts$/);
  });
});

async function kaizen(args: string[], dataDir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKaizen(
    [...args, '--data', dataDir],
    { PROMETHEUS_BIN: PROMETHEUS },
    {
      out: (t) => void out.push(t),
      err: (t) => void err.push(t),
    },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe.skipIf(!hasPrometheus)(
  'npm run kaizen -- alert-overlap (needs prometheus)',
  () => {
    it('finds the near-duplicates, with their similarity and a diff, and nothing in distinct rules', async () => {
      const dir = tempDir('overlap');
      // The two stall alerts fired together twice, on the same tenant.
      const db = openDatabase(dir);
      let nowMs = Date.now() - 3_600_000;
      const store = createTicketStore({ db, now: () => nowMs });
      for (const alertname of ['StreamStalled', 'StreamStalledCopy']) {
        store.openOrDedup({
          tenantId: 'demo',
          visibility: 'public',
          title: alertname,
          severity: 'critical',
          source: 'alertmanager',
          fingerprint: `alertmanager:${alertname}`,
          actor: 'alertmanager',
          detail: `alertname=${alertname} http://prometheus/graph`,
        });
        nowMs += 1000;
      }
      db.close();
      const result = await kaizen(['alert-overlap', '--rules', NEAR, '--rules', DISTINCT], dir);
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(result.out).toContain(`6 alert rules from ${NEAR}, ${DISTINCT}; threshold 0.90`);
      expect(result.out).toContain('ticket history: 2 tickets opened in the last 30d');
      expect(result.out).toMatch(/^## StreamStalled ~ StreamStalledCopy: 0\.9\d$/m);
      expect(result.out).toMatch(/expression 1\.00, labels 1\.00, for 0\.50, fired together 1\.00/);
      expect(result.out).toContain('- for: 5m\n+ for: 10m');
      expect(result.out).not.toMatch(/^## .*(ConsoleDown|MttrSlow|LatencyHigh|SavingsLow)/m);

      const distinct = await kaizen(['alert-overlap', '--rules', DISTINCT], dir);
      expect(distinct.out).toMatch(/no overlapping alerts$/);
    });

    it('refuses a rule file Prometheus refuses, with its message, and bad options with exit 2', async () => {
      const dir = tempDir('overlap');
      const bad = path.join(dir, 'bad.yml');
      writeFileSync(
        bad,
        'groups:\n  - name: x\n    rules:\n      - alert: Bad\n        expr: rate(x[\n',
      );
      const refused = await kaizen(['alert-overlap', '--rules', bad], dir);
      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(/Prometheus refused the rules: .*(parse|unclosed|unexpected)/i);
      expect((await kaizen(['alert-overlap', '--threshold', '1.5'], dir)).code).toBe(2);
      expect(
        (await kaizen(['alert-overlap', '--rules', path.join(dir, 'none.yml')], dir)).code,
      ).toBe(2);
    });
  },
  120_000,
);
