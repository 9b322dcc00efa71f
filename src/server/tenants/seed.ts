// The three demo tenants a fresh data directory starts with, and the traces the server may make
// itself when they are missing (the 12k demo trace and the 3,000-spin one under the data dir).
import path from 'node:path';
import { DEFAULT_TRACE_PATH } from '../config';
import { DEFAULT_TRACE, type GenerateOptions } from '../trace-generate';
import { DEFAULT_SLO_MS, type TenantSpec } from './tenant-spec';

/** The 3,000-spin trace of the `small` tenant: under the CPU canvas threshold of 5,000 spins. */
export const SMALL_TRACE: Omit<GenerateOptions, 'out'> = {
  width: 60,
  height: 50,
  frames: 600,
  seed: 3000n,
  fps: 60,
};

export function smallTracePath(dataDir: string): string {
  return path.join(dataDir, 'traces', '3k_spin_trace.bin');
}

export const LIVE_SEED = 65536;

export function demoTenants(dataDir: string): TenantSpec[] {
  return [
    {
      id: 'demo',
      name: 'Demo replay (12k spins)',
      visibility: 'public',
      source: { kind: 'replay', trace: DEFAULT_TRACE_PATH },
      sloMs: DEFAULT_SLO_MS,
    },
    {
      id: 'live',
      name: 'Live simulator (65,536 spins)',
      visibility: 'private',
      source: { kind: 'live', width: 256, height: 256, seed: LIVE_SEED },
      sloMs: DEFAULT_SLO_MS,
    },
    {
      id: 'small',
      name: 'Small replay (3,000 spins)',
      visibility: 'private',
      source: { kind: 'replay', trace: smallTracePath(dataDir) },
      sloMs: DEFAULT_SLO_MS,
    },
  ];
}

/**
 * How to make the trace at `tracePath` when it is one the server knows how to generate, else
 * null. Paths compare after resolving against the working directory.
 */
export function generatableTrace(tracePath: string, dataDir: string): GenerateOptions | null {
  const resolved = path.resolve(tracePath);
  if (resolved === path.resolve(DEFAULT_TRACE_PATH)) return { ...DEFAULT_TRACE, out: tracePath };
  if (resolved === path.resolve(smallTracePath(dataDir))) return { ...SMALL_TRACE, out: tracePath };
  return null;
}
