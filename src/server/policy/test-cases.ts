// The bundle's test cases as data (ops/policy/tests.json): each case's context is merged over the
// defaults, evaluated by the engine, and its decision and deciding policies compared.
import type { Decision } from '../../core/api/policy';
import { evaluatePolicies, PolicyBundleError, type CompiledBundle } from './engine';

interface Defaults {
  principal: string;
  tenant: string;
  context: Record<string, unknown>;
}

export interface PolicyTestCase {
  name: string;
  principal?: string;
  tenant?: string;
  context?: Record<string, unknown>;
  expect: Decision;
  deciding: string[];
}

export interface PolicyTestFile {
  defaults: Defaults;
  cases: PolicyTestCase[];
}

export interface PolicyTestResult {
  name: string;
  passed: boolean;
  /** What went wrong, for a failed case. */
  fault: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Objects merge field by field; anything else (numbers, strings, sets as lists) is replaced. */
export function mergeContext(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const before = merged[key];
    merged[key] = isRecord(before) && isRecord(value) ? mergeContext(before, value) : value;
  }
  return merged;
}

/** Checks the shape of tests.json; throws PolicyBundleError naming the field. */
export function parseTestFile(text: string, where: string): PolicyTestFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PolicyBundleError(`${where}: not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(value)) throw new PolicyBundleError(`${where}: must be an object`);
  const defaults = value.defaults;
  if (
    !isRecord(defaults) ||
    typeof defaults.principal !== 'string' ||
    typeof defaults.tenant !== 'string' ||
    !isRecord(defaults.context)
  ) {
    throw new PolicyBundleError(
      `${where}: "defaults" must be an object with "principal", "tenant" and "context"`,
    );
  }
  if (!Array.isArray(value.cases) || value.cases.length === 0) {
    throw new PolicyBundleError(`${where}: "cases" must be a non-empty list`);
  }
  const cases = value.cases.map((c: unknown, i): PolicyTestCase => {
    const at = `${where}: cases[${i}]`;
    if (!isRecord(c) || typeof c.name !== 'string' || c.name.length === 0) {
      throw new PolicyBundleError(`${at} must be an object with a "name"`);
    }
    if (c.expect !== 'allow' && c.expect !== 'deny') {
      throw new PolicyBundleError(`${at} ("${c.name}"): "expect" must be "allow" or "deny"`);
    }
    if (!isStringList(c.deciding)) {
      throw new PolicyBundleError(`${at} ("${c.name}"): "deciding" must be a list of policy ids`);
    }
    if (c.context !== undefined && !isRecord(c.context)) {
      throw new PolicyBundleError(`${at} ("${c.name}"): "context" must be an object`);
    }
    for (const key of ['principal', 'tenant'] as const) {
      if (c[key] !== undefined && typeof c[key] !== 'string') {
        throw new PolicyBundleError(`${at} ("${c.name}"): "${key}" must be a string`);
      }
    }
    return {
      name: c.name,
      expect: c.expect,
      deciding: c.deciding,
      ...(c.context ? { context: c.context } : {}),
      ...(typeof c.principal === 'string' ? { principal: c.principal } : {}),
      ...(typeof c.tenant === 'string' ? { tenant: c.tenant } : {}),
    };
  });
  return {
    defaults: {
      principal: defaults.principal,
      tenant: defaults.tenant,
      context: defaults.context,
    },
    cases,
  };
}

export function runPolicyTests(bundle: CompiledBundle, file: PolicyTestFile): PolicyTestResult[] {
  return file.cases.map((c) => {
    const outcome = evaluatePolicies(bundle, {
      principal: c.principal ?? file.defaults.principal,
      tenant: c.tenant ?? file.defaults.tenant,
      context: mergeContext(file.defaults.context, c.context ?? {}),
    });
    const deciding = outcome.deciding.map((d) => d.id).sort();
    const expected = [...c.deciding].sort();
    const faults: string[] = [];
    if (outcome.errors.length > 0) faults.push(`errors: ${outcome.errors.join('; ')}`);
    if (outcome.decision !== c.expect) faults.push(`expected ${c.expect}, got ${outcome.decision}`);
    if (deciding.join(',') !== expected.join(',')) {
      faults.push(`expected deciding [${expected.join(', ')}], got [${deciding.join(', ')}]`);
    }
    return { name: c.name, passed: faults.length === 0, fault: faults.join('; ') || null };
  });
}
