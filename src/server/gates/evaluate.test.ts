// The gates' verdicts from their figures: each threshold on both sides, no data, two of three.
import { describe, expect, it } from 'vitest';
import type { SdkDemandRecord } from '../../core/api/gates';
import { alarmBandFromDays, alarmBandFromEnv } from './band';
import { phaseZeroGate, wireFormatGate, type GateInputs } from './evaluate';
import type { GateSample } from './sampler';

/** One sample a second for `seconds`, at these per-second rates. */
function samples(
  seconds: number,
  clients: number,
  bytesPerS: number,
  codecCores: number,
): GateSample[] {
  return Array.from({ length: seconds + 1 }, (_, i) => ({
    atMs: i * 1000,
    clients,
    totals: { bytesSent: i * bytesPerS, encodes: i * 60, encodeCpuMs: i * codecCores * 1000 },
  }));
}

const record: SdkDemandRecord = {
  id: 1,
  sdk: 'rust',
  reason: 'Partner X builds a Rust client',
  recordedBy: 'ana',
  recordedAt: '2026-03-01T00:00:00.000Z',
};

const base: GateInputs = {
  samples: samples(120, 3, 1e5, 0.01),
  windowS: 600,
  latency: [{ tenant: 'demo', p95Ms: 2.8, samples: 500 }],
  ticketsOpened24h: 4,
  alarmBand: { low: 0, high: 10, source: 'test' },
  sdkDemand: [],
};

describe('the Phase 0 gate', () => {
  it('is met with p95 under 7 ms and alarms within the band', () => {
    const gate = phaseZeroGate(base);
    expect(gate.verdict).toBe('met');
    expect(gate.conditions.map((c) => [c.id, c.verdict, c.measures[0]!.value])).toEqual([
      ['latency-p95', 'met', 2.8],
      ['alarm-volume', 'met', 4],
    ]);
  });

  it('judges the worst tenant, and the band on both sides', () => {
    const slow = phaseZeroGate({
      ...base,
      latency: [...base.latency, { tenant: 'live', p95Ms: 7, samples: 10 }],
    });
    expect(slow.conditions[0]!.verdict).toBe('not_met');
    expect(slow.verdict).toBe('not_met');
    expect(phaseZeroGate({ ...base, ticketsOpened24h: 11 }).conditions[1]!.verdict).toBe('not_met');
    expect(phaseZeroGate({ ...base, ticketsOpened24h: 10 }).conditions[1]!.verdict).toBe('met');
  });

  it('has no data without latency reports or a band, and says what to do', () => {
    const gate = phaseZeroGate({
      ...base,
      latency: [{ tenant: 'demo', p95Ms: null, samples: 0 }],
      alarmBand: null,
    });
    expect(gate.verdict).toBe('no_data');
    expect(gate.conditions[1]!.detail).toMatch(/baseline create.*KAIZEN_ALARM_BAND/);
  });
});

describe('the wire-format gate', () => {
  it('is not met with one condition, and met with any two', () => {
    const clientsOnly = wireFormatGate({ ...base, samples: samples(120, 500, 1e5, 0.01) });
    expect(clientsOnly.conditions.map((c) => c.verdict)).toEqual(['met', 'not_met', 'not_met']);
    expect(clientsOnly.verdict).toBe('not_met');
    const egressAndCodec = wireFormatGate({ ...base, samples: samples(120, 3, 10e6, 0.6) });
    expect(egressAndCodec.conditions.map((c) => c.verdict)).toEqual(['met', 'met', 'not_met']);
    expect(egressAndCodec.conditions[0]!.measures.map((m) => m.verdict)).toEqual([
      'not_met',
      'met',
    ]);
    expect(egressAndCodec.verdict).toBe('met');
    const sdkAndClients = wireFormatGate({
      ...base,
      samples: samples(120, 600, 0, 0),
      sdkDemand: [record],
    });
    expect(sdkAndClients.verdict).toBe('met');
  });

  it('judges the codec by its p95 second, not its mean', () => {
    // 100 quiet seconds and 10 at 0.9 of a core: the p95 second is a busy one.
    const quiet = samples(100, 1, 0, 0.01);
    const last = quiet.at(-1)!;
    const busy = Array.from({ length: 10 }, (_, i) => ({
      atMs: last.atMs + (i + 1) * 1000,
      clients: 1,
      totals: { ...last.totals, encodeCpuMs: last.totals.encodeCpuMs + (i + 1) * 900 },
    }));
    const gate = wireFormatGate({ ...base, samples: [...quiet, ...busy] });
    expect(gate.conditions[1]!.measures[0]!.value).toBeCloseTo(0.9, 5);
    expect(gate.conditions[1]!.verdict).toBe('met');
  });

  it('has no data before two samples', () => {
    const gate = wireFormatGate({ ...base, samples: [] });
    expect(gate.conditions.map((c) => c.verdict)).toEqual(['no_data', 'no_data', 'not_met']);
    expect(gate.verdict).toBe('no_data');
  });
});

describe('the alarm band', () => {
  it("comes from KAIZEN_ALARM_BAND or a baseline's busiest day", () => {
    expect(alarmBandFromEnv('2-40')).toMatchObject({ low: 2, high: 40 });
    expect(alarmBandFromEnv(undefined)).toBeNull();
    expect(() => alarmBandFromEnv('40-2')).toThrow(/LOW-HIGH/);
    expect(() => alarmBandFromEnv('many')).toThrow(/LOW-HIGH/);
    expect(alarmBandFromDays('v1.1', [3, 8, 5])).toMatchObject({ low: 0, high: 12 });
    expect(alarmBandFromDays('v1.1', [0])).toMatchObject({ high: 1 });
    expect(alarmBandFromDays('v1.1', [])).toBeNull();
  });
});
