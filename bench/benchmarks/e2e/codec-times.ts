// The codec's cost at one lattice size, in this process, on the live simulator's own frames: the
// encode of each frame's followers' delta (what the live worker does for every frame) and its
// decode (what every viewer's worker does). Measured before the browser starts, so the two do not
// share the cores, and as this process's CPU time, not wall time: on a machine other work loads,
// wall time counts the time the thread waited for a core. The browser's own decode times (wall
// time, arrival to checked frame) come from the page.
import { percentile } from '../../../src/core/stats';
import { FrameDecoder, FrameEncoder } from '../../../src/core/wire/frame-codec';
import { createLiveLattice } from '../../../src/sim/live-lattice';
import { round } from '../../support/round';
import type { LatticeSize } from './lattice-size';

/**
 * Frames before measuring, so the JIT has compiled the codec's loops (about five million spins'
 * worth), and frames measured: at least 40, more on small lattices where each costs little.
 */
const warmFramesFor = (spins: number): number =>
  Math.min(300, Math.max(10, Math.ceil(5e6 / spins)));
const measuredFramesFor = (spins: number): number =>
  Math.min(300, Math.max(40, Math.ceil(2e7 / spins)));

/** CPU time this process has used, in ms (microsecond resolution). */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface CodecTimes {
  frames: number;
  simulateMs: { p50: number; p95: number };
  encodeMs: { p50: number; p95: number };
  decodeMs: { p50: number; p95: number };
  deltaBytesMedian: number;
  note: string;
}

export function codecTimes(size: LatticeSize): CodecTimes {
  const { width, height } = size;
  const lattice = createLiveLattice({ width, height, seed: 7n });
  const encoder = new FrameEncoder(width, height);
  const decoder = new FrameDecoder(width, height);
  const simulate: number[] = [];
  const encode: number[] = [];
  const decode: number[] = [];
  const bytes: number[] = [];
  const warm = warmFramesFor(size.spins);
  const measured = measuredFramesFor(size.spins);
  for (let k = 0; k < warm + measured; k++) {
    const t0 = cpuMs();
    lattice.advanceFrame();
    const phases = new Uint16Array(width * height);
    lattice.quantizeInto(phases);
    const t1 = cpuMs();
    const encoding = encoder.encode(phases);
    const sent = encoding.delta ?? encoding.key;
    const t2 = cpuMs();
    const decoded = decoder.decode(sent.kind, sent.order, sent.payload);
    const t3 = cpuMs();
    if (decoded[width * height - 1] !== phases[width * height - 1]) {
      throw new Error('[bench:e2e] the codec did not round-trip a frame');
    }
    if (k < warm) continue;
    simulate.push(t1 - t0);
    encode.push(t2 - t1);
    decode.push(t3 - t2);
    bytes.push(sent.payload.length);
  }
  const summary = (xs: number[]) => ({
    p50: round(percentile(xs, 0.5), 2),
    p95: round(percentile(xs, 0.95), 2),
  });
  return {
    frames: measured,
    simulateMs: summary(simulate),
    encodeMs: summary(encode),
    decodeMs: summary(decode),
    deltaBytesMedian: Math.round(percentile(bytes, 0.5)),
    note: "CPU ms in the benchmark's process before the browser starts, on the live simulator's frames: the followers' delta, as the live worker encodes every frame, and its decode in Node",
  };
}
