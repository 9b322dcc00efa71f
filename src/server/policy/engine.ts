// The policy engine: Cedar (docs/POLICY.md) through its WebAssembly build. A bundle is compiled
// once (parsed, its annotations read, validated against the schema in strict mode) and then
// evaluated per request. Every fault is the engine's own message with where it is in the text.
import { createHash } from 'node:crypto';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { Decision, DecidingPolicy, PolicySummary } from '../../core/api/policy';

export class PolicyBundleError extends Error {
  constructor(message: string) {
    super(`[policy] ${message}`);
    this.name = 'PolicyBundleError';
  }
}

export interface CompiledBundle {
  schema: string;
  policies: readonly PolicySummary[];
  /** The policies by id, as Cedar takes them. */
  byId: Readonly<Record<string, string>>;
  /**
   * Where the engine keeps the bundle parsed (its schema and policy set), so that an evaluation
   * parses nothing: a digest of the content, so the same bundle is cached once.
   */
  cacheId: string;
}

export interface PolicyRequest {
  principal: string;
  tenant: string;
  context: Record<string, unknown>;
}

export interface PolicyOutcome {
  decision: Decision;
  deciding: DecidingPolicy[];
  errors: string[];
}

export function engineVersion(): string {
  return `Cedar ${cedar.getCedarVersion()}`;
}

/** `line:column` of a character offset in `text`. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

function describe(error: cedar.DetailedError, text: string, where: string): string {
  const at = error.sourceLocations?.[0];
  const location = at ? `${where}:${position(text, at.start)}: ` : `${where}: `;
  const label = at?.label ? ` (${at.label})` : '';
  return `${location}${error.message}${label}${error.help ? `; ${error.help}` : ''}`;
}

function fail(errors: readonly cedar.DetailedError[], text: string, where: string): never {
  throw new PolicyBundleError(errors.map((e) => describe(e, text, where)).join('\n'));
}

function summarize(policyText: string, where: string): PolicySummary {
  const json = cedar.policyToJson(policyText);
  if (json.type === 'failure') fail(json.errors, policyText, where);
  const notes = json.json.annotations ?? {};
  const id = notes.id;
  const firstLine = policyText.split('\n').find((l) => l.trim() !== '') ?? '';
  if (!id || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(id)) {
    throw new PolicyBundleError(
      `${where}: every policy needs @id("a-z0-9-"), this one has ${id ? `@id("${id}")` : 'none'}: ${firstLine.slice(0, 80)}`,
    );
  }
  if (!notes.message) throw new PolicyBundleError(`${where}: policy "${id}" has no @message`);
  return {
    id,
    effect: json.json.effect,
    message: notes.message,
    figure: notes.figure ?? null,
    budget: notes.budget ?? null,
    text: policyText,
  };
}

/**
 * Parses, annotates and validates `policiesText` against `schemaText`; throws PolicyBundleError
 * with the engine's messages (`where` names the files for them).
 */
export function compileBundle(
  policiesText: string,
  schemaText: string,
  where = { policies: 'policies.cedar', schema: 'schema.cedarschema' },
  /** A fixed cache slot for bundles made on request (impact analysis), which must not pile up. */
  slot?: string,
): CompiledBundle {
  const schemaCheck = cedar.checkParseSchema(schemaText);
  if (schemaCheck.type === 'failure') fail(schemaCheck.errors, schemaText, where.schema);
  const parts = cedar.policySetTextToParts(policiesText);
  if (parts.type === 'failure') fail(parts.errors, policiesText, where.policies);
  if (parts.policy_templates.length > 0) {
    throw new PolicyBundleError(`${where.policies}: templates are not used by the console`);
  }
  const policies = parts.policies.map((text) => summarize(text, where.policies));
  const byId: Record<string, string> = {};
  for (const policy of policies) {
    if (byId[policy.id] !== undefined) {
      throw new PolicyBundleError(`${where.policies}: two policies have @id("${policy.id}")`);
    }
    byId[policy.id] = policy.text;
  }
  if (policies.length === 0) throw new PolicyBundleError(`${where.policies}: no policies`);
  const validation = cedar.validate({
    schema: schemaText,
    policies: { staticPolicies: byId },
    validationSettings: { mode: 'strict' },
  });
  if (validation.type === 'failure') fail(validation.errors, schemaText, where.schema);
  if (validation.validationErrors.length > 0) {
    throw new PolicyBundleError(
      validation.validationErrors
        .map((e) => describe(e.error, byId[e.policyId] ?? '', `${where.policies} "${e.policyId}"`))
        .join('\n'),
    );
  }
  const cacheId =
    slot ?? createHash('sha256').update(schemaText).update('\0').update(policiesText).digest('hex');
  const cachedSchema = cedar.preparseSchema(cacheId, schemaText);
  if (cachedSchema.type === 'failure') fail(cachedSchema.errors, schemaText, where.schema);
  const cachedPolicies = cedar.preparsePolicySet(cacheId, { staticPolicies: { ...byId } });
  if (cachedPolicies.type === 'failure') fail(cachedPolicies.errors, policiesText, where.policies);
  return { schema: schemaText, policies, byId, cacheId };
}

/**
 * Evaluates the bundle for one promotion. The gate fails closed: a request the schema refuses, or
 * a policy that errors (which Cedar would skip), denies, naming why.
 */
export function evaluatePolicies(bundle: CompiledBundle, request: PolicyRequest): PolicyOutcome {
  const answer = cedar.statefulIsAuthorized({
    principal: { type: 'Console::Admin', id: request.principal },
    action: { type: 'Console::Action', id: 'promote' },
    resource: { type: 'Console::Tenant', id: request.tenant },
    context: request.context as cedar.Context,
    preparsedSchemaName: bundle.cacheId,
    validateRequest: true,
    preparsedPolicySetId: bundle.cacheId,
    entities: [],
  });
  if (answer.type === 'failure') {
    return {
      decision: 'deny',
      deciding: [],
      errors: answer.errors.map((e) => `the request does not fit the schema: ${e.message}`),
    };
  }
  const { decision, diagnostics } = answer.response;
  const byId = new Map(bundle.policies.map((p) => [p.id, p]));
  const deciding = diagnostics.reason
    .map((id) => byId.get(id))
    .filter((p): p is PolicySummary => p !== undefined)
    .map(({ id, effect, message }) => ({ id, effect, message }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const errors = diagnostics.errors.map((e) => `policy "${e.policyId}": ${e.error.message}`);
  return { decision: errors.length > 0 ? 'deny' : decision, deciding, errors };
}
