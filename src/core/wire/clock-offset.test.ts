import { describe, expect, it } from 'vitest';
import { ClockOffset } from './clock-offset';

describe('ClockOffset', () => {
  it('has no estimate before a pong', () => {
    expect(new ClockOffset().best()).toBeNull();
  });

  it('takes the offset of the shortest round trip', () => {
    const clock = new ClockOffset();
    // Server 100 ms ahead. A slow round trip with an asymmetric delay misleads by 20 ms...
    clock.addPong(1000, 1000 + 100 + 40, 1000 + 40);
    // ...a fast one is right within 1 ms.
    clock.addPong(2000, 2000 + 100 + 1, 2000 + 2);
    expect(clock.best()).toEqual({ rttMs: 2, offsetMs: 100 });
  });

  it('keeps only the last samples, and ignores impossible ones', () => {
    const clock = new ClockOffset(2);
    clock.addPong(0, 50, 1);
    clock.addPong(10, 70, 20);
    clock.addPong(30, 90, 40);
    clock.addPong(50, Number.NaN, 51);
    clock.addPong(60, 100, 59);
    expect(clock.best()).toEqual({ rttMs: 10, offsetMs: 55 });
  });
});
