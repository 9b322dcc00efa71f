// What a tenant is: its id, name, visibility, stream source and latency SLO. One validator serves
// every boundary that declares tenants (the config file, the admin CLI, rows read back from
// SQLite), so each rejects the same values with the same message naming where the value came from.
import { isTenantId } from '../../core/tenant-id';
import { LIVE_PARAM_NAMES, type LiveParams } from '../../sim/live-params';

export const MAX_NAME_CHARS = 100;
export const DEFAULT_SLO_MS = 7;
export const MAX_SLO_MS = 60_000;
/** The app's GPU threshold in spins (below it the CPU canvas draws): as its URL parameter. */
export const MAX_GPU_THRESHOLD = 16_777_216;
/** Live lattices: a side up to 4096 cells and at most 1,048,576 spins (the simulator's budget). */
export const MAX_LIVE_SIDE = 4096;
export const MAX_LIVE_SPINS = 1_048_576;

export type Visibility = 'public' | 'private';

export interface ReplaySourceSpec {
  kind: 'replay';
  /** Trace file; a relative path is resolved against the server's working directory. */
  trace: string;
}

export interface LiveSourceSpec {
  kind: 'live';
  width: number;
  height: number;
  /** Simulator seed, a safe integer (JSON has no 64-bit integers). */
  seed: number;
  params?: LiveParams;
}

export type SourceSpec = ReplaySourceSpec | LiveSourceSpec;

export interface TenantSpec {
  id: string;
  name: string;
  visibility: Visibility;
  source: SourceSpec;
  /** p95 latency objective, frame produced -> decoded in the browser, in milliseconds. */
  sloMs: number;
  /** Spins below which the app draws on the CPU canvas; undefined: the server's --gpu-threshold. */
  gpuThreshold?: number;
}

export interface TenantRecord extends TenantSpec {
  /** ISO 8601 UTC. */
  createdAt: string;
}

export class TenantSpecError extends Error {
  constructor(message: string) {
    super(`[tenants] ${message}`);
    this.name = 'TenantSpecError';
  }
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(value: Record<string, unknown>, allowed: readonly string[], where: string) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw new TenantSpecError(
        `${where}: unknown field ${show(key)} (expected ${allowed.join(', ')})`,
      );
    }
  }
}

/** Null when `id` is a valid tenant id, else what is wrong with it. */
export function tenantIdFault(id: unknown): string | null {
  if (typeof id !== 'string') return `must be a string, got ${show(id)}`;
  if (!isTenantId(id)) {
    return `must be 1-63 characters of a-z, 0-9, _ and - starting with a letter or digit, got ${show(id)}`;
  }
  return null;
}

/** Null when `name` is a valid display name (tenant or token), else what is wrong with it. */
export function nameFault(name: unknown): string | null {
  if (typeof name !== 'string') return `must be a string, got ${show(name)}`;
  if (name.trim().length === 0) return 'must not be empty';
  if (name.length > MAX_NAME_CHARS) {
    return `must be at most ${MAX_NAME_CHARS} characters, got ${name.length}`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain control characters';
  return null;
}

function integerIn(value: unknown, min: number, max: number, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TenantSpecError(
      `${where} must be an integer from ${min} to ${max}, got ${show(value)}`,
    );
  }
  return value;
}

function parseLiveParams(value: unknown, where: string): LiveParams {
  if (!isRecord(value)) throw new TenantSpecError(`${where} must be an object, got ${show(value)}`);
  checkKeys(value, LIVE_PARAM_NAMES, where);
  const params: LiveParams = {};
  for (const name of LIVE_PARAM_NAMES) {
    const v = value[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new TenantSpecError(`${where}.${name} must be a finite number, got ${show(v)}`);
    }
    params[name] = v;
  }
  if (params.omegaSpreadRadPerS !== undefined && params.omegaSpreadRadPerS < 0) {
    throw new TenantSpecError(`${where}.omegaSpreadRadPerS must be >= 0`);
  }
  if (params.initialScaleCells !== undefined && params.initialScaleCells < 0) {
    throw new TenantSpecError(`${where}.initialScaleCells must be >= 0`);
  }
  return params;
}

