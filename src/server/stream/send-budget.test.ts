import { describe, expect, it } from 'vitest';
import { BUDGET_MIN_RAW_FRAMES, sendBudgetBytes } from './client-session';

describe('a client send budget', () => {
  const configured = 256 * 1024;

  it('is the configured bytes while two raw frames fit in them', () => {
    expect(sendBudgetBytes(configured, 120, 100)).toBe(configured);
    // 256 x 256: two raw frames are exactly 256 KiB.
    expect(sendBudgetBytes(configured, 256, 256)).toBe(configured);
  });

  it('holds two raw frames of a larger stream, so a keyframe alone never puts a client over it', () => {
    const rawFrame = 2 * 1024 * 1024;
    expect(BUDGET_MIN_RAW_FRAMES).toBe(2);
    expect(sendBudgetBytes(configured, 1024, 1024)).toBe(2 * rawFrame);
    // A keyframe is at most raw + 1 byte (docs/CODEC.md section 7): it fits with room for a delta.
    expect(sendBudgetBytes(configured, 1024, 1024)).toBeGreaterThan(rawFrame + 1);
  });
});
