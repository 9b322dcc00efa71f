// The tenant and token commands' flags and printouts, shared by `npm run admin` on a data
// directory (console.db) and on the cluster's PostgreSQL (--database): both check a command line
// and print its answer the same way.
import path from 'node:path';
import { TOKEN_ROLES, isTokenRole, type TokenRole } from '../core/api/session';
import type { RevokeResult } from '../server/state/access';
import {
  MAX_GPU_THRESHOLD,
  TenantSpecError,
  nameFault,
  parseTenantSpec,
  tenantIdFault,
  type SourceSpec,
  type TenantRecord,
  type TenantSpec,
} from '../server/tenants/tenant-spec';
import {
  isTokenId,
  type IssuedToken,
  type TokenRecord,
  type TokenRequest,
} from '../server/tenants/token-store';
import { openTraceFile } from '../server/trace-file';
import { CommandError, table, UsageError, type AdminIo, type AdminValues } from './admin-common';

type Values = AdminValues;

function str(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function requireValue(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new UsageError(`--${name} is required`);
  }
  return value;
}

export function checkId(id: string | undefined, what: string): string {
  if (id === undefined) throw new UsageError(`${what} is required`);
  const fault = tenantIdFault(id);
  if (fault) throw new UsageError(`${what} ${fault}`);
  return id;
}

function gpuThresholdOf(value: string): number {
  if (!/^\d{1,8}$/.test(value) || Number(value) > MAX_GPU_THRESHOLD) {
    throw new UsageError(
      `--gpu-threshold must be a number of spins 0-${MAX_GPU_THRESHOLD} (or "default" with set), got "${value.slice(0, 20)}"`,
    );
  }
  return Number(value);
}

function sourceFrom(values: Values): SourceSpec {
  const trace = str(values, 'trace');
  const live = str(values, 'live');
  const seed = str(values, 'seed');
  if ((trace === undefined) === (live === undefined)) {
    throw new UsageError('give exactly one of --trace PATH and --live WxH');
  }
  if (trace !== undefined) {
    if (seed !== undefined) throw new UsageError('--seed goes with --live only');
    return { kind: 'replay', trace: path.resolve(trace) };
  }
  const size = /^(\d{1,5})x(\d{1,5})$/.exec(live!);
  if (!size) throw new UsageError(`--live must be WIDTHxHEIGHT like 256x256, got "${live}"`);
  if (seed !== undefined && !/^\d{1,16}$/.test(seed)) {
    throw new UsageError(`--seed must be a whole number, got "${seed}"`);
  }
  return {
    kind: 'live',
    width: Number(size[1]),
    height: Number(size[2]),
    seed: seed === undefined ? 0 : Number(seed),
  };
}

/** `tenant list`'s output: JSON with --json, else a table. */
export function tenantListing(tenants: readonly TenantRecord[], values: Values): string {
  if (values.json) return JSON.stringify(tenants, null, 2);
  const rows = tenants.map((t) => [
    t.id,
    t.visibility,
    t.source.kind === 'replay'
      ? `replay ${t.source.trace}`
      : `live ${t.source.width}x${t.source.height} seed ${t.source.seed}`,
    `${t.sloMs} ms`,
    t.gpuThreshold === undefined ? 'server' : String(t.gpuThreshold),
    t.name,
  ]);
  return table([['ID', 'VISIBILITY', 'SOURCE', 'SLO', 'GPU FROM', 'NAME'], ...rows]);
}

/** `tenant create`'s tenant, from its flags; a replay tenant's trace is opened to check it. */
export function tenantSpecFromFlags(args: readonly string[], values: Values): TenantSpec {
  const id = checkId(args[0], 'tenant ID');
  const slo = str(values, 'slo-ms');
  const gpu = str(values, 'gpu-threshold');
  if (slo !== undefined && !/^\d+(\.\d+)?$/.test(slo)) {
    throw new UsageError(`--slo-ms must be a number of milliseconds, got "${slo}"`);
  }
  let spec;
  try {
    spec = parseTenantSpec(
      {
        id,
        name: requireValue(values, 'name'),
        visibility: str(values, 'visibility') ?? 'private',
        source: sourceFrom(values),
        ...(slo !== undefined ? { sloMs: Number(slo) } : {}),
        ...(gpu !== undefined ? { gpuThreshold: gpuThresholdOf(gpu) } : {}),
      },
      'tenant',
    );
  } catch (error) {
    if (error instanceof TenantSpecError) throw new UsageError(error.message);
    throw error;
  }
  if (spec.source.kind === 'replay') openTraceFile(spec.source.trace).close();
  return spec;
}

/** `token issue`'s request, from its flags. */
export function tokenRequestFromFlags(values: Values): TokenRequest & { role: TokenRole } {
  const name = requireValue(values, 'name');
  const fault = nameFault(name);
  if (fault) throw new UsageError(`--name ${fault}`);
  const tenants = requireValue(values, 'tenants')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (tenants.length === 0) throw new UsageError('--tenants must name at least one tenant');
  for (const id of tenants) checkId(id, '--tenants:');
  const role = str(values, 'role') ?? 'viewer';
  if (!isTokenRole(role)) {
    throw new UsageError(`--role must be one of ${TOKEN_ROLES.join(', ')}, got "${role}"`);
  }
  return { name, tenants, role };
}

export function printIssued(issued: IssuedToken, request: TokenRequest, io: AdminIo): void {
  io.err(
    `issued ${issued.tokenId} "${request.name}", ${request.role}, for ${request.tenants.join(', ')}; the token is shown once:`,
  );
  io.out(issued.token);
}

/** `token list`'s output: JSON with --json, else a table. */
export function tokenListing(tokens: readonly TokenRecord[], values: Values): string {
  if (values.json) return JSON.stringify(tokens, null, 2);
  const rows = tokens.map((t) => [
    t.tokenId,
    t.name,
    t.role,
    t.tenants.join(','),
    t.createdAt,
    t.revokedAt ?? '-',
  ]);
  return table([['ID', 'NAME', 'ROLE', 'TENANTS', 'CREATED', 'REVOKED'], ...rows]);
}

/** `token revoke`'s TOKEN_ID. */
export function tokenIdArg(args: readonly string[]): string {
  const tokenId = args[0];
  if (tokenId === undefined) throw new UsageError('TOKEN_ID is required');
  if (!isTokenId(tokenId)) {
    throw new UsageError(`"${tokenId.slice(0, 40)}" is not a token id (tok_ and 16 hex digits)`);
  }
  return tokenId;
}

export function printRevoked(result: RevokeResult, tokenId: string, io: AdminIo): void {
  if (result === 'unknown') throw new CommandError(`no such token: ${tokenId}`);
  io.out(result === 'revoked' ? `revoked ${tokenId}` : `${tokenId} was already revoked`);
}
