// `--tenants FILE` / TENANTS: a JSON file that declares the tenants instead of the demo seed.
//   { "tenants": [ { "id": "plant-a", "name": "Plant A", "visibility": "private",
//                    "source": { "kind": "live", "width": 128, "height": 128, "seed": 7 },
//                    "sloMs": 10 } ] }
// A relative trace path is resolved against the file's directory. Every error names the file and
// the field.
import path from 'node:path';
import { NotRegularFileError, readRegularFile } from '../regular-file';
import { TenantSpecError, parseTenantSpec, type TenantSpec } from './tenant-spec';

export const MAX_CONFIG_BYTES = 1024 * 1024;
export const MAX_CONFIG_TENANTS = 1000;

export function loadTenantsFile(file: string): TenantSpec[] {
  let text: string;
  try {
    text = readRegularFile(file, MAX_CONFIG_BYTES);
  } catch (error) {
    if (error instanceof NotRegularFileError || error instanceof RangeError) {
      throw new TenantSpecError(error.message);
    }
    throw new TenantSpecError(
      `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TenantSpecError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TenantSpecError(`${file}: must be an object {"tenants": [...]}`);
  }
  const extra = Object.keys(value).filter((k) => k !== 'tenants');
  if (extra.length > 0) {
    throw new TenantSpecError(
      `${file}: unknown field ${JSON.stringify(extra[0])} (expected "tenants")`,
    );
  }
  const list = (value as { tenants?: unknown }).tenants;
  if (!Array.isArray(list)) throw new TenantSpecError(`${file}: "tenants" must be an array`);
  if (list.length === 0)
    throw new TenantSpecError(`${file}: "tenants" must declare at least one tenant`);
  if (list.length > MAX_CONFIG_TENANTS) {
    throw new TenantSpecError(`${file}: at most ${MAX_CONFIG_TENANTS} tenants, got ${list.length}`);
  }
  const dir = path.dirname(path.resolve(file));
  const seen = new Set<string>();
  return list.map((entry, i) => {
    const spec = parseTenantSpec(entry, `${file}: tenants[${i}]`);
    if (seen.has(spec.id)) {
      throw new TenantSpecError(`${file}: tenants[${i}].id "${spec.id}" is declared twice`);
    }
    seen.add(spec.id);
    if (spec.source.kind === 'replay') {
      spec.source = { kind: 'replay', trace: path.resolve(dir, spec.source.trace) };
    }
    return spec;
  });
}
