// Feeds a stream's frames to the detector without touching the bus: the server wraps the
// stream's source, and every frame passes through on its way to the encoder.
import { orderParameter } from '../../core/metrics';
import type { FrameSource } from '../stream/source';
import type { Detector } from './detector';

export function tapFramesForDetector(
  source: FrameSource,
  tenantId: string,
  detector: Detector,
): FrameSource {
  const every = detector.rules.orderParameterLow.sampleEveryFrames;
  const measure = detector.rules.orderParameterLow.enabled;
  let frames = 0;
  return {
    info: source.info,
    start(onFrame) {
      source.start((frame) => {
        // The detector's clock, not producedAtMs: a monotonic-based timestamp drifts from
        // Date.now() over days, and stall detection compares against the detector's clock.
        const r = measure && frames % every === 0 ? orderParameter(frame.phases).r : undefined;
        frames += 1;
        detector.observeFrame(tenantId, detector.now(), r);
        onFrame(frame);
      });
    },
    stop() {
      source.stop();
    },
  };
}
