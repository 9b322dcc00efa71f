// What a schema validation failure says to the client: the field's path as the client wrote it
// (`body.alerts[2].labels.severity`), what was expected, and what it sent.
import type { FastifyError, FastifyRequest } from 'fastify';
import { TENANT_PATTERN } from '../schemas';
import { WINDOW_PATTERN } from '../windows';

function jsonPointerPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const part of pointer.split('/').slice(1)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

const PATTERN_NAMES: Record<string, string> = {
  [WINDOW_PATTERN]: 'a count and a unit m, h or d (like 15m, 24h, 7d)',
  [TENANT_PATTERN]:
    'a tenant id (a-z, 0-9, - and _, at most 63 characters, not starting with - or _)',
};

const shown = (value: unknown): string =>
  value === undefined ? 'nothing' : (JSON.stringify(value)?.slice(0, 60) ?? String(value));

/** `body.alerts[2].labels.severity must be one of critical, error, warning, info, got "page"` */
export function validationMessage(error: FastifyError, request: FastifyRequest): string {
  const context = error.validationContext ?? 'body';
  const first = error.validation?.[0];
  if (!first) return error.message;
  const root =
    context === 'querystring'
      ? request.query
      : context === 'params'
        ? request.params
        : request.body;
  const where = `${context}${jsonPointerPath(first.instancePath)}`;
  const params = first.params as Record<string, unknown>;
  const value = valueAt(root, first.instancePath);
  switch (first.keyword) {
    case 'required':
      return `${where}.${String(params.missingProperty)} is required`;
    case 'enum':
      return `${where} must be one of ${(params.allowedValues as unknown[]).join(', ')}, got ${shown(value)}`;
    case 'maxLength':
      return `${where} is ${String(value).length} characters; at most ${String(params.limit)} allowed`;
    case 'pattern':
      return `${where} must be ${PATTERN_NAMES[String(params.pattern)] ?? `like ${String(params.pattern)}`}, got ${shown(value)}`;
    case 'type':
      return `${where} must be ${String(params.type)}, got ${shown(value)}`;
    default:
      return `${where} ${first.message ?? 'is invalid'}, got ${shown(value)}`;
  }
}
