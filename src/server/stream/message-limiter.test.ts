import { describe, expect, it } from 'vitest';
import { createMessageLimiter } from './message-limiter';

const limits = { burst: 10, perS: 5, closeAfterMs: 3000 };

describe('the message limiter', () => {
  it('lets a burst through, then slows the client for as long as its next message needs', () => {
    const limiter = createMessageLimiter(limits);
    for (let i = 0; i < 10; i++) expect(limiter.take(0)).toEqual({ kind: 'ok' });
    expect(limiter.take(0)).toEqual({ kind: 'slow', pauseMs: 200 });
    // 200 ms later one message's worth has come back.
    expect(limiter.take(400)).toEqual({ kind: 'ok' });
  });

  it('forgives a client that slowed down, and closes one that stays over its rate', () => {
    const burstThenCalm = createMessageLimiter(limits);
    for (let i = 0; i < 12; i++) burstThenCalm.take(0);
    // Back to half its burst: what it did before no longer counts towards closing it.
    expect(burstThenCalm.take(2000).kind).toBe('ok');
    for (let i = 0; i < 12; i++) burstThenCalm.take(2000);
    expect(burstThenCalm.take(4000).kind).not.toBe('close');

    const flooder = createMessageLimiter(limits);
    let verdict = flooder.take(0);
    for (let t = 0; t <= 3100; t += 10) verdict = flooder.take(t);
    expect(verdict).toEqual({ kind: 'close' });
  });

  it('never pauses a socket for more than a second at once', () => {
    const limiter = createMessageLimiter(limits);
    let verdict = limiter.take(0);
    for (let i = 0; i < 1000; i++) verdict = limiter.take(0);
    expect(verdict).toEqual({ kind: 'slow', pauseMs: 1000 });
  });
});