export function parseSourceSpec(value: unknown, where: string): SourceSpec {
  if (!isRecord(value)) {
    throw new TenantSpecError(`${where} must be an object with "kind", got ${show(value)}`);
  }
  switch (value.kind) {
    case 'replay': {
      checkKeys(value, ['kind', 'trace'], where);
      if (typeof value.trace !== 'string' || value.trace.length === 0) {
        throw new TenantSpecError(`${where}.trace must be a file path, got ${show(value.trace)}`);
      }
      if (value.trace.length > 4096 || value.trace.includes('\0')) {
        throw new TenantSpecError(`${where}.trace is not a usable file path`);
      }
      return { kind: 'replay', trace: value.trace };
    }
    case 'live': {
      checkKeys(value, ['kind', 'width', 'height', 'seed', 'params'], where);
      const width = integerIn(value.width, 1, MAX_LIVE_SIDE, `${where}.width`);
      const height = integerIn(value.height, 1, MAX_LIVE_SIDE, `${where}.height`);
      if (width * height > MAX_LIVE_SPINS) {
        throw new TenantSpecError(
          `${where}: width x height must be at most ${MAX_LIVE_SPINS} spins, got ${width} x ${height}`,
        );
      }
      const seed = integerIn(value.seed ?? 0, 0, Number.MAX_SAFE_INTEGER, `${where}.seed`);
      const spec: LiveSourceSpec = { kind: 'live', width, height, seed };
      if (value.params !== undefined)
        spec.params = parseLiveParams(value.params, `${where}.params`);
      return spec;
    }
    default:
      throw new TenantSpecError(
        `${where}.kind must be "replay" or "live", got ${show(value.kind)}`,
      );
  }
}

/**
 * Validates one tenant declaration. `where` names the origin for messages, e.g.
 * `tenants.json: tenants[2]`; fields are appended to it (`tenants.json: tenants[2].source.width`).
 */
export function parseTenantSpec(value: unknown, where: string): TenantSpec {
  if (!isRecord(value)) throw new TenantSpecError(`${where} must be an object, got ${show(value)}`);
  checkKeys(value, ['id', 'name', 'visibility', 'source', 'sloMs', 'gpuThreshold'], where);
  const idFault = tenantIdFault(value.id);
  if (idFault) throw new TenantSpecError(`${where}.id ${idFault}`);
  const name = value.name ?? value.id;
  const nFault = nameFault(name);
  if (nFault) throw new TenantSpecError(`${where}.name ${nFault}`);
  const visibility = value.visibility ?? 'private';
  if (visibility !== 'public' && visibility !== 'private') {
    throw new TenantSpecError(
      `${where}.visibility must be "public" or "private", got ${show(visibility)}`,
    );
  }
  const sloMs = value.sloMs ?? DEFAULT_SLO_MS;
  if (typeof sloMs !== 'number' || !Number.isFinite(sloMs) || sloMs <= 0 || sloMs > MAX_SLO_MS) {
    throw new TenantSpecError(
      `${where}.sloMs must be a number of milliseconds in (0, ${MAX_SLO_MS}], got ${show(sloMs)}`,
    );
  }
  const spec: TenantSpec = {
    id: value.id as string,
    name: name as string,
    visibility,
    source: parseSourceSpec(value.source, `${where}.source`),
    sloMs,
  };
  if (value.gpuThreshold !== undefined && value.gpuThreshold !== null) {
    spec.gpuThreshold = integerIn(
      value.gpuThreshold,
      0,
      MAX_GPU_THRESHOLD,
      `${where}.gpuThreshold`,
    );
  }
  return spec;
}

/** The stored form of a source, stable for equal sources (used to see that a source changed). */
export function sourceKey(source: SourceSpec): string {
  if (source.kind === 'replay') return JSON.stringify({ kind: 'replay', trace: source.trace });
  const params = source.params
    ? Object.fromEntries(
        LIVE_PARAM_NAMES.filter((n) => source.params![n] !== undefined).map((n) => [
          n,
          source.params![n],
        ]),
      )
    : undefined;
  return JSON.stringify({
    kind: 'live',
    width: source.width,
    height: source.height,
    seed: source.seed,
    ...(params ? { params } : {}),
  });
}
