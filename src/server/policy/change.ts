// A tenant-settings change applied to a tenant on paper: the settings after it, validated by the
// same rules as every other way of declaring a tenant, and the lattice size before and after.
import type { TenantSettingsChange } from '../../core/api/policy';
import { TraceError } from '../../core/trace';
import { openTraceFile } from '../trace-file';
import {
  parseTenantSpec,
  TenantSpecError,
  type SourceSpec,
  type TenantRecord,
  type TenantSpec,
} from '../tenants/tenant-spec';

/** A change that cannot apply to the tenant (bad value, wrong source kind): a 400. */
export class ChangeError extends Error {}

export const CHANGE_FIELDS = ['sloMs', 'visibility', 'gpuThreshold', 'lattice', 'trace'] as const;

/** Spins of a source: a live lattice's size, a replay trace's header. */
export function spinsOf(source: SourceSpec): number {
  if (source.kind === 'live') return source.width * source.height;
  const trace = openTraceFile(source.trace);
  try {
    return trace.header.width * trace.header.height;
  } finally {
    trace.close();
  }
}

export interface AppliedChange {
  before: TenantRecord;
  after: TenantSpec;
  /** The fields the change gives, in CHANGE_FIELDS order. */
  fields: string[];
  spinsBefore: number;
  spinsAfter: number;
}

export function applyChange(before: TenantRecord, change: TenantSettingsChange): AppliedChange {
  const fields = CHANGE_FIELDS.filter((f) => change[f] !== undefined);
  if (fields.length === 0)
    throw new ChangeError(`change: give at least one of ${CHANGE_FIELDS.join(', ')}`);
  let source: SourceSpec = before.source;
  if (change.lattice !== undefined) {
    if (before.source.kind !== 'live') {
      throw new ChangeError(
        `change.lattice: tenant "${before.id}" replays a trace; its size is the trace's`,
      );
    }
    source = { ...before.source, width: change.lattice.width, height: change.lattice.height };
  }
  if (change.trace !== undefined) {
    if (before.source.kind !== 'replay') {
      throw new ChangeError(
        `change.trace: tenant "${before.id}" runs the live simulator, not a trace`,
      );
    }
    source = { kind: 'replay', trace: change.trace };
  }
  let after: TenantSpec;
  try {
    after = parseTenantSpec(
      {
        id: before.id,
        name: before.name,
        visibility: change.visibility ?? before.visibility,
        source,
        sloMs: change.sloMs ?? before.sloMs,
        gpuThreshold:
          change.gpuThreshold === undefined ? (before.gpuThreshold ?? null) : change.gpuThreshold,
      },
      'change',
    );
  } catch (error) {
    if (error instanceof TenantSpecError)
      throw new ChangeError(error.message.replace(/^\[tenants\] /, ''));
    throw error;
  }
  let spinsAfter: number;
  try {
    spinsAfter = spinsOf(after.source);
  } catch (error) {
    if (error instanceof TraceError) throw new ChangeError(`change.trace: ${error.message}`);
    throw error;
  }
  let spinsBefore: number;
  try {
    spinsBefore = spinsOf(before.source);
  } catch (error) {
    // The tenant's own trace went bad: judge the change as if the size stayed.
    if (!(error instanceof TraceError)) throw error;
    spinsBefore = spinsAfter;
  }
  return { before, after, fields, spinsBefore, spinsAfter };
}
