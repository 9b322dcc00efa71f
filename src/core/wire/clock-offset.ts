// Estimates the server clock minus the client clock from ping/pong round trips (NTP's idea):
// the sample with the shortest round trip of the last few bounds the error best.

export interface OffsetSample {
  rttMs: number;
  offsetMs: number;
}

export class ClockOffset {
  private readonly samples: OffsetSample[] = [];

  constructor(private readonly keep = 16) {}

  /** A pong: the client's send and receive times and the server's answer time, all wall clocks. */
  addPong(clientSendMs: number, serverMs: number, clientReceiveMs: number): void {
    const rttMs = clientReceiveMs - clientSendMs;
    if (!(rttMs >= 0) || !Number.isFinite(serverMs)) return;
    this.samples.push({ rttMs, offsetMs: serverMs - (clientSendMs + rttMs / 2) });
    if (this.samples.length > this.keep) this.samples.shift();
  }

  /** Best estimate, or null before the first pong. Its error is at most half that sample's rtt. */
  best(): OffsetSample | null {
    let best: OffsetSample | null = null;
    for (const s of this.samples) if (!best || s.rttMs < best.rttMs) best = s;
    return best;
  }

  reset(): void {
    this.samples.length = 0;
  }
}
