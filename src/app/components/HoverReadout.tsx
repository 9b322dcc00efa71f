import { useEffect, useState } from 'react';
import { localOrderParameter } from '../../core/metrics';
import type { FramePipeline } from '../frames/pipeline';
import { useFrames, useUi } from '../shell/hooks';

export interface HoveredCell {
  x: number;
  y: number;
}

interface Reading {
  index: number;
  phaseQ: number;
  localR: number;
  frameIndex: number;
}

function read(pipeline: FramePipeline, cell: HoveredCell): Reading | null {
  // The frame on screen as the panels and the replay bar read it, so all say the same frame.
  const frame = pipeline.cursor ?? pipeline.frames.shown ?? pipeline.frames.latest;
  if (!frame || cell.x >= frame.width || cell.y >= frame.height) return null;
  const index = cell.y * frame.width + cell.x;
  return {
    index,
    phaseQ: frame.phases[index]!,
    localR: localOrderParameter(frame.phases, frame.width, frame.height, cell.x, cell.y),
    frameIndex: frame.frameIndex,
  };
}

/**
 * The spin under the pointer (or the keyboard cursor): index, position, phase and local order of
 * the frame on screen, read again whenever the panels' figures are (four times a second).
 */
export function HoverReadout({ cell }: { cell: HoveredCell }) {
  const pipeline = useFrames();
  const frameOnScreen = useUi((s) => s.hud.frameOnScreen);
  const produced = useUi((s) => s.hud.frameOnScreenProducedAtMs);
  const [reading, setReading] = useState(() => read(pipeline, cell));
  useEffect(() => {
    setReading(read(pipeline, cell));
  }, [pipeline, cell, frameOnScreen, produced]);
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
        <span data-testid="readout-frame">{reading.frameIndex}</span>
      </div>
    </div>
  );
}
