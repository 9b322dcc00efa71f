// Puts a stream under the detector without touching the bus or the registry: the server wraps
// the source it hands the registry. While the source runs, the stream is registered and every
// frame passes through here on its way to the bus; when the registry stops an unwatched
// stream, its detector tickets resolve ("stream unregistered"), since silence is then intended.
import { orderParameter } from '../../core/metrics';
import type { FrameSource } from '../stream/source';
import type { Detector } from './detector';
import type { Visibility } from './types';

export function tapFramesForDetector(
  source: FrameSource,
  detector: Detector,
  stream: { tenantId: string; visibility: Visibility },
): FrameSource {
  const { tenantId } = stream;
  const every = detector.rules.orderParameterLow.sampleEveryFrames;
  const measure = detector.rules.orderParameterLow.enabled;
  let frames = 0;
  return {
    info: source.info,
    // Random access (per-client replay) passes straight through: seeking is not a stream frame.
    ...(source.readFrame
      ? { readFrame: (frameIndex: number) => source.readFrame!(frameIndex) }
      : {}),
    start(onFrame) {
      detector.registerStream(tenantId, stream.visibility);
      source.start((frame) => {
        // The detector's clock, not producedAtMs: a monotonic-based timestamp drifts from
        // Date.now() over days, and stall detection compares against the detector's clock.
        const atMs = detector.now();
        // Clients first: measuring R is not part of any client's latency.
        onFrame(frame);
        const r =
          measure && frames % every === 0 && frame.phases
            ? orderParameter(frame.phases).r
            : undefined;
        frames += 1;
        detector.observeFrame(tenantId, atMs, r);
      });
    },
    stop() {
      source.stop();
      detector.unregisterStream(tenantId);
    },
  };
}
