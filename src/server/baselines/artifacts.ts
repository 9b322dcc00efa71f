// Baseline artifacts: DATA/baselines/NAME.json, written once and never replaced. The file holds
// the snapshot and the SHA-256 of its canonical JSON, so an edit shows (`intact: false`); it is
// created by a hard link from a finished temporary file, which fails if the name exists, so two
// runs racing for one name cannot both win, and it is left read-only.
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Baseline, BaselineSummary, Snapshot } from '../../core/api/baselines';

export const BASELINES_DIR = 'baselines';
export const BASELINE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export class BaselineError extends Error {
  constructor(
    readonly code: 'exists' | 'not_found' | 'invalid' | 'damaged',
    message: string,
  ) {
    super(message);
  }
}

/** JSON with object keys sorted at every level: one text for one value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const snapshotHash = (snapshot: Snapshot): string =>
  createHash('sha256').update(canonicalJson(snapshot)).digest('hex');

export function checkBaselineName(name: string): void {
  if (!BASELINE_NAME_PATTERN.test(name)) {
    throw new BaselineError(
      'invalid',
      `a baseline name is 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit, got "${name.slice(0, 70)}"`,
    );
  }
}

const fileOf = (dataDir: string, name: string) => path.join(dataDir, BASELINES_DIR, `${name}.json`);

export function createBaseline(
  dataDir: string,
  input: { name: string; snapshot: Snapshot; by: string; nowMs?: number },
): Baseline {
  checkBaselineName(input.name);
  const dir = path.join(dataDir, BASELINES_DIR);
  mkdirSync(dir, { recursive: true });
  const target = fileOf(dataDir, input.name);
  if (existsSync(target)) {
    throw new BaselineError('exists', `baseline "${input.name}" exists; a name is never reused`);
  }
  const baseline: Baseline = {
    name: input.name,
    createdAt: new Date(input.nowMs ?? Date.now()).toISOString(),
    createdBy: input.by,
    window: input.snapshot.window,
    sha256: snapshotHash(input.snapshot),
    intact: true,
    snapshot: input.snapshot,
  };
  const stored: Omit<Baseline, 'intact'> = {
    name: baseline.name,
    createdAt: baseline.createdAt,
    createdBy: baseline.createdBy,
    window: baseline.window,
    sha256: baseline.sha256,
    snapshot: baseline.snapshot,
  };
  const temporary = path.join(dir, `.${input.name}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o444, flag: 'wx' });
  try {
    linkSync(temporary, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new BaselineError('exists', `baseline "${input.name}" exists; a name is never reused`);
    }
    throw error;
  } finally {
    unlinkSync(temporary);
  }
  chmodSync(target, 0o444);
  return baseline;
}

export function readBaseline(dataDir: string, name: string): Baseline {
  checkBaselineName(name);
  let text: string;
  try {
    text = readFileSync(fileOf(dataDir, name), 'utf8');
  } catch {
    throw new BaselineError('not_found', `no baseline "${name}"`);
  }
  let stored: Omit<Baseline, 'intact'>;
  try {
    stored = JSON.parse(text) as Omit<Baseline, 'intact'>;
  } catch {
    throw new BaselineError(
      'damaged',
      `baseline "${name}" is not valid JSON: the file was damaged`,
    );
  }
  if (typeof stored !== 'object' || stored === null || typeof stored.snapshot !== 'object') {
    throw new BaselineError('damaged', `baseline "${name}" has no snapshot: the file was damaged`);
  }
  return { ...stored, intact: stored.sha256 === snapshotHash(stored.snapshot) };
}

/** Every baseline, oldest first; a damaged file is listed as not intact. */
export function listBaselines(dataDir: string): BaselineSummary[] {
  const dir = path.join(dataDir, BASELINES_DIR);
  if (!existsSync(dir)) return [];
  const summaries: BaselineSummary[] = [];
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json')) continue;
    const name = file.slice(0, -'.json'.length);
    if (!BASELINE_NAME_PATTERN.test(name)) continue;
    try {
      summaries.push(summaryOf(readBaseline(dataDir, name)));
    } catch {
      summaries.push({
        name,
        createdAt: '',
        createdBy: '',
        window: { from: '', to: '', label: '' },
        sha256: '',
        intact: false,
      });
    }
  }
  return summaries.sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name),
  );
}

export function summaryOf(baseline: Baseline): BaselineSummary {
  return {
    name: baseline.name,
    createdAt: baseline.createdAt,
    createdBy: baseline.createdBy,
    window: baseline.window,
    sha256: baseline.sha256,
    intact: baseline.intact,
  };
}

/** The newest intact baseline, or null. */
export function latestBaseline(dataDir: string): Baseline | null {
  const newest = listBaselines(dataDir)
    .filter((b) => b.intact)
    .at(-1);
  return newest ? readBaseline(dataDir, newest.name) : null;
}
