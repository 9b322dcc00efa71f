import { describe, expect, it } from 'vitest';
import { formatDuration, formatTime, formatWindow, linkParts, zoneName } from './format';

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
  it('writes a local date and time to the second with its zone, and a dash for none', () => {
    const iso = '2026-03-01T12:00:45.000Z';
    const d = new Date(iso);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(formatTime(iso)).toBe(
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:45 ${zoneName(d)}`,
    );
    expect(formatTime(null)).toBe('–');
  });

  it('names the zone as an offset from UTC', () => {
    const at = (offsetMinutes: number) => ({ getTimezoneOffset: () => offsetMinutes }) as Date;
    expect(zoneName(at(0))).toBe('UTC');
    expect(zoneName(at(-60))).toBe('UTC+1');
    expect(zoneName(at(-330))).toBe('UTC+5:30');
    expect(zoneName(at(180))).toBe('UTC−3');
  });
});

describe('linkParts', () => {
  it('makes http and https addresses links, without the sentence around them', () => {
    expect(
      linkParts(
        'alertname=X http://prometheus:9090/graph?g0.expr=up%3D%3D0 (see https://r.example/a).',
      ),
    ).toEqual([
      { text: 'alertname=X ' },
      { href: 'http://prometheus:9090/graph?g0.expr=up%3D%3D0' },
      { text: ' (see ' },
      { href: 'https://r.example/a' },
      { text: ').' },
    ]);
  });

  it('leaves any other scheme as text', () => {
    expect(linkParts('javascript:alert(1) ftp://x')).toEqual([
      { text: 'javascript:alert(1) ftp://x' },
    ]);
    expect(linkParts('')).toEqual([]);
  });
});
