// A policy bundle for tests that need a denial to override: every promotion is allowed except a
// change of one field, which the policy `ID` forbids with `message`.
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './temp-dir';

/** Writes the bundle in a temporary directory; its path (POLICY_BUNDLE). */
export function freezingBundle(field: string, id: string, message: string): string {
  const dir = tempDir('policy-bundle');
  copyFileSync('ops/policy/schema.cedarschema', path.join(dir, 'schema.cedarschema'));
  writeFileSync(
    path.join(dir, 'policies.cedar'),
    `@id("allowed")\n@message("allowed")\npermit (principal, action == Console::Action::"promote", resource);\n` +
      `@id(${JSON.stringify(id)})\n@message(${JSON.stringify(message)})\n` +
      `forbid (principal, action == Console::Action::"promote", resource)\n` +
      `when { context.change.fields.contains(${JSON.stringify(field)}) };\n`,
  );
  return dir;
}
