// CPU time and memory of another process, read from /proc (Linux).
import { readFileSync } from 'node:fs';

export interface ProcStat {
  /** User + system CPU time of the process (all its threads), in seconds. */
  cpuSeconds: number;
  rssBytes: number;
  /** Peak resident set (VmHWM). */
  peakRssBytes: number;
}

// Linux reports CPU time in clock ticks; USER_HZ is 100 on every Linux ABI Node runs on.
const CLOCK_TICKS_PER_S = 100;

/** CPU time and memory of a process from /proc (Linux); null if it is gone or not Linux. */
export function procStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number =>
      Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return {
      cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_S,
      rssBytes: kb('VmRSS') * 1024,
      peakRssBytes: kb('VmHWM') * 1024,
    };
  } catch {
    return null;
  }
}
