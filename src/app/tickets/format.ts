// How the Kaizen views write durations, windows and times.

/** `45 s`, `2 min 5 s`, `3 h 20 min`, `2 d 4 h`; tenths below 10 s; `–` for no figure. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)} s`;
  const total = Math.round(seconds);
  const [big, bigUnit, small, smallUnit] =
    total < 60
      ? [total, 's', 0, '']
      : total < 3600
        ? [Math.floor(total / 60), 'min', total % 60, 's']
        : total < 86_400
          ? [Math.floor(total / 3600), 'h', Math.floor((total % 3600) / 60), 'min']
          : [Math.floor(total / 86_400), 'd', Math.floor((total % 86_400) / 3600), 'h'];
  return small > 0 ? `${big} ${bigUnit} ${small} ${smallUnit}` : `${big} ${bigUnit}`;
}

const WINDOW_UNITS: Record<string, string> = { m: 'min', h: 'h', d: 'd' };

/** `24h` -> `24 h`, `15m` -> `15 min`: how the panels name a window in sentences. */
export function formatWindow(window: string): string {
  const match = /^(\d+)([mhd])$/.exec(window);
  return match ? `${match[1]} ${WINDOW_UNITS[match[2]!]}` : window;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local time as `2026-03-01 12:00:45` (sortable, unambiguous); `–` for null. */
export function formatTime(iso: string | null): string {
  if (iso === null) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}
