// CPU time of a process and all its descendants (Linux /proc): the browser is a tree of
// processes (browser, GPU, renderers, utilities) that Playwright starts as children of this one.
import { readFileSync, readdirSync } from 'node:fs';
import { procStat } from '../../support/proc-stat';

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** Descendants of `root`, leaving out the subtrees of `exclude` (the server we started). */
export function descendantsOf(root: number, exclude: readonly number[]): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const out: number[] = [];
  const walk = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      if (exclude.includes(child)) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** CPU seconds used so far by each of `pids` (those still running). */
export function cpuSecondsOf(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const stat = procStat(pid);
    if (stat) out.set(pid, stat.cpuSeconds);
  }
  return out;
}

/** CPU seconds between two readings. */
export function cpuSecondsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  // A process that started inside the window (a new renderer) counts whole.
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
  return sum;
}
