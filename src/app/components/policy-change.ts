// The "try a change" form's fields and the change they describe: only filled fields change.
import type { TenantSettingsChange } from '../../core/api/policy';

export interface ChangeFields {
  sloMs: string;
  visibility: '' | 'public' | 'private';
  gpuThreshold: string;
  lattice: string;
  trace: string;
}

export const EMPTY_FIELDS: ChangeFields = {
  sloMs: '',
  visibility: '',
  gpuThreshold: '',
  lattice: '',
  trace: '',
};

/** The change the fields describe, or what is wrong with them. */
export function changeOf(fields: ChangeFields): TenantSettingsChange | string {
  const change: TenantSettingsChange = {};
  if (fields.sloMs.trim() !== '') {
    const slo = Number(fields.sloMs);
    if (!Number.isFinite(slo) || slo <= 0) return 'SLO: a number of milliseconds above 0';
    change.sloMs = slo;
  }
  if (fields.visibility !== '') change.visibility = fields.visibility;
  const gpu = fields.gpuThreshold.trim();
  if (gpu !== '') {
    if (gpu === 'default') change.gpuThreshold = null;
    else if (/^\d{1,8}$/.test(gpu)) change.gpuThreshold = Number(gpu);
    else return 'GPU threshold: a number of spins, or "default"';
  }
  const lattice = fields.lattice.trim();
  if (lattice !== '') {
    const size = /^(\d{1,4})\s*x\s*(\d{1,4})$/i.exec(lattice);
    if (!size) return 'Lattice: WIDTHxHEIGHT, like 256x256';
    change.lattice = { width: Number(size[1]), height: Number(size[2]) };
  }
  if (fields.trace.trim() !== '') change.trace = fields.trace.trim();
  if (Object.keys(change).length === 0) return 'Fill in at least one setting to change';
  return change;
}
