// How the REST API writes a time (docs/API.md, Conventions): ISO 8601 UTC with milliseconds,
// `2026-03-01T12:00:00.000Z`.
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
