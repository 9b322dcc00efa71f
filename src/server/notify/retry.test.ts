import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_RETRY_POLICY, parseRetryAfterMs, retryDelayMs } from './retry';

const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 8000 };

describe('back-off', () => {
  it.each([
    { attempt: 1, random: 0, expected: 500 },
    { attempt: 1, random: 0.999999, expected: 1000 },
    { attempt: 2, random: 0, expected: 1000 },
    { attempt: 3, random: 0.5, expected: 3000 },
    { attempt: 4, random: 0, expected: 4000 },
    // Capped at maxDelayMs from here on.
    { attempt: 5, random: 0, expected: 4000 },
    { attempt: 30, random: 0.999999, expected: 8000 },
  ])(
    'after attempt $attempt with jitter $random waits $expected ms',
    ({ attempt, random, expected }) => {
      expect(backoffMs(policy, attempt, () => random)).toBe(expected);
    },
  );

  it('takes Retry-After when it asks for longer than the back-off, up to the cap', () => {
    const r = () => 0;
    expect(retryDelayMs(policy, 1, 30_000, r)).toBe(30_000);
    expect(retryDelayMs(policy, 4, 1000, r)).toBe(4000);
    expect(retryDelayMs({ ...policy, maxRetryAfterMs: 60_000 }, 1, 86_400_000, r)).toBe(60_000);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it.each([
    { header: '30', expected: 30_000 },
    { header: ' 0 ', expected: 0 },
    { header: 'Sun, 01 Mar 2026 12:00:10 GMT', expected: 10_000 },
    { header: 'Sun, 01 Mar 2026 11:00:00 GMT', expected: 0 },
    { header: null, expected: null },
    { header: 'soon', expected: null },
    { header: '-5', expected: null },
    { header: '1.5', expected: null },
  ])('"$header" is $expected ms', ({ header, expected }) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });
});
