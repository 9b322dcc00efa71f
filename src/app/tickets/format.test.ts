import { describe, expect, it } from 'vitest';
import { formatDuration, formatTime, formatWindow } from './format';

describe('formatDuration', () => {
  it.each([
    { seconds: null, text: '–' },
    { seconds: 0.42, text: '0.4 s' },
    { seconds: 9.96, text: '10.0 s' },
    { seconds: 45.4, text: '45 s' },
    { seconds: 60, text: '1 min' },
    { seconds: 125, text: '2 min 5 s' },
    { seconds: 3600, text: '1 h' },
    { seconds: 3 * 3600 + 20 * 60 + 10, text: '3 h 20 min' },
    { seconds: 2 * 86_400 + 4 * 3600, text: '2 d 4 h' },
    { seconds: Number.NaN, text: '–' },
  ])('writes $seconds s as "$text"', ({ seconds, text }) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatWindow', () => {
  it.each([
    ['1h', '1 h'],
    ['24h', '24 h'],
    ['15m', '15 min'],
    ['30d', '30 d'],
    ['odd', 'odd'],
  ])('writes %s as "%s"', (window, text) => {
    expect(formatWindow(window)).toBe(text);
  });
});

describe('formatTime', () => {
  it('writes a local date and time to the second, and a dash for none', () => {
    const iso = '2026-03-01T12:00:45.000Z';
    const d = new Date(iso);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(formatTime(iso)).toBe(
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:45`,
    );
    expect(formatTime(null)).toBe('–');
  });
});
