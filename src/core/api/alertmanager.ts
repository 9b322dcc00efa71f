// The answer of POST /api/alertmanager (docs/API.md): what the receiver did with each alert of the
// request, written by the server, read by the tests and drills.
export interface AlertmanagerResult {
  received: number;
  opened: number;
  deduplicated: number;
  reopened: number;
  resolved: number;
  /** Resolved alerts with no unresolved ticket (already resolved, or never seen). */
  ignored: number;
}
