// The policy bundle on disk (ops/policy/ by default, POLICY_BUNDLE or --bundle otherwise):
// policies.cedar, schema.cedarschema and tests.json, the test cases as data.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileBundle, PolicyBundleError, type CompiledBundle } from './engine';

export const DEFAULT_BUNDLE_DIR = fileURLToPath(new URL('../../../ops/policy', import.meta.url));
export const POLICIES_FILE = 'policies.cedar';
export const SCHEMA_FILE = 'schema.cedarschema';
export const TESTS_FILE = 'tests.json';

export interface LoadedBundle extends CompiledBundle {
  dir: string;
}

export function readBundleFile(dir: string, file: string): string {
  const where = path.join(dir, file);
  try {
    return readFileSync(where, 'utf8');
  } catch (error) {
    throw new PolicyBundleError(`cannot read ${where}: ${(error as NodeJS.ErrnoException).code}`);
  }
}

/** Reads and compiles the bundle in `dir`; throws PolicyBundleError naming the file and fault. */
export function loadBundle(dir: string = DEFAULT_BUNDLE_DIR): LoadedBundle {
  const policies = readBundleFile(dir, POLICIES_FILE);
  const schema = readBundleFile(dir, SCHEMA_FILE);
  const compiled = compileBundle(policies, schema, {
    policies: path.join(dir, POLICIES_FILE),
    schema: path.join(dir, SCHEMA_FILE),
  });
  return { ...compiled, dir };
}
