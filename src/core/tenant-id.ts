// Tenant ids (PROTOCOL.md section 1): lowercase letters, digits, '_' and '-', 1 to 63 characters,
// starting with a letter or digit. One definition for the server, the CLI and the browser; JSON
// schemas take the pattern as a string.
export const TENANT_ID_SOURCE = '^[a-z0-9][a-z0-9_-]{0,62}$';
export const TENANT_ID_PATTERN = new RegExp(TENANT_ID_SOURCE);

export function isTenantId(value: string): boolean {
  return TENANT_ID_PATTERN.test(value);
}
