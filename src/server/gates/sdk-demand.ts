// External SDK demand, the wire-format gate's third condition: an admin records who asks for an
// SDK in which language and why. Records are kept for the decision's history, never edited.
import {
  SDK_LANGUAGES,
  type SdkDemandInput,
  type SdkDemandRecord,
  type SdkLanguage,
} from '../../core/api/gates';
import { migrate, type Db, type Migration } from '../storage/database';

export const GATES_COMPONENT = 'gates';
export const MIN_REASON_CHARS = 10;
export const MAX_REASON_CHARS = 1000;

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'SDK demand records of the wire-format gate',
    up: (db) =>
      db.exec(`
        CREATE TABLE gate_sdk_demand (
          id INTEGER PRIMARY KEY,
          sdk TEXT NOT NULL,
          reason TEXT NOT NULL CHECK (length(reason) BETWEEN ${MIN_REASON_CHARS} AND ${MAX_REASON_CHARS}),
          recorded_by TEXT NOT NULL,
          recorded_at INTEGER NOT NULL
        );
      `),
  },
];

export class SdkDemandError extends Error {}

export function openSdkDemand(db: Db): Db {
  migrate(db, GATES_COMPONENT, MIGRATIONS);
  return db;
}

export function isSdkLanguage(value: string): value is SdkLanguage {
  return (SDK_LANGUAGES as readonly string[]).includes(value);
}

export function recordSdkDemand(
  db: Db,
  input: SdkDemandInput & { by: string },
  nowMs = Date.now(),
): SdkDemandRecord {
  openSdkDemand(db);
  const reason = input.reason.trim();
  if (!isSdkLanguage(input.sdk)) {
    throw new SdkDemandError(`the SDK must be one of ${SDK_LANGUAGES.join(', ')}`);
  }
  if (reason.length < MIN_REASON_CHARS || reason.length > MAX_REASON_CHARS) {
    throw new SdkDemandError(
      `the reason must be ${MIN_REASON_CHARS} to ${MAX_REASON_CHARS} characters: who asks, and why`,
    );
  }
  const info = db
    .prepare(
      'INSERT INTO gate_sdk_demand (sdk, reason, recorded_by, recorded_at) VALUES (?, ?, ?, ?)',
    )
    .run(input.sdk, reason, input.by, nowMs);
  return {
    id: Number(info.lastInsertRowid),
    sdk: input.sdk,
    reason,
    recordedBy: input.by,
    recordedAt: new Date(nowMs).toISOString(),
  };
}

export function listSdkDemand(db: Db): SdkDemandRecord[] {
  openSdkDemand(db);
  const rows = db
    .prepare('SELECT id, sdk, reason, recorded_by, recorded_at FROM gate_sdk_demand ORDER BY id')
    .all() as {
    id: number;
    sdk: SdkLanguage;
    reason: string;
    recorded_by: string;
    recorded_at: number;
  }[];
  return rows.map((r) => ({
    id: r.id,
    sdk: r.sdk,
    reason: r.reason,
    recordedBy: r.recorded_by,
    recordedAt: new Date(r.recorded_at).toISOString(),
  }));
}
