// `npm run admin -- tenant set ...`, `promotion ...` and `audit ...`: tenant-setting changes go
// through the promotion gate, run here in-process with the live rates the running server shares in
// the data directory's console.db (none when it is stopped: nothing measured). Promotions and the
// audit chain live where the servers keep them: console.db, or with --database the cluster's
// PostgreSQL (one chain for every gateway). The audit log is verified here too, server running or
// not.
import path from 'node:path';
import type { TenantSettingsChange } from '../core/api/policy';
import { MIN_OVERRIDE_REASON_CHARS } from '../core/api/policy';
import type { Db } from '../server/storage/database';
import { loadBundle } from '../server/policy/bundle';
import { PolicyBundleError } from '../server/policy/engine';
import {
  createPromotionGate,
  PromotionError,
  type PromotionGate,
  type PromotionGateOptions,
} from '../server/policy/gate';
import type { PolicyLedger } from '../server/policy/ledger';
import { policySettingsFromEnv, PolicySettingsError } from '../server/policy/settings';
import { readSharedRates } from '../server/policy/shared-rates';
import { MAX_GPU_THRESHOLD } from '../server/tenants/tenant-spec';
import {
  actorOf,
  CommandError,
  osUser,
  stringOption,
  table,
  UsageError,
  type AdminIo,
  type AdminValues,
} from './admin-common';
import { checkId } from './admin-access';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where a policy command acts: the ledger (console.db, or PostgreSQL with --database), the data
 * directory's console.db (the server's shared live rates; the tenants without --database), and
 * with --database the tenants in PostgreSQL, whose writes the caller awaits.
 */
export interface PolicyPlace {
  db: Db;
  ledger: PolicyLedger;
  tenantStore?: PromotionGateOptions['tenantStore'];
}

/** A policy command: asynchronous, as its ledger may be PostgreSQL. */
export interface PolicyCommand {
  options: readonly string[];
  maxArgs: number;
  run(
    place: PolicyPlace,
    args: readonly string[],
    values: AdminValues,
    io: AdminIo,
    env: Env,
  ): Promise<void>;
}

function openGate({ db, ledger, tenantStore }: PolicyPlace, env: Env): PromotionGate {
  try {
    const settings = policySettingsFromEnv(env);
    return createPromotionGate({
      db,
      ledger,
      tenantStore,
      bundle: loadBundle(settings.bundleDir),
      pricing: settings.pricing,
      rates: (tenant) => readSharedRates(db, tenant, Date.now()),
    });
  } catch (error) {
    if (error instanceof PolicyBundleError || error instanceof PolicySettingsError) {
      throw new CommandError(error.message);
    }
    throw error;
  }
}

function number(value: string, flag: string, pattern: RegExp): number {
  if (!pattern.test(value))
    throw new UsageError(`${flag}: "${value.slice(0, 20)}" is not a number here`);
  return Number(value);
}

/** The change `tenant set` asks for, from its flags; what each part does, for people. */
export function changeFromFlags(values: AdminValues): {
  change: TenantSettingsChange;
  said: string[];
} {
  const change: TenantSettingsChange = {};
  const said: string[] = [];
  const slo = stringOption(values, 'slo-ms');
  if (slo !== undefined) {
    change.sloMs = number(slo, '--slo-ms', /^\d+(\.\d+)?$/);
    said.push(`SLO ${change.sloMs} ms`);
  }
  const visibility = stringOption(values, 'visibility');
  if (visibility !== undefined) {
    if (visibility !== 'public' && visibility !== 'private') {
      throw new UsageError(
        `--visibility must be public or private, got "${visibility.slice(0, 20)}"`,
      );
    }
    change.visibility = visibility;
    said.push(visibility);
  }
  const gpu = stringOption(values, 'gpu-threshold');
  if (gpu !== undefined) {
    const spins = gpu === 'default' ? null : number(gpu, '--gpu-threshold', /^\d{1,8}$/);
    if (spins !== null && spins > MAX_GPU_THRESHOLD) {
      throw new UsageError(
        `--gpu-threshold must be a number of spins 0-${MAX_GPU_THRESHOLD} (or "default")`,
      );
    }
    change.gpuThreshold = spins;
    said.push(
      spins === null
        ? 'GPU threshold from the server (--gpu-threshold)'
        : `GPU threshold ${spins} spins`,
    );
  }
  const live = stringOption(values, 'live');
  if (live !== undefined) {
    const size = /^(\d{1,5})x(\d{1,5})$/.exec(live);
    if (!size)
      throw new UsageError(`--live must be WIDTHxHEIGHT like 256x256, got "${live.slice(0, 20)}"`);
    change.lattice = { width: Number(size[1]), height: Number(size[2]) };
    said.push(`lattice ${live}`);
  }
  const trace = stringOption(values, 'trace');
  if (trace !== undefined) {
    change.trace = path.resolve(trace);
    said.push(`trace ${change.trace}`);
  }
  if (said.length === 0) {
    throw new UsageError(
      'give a setting: --slo-ms, --visibility, --gpu-threshold, --live or --trace',
    );
  }
  return { change, said };
}

function gateError(error: unknown): never {
  if (error instanceof PromotionError) {
    if (error.status === 400) throw new UsageError(error.message);
    throw new CommandError(error.message);
  }
  throw error;
}

