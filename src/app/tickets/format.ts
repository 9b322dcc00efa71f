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

/** The local time zone at that moment as an offset from UTC: `UTC`, `UTC+1`, `UTC−3:30`. */
export function zoneName(d: Date): string {
  const offset = -d.getTimezoneOffset();
  if (offset === 0) return 'UTC';
  const sign = offset > 0 ? '+' : '−';
  const hours = Math.floor(Math.abs(offset) / 60);
  const minutes = Math.abs(offset) % 60;
  return `UTC${sign}${hours}${minutes > 0 ? `:${pad(minutes)}` : ''}`;
}

/**
 * Local time with its zone, `2026-03-01 12:00:45 UTC+1` (sortable, and unambiguous when read by
 * someone elsewhere); `–` for null.
 */
export function formatTime(iso: string | null): string {
  if (iso === null) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zoneName(d)}`
  );
}

/** A piece of text: plain, or a web address to show as a link. */
export type TextPart = { text: string } | { href: string };

/**
 * Splits text at its http and https addresses (an alert's Prometheus graph link, a runbook), so
 * they can be links; no other scheme is ever made a link.
 */
export function linkParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    // A sentence's closing punctuation is not part of the address.
    const href = match[0].replace(/[.,;:!?)\]]+$/, '');
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ href });
    last = match.index + href.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
