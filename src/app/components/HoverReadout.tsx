import { useEffect, useState } from 'react';
import { localOrderParameter } from '../../core/metrics';
import type { FrameStore } from '../frames/frame-store';
import { useFrames } from '../shell/hooks';

export interface HoveredCell {
  x: number;
  y: number;
  clientX: number;
  clientY: number;
}

interface Reading {
  index: number;
  phaseQ: number;
  localR: number;
  frameIndex: number;
}

function read(frames: FrameStore, cell: HoveredCell): Reading | null {
  // The frame on screen, which may be one behind the newest.
  const frame = frames.shown ?? frames.latest;
  if (!frame || cell.x >= frame.width || cell.y >= frame.height) return null;
  const index = cell.y * frame.width + cell.x;
  return {
    index,
    phaseQ: frame.phases[index]!,
    localR: localOrderParameter(frame.phases, frame.width, frame.height, cell.x, cell.y),
    frameIndex: frame.frameIndex,
  };
}

/** The spin under the pointer: index, position, phase and local order; refreshed 4 times a second. */
export function HoverReadout({ cell }: { cell: HoveredCell }) {
  const { frames } = useFrames();
  const [reading, setReading] = useState(() => read(frames, cell));
  useEffect(() => {
    setReading(read(frames, cell));
    const timer = setInterval(() => setReading(read(frames, cell)), 250);
    return () => clearInterval(timer);
  }, [frames, cell]);
  if (!reading) return null;
  const phaseRad = (reading.phaseQ * 2 * Math.PI) / 65536;
  return (
    <div className="readout" data-testid="hover-readout" role="status">
      <div>
        spin <strong data-testid="readout-index">{reading.index}</strong> at (x {cell.x}, y {cell.y}
        )
      </div>
      <div>
        θ = <span data-testid="readout-rad">{phaseRad.toFixed(4)}</span> rad ={' '}
        <span data-testid="readout-deg">{((phaseRad * 180) / Math.PI).toFixed(2)}</span>° (q ={' '}
        <span data-testid="readout-q">{reading.phaseQ}</span>)
      </div>
      <div>
        local R = <span data-testid="readout-local-r">{reading.localR.toFixed(3)}</span> · frame{' '}
        {reading.frameIndex}
      </div>
    </div>
  );
}