function overrideReason(values: AdminValues): string | undefined {
  const reason = stringOption(values, 'override-reason')?.trim();
  if (reason !== undefined && reason.length < MIN_OVERRIDE_REASON_CHARS) {
    throw new UsageError(
      `--override-reason must say why in at least ${MIN_OVERRIDE_REASON_CHARS} characters`,
    );
  }
  return reason;
}

/** `tenant set ID ...`: a promotion; applied when allowed, or overridden with a reason. */
export async function setTenantSettings(
  place: PolicyPlace,
  id: string,
  values: AdminValues,
  env: Env,
  io: AdminIo,
) {
  const { change, said } = changeFromFlags(values);
  const reason = overrideReason(values);
  const by = `cli:${actorOf(values, osUser())}`;
  const gate = openGate(place, env);
  let promotion;
  try {
    promotion = await gate.promote({
      tenant: id,
      kind: 'tenant-settings',
      change,
      by,
      principal: by,
    });
  } catch (error) {
    gateError(error);
  }
  const deciding = promotion.deciding.map((d) => `${d.id}: ${d.message}`);
  if (promotion.status === 'denied') {
    io.err(`[admin] promotion ${promotion.id} denied:`);
    for (const line of [...deciding, ...promotion.errors]) io.err(`  ${line}`);
    if (reason === undefined) {
      throw new CommandError(
        `tenant ${id} is unchanged; an admin may override with --override-reason TEXT (audited)`,
      );
    }
    try {
      promotion = await gate.override(promotion.id, by, reason);
    } catch (error) {
      gateError(error);
    }
    io.err(`[admin] promotion ${promotion.id} overridden by ${by}: ${reason}`);
  } else {
    io.err(
      `[admin] promotion ${promotion.id} allowed (${promotion.deciding.map((d) => d.id).join(', ')})`,
    );
  }
  for (const line of said) io.out(`tenant ${id}: ${line}`);
}

/** `promotion override ID`: applies a denied promotion. */
async function overridePromotion(
  place: PolicyPlace,
  args: readonly string[],
  values: AdminValues,
  io: AdminIo,
  env: Env,
) {
  const id = number(args[0] ?? '', 'PROMOTION_ID', /^\d{1,15}$/);
  const reason = overrideReason(values);
  if (reason === undefined) throw new UsageError('--override-reason is required: say why');
  const by = `cli:${actorOf(values, osUser())}`;
  let promotion;
  try {
    promotion = await openGate(place, env).override(id, by, reason);
  } catch (error) {
    gateError(error);
  }
  io.out(`promotion ${promotion.id} overridden: tenant ${promotion.tenant} changed, audited`);
}

export const POLICY_COMMANDS: Record<string, PolicyCommand> = {
  'tenant set': {
    options: ['slo-ms', 'visibility', 'gpu-threshold', 'live', 'trace', 'override-reason', 'by'],
    maxArgs: 1,
    // Settings change what operators see or what a tenant costs: they are promotions.
    run: (place, args, values, io, env) =>
      setTenantSettings(place, checkId(args[0], 'tenant ID'), values, env, io),
  },
  'audit verify': {
    options: ['json'],
    maxArgs: 0,
    async run({ ledger }, _args, values, io) {
      const result = await ledger.verify();
      if (values.json) io.out(JSON.stringify(result, null, 2));
      else {
        for (const problem of result.problems) io.err(`[admin] audit: ${problem}`);
        io.out(
          result.ok
            ? `audit log verified: ${result.rows} rows, head ${result.head ? `${result.head.seq} ${result.head.hash}` : 'none'}`
            : `audit log FAILED verification: ${result.problems.length} problems in ${result.rows} rows`,
        );
      }
      if (!result.ok) throw new CommandError('the audit log does not verify');
    },
  },
  'audit list': {
    options: ['json', 'limit'],
    maxArgs: 0,
    async run({ ledger }, _args, values, io) {
      const limitText = stringOption(values, 'limit') ?? '50';
      const limit = number(limitText, '--limit', /^\d{1,4}$/);
      const entries = await ledger.audit({ limit: Math.max(1, limit) });
      if (values.json) {
        return io.out(JSON.stringify({ entries, head: await ledger.head() }, null, 2));
      }
      if (entries.length === 0) return io.out('the audit log is empty');
      io.out(
        table([
          ['SEQ', 'AT', 'KIND', 'PROMOTION', 'TENANT', 'DECISION', 'ACTOR', 'HASH'],
          ...entries.map((e) => [
            String(e.seq),
            e.at,
            e.kind,
            String(e.promotionId),
            e.tenant,
            e.decision,
            e.actor,
            e.hash.slice(0, 16),
          ]),
        ]),
      );
    },
  },
  'promotion list': {
    options: ['json', 'limit'],
    maxArgs: 0,
    async run(place, _args, values, io, env) {
      const limit = number(stringOption(values, 'limit') ?? '50', '--limit', /^\d{1,4}$/);
      const promotions = await openGate(place, env).list({ limit: Math.max(1, limit) });
      if (values.json) return io.out(JSON.stringify(promotions, null, 2));
      if (promotions.length === 0) return io.out('no promotions');
      io.out(
        table([
          ['ID', 'CREATED', 'TENANT', 'STATUS', 'BY', 'DECIDING'],
          ...promotions.map((p) => [
            String(p.id),
            p.createdAt,
            p.tenant,
            p.status,
            p.by,
            p.deciding.map((d) => d.id).join(','),
          ]),
        ]),
      );
    },
  },
  'promotion override': {
    options: ['override-reason', 'by'],
    maxArgs: 1,
    run: overridePromotion,
  },
};
