// Where the server spent its samples under `node --cpu-prof` (--profile DIR).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { round } from '../../support/round';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Top functions by self time, and by file. */
function summarizeProfile(file: string) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
  };
  const total = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '') : '';
    const key = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`;
    byFunction.set(key.trim(), (byFunction.get(key.trim()) ?? 0) + hits);
    const fileKey = where.replace(/^.*node_modules\//, 'node_modules/') || functionName;
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + hits);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, hits]) => ({ name, selfPercent: round((100 * hits) / total, 1) }));
  return {
    file,
    seconds: round((profile.endTime - profile.startTime) / 1e6, 1),
    samples: total,
    topFunctionsBySelfTime: top(byFunction, 15),
    topFilesBySelfTime: top(byFile, 10),
  };
}

/** The summary of the server's main-thread profile in `dir`, or a line saying none was written. */
export function serverProfileIn(dir: string): ReturnType<typeof summarizeProfile> | string {
  // The main thread's profile: node names it CPU.DATE.TIME.PID.THREAD.SEQ.cpuprofile.
  const file = existsSync(dir)
    ? readdirSync(dir).find((f) => /\.0\.\d+\.cpuprofile$/.test(f))
    : undefined;
  return file ? summarizeProfile(path.join(dir, file)) : `no profile written to ${dir}`;
}
